import Foundation
import GRDB
import GraceCore
import Testing
@testable import GraceStore

/// Retention's deletes on real stores: old finished records go in batches, everything still in
/// play and everything newer than the cutoff stays, and the audit chain is untouched.
@Suite struct RetentionStoreTests {
    static let old = "2020-01-01T00:00:00.000000Z"
    static let oldEnd = "2020-01-01T01:00:00.000000Z"
    static let cutoff = "2021-01-01T00:00:00.000000Z"

    struct Seeded {
        var prunedRun: String
        var activeRun: String
        var namedByPendingApproval: String
        var newRun: String
        var pendingApproval: String
        var approvedApproval: String
        /// Alert records that must stay: their event keys.
        var keptAlerts: Set<String>
    }

    /// Old and new rows of every kind retention prunes, and the old ones it must keep.
    static func seed(_ repositories: GraceRepositories) async throws -> Seeded {
        let runs = repositories.runs
        func run(steps: Int, finish: Bool, startedAt: String = old) async throws -> String {
            let run = try await runs.create(AgentRun(trigger: .manual, subsystem: "s", startedAt: startedAt))
            for _ in 0..<steps {
                _ = try await runs.addStep(TimelineStep(runID: run.runID, timestamp: startedAt, stepType: "plan_creation", subsystem: "s",
                                                        description: "d", status: .success, durationMS: 1))
            }
            if finish { _ = try await runs.complete(runID: run.runID, status: .success, at: startedAt == old ? oldEnd : Timestamp.now()) }
            return run.runID
        }
        let pruned = try await run(steps: 3, finish: true)
        let active = try await run(steps: 1, finish: false)
        let named = try await run(steps: 2, finish: true)
        let new = try await run(steps: 2, finish: true, startedAt: Timestamp.now())

        let approvals = repositories.approvals
        let pending = try await approvals.create(ApprovalRequest(requestedBy: "grace", reason: "old but undecided", runID: named, createdAt: old))
        let approved = try await approvals.create(ApprovalRequest(status: .approved, requestedBy: "grace", reason: "approved, not yet run",
                                                                  createdAt: old, decidedAt: oldEnd))
        for status in [ApprovalRequest.Status.rejected, .expired] {
            _ = try await approvals.create(ApprovalRequest(status: status, requestedBy: "grace", reason: "decided long ago", createdAt: old, decidedAt: oldEnd))
        }
        _ = try await approvals.create(ApprovalRequest(status: .rejected, requestedBy: "grace", reason: "decided now", decidedAt: Timestamp.now()))

        for createdAt in [old, Timestamp.now()] {
            try await repositories.verifications.record(VerificationEvent(verificationType: "t", targetComponent: "c", verificationMethod: "m",
                                                                          result: "ok", passed: true, createdAt: createdAt))
            try await repositories.metrics.record([MetricSnapshot(metricID: "m", windowStart: createdAt, windowEnd: createdAt, stats: [:], bands: [:],
                                                                  latestBand: .good, createdAt: createdAt)])
        }
        let playbooks = repositories.playbooks
        try await playbooks.record(PlaybookRun(playbookID: "p", status: .succeeded, decision: "execute", startedAt: old, endedAt: oldEnd))
        try await playbooks.record(PlaybookRun(playbookID: "p", status: .running, decision: "execute", startedAt: old))
        try await playbooks.record(PlaybookRun(playbookID: "p", status: .succeeded, decision: "execute"))
        let rejected = try await approvals.create(ApprovalRequest(status: .rejected, requestedBy: "grace", reason: "alerted, then decided",
                                                                  createdAt: old, decidedAt: oldEnd))
        let kept = try await seedAlerts(repositories.alerts, pendingApproval: pending.eventID, decidedApproval: rejected.eventID)
        return Seeded(prunedRun: pruned, activeRun: active, namedByPendingApproval: named, newRun: new,
                      pendingApproval: pending.eventID, approvedApproval: approved.eventID, keptAlerts: kept)
    }

