import Foundation
import Testing
import GraceCore
import GraceStore
@testable import GraceServer

@Suite("Middleware: auth, request ids, errors, access log")
struct MiddlewareTests {
    @Test("with a token, every call but /health needs the bearer token")
    func authOn() async throws {
        try await TestServer.with(token: "s3cret-token") { server in
            let missing = try await server.send("POST", "/api/agent/runs?subsystem=x", authorized: false)
            #expect(missing.status == 401)
            #expect(missing.errorCode == "missing_token")
            #expect(missing.header("WWW-Authenticate") == "Bearer")
            let wrong = try await server.send("POST", "/api/agent/runs?subsystem=x", headers: ["Authorization": "Bearer s3cret-tokem"],
                                              authorized: false)
            #expect(wrong.status == 401)
            #expect(wrong.errorCode == "invalid_token")
            let shorter = try await server.send("PUT", "/api/agent/runs/x/complete?status=success", headers: ["Authorization": "Bearer s3cret"],
                                                authorized: false)
            #expect(shorter.status == 401)
            let basic = try await server.send("PATCH", "/api/agent/runs/x/steps/y", headers: ["Authorization": "Basic s3cret-token"],
                                              authorized: false)
            #expect(basic.status == 401)
            let right = try await server.send("POST", "/api/agent/runs?subsystem=x")
            #expect(right.status == 200)
            let read = try await server.send("GET", "/api/agent/runs/active", authorized: false)
            #expect(read.status == 401)
            #expect(read.errorCode == "missing_token")
            #expect(try await server.send("GET", "/api/agent/runs/active").status == 200)
            #expect(try await server.send("GET", "/health", authorized: false).status == 200)
            // Public for reads only.
            #expect(try await server.send("POST", "/health", authorized: false).status == 401)
        }
    }

    @Test("without a token, mutations are open")
    func authOff() async throws {
        try await TestServer.with { server in
            let reply = try await server.send("POST", "/api/agent/runs?subsystem=x", authorized: false)
            #expect(reply.status == 200)
        }
    }

    @Test("constant-time comparison agrees with ==")
    func constantTime() {
        let cases: [(String, String)] = [("abc", "abc"), ("abc", "abd"), ("ab", "abc"), ("abcd", "abc"), ("", "abc"), ("", "")]
        for (given, expected) in cases {
            #expect(AuthMiddleware.constantTimeEquals(Array(given.utf8), Array(expected.utf8)) == (given == expected), "\(given) vs \(expected)")
        }
    }

    @Test("X-Request-ID is honoured when sane, generated otherwise, and echoed")
    func requestIDs() async throws {
        try await TestServer.with { server in
            let given = try await server.send("GET", "/health", headers: ["X-Request-ID": "client-abc.123"])
            #expect(given.header("X-Request-ID") == "client-abc.123")
            let generated = try await server.get("/health")
            let id = try #require(generated.header("X-Request-ID"))
            #expect(id.wholeMatch(of: /req_[0-9a-f]{12}/) != nil, "\(id)")
            let insane = try await server.send("GET", "/health", headers: ["X-Request-ID": "bad id with spaces"])
            #expect(insane.header("X-Request-ID")?.wholeMatch(of: /req_[0-9a-f]{12}/) != nil)
            let long = try await server.send("GET", "/health", headers: ["X-Request-ID": String(repeating: "a", count: 200)])
            #expect(long.header("X-Request-ID")?.hasPrefix("req_") == true)
            let error = try await server.get("/api/agent/runs/run_000000000000")
            #expect(error.header("X-Request-ID")?.hasPrefix("req_") == true, "errors carry the id too")
        }
    }

    @Test("every log line of a request carries its request_id; access lines name method, path, status, duration")
    func requestIDInLogs() async throws {
        try await TestServer.with { server in
            let reply = try await server.send("POST", "/api/agent/runs?subsystem=traced", headers: ["X-Request-ID": "trace-me-1"])
            let runID = try #require(reply.json["run_id"] as? String)
            _ = try await server.send("POST", "/api/agent/runs/\(runID)/steps", body: #"{"step_type": "x", "description": "d", "status": "pending"}"#,
                                      headers: ["X-Request-ID": "trace-me-2"])
            let lines = try server.logLines()
            let first = lines.filter { $0["request_id"] as? String == "trace-me-1" }
            #expect(first.contains { $0["event_type"] as? String == "run_started" && $0["run_id"] as? String == runID })
            let access = try #require(first.first { $0["event_type"] as? String == "http_request" })
            #expect(access["subsystem"] as? String == "http")
            #expect(access["method"] as? String == "POST")
            #expect(access["path"] as? String == "/api/agent/runs")
            #expect(access["status"] as? String == "200")
            #expect(access["duration_ms"] != nil)
            let second = lines.filter { $0["request_id"] as? String == "trace-me-2" }
            #expect(second.contains { $0["event_type"] as? String == "step_added" && $0["run_id"] as? String == runID })
        }
    }

