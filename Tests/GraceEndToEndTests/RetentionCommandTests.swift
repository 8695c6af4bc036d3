import Foundation
import Testing

extension EndToEnd {
    /// `grace prune` on a real home: old records of every kind, next to what must stay.
    @Suite(.serialized) struct RetentionCommandTests {
        static let old = "2020-01-01T00:00:00.000000Z"

        /// A booted home plus old rows and files of every kind retention prunes, and old ones it keeps.
        static func agedHome() throws -> GraceBinary {
            let grace = try GraceBinary()
            let boot = try grace.run(["boot"])
            #expect(boot.status == 0, "\(boot.stdout)\(boot.stderr)")
            try grace.sqlite("""
                INSERT INTO agent_runs (run_id, kind, trigger, subsystem, status, started_at, ended_at) VALUES
                    ('run_old', 'agent', 'manual', 's', 'success', '\(old)', '\(old)'),
                    ('run_old_active', 'agent', 'manual', 's', 'active', '\(old)', NULL);
                INSERT INTO agent_steps (step_id, run_id, timestamp, step_type, subsystem, status, updated_at) VALUES
                    ('step_old_1', 'run_old', '\(old)', 'plan_creation', 's', 'success', '\(old)'),
                    ('step_old_2', 'run_old', '\(old)', 'verification', 's', 'success', '\(old)');
                INSERT INTO approval_requests (event_id, status, requested_by, reason, created_at, decided_at) VALUES
                    ('apr_old_pending', 'pending', 'grace', 'waits', '\(old)', NULL),
                    ('apr_old_rejected', 'rejected', 'grace', 'no', '\(old)', '\(old)');
                INSERT INTO verification_events (verification_id, verification_type, target_component, verification_method, result,
                    passed, verified_by, created_at) VALUES ('ver_old', 't', 'c', 'm', 'ok', 1, 'grace', '\(old)');
                INSERT INTO playbook_runs (id, playbook_id, status, decision, started_at, ended_at) VALUES
                    ('pbr_old', 'p', 'succeeded', 'execute', '\(old)', '\(old)');
                """)
            try grace.sqlite("""
                INSERT INTO metrics_snapshots (snapshot_id, metric_id, resource_scope, resource_id, window_start, window_end, stats_json,
                    bands_json, latest_band, created_at) VALUES ('ms_old', 'm', 'grace', 'local', '\(old)', '\(old)', '{}', '{}', 'good', '\(old)');
                """, database: "databases/metrics.db")
            let training = grace.home.appendingPathComponent("grace_training/startup_failures/boot_20200101_000000.json")
            try Data("{}".utf8).write(to: training)
            let rotated = grace.home.appendingPathComponent("logs/grace.jsonl.3")
            try Data("{\"message\":\"old\"}\n".utf8).write(to: rotated)
            let longAgo = Date(timeIntervalSince1970: 1_577_836_800)
            try FileManager.default.setAttributes([.modificationDate: longAgo], ofItemAtPath: rotated.path)
            // The live log file is never pruned, however old its last write.
            try FileManager.default.setAttributes([.modificationDate: longAgo], ofItemAtPath: grace.home.appendingPathComponent("logs/grace.jsonl").path)
            return grace
        }

        static func counts(_ grace: GraceBinary) throws -> [String: Int] {
            let line = try grace.sqlite("""
                SELECT (SELECT COUNT(*) FROM agent_runs) || ' ' || (SELECT COUNT(*) FROM agent_steps) || ' ' ||
                       (SELECT COUNT(*) FROM approval_requests) || ' ' || (SELECT COUNT(*) FROM verification_events) || ' ' ||
                       (SELECT COUNT(*) FROM playbook_runs) || ' ' || (SELECT COUNT(*) FROM immutable_log)
                """).split(separator: " ").compactMap { Int($0) }
            let metrics = Int(try grace.sqlite("SELECT COUNT(*) FROM metrics_snapshots", database: "databases/metrics.db")) ?? -1
            return ["runs": line[0], "steps": line[1], "approvals": line[2], "verifications": line[3], "playbook_runs": line[4],
                    "audit": line[5], "metrics": metrics]
        }

