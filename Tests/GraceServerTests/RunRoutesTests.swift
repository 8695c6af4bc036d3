import Foundation
import GraceCore
import GraceStore
import Testing
@testable import GraceServer

@Suite("Agent runs and timelines")
struct RunRoutesTests {
    static let runFields: Set<String> = ["run_id", "started_at", "ended_at", "status", "trigger", "subsystem", "playbooks_executed",
                                         "verifications_passed", "verifications_failed"]

    @Test("POST /api/agent/runs with query parameters returns an AgentRun in the original's shape")
    func createWithQueryParameters() async throws {
        try await TestServer.with { server in
            let reply = try await server.send("POST", "/api/agent/runs?trigger=autonomous&subsystem=planner")
            #expect(reply.status == 200)
            let run = reply.json
            #expect(Self.runFields.isSubset(of: Set(run.keys)))
            #expect(run["ended_at"] is NSNull)
            #expect(run["status"] as? String == "active")
            #expect(run["trigger"] as? String == "autonomous")
            #expect(run["subsystem"] as? String == "planner")
            #expect(run["playbooks_executed"] as? Int == 0)
            #expect((run["run_id"] as? String)?.hasPrefix("run_") == true)
            let active = try await server.get("/api/agent/runs/active")
            #expect(active.status == 200)
            #expect(active.jsonArray.map { $0["run_id"] as? String } == [run["run_id"] as? String])
        }
    }

    @Test("POST /api/agent/runs also takes a JSON body with agent, goal and metadata")
    func createWithBody() async throws {
        try await TestServer.with { server in
            let reply = try await server.send("POST", "/api/agent/runs", body: """
                {"trigger": "event", "subsystem": "healer", "agent": "fixer-1", "goal": "free disk", "metadata": {"ticket": 42}}
                """)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json["trigger"] as? String == "event")
            #expect(reply.json["agent"] as? String == "fixer-1")
            #expect(reply.json["goal"] as? String == "free disk")
            #expect((reply.json["metadata"] as? [String: Any])?["ticket"] as? Int == 42)
            // Query parameters win over the body; trigger defaults to manual.
            let mixed = try await server.send("POST", "/api/agent/runs?subsystem=fromquery", body: #"{"subsystem": "frombody"}"#)
            #expect(mixed.json["subsystem"] as? String == "fromquery")
            #expect(mixed.json["trigger"] as? String == "manual")
        }
    }

