import Foundation
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
        }
    }
}
