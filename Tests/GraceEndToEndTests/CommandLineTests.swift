import Foundation
import Testing

extension EndToEnd {
    @Suite(.serialized) struct CommandLineTests {
        @Test func helpListsEverySubcommandAndVersionPrints() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let help = try grace.run(["--help"])
            #expect(help.status == 0)
            for command in ["up", "boot", "stop", "snapshot", "audit", "settings", "bench", "alerts"] {
                #expect(help.stdout.contains("  \(command) "), "help lacks \(command)")
            }
            let version = try grace.run(["--version"])
            #expect(version.status == 0 && version.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0.1.0")
        }

        @Test(arguments: [("GRACE_PORT", "abc"), ("SELF_HEAL_EXECUTE", "maybe"), ("GRACE_DATABASE_URL", "postgres://no-user@/grace"),
                          ("GRACE_NODE_ID", "two words")])
        func aBadSettingStopsStartUpNamingKeyAndValue(key: String, value: String) throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let result = try grace.run(["up"], extraEnvironment: [key: value])
            #expect(result.status == 2)
            #expect(result.stderr.contains(key) && result.stderr.contains("\"\(value)\"") && result.stderr.contains("expected"))
        }

        @Test func aBadHomeEnvFileIsNamed() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            try Data("GRACE_PORT=8000\nthis is not an assignment\n".utf8).write(to: grace.home.appendingPathComponent(".env"))
            let result = try grace.run(["settings"])
            #expect(result.status == 2)
            #expect(result.stderr.contains(".env:2:"))
            try Data([0x41, 0x3D, 0xFF, 0xFE, 0x0A]).write(to: grace.home.appendingPathComponent(".env"))
            let invalid = try grace.run(["settings"])
            #expect(invalid.status == 2 && invalid.stderr.contains("not valid UTF-8"))
        }

        @Test func upBootsServesHealthAndStopsOnSigterm() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let server = try RunningGrace(grace)
            let (status, body) = try await server.get("/health")
            #expect(status == 200)
            let json = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            #expect(json["status"] as? String == "ok")

            // A second Grace on the same home refuses, naming the running one.
            let second = try grace.run(["up"])
            #expect(second.status == 4)
            #expect(second.stderr.contains("already running") && second.stderr.contains("pid \(server.process.processIdentifier)"))

            #expect(server.stop() == 0)
            let printed = server.printedOutput()
            #expect(printed.contains("[1/7] environment_and_dependencies") && printed.contains("boot SUCCESS"))
            #expect(printed.contains("Grace is serving on http://127.0.0.1:\(server.port)"))
            #expect(!FileManager.default.fileExists(atPath: grace.home.appendingPathComponent("grace.pid").path))
            let report = try String(contentsOf: grace.home.appendingPathComponent("logs/last_boot_report.txt"), encoding: .utf8)
            #expect(report.contains("Status:    SUCCESS"))

            let verify = try grace.run(["audit", "verify"])
            #expect(verify.status == 0)
            #expect(verify.stdout.contains("intact"))
            let tail = try grace.run(["audit", "tail", "-n", "10"])
            #expect(tail.stdout.contains("server.start") && tail.stdout.contains("server.stop") && tail.stdout.contains("boot.success"), "\(tail.stdout)\(tail.stderr)")
            // Every log line written by the server is JSON.
            let log = try String(contentsOf: grace.home.appendingPathComponent("logs/grace.jsonl"), encoding: .utf8)
            let lines = log.split(separator: "\n")
            #expect(!lines.isEmpty)
            for line in lines { #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(line.utf8)) } }
        }

        @Test func stopEndsARunningServerAndBootReportsItsVerdict() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let server = try RunningGrace(grace)
            let boot = try grace.run(["boot"])
            #expect(boot.status == 4)  // the home is held by the server
            let stop = try grace.run(["stop"])
            #expect(stop.status == 0 && stop.stdout.contains("stopped Grace"))
            #expect(server.stop() == 0)
            #expect(try grace.run(["stop"]).stdout.contains("not running"))

            let again = try grace.run(["boot", "--profile", "basic"])
            #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
            #expect(again.stdout.contains("[8/8] continuous_monitor"))
            let failing = try grace.run(["boot"], extraEnvironment: ["GRACE_REQUIRED_SECRETS": "SOME_MISSING_API_KEY"])
            #expect(failing.status == 1)
            #expect(failing.stdout.contains("required secret SOME_MISSING_API_KEY is not set") && failing.stdout.contains("rollback:"))
            let snapshots = try grace.run(["snapshot", "list"])
            #expect(snapshots.status == 0 && snapshots.stdout.contains("pre_boot_"))
        }

        @Test func auditVerifyNamesTheFirstBadSequence() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let server = try RunningGrace(grace)
            _ = server.stop()
            let database = grace.home.appendingPathComponent("databases/grace.db").path
            let sqlite = Process()
            sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
            sqlite.arguments = [database, "DROP TRIGGER immutable_log_no_update; UPDATE immutable_log SET actor='mallory' WHERE sequence=2;"]
            try sqlite.run()
            sqlite.waitUntilExit()
            #expect(sqlite.terminationStatus == 0)
            let verify = try grace.run(["audit", "verify"])
            #expect(verify.status == 1)
            #expect(verify.stdout.contains("BROKEN at sequence 2"))
        }
    }
}