    /// Alerts to two sinks: delivered long ago (they go, both sinks' records: 4 rows), and the ones
    /// that must stay because removing their record would send them again.
    static func seedAlerts(_ alerts: any AlertDeliveryRepository, pendingApproval: String, decidedApproval: String) async throws -> Set<String> {
        let sinks = ["ops", "slack"]
        func event(_ kind: AlertEvent.Kind, _ id: String) -> AlertEvent {
            AlertEvent(kind: kind, id: id, title: "\(kind.rawValue) \(id)", occurredAt: old)
        }
        let gone = [event(.bootFailed, "run_old"), event(.approvalWaiting, decidedApproval)]
        let stillSending = event(.fixFailed, "pbr_old")
        let waiting = event(.approvalWaiting, pendingApproval)
        let broken = event(.auditChainBroken, "seq_7")
        try await alerts.enqueue(gone + [stillSending, waiting, broken], sinks: sinks, at: old)
        let recent = event(.bootFailed, "run_new")
        try await alerts.enqueue([recent], sinks: sinks, at: Timestamp.now())
        // Deliver everything once, except the fix alert's second sink, which is still being retried.
        for delivery in try await alerts.claim(sinks: sinks, owner: "test", now: Timestamp.now(), leaseUntil: Timestamp.now(), limit: 100) {
            let retrying = delivery.eventKey == stillSending.key && delivery.sink == "slack"
            let at = delivery.eventKey == recent.key ? Timestamp.now() : oldEnd
            #expect(try await alerts.finish(eventKey: delivery.eventKey, sink: delivery.sink, owner: "test",
                                            retrying ? .init(status: .pending, httpStatus: 500, at: oldEnd, retryAt: Timestamp.now())
                                                     : .init(status: .delivered, httpStatus: 200, at: at)))
        }
        return [stillSending.key, waiting.key, broken.key, recent.key]
    }

    static let expected: [RetainedKind: Int] = [.runs: 1, .steps: 3, .approvals: 3, .verificationEvents: 1, .playbookRuns: 1, .metricSnapshots: 1,
                                                        .alertDeliveries: 4]

    @Test(arguments: Backend.available) func oldFinishedRecordsGoInBatchesAndWhatIsInPlayStays(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let repositories = test.repositories
        for index in 0..<3 {
            try await repositories.audit.append(AuditEvent(actor: "t", action: "a\(index)", resource: "r", subsystem: "s", result: "ok"))
        }
        let seeded = try await Self.seed(repositories)
        let retention = repositories.retention
        let wanted = RetainedKind.stored + [.steps]
        #expect(try await retention.countPrunable(wanted, before: Self.cutoff) == Self.expected)

        // Batches of one row: each call deletes at most one, and the loop ends on an empty batch.
        var deleted: [RetainedKind: Int] = [:]
        for kind in RetainedKind.stored {
            while true {
                let batch = try await retention.pruneBatch(kind, before: Self.cutoff, limit: 1)
                // A batch's keys are rows; an alert's key deletes every sink's record of it.
                #expect((batch[kind] ?? 0) <= (kind == .alertDeliveries ? 2 : 1))
                if batch.isEmpty { break }
                deleted.merge(batch, uniquingKeysWith: +)
            }
        }
        #expect(deleted == Self.expected)
        #expect(try await retention.countPrunable(wanted, before: Self.cutoff).values.allSatisfy { $0 == 0 })

        let runs = repositories.runs
        #expect(try await runs.run(id: seeded.prunedRun) == nil)
        #expect(try await runs.steps(runID: seeded.prunedRun).isEmpty)
        #expect(try await runs.run(id: seeded.activeRun)?.status == .active, "a running run is never pruned")
        #expect(try await runs.steps(runID: seeded.activeRun).count == 1)
        #expect(try await runs.run(id: seeded.namedByPendingApproval) != nil, "a run an open approval names stays")
        #expect(try await runs.steps(runID: seeded.newRun).count == 2)
        #expect(try await repositories.approvals.approval(id: seeded.pendingApproval)?.status == .pending)
        #expect(try await repositories.approvals.approval(id: seeded.approvedApproval)?.status == .approved)
        #expect(try await repositories.approvals.count(status: .rejected) == 1, "the one decided now stays")
        #expect(try await repositories.verifications.recent(limit: 10).count == 1)
        #expect(try await repositories.metrics.recent(limit: 10).count == 1)
        #expect(try await repositories.playbooks.runs(since: nil, limit: 10).map(\.status).sorted { $0.rawValue < $1.rawValue } == [.running, .succeeded])

        let alerts = try await repositories.alerts.deliveries(status: nil, limit: 100)
        #expect(Set(alerts.map(\.eventKey)) == seeded.keptAlerts && alerts.count == 2 * seeded.keptAlerts.count,
                "a record still being sent, a pending approval's, a broken chain's and a recent one stay, for every sink")

        let verification = try await repositories.audit.verify()
        #expect(verification.isIntact && verification.entriesChecked == 3, "pruning never touches the audit chain")

        let space = try await retention.reclaimSpace()
        if backend == .sqlite {
            #expect(space.databases.map(\.autoVacuum) == ["incremental", "incremental"], "new databases are created in incremental mode")
        }
    }

    @Test func aDatabaseCreatedBeforeRetentionIsSwitchedToIncrementalVacuumOnRequest() async throws {
        let home = try TemporaryHome()
        try FileManager.default.createDirectory(atPath: home.layout.databasesDirectory, withIntermediateDirectories: true)
        // A grace.db in auto_vacuum NONE, as every Grace before retention created them.
        let legacy = try DatabaseQueue(path: home.layout.graceDatabase)
        try await legacy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA auto_vacuum = NONE; CREATE TABLE keep_me (x TEXT); INSERT INTO keep_me VALUES ('kept')") }
        try legacy.close()
        let store = try SQLiteStore(layout: home.layout)
        #expect(try await store.repositories.retention.reclaimSpace().databases.map(\.autoVacuum) == ["none", "incremental"])
        #expect(try await store.convertToIncrementalVacuum() == ["grace.db"])
        #expect(try await store.repositories.retention.reclaimSpace().databases.map(\.autoVacuum) == ["incremental", "incremental"])
        #expect(try await store.grace.read { db in try String.fetchOne(db, sql: "SELECT x FROM keep_me") } == "kept")
        try store.close()
    }
}
