import Foundation
import Testing

extension EndToEnd {
    /// `grace patterns mine / suggest / promote / test` driven through the built binary.
    @Suite(.serialized) struct PatternMiningTests {
        static let failures = """
            ERROR shard 17 of /var/lib/app/shard-17.db failed checksum 0x3fa9c2 after 412 ms
            worker started
            ERROR shard 4 of /var/lib/app/shard-4.db failed checksum 0x0001ff after 7 ms
            ERROR shard 220 of /var/lib/app/shard-220.db failed checksum 0xbeef01 after 1200 ms

            """

        @Test func mineJSONIsOneObjectPerLineInOrder() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let input = grace.home.appendingPathComponent("in.txt")
            try Self.failures.write(to: input, atomically: true, encoding: .utf8)
            let result = try grace.run(["patterns", "mine", "--json", input.path])
            #expect(result.status == 0, "\(result.stderr)")
            let objects = try result.stdout.split(separator: "\n").map { line in
                try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            }
            #expect(objects.map { $0["line"] as? Int } == [1, 2, 3, 4])
            #expect(objects.map { $0["cluster"] as? Int } == [1, 2, 1, 1])
            #expect(objects[0]["template"] as? String == "ERROR shard <*> of <*> failed checksum <*> after <*>")
            let missing = try grace.run(["patterns", "mine", grace.home.appendingPathComponent("none.txt").path])
            #expect(missing.status == 2 && missing.stderr.contains("none.txt") && missing.stderr.contains("no such file"))
        }

        @Test func aLearnedClusterIsSuggestedPromotedAndThenKnown() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let input = grace.home.appendingPathComponent("in.txt")
            try Self.failures.write(to: input, atomically: true, encoding: .utf8)
            // --learn stores into an existing home only (a mistyped one would be created otherwise).
            #expect(try grace.run(["patterns", "mine", "--learn", input.path]).status == 2)
            try Data().write(to: grace.home.appendingPathComponent(".env"))
            #expect(try grace.run(["patterns", "mine", "--learn", input.path]).status == 0)

            let suggest = try grace.run(["patterns", "suggest", "--json"])
            #expect(suggest.status == 0, "\(suggest.stderr)")
            let suggestions = try #require(try JSONSerialization.jsonObject(with: Data(suggest.stdout.utf8)) as? [[String: Any]])
            let top = try #require(suggestions.first)
            #expect(top["count"] as? Int == 3)
            #expect((top["examples"] as? [[String: Any]])?.count == 3)
            let cluster = try #require(top["cluster_id"] as? String)

            let promote = try grace.run(["patterns", "promote", cluster, "--id", "shard_checksum", "--playbook", "unlock_database",
                                         "--risk", "low", "--tier", "tier_1"])
            #expect(promote.status == 0, "\(promote.stderr)")
            let again = try grace.run(["patterns", "promote", cluster, "--id", "shard_checksum", "--playbook", "unlock_database"])
            #expect(again.status == 2 && again.stderr.contains("already in use"))

            let next = grace.home.appendingPathComponent("next.txt")
            try "ERROR shard 9 of /var/lib/app/shard-9.db failed checksum 0x77 after 3 ms\nsomething else entirely\n"
                .write(to: next, atomically: true, encoding: .utf8)
            let test = try grace.run(["patterns", "test", next.path])
            #expect(test.status == 0, "\(test.stderr)")
            #expect(test.stdout.contains("1: pattern shard_checksum"))
            #expect(test.stdout.contains("2: unknown"))