        @Test func dryRunCountsAndDeletesNothingThenPruneDeletesOnlyWhatIsDueAndIsAudited() throws {
            let grace = try Self.agedHome()
            defer { grace.remove() }
            let retention = ["GRACE_RETENTION_DAYS": "30"]
            let before = try Self.counts(grace)

            let dry = try grace.run(["prune", "--dry-run", "--json"], extraEnvironment: retention)
            #expect(dry.status == 0, "\(dry.stderr)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(dry.stdout.utf8)) as? [String: Any])
            let entries = try #require(report["entries"] as? [[String: Any]])
            let dryCounts = Dictionary(uniqueKeysWithValues: entries.map { ($0["kind"] as? String ?? "", $0["count"] as? Int ?? -1) })
            #expect(dryCounts == ["runs": 1, "steps": 2, "approvals": 1, "verification_events": 1, "playbook_runs": 1, "metric_snapshots": 1,
                                  "training_records": 1, "rotated_logs": 1, "alert_deliveries": 0])
            #expect(report["dry_run"] as? Bool == true && report["total"] as? Int == 9)
            #expect(try Self.counts(grace) == before, "a dry run deletes nothing")
            #expect(FileManager.default.fileExists(atPath: grace.home.appendingPathComponent("logs/grace.jsonl.3").path))

            let prune = try grace.run(["prune"], extraEnvironment: retention)
            #expect(prune.status == 0, "\(prune.stderr)")
            #expect(prune.stdout.contains("total: 9 deleted") && prune.stdout.contains("audited as entry #"), "\(prune.stdout)")
            let after = try Self.counts(grace)
            #expect(after["runs"] == before["runs"]! - 1 && after["steps"] == before["steps"]! - 2)
            #expect(after["approvals"] == before["approvals"]! - 1 && after["verifications"] == before["verifications"]! - 1)
            #expect(after["playbook_runs"] == before["playbook_runs"]! - 1 && after["metrics"] == before["metrics"]! - 1)
            #expect(after["audit"] == before["audit"]! + 1, "no audit entry goes; the prune adds one")
            #expect(try grace.sqlite("SELECT status FROM approval_requests WHERE event_id = 'apr_old_pending'") == "pending")
            #expect(try grace.sqlite("SELECT status FROM agent_runs WHERE run_id = 'run_old_active'") == "active")
            #expect(try grace.sqlite("SELECT COUNT(*) FROM agent_runs WHERE kind = 'boot'") == "1", "the boot of today stays")
            let home = grace.home
            #expect(!FileManager.default.fileExists(atPath: home.appendingPathComponent("logs/grace.jsonl.3").path))
            #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent("logs/grace.jsonl").path))
            let records = try FileManager.default.contentsOfDirectory(atPath: home.appendingPathComponent("grace_training/startup_failures").path)
            #expect(records.filter { $0.hasPrefix("boot_") }.count == 1 && !records.contains("boot_20200101_000000.json"))

            let verify = try grace.run(["audit", "verify"])
            #expect(verify.status == 0 && verify.stdout.contains("intact"), "\(verify.stdout)")
            let tail = try grace.run(["audit", "tail", "-n", "1"])
            #expect(tail.stdout.contains("retention.prune"))
            let again = try grace.run(["prune"], extraEnvironment: retention)
            #expect(again.stdout.contains("total: 0 deleted") && !again.stdout.contains("audited"), "\(again.stdout)")
        }

        @Test func withoutRetentionSettingsNothingIsPrunedAndBadInputIsRefused() throws {
            let grace = try Self.agedHome()
            defer { grace.remove() }
            let before = try Self.counts(grace)
            let prune = try grace.run(["prune"])
            #expect(prune.status == 0 && prune.stdout.contains("retention is off") && prune.stdout.contains("total: 0 deleted"), "\(prune.stdout)")
            #expect(try Self.counts(grace) == before)
            #expect(try grace.run(["prune", "--days", "-3"]).status == 2)
            #expect(try grace.run(["prune"], extraEnvironment: ["GRACE_RETENTION_DAYS": "soon"]).status == 2)
            #expect(try grace.run(["prune", "--vacuum", "--dry-run"]).status == 2)
        }
    
        @Test func theServiceUnderUpPrunesWhileServingAndVacuumIsRefusedMeanwhile() async throws {
            let grace = try Self.agedHome()
            defer { grace.remove() }
            let server = try RunningGrace(grace, extraEnvironment: ["GRACE_RETENTION_DAYS": "30", "GRACE_RETENTION_INTERVAL": "1"])
            // The first pass runs as the services start: wait for its audit entry (bounded, never timed).
            var audited = false
            for _ in 0..<600 where !audited {
                audited = try grace.sqlite("SELECT COUNT(*) FROM immutable_log WHERE action = 'retention.prune'") != "0"
                if !audited { try await Task.sleep(for: .milliseconds(50)) }
            }
            #expect(audited, "\(server.printedOutput())")
            #expect(try grace.sqlite("SELECT COUNT(*) FROM agent_runs WHERE run_id IN ('run_old', 'run_old_active')") == "1")
            let vacuum = try grace.run(["prune", "--vacuum"])
            #expect(vacuum.status == 4 && vacuum.stderr.contains("Grace is running"), "\(vacuum.stderr)")
            #expect(server.stop() == 0)
            #expect(try grace.run(["audit", "verify"]).status == 0)
        }
    }
}
