import Foundation
import Testing

extension EndToEnd {
    @Suite("grace logs and grace correlate")
    struct LogsCommandTests {
        @Test func logsFiltersAFileAndCountsMalformedLines() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let file = grace.home.appendingPathComponent("some.jsonl").path
            let lines = [
                #"{"timestamp":"2025-11-09T18:30:00.000000Z","level":"INFO","subsystem":"http","message":"a","run_id":"run_1"}"#,
                #"{"subsystem":"http" garbage"#,
                #"{"level":"ERROR","message":"says \"subsystem\":\"http\"","subsystem":"store"}"#,
                #"{ "subsystem" : "http", "level" : "ERROR", "message" : "b" }"#,
            ]
            try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: false, encoding: .utf8)

            let http = try grace.run(["logs", "--subsystem", "http", file])
            #expect(http.status == 0)
            // Not a terminal: raw JSON lines, exactly as written.
            #expect(http.stdout == lines[0] + "\n" + lines[3] + "\n")
            #expect(http.stderr.contains("skipped 1 malformed line"))

            let count = try grace.run(["logs", "--errors", "--count", file])
            #expect(count.stdout == "2\n")
            let combined = try grace.run(["logs", "--errors", "--subsystem", "http", "--json", file])
            #expect(combined.stdout == lines[3] + "\n")
            let last = try grace.run(["logs", "-n", "1", file])
            #expect(last.stdout == lines[3] + "\n")
            let since = try grace.run(["logs", "--since", "2025-11-09T18:29:00Z", "--until", "2025-11-09T18:31:00Z", file])
            #expect(since.stdout == lines[0] + "\n")

            let badLevel = try grace.run(["logs", "--level", "loud", file])
            #expect(badLevel.status == 2 && badLevel.stderr.contains("--level"))
            let badTime = try grace.run(["logs", "--since", "yesterday", file])
            #expect(badTime.status == 2 && badTime.stderr.contains("--since"))
            let missing = try grace.run(["logs", grace.home.appendingPathComponent("nope.jsonl").path])
            #expect(missing.status == 1)
        }

        @Test func correlateABootRun() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let boot = try grace.run(["boot", "--profile", "basic"])
            #expect(boot.status == 0, "\(boot.stdout)\(boot.stderr)")
            let runID = try #require(boot.stdout.firstMatch(of: /run (run_[0-9a-zA-Z_]+)/)?.1).description

            // The home's own log: every line of the run carries its id.
            let logs = try grace.run(["logs", "--run-id", runID, "--json"])
            #expect(logs.status == 0)
            let lines = logs.stdout.split(separator: "\n")
            #expect(!lines.isEmpty)
            for line in lines {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                #expect(object?["run_id"] as? String == runID)
            }
            let count = try grace.run(["logs", "--run-id", runID, "--count"])
            #expect(count.stdout == "\(lines.count)\n")

            let report = try grace.run(["correlate", runID, "--json"])
            #expect(report.status == 0 || report.status == 1, "\(report.stdout)\(report.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any]
            #expect(object?["run_id"] as? String == runID)
            #expect((object?["steps"] as? [Any])?.count == 8)
            #expect(object?["log_lines"] as? Int == lines.count)
            let consistent = (object?["steps_without_logs"] as? [Any])?.isEmpty == true
                && (object?["unknown_runs"] as? [Any])?.isEmpty == true
                && ((object?["lines_outside_steps"] as? [[String: Any]]) ?? []).allSatisfy { $0["within_run"] as? Bool == true }
            #expect((report.status == 0) == consistent)

            let text = try grace.run(["correlate", runID])
            #expect(text.stdout.contains("timeline (8 steps)"))

            // A log line naming a run the store does not know makes the report inconsistent.
            let logFile = grace.home.appendingPathComponent("logs/grace.jsonl").path
            let handle = try #require(FileHandle(forWritingAtPath: logFile))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(#"{"timestamp":"2025-11-09T18:30:00.000000Z","level":"INFO","subsystem":"x","message":"ghost","run_id":"run_ghost"}"#.utf8 + [0x0A]))
            try handle.close()
            let ghost = try grace.run(["correlate", runID, "--json"])
            #expect(ghost.status == 1)
            #expect(ghost.stdout.contains("run_ghost"))

            let unknown = try grace.run(["correlate", "run_does_not_exist"])
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("no run run_does_not_exist"))
        }
    }
}