    @Test("steps: add, update running → success with duration, timeline, complete")
    func stepLifecycle() async throws {
        try await TestServer.with { server in
            let runID = try await server.createRun()
            let added = try await server.send("POST", "/api/agent/runs/\(runID)/steps", body: """
                {"timestamp": "2025-11-09T18:30:00.123456Z", "step_type": "kernel_selection", "subsystem": "planner",
                 "description": "pick a kernel", "status": "running", "details": {"kernel": "k1"}}
                """)
            #expect(added.status == 200, "\(added.text)")
            #expect(added.json["success"] as? Bool == true)
            let stepID = try #require(added.json["step_id"] as? String)
            #expect(stepID.hasPrefix("step_"))

            let custom = try await server.send("POST", "/api/agent/runs/\(runID)/steps", body: """
                {"step_id": "my-step-1", "step_type": "custom_thing", "description": "custom", "status": "pending", "duration_ms": 3.5}
                """)
            #expect(custom.json["step_id"] as? String == "my-step-1")

            let updated = try await server.send("PATCH", "/api/agent/runs/\(runID)/steps/\(stepID)",
                                                body: #"{"status": "success", "duration_ms": 1250.5}"#)
            #expect(updated.status == 200, "\(updated.text)")
            #expect(updated.json["status"] as? String == "success")
            #expect(updated.json["duration_ms"] as? Double == 1250.5)
            #expect((updated.json["details"] as? [String: Any])?["kernel"] as? String == "k1")

            let timeline = try await server.get("/api/agent/runs/\(runID)/timeline")
            #expect(timeline.status == 200)
            #expect(Set(["run", "steps", "log_entries"]).isSubset(of: Set(timeline.json.keys)))
            let steps = try #require(timeline.json["steps"] as? [[String: Any]])
            #expect(steps.map { $0["step_id"] as? String } == [stepID, "my-step-1"])
            #expect(steps[0]["step_type"] as? String == "kernel_selection")
            #expect(steps[0]["timestamp"] as? String == "2025-11-09T18:30:00.123456Z")
            #expect(steps[0]["started_at"] as? String == "2025-11-09T18:30:00.123456Z")
            #expect(steps.allSatisfy { $0.keys.contains("ended_at") })
            #expect(steps[1]["subsystem"] as? String == "planner", "a step without subsystem takes the run's")
            #expect(steps[1]["verification_id"] is NSNull)
            #expect(steps.allSatisfy { ($0["logs_url"] as? String)?.hasPrefix("/api/agent/runs/\(runID)/logs") == true })
            #expect(timeline.json["log_entries"] is Int)

            let completed = try await server.send("PUT", "/api/agent/runs/\(runID)/complete?status=partial")
            #expect(completed.status == 200)
            #expect(completed.json["success"] as? Bool == true)
            #expect(completed.json["run_id"] as? String == runID)
            #expect(completed.json["status"] as? String == "partial")
            let run = try await server.get("/api/agent/runs/\(runID)")
            #expect(run.json["status"] as? String == "partial")
            #expect(run.json["ended_at"] is String)
        }
    }

    @Test("conflicts: completing twice, a step on a completed run, an illegal status change")
    func conflicts() async throws {
        try await TestServer.with { server in
            let runID = try await server.createRun()
            let step = try await server.send("POST", "/api/agent/runs/\(runID)/steps",
                                             body: #"{"step_type": "verification", "description": "v", "status": "success"}"#)
            let stepID = try #require(step.json["step_id"] as? String)
            let backwards = try await server.send("PATCH", "/api/agent/runs/\(runID)/steps/\(stepID)", body: #"{"status": "running"}"#)
            #expect(backwards.status == 409)
            #expect(backwards.errorCode == "conflict")
            let duplicate = try await server.send("POST", "/api/agent/runs/\(runID)/steps",
                                                  body: #"{"step_id": "\#(stepID)", "step_type": "x", "description": "d", "status": "pending"}"#)
            #expect(duplicate.status == 409)

            #expect(try await server.send("PUT", "/api/agent/runs/\(runID)/complete?status=failed").status == 200)
            let twice = try await server.send("PUT", "/api/agent/runs/\(runID)/complete?status=success")
            #expect(twice.status == 409)
            #expect(twice.errorCode == "conflict")
            let late = try await server.send("POST", "/api/agent/runs/\(runID)/steps",
                                             body: #"{"step_type": "x", "description": "late", "status": "pending"}"#)
            #expect(late.status == 409)
        }
    }

    @Test("unknown runs and steps are 404 with a JSON error")
    func unknownIDs() async throws {
        try await TestServer.with { server in
            let runID = try await server.createRun()
            let cases: [(String, String, String?)] = [
                ("GET", "/api/agent/runs/run_000000000000", nil),
                ("GET", "/api/agent/runs/run_000000000000/timeline", nil),
                ("GET", "/api/agent/runs/run_000000000000/logs", nil),
                ("POST", "/api/agent/runs/run_000000000000/steps", #"{"step_type": "x", "description": "d", "status": "pending"}"#),
                ("PUT", "/api/agent/runs/run_000000000000/complete?status=success", nil),
                ("PATCH", "/api/agent/runs/\(runID)/steps/step_000000000000", #"{"status": "success"}"#),
                ("PATCH", "/api/agent/runs/run_000000000000/steps/step_000000000000", #"{"status": "success"}"#),
                ("GET", "/api/agent/runs/..%2F..%2Fetc%2Fpasswd/timeline", nil),
            ]
            for (method, path, body) in cases {
                let reply = try await server.send(method, path, body: body)
                #expect(reply.status == 404, "\(method) \(path): \(reply.text)")
                #expect(reply.errorCode == "not_found", "\(method) \(path)")
            }
        }
    }

    @Test("validation: bad JSON 400, wrong types / unknown values / missing fields 422, oversized 413")
    func validation() async throws {
        try await TestServer.with { server in
            let runID = try await server.createRun()
            let steps = "/api/agent/runs/\(runID)/steps"
            let badJSON = try await server.send("POST", steps, body: #"{"step_type": "x", "#)
            #expect(badJSON.status == 400)
            #expect(badJSON.errorCode == "invalid_json")

            let unprocessable: [String] = [
                #"{"step_type": "x", "description": "d", "status": 5}"#,            // wrong type
                #"{"step_type": "x", "description": "d", "status": "done"}"#,       // unknown enum value
                #"{"description": "d", "status": "pending"}"#,                      // missing step_type
                #"{"step_type": "x", "status": "pending"}"#,                        // missing description
                #"{"step_type": "x", "description": "d", "status": "pending", "duration_ms": -1}"#,
                #"{"step_type": "x", "description": "d", "status": "pending", "details": [1, 2]}"#,
                #"{"step_type": "x", "description": "d", "status": "pending", "timestamp": "yesterday"}"#,
                #"{"step_type": "x", "description": "d", "status": "pending", "timestamp": "99999999999-01-01T00:00:00Z"}"#,
                #"{"step_type": "x", "description": "d", "status": "pending", "step_id": "has space"}"#,
                #"[1, 2, 3]"#,
            ]
            for body in unprocessable {
                let reply = try await server.send("POST", steps, body: body)
                #expect(reply.status == 422, "\(body): \(reply.text)")
                #expect(reply.errorCode == "validation_error", "\(body)")
            }
            let emptyPatch = try await server.send("PATCH", "/api/agent/runs/\(runID)/steps/step_000000000000", body: "{}")
            #expect(emptyPatch.status == 422)
            let noBody = try await server.send("POST", steps)
            #expect(noBody.status == 422)

            let big = "{\"step_type\": \"x\", \"description\": \"" + String(repeating: "a", count: (1 << 20) + 10) + "\", \"status\": \"pending\"}"
            let tooLarge = try await server.send("POST", steps, body: big)
            #expect(tooLarge.status == 413)
            #expect(tooLarge.errorCode == "payload_too_large")

            for path in ["/api/agent/runs?trigger=sometimes&subsystem=x", "/api/agent/runs?trigger=boot&subsystem=x", "/api/agent/runs?trigger="] {
                let reply = try await server.send("POST", path)
                #expect(reply.status == 422, "\(path): \(reply.text)")
            }
            for body in [#"{"agent": ""}"#, #"{"metadata": "text"}"#, #"{"trigger": "never"}"#, #"{"goal": 5}"#] {
                let reply = try await server.send("POST", "/api/agent/runs", body: body)
                #expect(reply.status == 422, "\(body): \(reply.text)")
            }
            let bare = try await server.send("POST", "/api/agent/runs")
            #expect(bare.status == 200, "neither form names a subsystem: it defaults")
            #expect(bare.json["subsystem"] as? String == "agent")
            let stepID = try #require(try await server.send("POST", steps, body: #"{"step_type": "x", "description": "d", "status": "running"}"#)
                .json["step_id"] as? String)
            for patch in [#"{"status": null}"#, #"{"colour": "red"}"#, #"{"status": "success", "duration": 5}"#, #"{"duration_ms": "5"}"#] {
                let reply = try await server.send("PATCH", "/api/agent/runs/\(runID)/steps/\(stepID)", body: patch)
                #expect(reply.status == 422, "\(patch): \(reply.text)")
            }
            for query in ["", "?status=active", "?status=bogus"] {
                let reply = try await server.send("PUT", "/api/agent/runs/\(runID)/complete\(query)")
                #expect(reply.status == 422, "complete\(query): \(reply.text)")
                #expect(reply.errorCode == "invalid_parameter")
            }
        }
    }

    @Test("GET /api/agent/runs lists, filters and pages")
    func listing() async throws {
        try await TestServer.with { server in
            let first = try await server.createRun(subsystem: "alpha")
            _ = try await server.createRun(subsystem: "beta")
            _ = try await server.createRun(subsystem: "beta")
            _ = try await server.send("PUT", "/api/agent/runs/\(first)/complete?status=aborted")

            let page = try await server.get("/api/agent/runs?limit=2")
            #expect((page.json["runs"] as? [Any])?.count == 2)
            #expect(page.json["has_more"] as? Bool == true)
            let rest = try await server.get("/api/agent/runs?limit=2&offset=2")
            #expect((rest.json["runs"] as? [Any])?.count == 1)
            #expect(rest.json["has_more"] as? Bool == false)
            let beta = try await server.get("/api/agent/runs?subsystem=beta&kind=agent")
            #expect((beta.json["runs"] as? [Any])?.count == 2)
            let aborted = try await server.get("/api/agent/runs?status=aborted")
            #expect(((aborted.json["runs"] as? [[String: Any]])?.map { $0["run_id"] as? String }) == [first])
            for bad in ["status=bogus", "limit=0", "limit=501", "offset=-1", "limit=ten", "limit=", "status=", "subsystem=" + String(repeating: "s", count: 201)] {
                let reply = try await server.get("/api/agent/runs?\(bad)")
                #expect(reply.status == 422, "\(bad)")
                #expect(reply.errorCode == "invalid_parameter")
            }
        }
    }

    @Test("the runs list filters by trigger, time and text, pages by cursor, and shows durations")
    func explorerFiltersAndCursor() async throws {
        try await TestServer.with { server in
            var ids: [String] = []
            for n in 0..<5 { ids.append(try await server.createRun(trigger: n == 1 ? "scheduled" : "manual")) }
            _ = try await server.send("POST", "/api/agent/runs/\(ids[2])/steps",
                                      body: #"{"step_type":"tool","status":"failed","description":"call","details":{"error":"timeout after 2.3s"}}"#)
            #expect(try await server.send("PUT", "/api/agent/runs/\(ids[2])/complete?status=failed").status == 200)

            var seen: [String] = []
            var path = "/api/agent/runs?limit=2"
            while true {
                let page = try await server.get(path).json
                seen += (page["runs"] as? [[String: Any]] ?? []).compactMap { $0["run_id"] as? String }
                guard let next = page["next_cursor"] as? String else {
                    #expect(page["next_cursor"] is NSNull, "the last page says next_cursor: null, as the schema requires")
                    break
                }
                #expect(page["has_more"] as? Bool == true)
                path = "/api/agent/runs?limit=2&cursor=\(next)"
            }
            #expect(seen.count == 5 && Set(seen) == Set(ids), "each run once: \(seen)")

            func found(_ query: String) async throws -> [[String: Any]] {
                let reply = try await server.get("/api/agent/runs?" + query)
                #expect(reply.status == 200, "\(reply.text)")
                return reply.json["runs"] as? [[String: Any]] ?? []
            }
            #expect(try await found("trigger=scheduled").map { $0["run_id"] as? String } == [ids[1]])
            let failed = try await found("q=TIMEOUT")
            #expect(failed.map { $0["run_id"] as? String } == [ids[2]])
            #expect((failed.first?["duration_ms"] as? Double).map { $0 >= 0 } == true, "a completed run has a duration")
            #expect(try await found("status=active&q=timeout").isEmpty)
            #expect(try await found("since=2999-01-01T00:00:00Z").isEmpty)
            #expect(try await found("until=2999-01-01T00:00:00Z").count == 5)
            for bad in ["since=yesterday", "until=2026-13-01T00:00:00Z", "cursor=bm9wZQ", "cursor=%25%25", "trigger=cron"] {
                let reply = try await server.get("/api/agent/runs?" + bad)
                #expect(reply.status == 422 && reply.errorCode == "invalid_parameter", "\(bad): \(reply.text)")
            }
        }
    }
}
