import Foundation
import GraceCore
import GraceStore
import Testing

/// `mined_clusters`: the same template adds up across runs, examples stay bounded, promotion sticks.
@Suite struct MinedClusterStoreTests {
    static func record(_ lines: [String], source: String, runID: String, at timestamp: String) -> [MinedClusterRecord] {
        var miner = TemplateMiner()
        let provisional = lines.map { miner.add($0) }
        return MinedClusterRecord.records(from: miner.result(), provisional: provisional, lines: lines, source: source, runID: runID,
                                          at: timestamp)
    }

    @Test func theSameTemplateAddsUpAndStaysBounded() async throws {
        let home = try TemporaryHome()
        let store = try SQLiteStore(layout: home.layout)
        let clusters = store.repositories.minedClusters
        let boot = (1...4).map { "disk /dev/sd\($0) failed after \($0 * 10) ms" }
        let service = (5...9).map { "disk /dev/sd\($0) failed after \($0 * 10) ms" }
        try await clusters.record(Self.record(boot, source: "boot", runID: "run_a", at: "2026-01-01T00:00:00Z"))
        try await clusters.record(Self.record(service, source: "service", runID: "run_b", at: "2026-01-02T00:00:00Z"))

        let stored = try await clusters.clusters(limit: 10)
        #expect(stored.count == 1)
        let cluster = try #require(stored.first)
        #expect(cluster.template == "disk <*> failed after <*>")
        #expect(cluster.count == 9)
        #expect(cluster.firstSeen == "2026-01-01T00:00:00Z" && cluster.lastSeen == "2026-01-02T00:00:00Z")
        #expect(cluster.sources == ["boot", "service"])
        #expect(cluster.examples.count == MinedClusterRecord.maxExamples)
        #expect(cluster.examples.first == .init(line: "disk /dev/sd1 failed after 10 ms", source: "boot", runID: "run_a"))
        #expect(cluster.normalisedHash == OriginalSignature.hash("disk /dev/sd1 failed after 10 ms"))

        #expect(try await clusters.markPromoted(id: cluster.clusterID, patternID: "disk_failed"))
        #expect(try await clusters.cluster(id: cluster.clusterID)?.promotedPatternID == "disk_failed")
        #expect(try await clusters.markPromoted(id: "mc_000000000000", patternID: "x") == false)
        try store.close()
    }
}
