import Foundation
import GRDB
import GraceCore
import Testing
@testable import GraceStore

@Suite struct MigrationTests {
    @Test func migratesAnEmptyHomeAndReopensIdempotently() async throws {
        let home = try TemporaryHome()
        let first = try SQLiteStore(layout: home.layout)
        _ = try await first.repositories.runs.create(AgentRun(runID: "run_keep", trigger: .manual, subsystem: "test"))
        try first.close()

        let second = try SQLiteStore(layout: home.layout)
        #expect(try await second.repositories.runs.run(id: "run_keep") != nil)
        let health = try await second.health()
        #expect(health.count == 2)
        #expect(health.allSatisfy { $0.isHealthy })
        #expect(health[0].appliedMigrations == ["v10_alerts", "v11_steps_version", "v12_change_feed", "v1_core", "v2_approval_details", "v3_node_id", "v4_runs_ended", "v5_decision_claimed_by",
                                              "v6_truthful_outcomes", "v7_mined_clusters", "v8_otlp_ingest"])
        #expect(health[1].appliedMigrations == ["v1_metrics", "v2_node_id", "v9_retention"])
        try second.close()
    }

    @Test func aHomeFromBeforeTruthfulOutcomesKeepsEveryRowAndAcceptsTheNewStatuses() async throws {
        let home = try TemporaryHome()
        try FileManager.default.createDirectory(atPath: home.layout.databasesDirectory, withIntermediateDirectories: true)
        let old = try DatabaseQueue(path: home.layout.graceDatabase)
        try Schema.graceMigrator.migrate(old, upTo: "v5_decision_claimed_by")
        try await old.write { db in
            try db.execute(sql: """
                INSERT INTO agent_runs (run_id, kind, trigger, subsystem, status, started_at, ended_at, node_id)
                    VALUES ('run_old', 'boot', 'boot', 'boot_pipeline', 'success', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:01.000000Z', 'n1');
                INSERT INTO agent_steps (step_id, run_id, timestamp, step_type, subsystem, status, updated_at)
                    VALUES ('stp_old', 'run_old', '2025-01-01T00:00:00.500000Z', 'boot_stage', 'boot_pipeline', 'success', '2025-01-01T00:00:01.000000Z');
                INSERT INTO approval_requests (event_id, status, requested_by, reason, created_at, node_id, decision_claimed_by)
                    VALUES ('apr_old', 'executed', 'grace', 'why', '2025-01-01T00:00:00.000000Z', 'n1', 'ops');
                """)
        }
        try old.close()

        let store = try SQLiteStore(layout: home.layout, nodeID: "n1")
        let repositories = store.repositories
        let run = try #require(try await repositories.runs.run(id: "run_old"))
        #expect(run.status == .success && run.nodeID == "n1" && run.endedAt == "2025-01-01T00:00:01.000000Z")
        let steps = try await repositories.runs.steps(runID: "run_old")
        #expect(steps.map(\.stepID) == ["stp_old"] && steps.first?.endedAt == nil)
        let approval = try #require(try await repositories.approvals.approval(id: "apr_old"))
        #expect(approval.status == .executed && approval.decisionClaimedBy == "ops")
        let partial = try await repositories.runs.create(AgentRun(kind: "boot", trigger: .boot, subsystem: "boot_pipeline"))
        #expect(try await repositories.runs.complete(runID: partial.runID, status: .partial, at: Timestamp.now()).status == .partial)
        // The foreign key from steps to runs still holds on the rebuilt table.
        await #expect(throws: (any Error).self) {
            try await repositories.runs.addStep(TimelineStep(runID: "run_missing", stepType: "x", subsystem: "s", description: "", status: .success))
        }
        #expect(try await store.health().allSatisfy(\.isHealthy))
        try store.close()
    }

    @Test func everyOriginalTableAndColumnExists() async throws {
        let home = try TemporaryHome()
        try SQLiteStore(layout: home.layout).close()
        let grace = try DatabaseQueue(path: home.layout.graceDatabase)
        let expected: [String: [String]] = [
            "verification_events": ["id", "verification_type", "target_component", "verification_method", "result", "passed",
                                    "anomaly_score", "confidence", "details", "verified_by", "created_at"],
            "playbooks": ["id", "name", "description", "service", "severity", "risk_level", "autonomy_tier", "preconditions",
                          "parameters_schema", "created_at"],
            "immutable_log": ["id", "sequence", "actor", "action", "resource", "subsystem", "payload", "result", "entry_hash",
                              "previous_hash", "timestamp"],
            "approval_requests": ["event_id", "status", "requested_by", "reason", "decision_by", "decision_reason", "created_at",
                                  "decided_at"],
            "agent_runs": ["run_id", "started_at", "ended_at", "status", "trigger", "subsystem", "playbooks_executed",
                           "verifications_passed", "verifications_failed"],
            "agent_steps": ["step_id", "run_id", "timestamp", "step_type", "subsystem", "description", "status", "details",
                            "duration_ms"],
            "playbook_runs": ["id", "playbook_id", "status"],
            "playbook_stats": ["playbook_id", "pattern_id", "attempts", "successes"],
        ]
        try await grace.read { db in
            for (table, columns) in expected {
                let actual = Set(try db.columns(in: table).map(\.name))
                #expect(Set(columns).isSubset(of: actual), "\(table) lacks \(Set(columns).subtracting(actual))")
            }
        }
        let metrics = try DatabaseQueue(path: home.layout.metricsDatabase)
        try await metrics.read { db in
            let actual = Set(try db.columns(in: "metrics_snapshots").map(\.name))
            #expect(Set(["id", "snapshot_id", "metric_id", "resource_scope", "resource_id", "window_start", "window_end",
                         "stats_json", "bands_json", "latest_band", "derived_actions_json", "created_at"]).isSubset(of: actual))
        }
    }

    @Test func aDatabaseFromANewerGraceIsRefusedAndLeftUntouched() async throws {
        let home = try TemporaryHome()
        try SQLiteStore(layout: home.layout).close()
        let queue = try DatabaseQueue(path: home.layout.graceDatabase)
        try await queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99_future')") }
        try await queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try queue.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: home.layout.graceDatabase))

        #expect(throws: StoreError.newerSchema(path: home.layout.graceDatabase, unknownMigrations: ["v99_future"])) {
            try SQLiteStore(layout: home.layout)
        }
        let after = try Data(contentsOf: URL(fileURLWithPath: home.layout.graceDatabase))
        let firstDifference = zip(before, after).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(after == before, "sizes \(before.count) \(after.count), first difference at \(String(describing: firstDifference))")
    }

    @Test func aGarbageDatabaseIsReportedAsDamagedAndNotOverwritten() throws {
        let home = try TemporaryHome()
        try FileManager.default.createDirectory(atPath: home.layout.databasesDirectory, withIntermediateDirectories: true)
        let garbage = Data((0..<64 * 1024).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 7) })
        try garbage.write(to: URL(fileURLWithPath: home.layout.graceDatabase))

        do {
            _ = try SQLiteStore(layout: home.layout)
            Issue.record("opening garbage must fail")
        } catch let error as StoreError {
            guard case .damaged(let path, _) = error else { Issue.record("expected damaged, got \(error)"); return }
            #expect(path == home.layout.graceDatabase)
            #expect(error.description.contains("not modified"))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: home.layout.graceDatabase)) == garbage)
    }
}
