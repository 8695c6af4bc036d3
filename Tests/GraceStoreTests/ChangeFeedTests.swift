import Foundation
import GraceCore
import Testing
@testable import GraceStore

/// The change feed `GET /api/events` follows: every run, step and approval write, numbered in
/// order, whoever wrote it; bounded in size.
@Suite struct ChangeFeedTests {
    @Test(arguments: Backend.available) func everyWriteOfARunAStepAndAnApprovalIsNumberedInOrder(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "n1")
        let feed = test.repositories.changes
        #expect(try await feed.bounds() == ChangeFeedBounds(oldest: nil, latest: nil))

        let runs = test.repositories.runs
        let run = try await runs.create(AgentRun(trigger: .manual, subsystem: "planner"))
        let step = try await runs.addStep(TimelineStep(runID: run.runID, stepType: "plan", subsystem: "planner", description: "d", status: .running))
        _ = try await runs.updateStep(runID: run.runID, stepID: step.stepID, StepUpdate(status: .success, durationMS: 3))
        _ = try await runs.complete(runID: run.runID, status: .success, at: Timestamp.now())
        let approval = try await test.repositories.approvals.create(ApprovalRequest(requestedBy: "grace", reason: "r"))
        _ = try await test.repositories.approvals.decide(id: approval.eventID, approve: true, by: "operator", reason: "ok")
        // Another node's write is in the same feed.
        let second = try await test.reopen(nodeID: "n2")
        let other = try await second.repositories.runs.create(AgentRun(trigger: .manual, subsystem: "planner"))

        let changes = try await feed.changes(after: 0, limit: 100)
        #expect(changes.map(\.kind) == [.run, .step, .step, .run, .approval, .approval, .run])
        #expect(changes.map(\.entityID) == [run.runID, step.stepID, step.stepID, run.runID, approval.eventID, approval.eventID, other.runID])
        #expect(changes.map(\.runID) == [run.runID, run.runID, run.runID, run.runID, nil, nil, other.runID])
        #expect(zip(changes, changes.dropFirst()).allSatisfy { $0.sequence < $1.sequence })
        let bounds = try await feed.bounds()
        #expect(bounds.latest == changes.last?.sequence && bounds.oldest == changes.first?.sequence)
        #expect(try await feed.changes(after: changes[4].sequence, limit: 100).map(\.entityID) == [approval.eventID, other.runID])
        #expect(try await feed.changes(after: 0, limit: 2).count == 2)

        // What a step write does to its run's steps_version is not a change of the run.
        try await runs.recordOutcome(runID: other.runID, playbooksExecuted: 1, verificationsPassed: 1, verificationsFailed: 0)
        let afterOutcome = try await feed.changes(after: changes.last!.sequence, limit: 100)
        #expect(afterOutcome.map(\.kind) == [.run], "an outcome is a change of the run, once")
    }

    @Test(arguments: Backend.available) func theFeedKeepsAboutTheNewestTenThousand(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        // 12,000 changes written straight into the table (as many triggers would), in one statement.
        let fill = backend == .sqlite
            ? """
              WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12000)
              INSERT INTO change_feed (kind, entity_id, run_id) SELECT 'run', 'run_' || i, NULL FROM n
              """
            : "INSERT INTO change_feed (kind, entity_id, run_id) SELECT 'run', 'run_' || i, NULL FROM generate_series(1, 12000) AS i"
        try await test.executeRaw(fill)
        let bounds = try await test.repositories.changes.bounds()
        #expect(bounds.latest == 12000)
        let oldest = try #require(bounds.oldest)
        #expect(oldest > 1 && 12000 - oldest + 1 <= ChangeFeedSchema.kept + 1000, "pruned at each thousandth change: \(oldest)")
        #expect(12000 - oldest + 1 >= ChangeFeedSchema.kept)
    }
}
