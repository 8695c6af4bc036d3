import Foundation
import GraceBoot
import GraceCore
import GraceStore
import Testing

/// A failed stage's finding that no pattern names is mined into the store's clusters; three boots
/// failing alike give one suggestion counted three times, with each boot's run id.
@Suite struct BootMiningTests {
    @Test func unmatchedFindingsOfFailedStagesBecomeOneCluster() async throws {
        let home = try BootFixture()
        var runIDs: [String] = []
        for attempt in 1...3 {
            let pipeline = BootPipeline(profile: "test", stages: [
                ScriptedStage(name: "opens", critical: true, status: .passed) { context in _ = try await context.openStore() },
                FailingStage(message: "cache warmer \(attempt) gave up after \(attempt * 7) retries on shard-\(attempt * 11)"),
            ], healer: BuiltInHealer())
            let (report, _) = try await home.boot(pipeline)
            #expect(report.status == .partial, "\(report.text)")
            runIDs.append(report.runID)
        }
        let store = try SQLiteStore(layout: home.layout)
        let clusters = try await store.repositories.minedClusters.clusters(limit: 10)
        #expect(clusters.count == 1)
        let cluster = try #require(clusters.first)
        #expect(cluster.template == "cache warmer <*> gave up after <*> retries on <*>")
        #expect(cluster.count == 3 && cluster.sources == ["boot"])
        #expect(cluster.examples.compactMap(\.runID) == runIDs)
        try store.close()
    }
}

/// A non-critical stage that fails with `message`.
struct FailingStage: BootStage {
    let message: String
    var name: String { "fails" }
    var critical: Bool { false }

    func run(in context: BootContext) async throws -> StageResult {
        StageResult(status: .failed, findings: [Finding(message: message)])
    }
}
