import Foundation
import GraceCore
import Testing
@testable import GraceStore

/// `grace store migrate`: a SQLite home copied into PostgreSQL, resumably, without touching the source.
@Suite(.disabled(if: Backend.postgresURL == nil, "GRACE_TEST_POSTGRES_URL is not set: nothing to migrate into"))
struct StoreCopierTests {
    /// A home with some of everything, recorded by an older node-less Grace and by this one.
    private func seededHome() async throws -> TestStore {
        let source = try await TestStore.open(.sqlite, nodeID: "laptop")
        let repositories = source.repositories
        let run = try await repositories.runs.create(AgentRun(trigger: .manual, subsystem: "s", body: ["goal": "é ✓"]))
        for index in 0..<30 {
            _ = try await repositories.runs.addStep(TimelineStep(runID: run.runID, stepType: "t", subsystem: "s", description: "\(index)",
                                                                 status: .success, durationMS: Double(index) / 4))
        }
        _ = try await repositories.approvals.create(ApprovalRequest(requestedBy: "grace", reason: "r", playbookID: "pb"))
        try await repositories.verifications.record(VerificationEvent(verificationType: "v", targetComponent: "c", verificationMethod: "m",
                                                                     result: "ok", passed: true, confidence: 0.9, verifiedBy: "grace"))
        try await repositories.playbooks.upsert(PlaybookRecord(id: "pb", name: "pb", riskLevel: .low, autonomyTier: .tier1))
        try await repositories.playbooks.recordAttempt(playbookID: "pb", patternID: "p", succeeded: true, at: Timestamp.now())
        for index in 0..<12 {
            try await repositories.audit.append(AuditEvent(actor: "t", action: "a\(index)", resource: "r", subsystem: "s", result: "ok"))
        }
        try await repositories.metrics.record([MetricSnapshot(metricID: "m", windowStart: Timestamp.now(), windowEnd: Timestamp.now(),
                                                              stats: ["v": 1], bands: [:], latestBand: .good)])
        try await source.executeRaw("UPDATE agent_runs SET node_id = NULL")  // as an older Grace left it
        return source
    }

    private func bytes(_ home: TemporaryHome) throws -> [Data] {
        try [home.layout.graceDatabase, home.layout.metricsDatabase].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
    }

    @Test func aHomeIsCopiedVerifiedAndResumedWithoutChangingTheSource() async throws {
        let source = try await seededHome()
        try await source.store.shutdown()  // checkpointed: the files hold everything, as after `grace stop`
        let before = try bytes(source.home)
        let database = try await TestStore.freshDatabase()
        let destination = try await PostgresStore.open(database, nodeID: "laptop", callTimeout: TestStore.callTimeout)
        let copier = StoreCopier(layout: source.home.layout, destination: destination, nodeID: "laptop")

        let first = try await copier.run()
        #expect(first.isComplete)
        #expect(first.audit == AuditVerification(entriesChecked: 12))
        #expect(first.tables.first { $0.table == "agent_steps" }?.inserted == 30)
        #expect(first.tables.allSatisfy { $0.inserted == $0.sourceRows && $0.verified == $0.sourceRows })
        let runs = try await destination.repositories.runs.runs(matching: RunQuery())
        #expect(runs.map(\.nodeID) == ["laptop"], "rows from before nodes get the migrating node")
        #expect(try await destination.repositories.runs.steps(runID: runs[0].runID).map(\.description) == (0..<30).map { "\($0)" })

        // Half of the steps lost (an interrupted copy): running again restores exactly those.
        try await PostgresStore.executeOnce("DELETE FROM agent_steps WHERE CAST(description AS INTEGER) >= 15", at: database)
        let second = try await copier.run()
        #expect(second.isComplete)
        #expect(second.tables.first { $0.table == "agent_steps" }?.inserted == 15)
        #expect(second.tables.filter { $0.table != "agent_steps" }.allSatisfy { $0.inserted == 0 })
        #expect(try bytes(source.home) == before, "the SQLite files are only read")
        await destination.close()
    }

    @Test func aDatabaseHoldingAnotherChainIsRefused() async throws {
        let source = try await seededHome()
        let database = try await TestStore.freshDatabase()
        let destination = try await PostgresStore.open(database, nodeID: "elsewhere", callTimeout: TestStore.callTimeout)
        try await destination.repositories.audit.append(AuditEvent(actor: "x", action: "other", resource: "r", subsystem: "s", result: "ok"))
        await #expect(throws: StoreCopier.CopyError.self) {
            try await StoreCopier(layout: source.home.layout, destination: destination, nodeID: "laptop").run()
        }
        #expect(try await destination.repositories.runs.runs(matching: RunQuery()).isEmpty, "nothing was copied")
        await destination.close()
    }
}
