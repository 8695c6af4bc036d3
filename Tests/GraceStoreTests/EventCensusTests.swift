import Foundation
import GraceCore
import Testing
@testable import GraceStore

/// The census `/metrics` reads: what each backend counts for boots, healing decisions and the
/// supervised service's audit entries, from the rows the repositories wrote.
@Suite struct EventCensusTests {
    @Test(arguments: Backend.available) func countsBootsDecisionsAndTargetEventsFromTheStore(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "node-a")
        let repositories = test.repositories
        let empty = try await repositories.census.census()
        #expect(empty.bootsByStatus.isEmpty)
        #expect(empty.lastBoot == nil)
        #expect(empty.decisions.isEmpty)
        #expect(empty.targetEvents.isEmpty)

        let runs = repositories.runs
        let early = try await runs.create(AgentRun(kind: "boot", trigger: .manual, subsystem: "boot", startedAt: "2025-06-01T10:00:00.000000Z"))
        _ = try await runs.complete(runID: early.runID, status: .success, at: "2025-06-01T10:00:05.000000Z")
        let late = try await runs.create(AgentRun(kind: "boot", trigger: .manual, subsystem: "boot", startedAt: "2025-06-01T11:00:00.000000Z"))
        _ = try await runs.complete(runID: late.runID, status: .failed, at: "2025-06-01T11:00:02.500000Z")
        // Still running and started last: not the last *ended* boot.
        _ = try await runs.create(AgentRun(kind: "boot", trigger: .manual, subsystem: "boot", startedAt: "2025-06-01T12:00:00.000000Z"))
        // An agent run is not a boot.
        _ = try await runs.create(AgentRun(trigger: .manual, subsystem: "agent"))

        let playbooks = repositories.playbooks
        try await playbooks.record(PlaybookRun(playbookID: "clear_lock", patternID: "database_locked", status: .succeeded, decision: "execute"))
        try await playbooks.record(PlaybookRun(playbookID: "clear_lock", patternID: "database_locked", status: .succeeded, decision: "execute"))
        try await playbooks.record(PlaybookRun(playbookID: "clear_lock", patternID: "database_locked", status: .rolledBack, decision: "execute"))
        try await playbooks.record(PlaybookRun(playbookID: "manual", status: .observed, decision: "await_approval"))

        let audit = repositories.audit
        for result in ["crashed", "crashed", "stopped"] {
            try await audit.append(AuditEvent(actor: "grace", action: "target.exit", resource: "target", subsystem: "target", result: result))
        }
        try await audit.append(AuditEvent(actor: "grace", action: "target.crash_loop", resource: "target", subsystem: "target", result: "gave_up"))
        try await audit.append(AuditEvent(actor: "cli", action: "approval.decide", resource: "approval", subsystem: "api", result: "approved"))

        let census = try await repositories.census.census()
        #expect(census.bootsByStatus == [.success: 1, .failed: 1, .active: 1])
        #expect(census.lastBoot?.runID == late.runID)
        #expect(census.lastBoot?.status == .failed)
        #expect(census.lastBoot?.endedAt == "2025-06-01T11:00:02.500000Z")
        let decisions = census.decisions.sorted { ($0.playbookID, $0.status.rawValue) < ($1.playbookID, $1.status.rawValue) }
        #expect(decisions == [
            .init(patternID: "database_locked", playbookID: "clear_lock", decision: "execute", status: .rolledBack, count: 1),
            .init(patternID: "database_locked", playbookID: "clear_lock", decision: "execute", status: .succeeded, count: 2),
            .init(patternID: nil, playbookID: "manual", decision: "await_approval", status: .observed, count: 1),
        ])
        #expect(census.targetEvents == ["target.exit": ["crashed": 2, "stopped": 1], "target.crash_loop": ["gave_up": 1]])

        // Over time: per UTC day, and the health score each boot's audit entry kept (none before scores were kept).
        try await audit.append(AuditEvent(actor: "grace", action: "boot.success", resource: "boot/\(early.runID)", subsystem: "boot_pipeline",
                                          payload: ["duration_ms": 5000], result: "success"))
        try await audit.append(AuditEvent(actor: "grace", action: "boot.failed", resource: "boot/\(late.runID)", subsystem: "boot_pipeline",
                                          payload: ["health_score": 42], result: "failed"))
        let history = try await repositories.census.history(since: "2025-01-01T00:00:00.000000Z")
        let today = String(Timestamp.now().prefix(10))
        var june = StoreHistory.Day(day: "2025-06-01")
        june.bootsByStatus = [.success: 1, .failed: 1, .active: 1]
        var now = StoreHistory.Day(day: today)
        now.decisionsByPattern = ["database_locked": 3, "": 1]
        now.fixesExecuted = 3
        now.fixesSucceeded = 2
        #expect(history.days == [june, now])
        #expect(history.healthScores.map(\.score) == [42])
        #expect(history.healthScores.first?.runID == late.runID)
        let later = try await repositories.census.history(since: "2025-06-02T00:00:00.000000Z")
        #expect(later.days == [now], "days before `since` are left out")
    }
}
