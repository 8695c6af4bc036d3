import Foundation
import GraceCore
import Testing
@testable import GraceStore

/// Counts come from `COUNT(*)` in the database: past the 1,000 rows a listing stops at, and
/// with the same filters as the listings.
@Suite struct CountTests {
    @Test(arguments: Backend.available) func countsPassTheListingCapAndFollowTheirFilters(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "node-a")
        // 1,005 active runs in one raw statement (creating each through the repository is slow on PostgreSQL).
        let values = (0..<1005).map { index in
            "('run_count_\(index)', 'agent', 'manual', 's', 'active', '2025-01-01T00:00:00.\(String(format: "%06d", index))Z', 'node-a')"
        }.joined(separator: ", ")
        try await test.executeRaw("INSERT INTO agent_runs (run_id, kind, trigger, subsystem, status, started_at, node_id) VALUES \(values)")
        let runs = test.repositories.runs
        #expect(try await runs.activeRuns().count == 1000, "the listing stops at 1,000")
        #expect(try await runs.count(matching: RunQuery(status: .active)) == 1005)
        let failed = try await runs.create(AgentRun(trigger: .manual, subsystem: "s"))
        _ = try await runs.complete(runID: failed.runID, status: .failed, at: Timestamp.now())
        #expect(try await runs.count(matching: RunQuery(status: .failed)) == 1)
        #expect(try await runs.count(matching: RunQuery(status: .failed, startedAfter: "2999-01-01T00:00:00.000000Z")) == 0)
        #expect(try await runs.count(matching: RunQuery()) == 1006)

        let approvals = test.repositories.approvals
        for _ in 0..<3 { _ = try await approvals.create(ApprovalRequest(requestedBy: "grace", reason: "r")) }
        let decided = try await approvals.create(ApprovalRequest(requestedBy: "grace", reason: "r"))
        _ = try await approvals.decide(id: decided.eventID, approve: false, by: "cli", reason: nil)
        #expect(try await approvals.count(status: .pending) == 3)
        #expect(try await approvals.count(status: .rejected) == 1)
        #expect(try await approvals.count(status: nil) == 4)
        #expect(try await approvals.count(status: .pending, node: "node-b") == 0)

        let playbooks = test.repositories.playbooks
        try await playbooks.record(PlaybookRun(playbookID: "p", status: .succeeded, decision: "execute", startedAt: "2025-06-01T10:00:00.000000Z"))
        try await playbooks.record(PlaybookRun(playbookID: "p", status: .observed, decision: "observe", startedAt: "2025-06-01T11:00:00.000000Z"))
        try await playbooks.record(PlaybookRun(playbookID: "p", status: .failed, decision: "execute", startedAt: "2025-05-31T23:00:00.000000Z"))
        #expect(try await playbooks.countRuns(since: "2025-06-01T00:00:00.000000Z", excluding: [.observed, .pending]) == 1)
        #expect(try await playbooks.countRuns(since: "2025-01-01T00:00:00.000000Z", excluding: []) == 3)
    }
}
