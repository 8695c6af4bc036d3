import Foundation
import GRDB
import GraceCore
import Testing
@testable import GraceStore

/// Several nodes on one store: what each records carries its node, and approvals are claimed once.
@Suite struct NodeTests {
    @Test(arguments: Backend.available) func everyRecordCarriesItsNodeAndRunsFilterByNode(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "node-a")
        let other = try await test.reopen(nodeID: "node-b")
        let a = test.repositories, b = other.repositories
        let runA = try await a.runs.create(AgentRun(trigger: .manual, subsystem: "s"))
        let runB = try await b.runs.create(AgentRun(trigger: .manual, subsystem: "s"))
        #expect(runA.nodeID == "node-a" && runB.nodeID == "node-b")
        #expect(try await b.runs.run(id: runA.runID)?.nodeID == "node-a")
        #expect(try await a.runs.runs(matching: RunQuery(node: "node-b")).map(\.runID) == [runB.runID])
        #expect(Set(try await a.runs.runs(matching: RunQuery()).map(\.runID)) == [runA.runID, runB.runID])

        _ = try await b.approvals.create(ApprovalRequest(requestedBy: "grace", reason: "r", playbookID: "pb"))
        #expect(try await a.approvals.approvals(status: nil, limit: 10).map(\.nodeID) == ["node-b"])

        try await a.audit.append(AuditEvent(actor: "t", action: "x", resource: "r", subsystem: "s", result: "ok"))
        try await b.audit.append(AuditEvent(actor: "t", action: "y", resource: "r", subsystem: "s", result: "ok"))
        #expect(try await a.audit.tail(limit: 5).map(\.nodeID) == ["node-b", "node-a"])
        #expect(try await a.audit.verify() == AuditVerification(entriesChecked: 2))

        for repositories in [a, b] {
            try await repositories.metrics.record([MetricSnapshot(metricID: "cpu", windowStart: Timestamp.now(), windowEnd: Timestamp.now(),
                                                                  stats: ["v": 1], bands: [:], latestBand: .good)])
        }
        #expect(Set(try await a.metrics.latestPerMetric().compactMap(\.nodeID)) == ["node-a", "node-b"])
    }

    @Test(arguments: Backend.available) func anApprovalIsClaimedOnceAndOnlyByItsNode(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "node-b")
        let nodeA = try await test.reopen(nodeID: "node-a")
        let request = try await test.repositories.approvals.create(ApprovalRequest(requestedBy: "grace", reason: "tier_3", playbookID: "pb"))
        #expect(try await test.repositories.approvals.claimApproved(node: "node-b") == nil, "pending is not claimable")
        _ = try await nodeA.repositories.approvals.decide(id: request.eventID, approve: true, by: "ops", reason: nil)
        #expect(try await nodeA.repositories.approvals.claimApproved(node: "node-a") == nil, "node A does not own it")

        // Eight pollers of node B on four connection pools race for it: exactly one wins.
        var pools = [test.repositories]
        for _ in 0..<3 { pools.append(try await test.reopen(nodeID: "node-b").repositories) }
        let claims = try await withThrowingTaskGroup(of: ApprovalRequest?.self) { group in
            for poller in 0..<8 {
                let approvals = pools[poller % pools.count].approvals
                group.addTask { try await approvals.claimApproved(node: "node-b") }
            }
            return try await group.reduce(into: [ApprovalRequest]()) { claimed, claim in if let claim { claimed.append(claim) } }
        }
        #expect(claims.map(\.eventID) == [request.eventID])
        #expect(claims.first?.status == .executed)
        #expect(try await test.repositories.approvals.approval(id: request.eventID)?.status == .executed)
        #expect(try await test.repositories.approvals.markExecuted(id: request.eventID) == false)
    }

    /// The two backends' schemas are the same tables with the same columns (PostgreSQL adds only
    /// `agent_steps.step_order`, its stand-in for SQLite's rowid).
    @Test(.disabled(if: Backend.postgresURL == nil, "GRACE_TEST_POSTGRES_URL is not set"))
    func bothBackendsHaveTheSameColumns() async throws {
        let sqlite = try await TestStore.open(.sqlite)
        var sqliteColumns: Set<String> = []
        for path in [sqlite.home.layout.graceDatabase, sqlite.home.layout.metricsDatabase] {
            let queue = try DatabaseQueue(path: path)
            sqliteColumns.formUnion(try await queue.read { db in
                let tables = try String.fetchAll(db, sql: """
                    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                    """)
                return try tables.flatMap { table in try db.columns(in: table).map { "\(table).\($0.name)" } }
            })
        }
        let postgres = try await TestStore.open(.postgres)
        let store = try #require(postgres.store as? PostgresStore)
        let postgresColumns = Set(try await store.database.read { session in
            try await session.fetchAll(SQLStatement("""
                SELECT table_name || '.' || column_name AS name FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name != 'grace_migrations'
                """)) { try $0.required("name") }
        })
        #expect(postgresColumns.subtracting(sqliteColumns) == ["agent_steps.step_order"])
        #expect(sqliteColumns.subtracting(postgresColumns).isEmpty)
    }
}
