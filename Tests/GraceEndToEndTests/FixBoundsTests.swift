import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension EndToEnd {
    /// Issue 14, "Fixes are bounded": a service that prints the same failure with a new captured
    /// value every time is fixed at most the budget's number of times, then asked about once, and
    /// restarts (for fixes too) stop at the crash-loop limit.
    @Suite("Fixes are bounded")
    struct FixBoundsTests {
        /// A service that, started in full mode, prints a UnicodeEncodeError naming a new code page
        /// each time and exits; in safe mode (the boot's trial start) it stays up quietly.
        static let script = #"""
            if [ "$GRACE_SAFE_MODE" = "1" ]; then exec sleep 600; fi
            n=$(cat starts 2>/dev/null || echo 0)
            n=$((n + 1))
            echo "$n" > starts
            echo "Traceback (most recent call last):" >&2
            printf '%s\n' "UnicodeEncodeError: 'cp$((1250 + n))' codec can't encode character '\u2713' in position 0: character maps to <undefined>" >&2
            exit 1
            """#

        private static func rows(_ grace: GraceBinary, _ sql: String) throws -> [[String: Any]] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            process.arguments = ["-json", grace.home.appendingPathComponent("databases/grace.db").path, sql]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            if data.isEmpty { return [] }
            return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        }

        private static func count(_ grace: GraceBinary, _ sql: String) throws -> Int {
            try rows(grace, sql).count
        }

        @Test("the default budget is 3 unattended fixes per hour, and grace settings shows the setting")
        func theDefaultBudget() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let shown = try grace.run(["settings"])
            #expect(shown.status == 0, "\(shown.stderr)")
            let line = shown.stdout.split(separator: "\n").first { $0.hasPrefix("GRACE_MAX_UNATTENDED_FIXES_PER_HOUR ") }
            #expect(line.map { $0.contains(" 3  (default)") } == true, "\(shown.stdout)")
            let set = try grace.run(["settings"], extraEnvironment: ["GRACE_MAX_UNATTENDED_FIXES_PER_HOUR": "2"])
            #expect(set.stdout.contains("GRACE_MAX_UNATTENDED_FIXES_PER_HOUR") && set.stdout.contains(" 2  (environment)"), "\(set.stdout)")
            let bad = try grace.run(["settings"], extraEnvironment: ["GRACE_MAX_UNATTENDED_FIXES_PER_HOUR": "-1"])
            #expect(bad.status == 2)
            #expect(bad.stderr.contains("GRACE_MAX_UNATTENDED_FIXES_PER_HOUR=\"-1\""), "\(bad.stderr)")
        }

        @Test("a failure with a new captured value each time: fixed twice (budget 2), then one approval, restarts stop at the crash-loop limit, the failed recoveries count as failed, and all of it holds across a restart of Grace")
        func aRepeatingFailureIsBounded() async throws {
            var grace = try GraceBinary()
            defer { grace.remove() }
            let folder = grace.home.appendingPathComponent("service")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Self.script.write(to: folder.appendingPathComponent("service.sh"), atomically: true, encoding: .utf8)
            try "# the service's settings\n".write(to: folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
            grace.environment.merge([
                "GRACE_TARGET_COMMAND": "exec /bin/sh service.sh", "GRACE_TARGET_DIR": folder.path,
                "GRACE_TARGET_SETTLE_SECONDS": "1", "GRACE_TARGET_START_TIMEOUT": "20", "GRACE_TARGET_STOP_TIMEOUT": "3",
                "GRACE_TARGET_MAX_RESTARTS": "6", "GRACE_TARGET_RESTART_WINDOW": "600",
                "GRACE_TARGET_BACKOFF_MS": "50", "GRACE_TARGET_BACKOFF_MAX_MS": "200",
                "SELF_HEAL_OBSERVE_ONLY": "false", "SELF_HEAL_EXECUTE": "true", "GRACE_MAX_UNATTENDED_FIXES_PER_HOUR": "2",
            ]) { $1 }
            let crashLoops = "SELECT sequence FROM immutable_log WHERE action = 'target.crash_loop'"
            let executions = "SELECT id, status FROM playbook_runs WHERE pattern_id = 'unicode_logging_crash' AND decision = 'execute'"
            let pending = "SELECT event_id, details FROM approval_requests WHERE status = 'pending' AND pattern_id = 'unicode_logging_crash'"
            let stats = "SELECT attempts, successes FROM playbook_stats WHERE pattern_id = 'unicode_logging_crash' AND playbook_id = 'fix_unicode_logging'"

            let first = try RunningGrace(grace)
            #expect(try await eventually(90) { try Self.count(grace, crashLoops) == 1 }, "\(first.printedOutput().suffix(3000))")

            // Restarts, for fixes and for crashes alike, stop at the limit: 6 restarts, 7 exits.
            #expect(try Self.count(grace, "SELECT sequence FROM immutable_log WHERE action = 'target.exit'") == 7)
            let starts = try String(contentsOf: folder.appendingPathComponent("starts"), encoding: .utf8)
            #expect(starts.trimmingCharacters(in: .whitespacesAndNewlines) == "7")
            let loop = try #require(try Self.rows(grace, "SELECT payload, result FROM immutable_log WHERE action = 'target.crash_loop'").first)
            #expect(loop["result"] as? String == "gave_up")
            #expect((loop["payload"] as? String)?.contains("2 of them restarts for fixes") == true, "\(loop)")
            let (status, body) = try await first.get("/health")
            #expect(status == 200)
            let target = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["target"] as? [String: Any])
            #expect(target["phase"] as? String == "crash_loop")
            let log = try String(contentsOf: grace.home.appendingPathComponent("logs/grace.jsonl"), encoding: .utf8)
            let loopLines = log.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }.filter { $0["event_type"] as? String == "target_crash_loop" }
            #expect(loopLines.count == 1 && loopLines.first?["level"] as? String == "ERROR", "\(loopLines)")

            // Seven different code pages, one failure: fixed unattended twice (the budget), never more.
            #expect(try Self.count(grace, executions) == 2)
            // Then the breaker opened: one approval for the pattern and the service, not one per match.
            let approvals = try Self.rows(grace, pending)
            #expect(approvals.count == 1, "\(approvals)")
            let details = try #require(approvals.first?["details"] as? String)
            #expect(details.contains("\"scope\":\"target\"") && details.contains("circuit breaker open"), "\(details)")
            let opened = try Self.rows(grace, "SELECT payload FROM immutable_log WHERE action = 'playbook.await_approval'")
            #expect(!opened.isEmpty && opened.allSatisfy {
                ($0["payload"] as? String).map { $0.contains("\"breaker\":\"open\"") && $0.contains("circuit breaker open: 2 unattended fix_unicode_logging fixes") } == true
            }, "\(opened)")

            // Both fixes' actions ran and their post-fix check passed, but the service never
            // recovered: two failed attempts, no success.
            #expect(try Self.rows(grace, stats).map { [$0["attempts"] as? Int, $0["successes"] as? Int] } == [[2, 0]])
            #expect(try Self.count(grace, executions + " AND status = 'failed'") == 2)
            let recoveries = try Self.rows(grace, """
                SELECT passed FROM verification_events WHERE verification_type = 'target_recovery' AND details LIKE '%unicode_logging_crash%'
                """)
            #expect(recoveries.count == 2 && recoveries.allSatisfy { $0["passed"] as? Int == 0 }, "\(recoveries)")
            let recovered = try Self.rows(grace, "SELECT result FROM immutable_log WHERE action = 'playbook.recovery'")
            #expect(recovered.map { $0["result"] as? String } == ["failed", "failed"])
            #expect(first.stop() == 0)

            // After a restart of Grace the count comes from the store: still no third fix, still one approval.
            let second = try RunningGrace(grace)
            defer { _ = second.stop() }
            #expect(try await eventually(90) { try Self.count(grace, crashLoops) == 2 }, "\(second.printedOutput().suffix(3000))")
            #expect(try Self.count(grace, executions) == 2)
            #expect(try Self.count(grace, pending) == 1)
            #expect(try Self.rows(grace, stats).map { [$0["attempts"] as? Int, $0["successes"] as? Int] } == [[2, 0]])
            let reused = try Self.rows(grace, "SELECT payload FROM immutable_log WHERE action = 'playbook.await_approval' ORDER BY sequence DESC LIMIT 1")
            #expect((reused.first?["payload"] as? String)?.contains("already waiting for approval") == true, "\(reused)")
        }
    }
}