    @Test("unknown paths are a JSON 404, a known path with the wrong method a 405")
    func unmatched() async throws {
        try await TestServer.with { server in
            let missing = try await server.get("/no/such/thing")
            #expect(missing.status == 404)
            #expect(missing.errorCode == "not_found")
            #expect(missing.header("Content-Type")?.hasPrefix("application/json") == true)
            let wrongMethod = try await server.send("DELETE", "/api/agent/runs/run_1/timeline")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.errorCode == "method_not_allowed")
            #expect(wrongMethod.header("Allow") == "GET")
        }
    }

    /// `promtool` from Debian's `prometheus` package (`.ci/run` installs it), when on PATH.
    static let promtool = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .map { "\($0)/promtool" }.first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("/metrics is what Prometheus' own linter accepts", .enabled(if: promtool != nil, "promtool is not installed"))
    func promtoolAcceptsTheExposition() async throws {
        try await TestServer.with { server in
            try await Self.exerciseMetrics(server)
            let text = try await server.get("/metrics").text
            let lint = Process()
            lint.executableURL = URL(fileURLWithPath: try #require(Self.promtool))
            lint.arguments = ["check", "metrics"]
            let input = Pipe(), output = Pipe()
            lint.standardInput = input
            lint.standardOutput = output
            lint.standardError = output
            try lint.run()
            input.fileHandleForWriting.write(Data(text.utf8))
            try input.fileHandleForWriting.close()
            let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            lint.waitUntilExit()
            #expect(lint.terminationStatus == 0 && said.isEmpty, "promtool check metrics: \(said)")
            #expect(text.contains("grace_alert_deliveries{") && text.contains("grace_http_request_duration_seconds_bucket"))
        }
    }

    /// Requests of several routes and statuses, a run, and two alert records (one delivered).
    static func exerciseMetrics(_ server: TestServer) async throws {
        _ = try await server.get("/health")
        _ = try await server.get("/api/agent/runs/run_000000000000/timeline")
        _ = try await server.createRun()
        let alerts = server.repositories.alerts, sink = "https://hooks.example#1a2b3c4d"
        let events = ["run_1", "run_2"].map { AlertEvent(kind: .bootFailed, id: $0, title: "Boot \($0) failed", occurredAt: Timestamp.now()) }
        try await alerts.enqueue(events, sinks: [sink], at: Timestamp.now())
        let claimed = try await alerts.claim(sinks: [sink], owner: "test", now: Timestamp.now(), leaseUntil: "9999", limit: 1)
        for delivery in claimed {
            _ = try await alerts.finish(eventKey: delivery.eventKey, sink: sink, owner: "test",
                                        AlertDelivery.Attempt(status: .delivered, httpStatus: 200, at: Timestamp.now()))
        }
    }

    @Test("/metrics counts requests by route and status and has the gauges")
    func prometheus() async throws {
        try await TestServer.with { server in
            try await Self.exerciseMetrics(server)
            let reply = try await server.get("/metrics")
            #expect(reply.status == 200)
            #expect(reply.header("Content-Type")?.hasPrefix("text/plain") == true)
            let text = reply.text
            #expect(text.contains(#"grace_http_requests_total{route="/health",method="GET",status="200"} 1"#), "\(text)")
            #expect(text.contains(#"grace_http_requests_total{route="/api/agent/runs/{run_id}/timeline",method="GET",status="404"} 1"#))
            #expect(text.contains("grace_http_request_duration_seconds_bucket"))
            #expect(text.contains("grace_active_runs 1"))
            #expect(text.contains("grace_pending_approvals 0"))
            for (status, count) in [("pending", 1), ("delivered", 1), ("failed", 0)] {
                #expect(text.contains(#"grace_alert_deliveries{sink="https://hooks.example#1a2b3c4d",status="\#(status)"} \#(count)"#), "\(text)")
            }
        }
    }
}
