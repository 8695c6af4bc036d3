import Foundation
import GraceCore
import GraceStore
import Testing
@testable import GraceServer

@Suite("Timeline log counts and run logs")
struct RunLogTests {
    @Test("the timeline counts the log lines of the run and of each step's playbook; /logs returns them")
    func logCounts() async throws {
        try await TestServer.with { server in
            let runID = try await server.createRun()
            let other = try await server.createRun()
            for (playbook, status) in [("unlock_database", "running"), (nil, "pending")] as [(String?, String)] {
                let playbookField = playbook.map { #", "playbook_id": "\#($0)""# } ?? ""
                let reply = try await server.send("POST", "/api/agent/runs/\(runID)/steps", body: """
                    {"step_type": "playbook_execution", "description": "step", "status": "\(status)"\(playbookField)}
                    """)
                #expect(reply.status == 200)
            }
            _ = try await server.send("POST", "/api/agent/runs/\(other)/steps", body: #"{"step_type": "x", "description": "d", "status": "pending"}"#)

            let lines = try server.logLines()
            let ofRun = lines.filter { $0["run_id"] as? String == runID }
            let ofPlaybook = ofRun.filter { $0["playbook_id"] as? String == "unlock_database" }
            #expect(ofRun.count == 3, "run_started and two step_added lines")
            #expect(ofPlaybook.count == 1)

            let timeline = try await server.get("/api/agent/runs/\(runID)/timeline").json
            #expect(timeline["log_entries"] as? Int == ofRun.count)
            #expect(timeline["logs_url"] as? String == "/api/agent/runs/\(runID)/logs")
            let steps = try #require(timeline["steps"] as? [[String: Any]])
            #expect(steps[0]["log_entries"] as? Int == ofPlaybook.count)
            #expect(steps[0]["logs_url"] as? String == "/api/agent/runs/\(runID)/logs?playbook_id=unlock_database")
            #expect(steps[1]["log_entries"] as? Int == ofRun.count)

            let logs = try await server.get("/api/agent/runs/\(runID)/logs")
            #expect(logs.status == 200)
            #expect(logs.json["total"] as? Int == ofRun.count)
            let entries = try #require(logs.json["entries"] as? [[String: Any]])
            #expect(entries.count == ofRun.count)
            #expect(entries.allSatisfy { $0["run_id"] as? String == runID })
            #expect(entries.first?["event_type"] as? String == "run_started", "oldest first")

            let narrowed = try await server.get("/api/agent/runs/\(runID)/logs?playbook_id=unlock_database&limit=5").json
            #expect(narrowed["total"] as? Int == 1)
            let newest = try await server.get("/api/agent/runs/\(runID)/logs?limit=1").json
            #expect((newest["entries"] as? [[String: Any]])?.first?["event_type"] as? String == "step_added")
            #expect(try await server.get("/api/agent/runs/\(runID)/logs?limit=0").status == 422)
            #expect(newest["offset"] as? Int == ofRun.count - 1, "the newest line comes after all the others")

            // Paging from the first line: an incident's start is never cut off.
            let first = try await server.get("/api/agent/runs/\(runID)/logs?offset=0&limit=1").json
            #expect(first["offset"] as? Int == 0 && first["total"] as? Int == ofRun.count)
            #expect((first["entries"] as? [[String: Any]])?.map { $0["event_type"] as? String } == ["run_started"])
            let second = try await server.get("/api/agent/runs/\(runID)/logs?offset=1&limit=5").json
            #expect((second["entries"] as? [[String: Any]])?.map { $0["event_type"] as? String } == ["step_added", "step_added"])
            #expect((try await server.get("/api/agent/runs/\(runID)/logs?offset=3").json["entries"] as? [Any])?.isEmpty == true)
            #expect(try await server.get("/api/agent/runs/\(runID)/logs?offset=-1").status == 422)
        }
    }
    /// A kept timeline is answered only while nothing it shows has changed: a step added by
    /// another writer of the database, a log line appended by another process, the run's
    /// completion, each renders it again, and `Cache-Control: no-cache` always does.
    @Test("a kept timeline is reused only while its run, steps and log lines are unchanged")
    func timelineCacheFollowsEveryChange() async throws {
        try await TestServer.with { server in
            let runID = try await server.createRun()
            _ = try await server.send("POST", "/api/agent/runs/\(runID)/steps", body: #"{"step_type": "plan", "description": "one", "status": "running"}"#)
            func timeline(_ headers: [String: String] = [:]) async throws -> (cache: String?, json: [String: Any]) {
                let reply = try await server.send("GET", "/api/agent/runs/\(runID)/timeline", headers: headers)
                #expect(reply.status == 200)
                return (reply.header("X-Cache"), reply.json)
            }
            let first = try await timeline()
            #expect(first.cache == "miss")
            let again = try await timeline()
            #expect(again.cache == "hit")
            #expect(NSDictionary(dictionary: again.json).isEqual(to: first.json), "the kept answer is the rendered one")
            #expect(try await timeline(["Cache-Control": "no-cache"]).cache == "miss")

            // Another writer of the same database (another process or node): its step shows at once.
            let other = try SQLiteStore(layout: server.layout)
            _ = try await other.repositories.runs.addStep(TimelineStep(runID: runID, stepType: "tool", subsystem: "planner",
                                                                       description: "two", status: .success))
            try other.close()
            let withStep = try await timeline()
            #expect(withStep.cache == "miss")
            #expect((withStep.json["steps"] as? [[String: Any]])?.compactMap { $0["description"] as? String } == ["one", "two"])
            #expect(try await timeline().cache == "hit")

            // A line of the run's appended to the log by another process: the count moves.
            let count = try #require(withStep.json["log_entries"] as? Int)
            server.sink.flush()
            let handle = try #require(FileHandle(forWritingAtPath: server.layout.logFile))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((#"{"level":"info","message":"from elsewhere","run_id":"\#(runID)"}"# + "\n").utf8))
            try handle.close()
            let withLine = try await timeline()
            #expect(withLine.cache == "miss" && withLine.json["log_entries"] as? Int == count + 1)

            // Completing the run changes its row (and logs a line of its own).
            _ = try await server.send("PUT", "/api/agent/runs/\(runID)/complete?status=success")
            let completed = try await timeline()
            #expect(completed.cache == "miss")
            #expect((completed.json["run"] as? [String: Any])?["status"] as? String == "success")
            #expect(try await timeline().cache == "hit")
        }
    }
}
