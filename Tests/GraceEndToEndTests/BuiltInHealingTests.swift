import Foundation
import Testing

extension EndToEnd {
    /// The fixes of what Grace's own stages find go through the one healing path: governed,
    /// approvable, run exactly as approved, verified and counted (issue 15).
    @Suite struct BuiltInHealingTests {
        @Test("an unclean shutdown's recovery waits for approval at tier 0, one approval across three boots; approving it runs the checkpoint and verifies it")
        func uncleanShutdownRecoveryIsApprovedRunAndVerified() throws {
            var grace = try GraceBinary()
            defer { grace.remove() }
            grace.environment.merge(["SELF_HEAL_EXECUTE": "true", "SELF_HEAL_OBSERVE_ONLY": "false", "GRACE_MAX_UNATTENDED_TIER": "tier_0"]) { $1 }
            #expect(try grace.run(["boot"]).status == 0)
            for _ in 0..<3 {
                // A server killed without a clean stop leaves its grace.pid behind.
                try "pid=999999\nport=1\n".write(to: grace.home.appendingPathComponent("grace.pid"), atomically: true, encoding: .utf8)
                let boot = try grace.run(["boot"])
                #expect(boot.status == 0, "\(boot.stdout)\(boot.stderr)")
            }
            let pending = try grace.sqlite("""
                SELECT event_id FROM approval_requests WHERE status = 'pending' AND playbook_id = 'recover_after_unclean_shutdown';
                """).split(separator: "\n").map(String.init)
            #expect(pending.count == 1, "one pending approval per failure, not one per boot: \(pending)")
            let id = try #require(pending.first)
            // The approval carries what it approves: running it checkpoints and checks the databases.
            let approved = try grace.run(["approvals", "approve", id, "--by", "e2e"])
            #expect(approved.status == 0, "\(approved.stdout)\(approved.stderr)")
            #expect(approved.stdout.contains("ran recover_after_unclean_shutdown: fixed, verified (succeeded)"), "\(approved.stdout)")
            #expect(approved.stdout.contains("checkpoint_wal: checkpointed"), "\(approved.stdout)")
            #expect(try grace.sqlite("SELECT status FROM approval_requests WHERE event_id = '\(id)';") == "succeeded")
            #expect(try grace.sqlite("""
                SELECT passed, verification_method FROM verification_events WHERE playbook_id = 'recover_after_unclean_shutdown';
                """) == "1|database_integrity")
            #expect(try grace.sqlite("""
                SELECT attempts, successes FROM playbook_stats WHERE playbook_id = 'recover_after_unclean_shutdown';
                """) == "1|1")
        }

        @Test("a damaged database with no healthy copy and an unclean shutdown: nothing touches the damaged file")
        func anUncleanShutdownIsNotRecoveredOnADamagedStore() throws {
            var grace = try GraceBinary()
            defer { grace.remove() }
            grace.environment.merge(["SELF_HEAL_EXECUTE": "true", "SELF_HEAL_OBSERVE_ONLY": "false", "AUTO_SNAPSHOT_BEFORE_BOOT": "false"]) { $1 }
            #expect(try grace.run(["boot"]).status == 0)
            let database = grace.home.appendingPathComponent("databases/grace.db")
            let garbage = Data((0..<48 * 1024).map { UInt8(truncatingIfNeeded: ($0 &* 7919) ^ ($0 >> 3)) })
            try garbage.write(to: database)
            try "pid=999999\nport=1\n".write(to: grace.home.appendingPathComponent("grace.pid"), atomically: true, encoding: .utf8)
            let walBefore = FileManager.default.contents(atPath: database.path + "-wal")
            let boot = try grace.run(["boot"])
            #expect(boot.status == 1, "\(boot.stdout)\(boot.stderr)")
            #expect(try Data(contentsOf: database) == garbage, "the damaged file is evidence: left byte for byte")
            #expect(FileManager.default.contents(atPath: database.path + "-wal") == walBefore, "nothing checkpointed into or out of it")
        }
    }
}