            let listing = try grace.run(["patterns", "--json"])
            #expect(listing.status == 0 && listing.stdout.contains("\"shard_checksum\""))
            let after = try grace.run(["patterns", "suggest", "--json"])
            #expect(!after.stdout.contains(cluster), "a promoted cluster is no longer suggested")
        }

        @Test("a supervised service printing an unknown failure three times yields one suggestion; promoted, its next occurrence is known and governed")
        func aServiceFailureNobodyNamedBecomesASuggestion() async throws {
            var grace = try GraceBinary()
            defer { grace.remove() }
            let script = grace.home.appendingPathComponent("service.sh")
            // It starts in safe mode (the boot's trial run) and fails once supervised, each time the
            // same unknown way with other numbers: no pattern names it.
            try """
                #!/bin/sh
                if [ "$GRACE_SAFE_MODE" = "1" ]; then exec sleep 30; fi
                echo "ERROR payment gateway refused order $$ after $(date +%N | cut -c1-4) ms" >&2
                exit 3

                """.write(to: script, atomically: true, encoding: .utf8)
            grace.environment.merge(["GRACE_TARGET_COMMAND": "sh \(script.path)", "GRACE_TARGET_DIR": grace.home.path,
                                     "GRACE_TARGET_MAX_RESTARTS": "20", "GRACE_TARGET_START_TIMEOUT": "5", "GRACE_TARGET_SETTLE_SECONDS": "1",
                                     "GRACE_TARGET_BACKOFF_MS": "100"]) { $1 }
            let server = try RunningGrace(grace)
            defer { _ = server.stop() }
            var runs = 0
            for _ in 0..<300 where runs < 4 {
                runs = Int(try grace.sqlite("SELECT count(*) FROM agent_runs WHERE kind = 'target' AND ended_at IS NOT NULL;")) ?? 0
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(runs >= 3)
            let suggest = try grace.run(["patterns", "suggest", "--json"])
            let suggestions = try #require(try JSONSerialization.jsonObject(with: Data(suggest.stdout.utf8)) as? [[String: Any]], "\(suggest.stderr)")
            let payment = suggestions.filter { ($0["template"] as? String)?.contains("payment gateway refused order") == true }
            #expect(payment.count == 1, "one suggestion for one failure: \(suggestions)")
            let top = try #require(payment.first)
            #expect((top["count"] as? Int ?? 0) >= 3, "\(top)")
            let cluster = try #require(top["cluster_id"] as? String)
            let promote = try grace.run(["patterns", "promote", cluster, "--id", "payment_gateway_refused", "--playbook", "restart_lock_holder",
                                         "--risk", "medium", "--tier", "tier_2"])
            #expect(promote.status == 0, "\(promote.stdout)\(promote.stderr)")
            // The next occurrence, with other numbers, is a known pattern with a governed playbook.
            let next = grace.home.appendingPathComponent("next.log")
            try "ERROR payment gateway refused order 41 after 9 ms\n".write(to: next, atomically: true, encoding: .utf8)
            let diagnosed = try grace.run(["diagnose", next.path, "--json"])
            #expect(diagnosed.status == 1, "\(diagnosed.stdout)\(diagnosed.stderr)")
            #expect(diagnosed.stdout.contains("\"pattern_id\":\"payment_gateway_refused\"") && diagnosed.stdout.contains("restart_lock_holder"),
                    "\(diagnosed.stdout)")
        }

        @Test func diagnoseLearnMinesOnlyTheFailuresNoPatternNames() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let log = grace.home.appendingPathComponent("incident.log")
            try """
                2026-01-01 10:00:01 INFO started
                sqlite3.OperationalError: database is locked
                2026-01-01 10:00:02 ERROR ledger sync failed for account 1182 after 3 retries
                2026-01-01 10:00:03 ERROR ledger sync failed for account 907 after 5 retries
                """.write(to: log, atomically: true, encoding: .utf8)
            #expect(try grace.run(["diagnose", "-", "--learn"]).status == 2, "--learn needs a file")
            let diagnosed = try grace.run(["diagnose", log.path, "--learn"])
            #expect(diagnosed.status == 1, "database_locked matched: \(diagnosed.stdout)\(diagnosed.stderr)")
            #expect(diagnosed.stderr.contains("mined 2 unmatched failure lines"), "\(diagnosed.stderr)")
            let suggest = try grace.run(["patterns", "suggest", "--json"])
            let suggestions = try #require(try JSONSerialization.jsonObject(with: Data(suggest.stdout.utf8)) as? [[String: Any]], "\(suggest.stderr)")
            #expect(suggestions.count == 1 && suggestions.first?["count"] as? Int == 2, "\(suggestions)")
            #expect((suggestions.first?["template"] as? String)?.contains("ledger sync failed for account") == true)
            #expect(!suggest.stdout.contains("database is locked"), "a known failure is not suggested again")
        }
    }
}
