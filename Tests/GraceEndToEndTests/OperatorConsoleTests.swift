import Foundation
import Testing

extension EndToEnd {
    /// What `grace up` prints on its console (stdout and stderr) once it serves.
    @Suite("grace up console")
    struct OperatorConsoleTests {
        /// The console lines (stdout and stderr of `grace up`) after the "serving" line.
        private static func afterServing(_ grace: RunningGrace) -> [Substring] {
            let lines = grace.printedOutput().split(separator: "\n")
            guard let serving = lines.firstIndex(where: { $0.hasPrefix("Grace is serving on") }) else { return [] }
            return Array(lines[(serving + 1)...])
        }

        @Test("a failure of the supervised service: detection, decision waiting for approval, fix, restart and verification, one line each")
        func incidentLines() async throws {
            let service = try ExampleService()
            defer { service.remove() }
            let grace = try RunningGrace(service.grace)
            defer { _ = grace.stop() }
            #expect(await service.isHealthy())
            try FileManager.default.copyItem(at: service.folder.appendingPathComponent("pending/002_add_passed.sql"),
                                             to: service.folder.appendingPathComponent("migrations/002_add_passed.sql"))
            try "missing_column".write(to: service.folder.appendingPathComponent("agent.fail"), atomically: true, encoding: .utf8)
            let pendingSQL = "SELECT event_id FROM approval_requests WHERE status = 'pending' AND playbook_id = 'apply_pending_migrations'"
            #expect(try await eventually { !(try service.query(pendingSQL)).isEmpty })
            let id = try #require(try service.query(pendingSQL).first?["event_id"] as? String)
            // The decision line follows the detection; give the console a moment to get both.
            #expect(await eventually(10) { Self.afterServing(grace).contains { $0.contains(id) } }, "\(grace.printedOutput())")
            let waiting = Self.afterServing(grace)
            let detected = waiting.filter { $0.contains("event_type=pattern_detected") }
            #expect(detected.count == 1, "one detection line: \(waiting)")
            #expect(detected.first?.contains("WARNING") == true && detected.first?.contains("verification_events_schema_mismatch") == true,
                    "\(detected)")
            let decision = waiting.filter { $0.contains("event_type=playbook_decision") }
            #expect(decision.count == 1 && decision.first?.contains("waiting for approval \(id)") == true, "\(waiting)")
            // The service's own output stays in the log file, off the console.
            #expect(!waiting.contains { $0.contains("event_type=target_output") }, "\(waiting)")

            // The service's known failure is an ERROR in the log, its other stderr lines WARNING.
            let errors = try service.grace.run(["logs", "--errors", "--subsystem", "target", "--json"])
            #expect(errors.status == 0, "\(errors.stderr)")
            let errorLines = try errors.stdout.split(separator: "\n").map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
            }
            #expect(errorLines.contains { ($0["message"] as? String)?.contains("no such column: passed") == true && $0["level"] as? String == "ERROR" },
                    "\(errors.stdout)")
            #expect(errorLines.allSatisfy { $0["event_type"] as? String == "target_output" && $0["stream"] as? String != nil }, "\(errors.stdout)")
            let warnings = try service.grace.run(["logs", "--level", "warning", "--subsystem", "target", "--grep", "agent loop failed", "--json"])
            #expect(warnings.stdout.contains("\"level\":\"WARNING\"") && warnings.stdout.contains("\"stream\":\"stderr\""), "\(warnings.stdout)")

            let approved = try service.grace.run(["approvals", "approve", id, "--by", "e2e"])
            #expect(approved.status == 0, "\(approved.stdout)\(approved.stderr)")
            // The fix's own check comes first; the service's recovery after its restart settles it.
            #expect(await eventually { Self.afterServing(grace).contains { $0.contains("recovery verified") } }, "\(grace.printedOutput())")
            let after = Self.afterServing(grace)
            #expect(after.contains { $0.contains("event_type=playbook_decision") && $0.contains("execute apply_pending_migrations") }, "\(after)")
            #expect(after.contains { $0.contains("event_type=target_exit") && $0.contains("restart for a fix") }, "\(after)")
            #expect(after.contains { $0.contains("event_type=target_healthy") }, "\(after)")
            #expect(after.contains { $0.contains("event_type=verification") && $0.contains("recovery verified") }, "\(after)")
        }

        @Test("a service that keeps crashing: each restart and the crash loop on the console")
        func crashLoopLines() async throws {
            let service = try ExampleService(settings: ["GRACE_TARGET_MAX_RESTARTS": "1", "GRACE_TARGET_BACKOFF_MS": "50"])
            defer { service.remove() }
            let grace = try RunningGrace(service.grace)
            defer { _ = grace.stop() }
            #expect(await service.isHealthy())
            // Every start from now on fails at once (a pattern that waits for approval: nothing restarts it for a fix).
            try "circular_import".write(to: service.folder.appendingPathComponent("agent.fail"), atomically: true, encoding: .utf8)
            kill(try #require(service.servicePID), SIGKILL)
            #expect(await eventually { Self.afterServing(grace).contains { $0.contains("event_type=target_crash_loop") } }, "\(grace.printedOutput())")
            let lines = Self.afterServing(grace)
            #expect(lines.contains { $0.contains("event_type=target_restart") && $0.contains("restarting in") }, "\(lines)")
            #expect(lines.contains { $0.contains("ERROR") && $0.contains("crash loop") }, "\(lines)")
        }

        @Test("a port in use: grace up names the address and the reason, and exits 1")
        func portInUse() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let (listener, port) = try FreePort.bound(listening: true)
            defer { close(listener) }
            let result = try grace.run(["up"], extraEnvironment: ["GRACE_PORT": String(port)])
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("not serving: the HTTP server did not start: cannot listen on 127.0.0.1:\(port): the address is already in use"),
                    "\(result.stderr)")
            #expect(result.stdout.contains("cannot listen on 127.0.0.1:\(port)"), "\(result.stdout)")
        }

        @Test("a non-loopback host without a token: grace up says why it does not serve")
        func wildcardWithoutToken() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let result = try grace.run(["up"], extraEnvironment: ["GRACE_HOST": "0.0.0.0"])
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("not serving") && result.stderr.contains("without GRACE_API_TOKEN"), "\(result.stderr)")
        }
    }
}
