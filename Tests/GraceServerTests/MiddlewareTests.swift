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

    /// Runs promtool with `arguments`, `input` on its standard input: its exit status and what it printed.
    static func promtool(_ arguments: [String], input: String = "") throws -> (status: Int32, output: String) {
        let tool = Process()
        tool.executableURL = URL(fileURLWithPath: try #require(promtool))
        tool.arguments = arguments
        let stdin = Pipe(), output = Pipe()
        tool.standardInput = stdin
        tool.standardOutput = output
        tool.standardError = output
        try tool.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tool.waitUntilExit()
        return (tool.terminationStatus, said)
    }

    @Test("/metrics is what Prometheus' own linter accepts", .enabled(if: promtool != nil, "promtool is not installed"))
    func promtoolAcceptsTheExposition() async throws {
        try await TestServer.with { server in
            try await Self.exerciseMetrics(server)
            let text = try await server.get("/metrics").text
            let (status, said) = try Self.promtool(["check", "metrics"], input: text)
            #expect(status == 0 && said.isEmpty, "promtool check metrics: \(said)")
            #expect(text.contains("grace_alert_deliveries{") && text.contains("grace_http_request_duration_seconds_bucket"))
            #expect(text.contains("grace_healing_decisions{") && text.contains("grace_fix_attempts_total{") && text.contains("grace_last_boot_duration_seconds"))
        }
    }

    /// Requests of several routes and statuses, a run, two alert records (one delivered), a failed
    /// boot, a healing decision, a fix attempt and an exit of the service.
    static func exerciseMetrics(_ server: TestServer) async throws {
        let repositories = server.repositories
        let boot = try await repositories.runs.create(AgentRun(kind: "boot", trigger: .boot, subsystem: "boot_pipeline"))
        _ = try await repositories.runs.complete(runID: boot.runID, status: .failed, at: Timestamp.now())
        try await repositories.playbooks.record(PlaybookRun(playbookID: "checkpoint_wal", patternID: "database_locked",
                                                            status: .failed, decision: "execute", endedAt: Timestamp.now()))
        try await repositories.playbooks.recordAttempt(playbookID: "checkpoint_wal", patternID: "database_locked", succeeded: false, at: Timestamp.now())
        try await repositories.audit.append(AuditEvent(actor: "grace", action: "target.exit", resource: "target", subsystem: "target", result: "crashed"))
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

    @Test("/metrics counts the store's events: boots by status, healing decisions, fixes, the service's exits and crash loops")
    func storeEvents() async throws {
        try await TestServer.with { server in
            let repositories = server.repositories
            for (started, ended, status) in [("2026-12-01T10:00:00.000000Z", "2026-12-01T10:00:02.500000Z", AgentRun.Status.success),
                                              ("2026-12-01T11:00:00.000000Z", "2026-12-01T11:00:04.000000Z", .failed)] {
                let run = try await repositories.runs.create(AgentRun(kind: "boot", trigger: .boot, subsystem: "boot_pipeline", startedAt: started))
                _ = try await repositories.runs.complete(runID: run.runID, status: status, at: ended)
            }
            _ = try await repositories.runs.create(AgentRun(kind: "boot", trigger: .boot, subsystem: "boot_pipeline"))
            try await repositories.playbooks.record(PlaybookRun(playbookID: "checkpoint_wal", patternID: "database_locked",
                                                                status: .succeeded, decision: "execute", endedAt: Timestamp.now()))
            for _ in 0..<2 {
                try await repositories.playbooks.record(PlaybookRun(playbookID: "checkpoint_wal", patternID: "database_locked",
                                                                    status: .observed, decision: "await_approval", endedAt: Timestamp.now()))
            }
            try await repositories.playbooks.recordAttempt(playbookID: "checkpoint_wal", patternID: "database_locked", succeeded: true,
                                                           at: Timestamp.now())
            for result in ["crashed", "crashed", "stopped"] {
                try await repositories.audit.append(AuditEvent(actor: "grace", action: "target.exit", resource: "target", subsystem: "target",
                                                               result: result))
            }
            try await repositories.audit.append(AuditEvent(actor: "grace", action: "target.crash_loop", resource: "target", subsystem: "target",
                                                           result: "gave_up"))

            var text = try await server.get("/metrics").text
            for line in [#"grace_boot_runs{status="success"} 1.0"#, #"grace_boot_runs{status="failed"} 1.0"#, #"grace_boot_runs{status="active"} 1.0"#,
                         #"grace_boot_runs{status="partial"} 0.0"#, #"grace_last_boot_status{status="failed"} 1.0"#,
                         #"grace_last_boot_status{status="success"} 0.0"#, "grace_last_boot_duration_seconds 4.0",
                         "grace_last_boot_end_time_seconds 1796122804.0",
                         #"grace_healing_decisions{pattern="database_locked",playbook="checkpoint_wal",decision="execute",status="succeeded"} 1.0"#,
                         #"grace_healing_decisions{pattern="database_locked",playbook="checkpoint_wal",decision="await_approval",status="observed"} 2.0"#,
                         #"grace_fix_attempts_total{pattern="database_locked",playbook="checkpoint_wal"} 1"#,
                         #"grace_fix_successes_total{pattern="database_locked",playbook="checkpoint_wal"} 1"#,
                         #"grace_target_exits_total{result="crashed"} 2"#, #"grace_target_exits_total{result="stopped"} 1"#,
                         "grace_target_crash_loops_total 1"] {
                #expect(text.contains(line + "\n"), "\(line) in:\n\(text)")
            }
            #expect(!text.contains("grace_target_restarts_total"), "no supervisor, no restarts family")

            // A second scrape adds only what is new: the counters mirror the store, never double it.
            try await repositories.playbooks.recordAttempt(playbookID: "checkpoint_wal", patternID: "database_locked", succeeded: false,
                                                           at: Timestamp.now())
            text = try await server.get("/metrics").text
            #expect(text.contains(#"grace_fix_attempts_total{pattern="database_locked",playbook="checkpoint_wal"} 2"# + "\n"), "\(text)")
            #expect(text.contains(#"grace_fix_successes_total{pattern="database_locked",playbook="checkpoint_wal"} 1"# + "\n"))
            #expect(text.contains(#"grace_target_exits_total{result="crashed"} 2"# + "\n"))
        }
    }

    static let grafanaDashboard = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/grafana/grace-dashboard.json")

    /// Every query of `docs/grafana/grace-dashboard.json`, and how many panels it has.
    static func dashboardQueries() throws -> (queries: [String], panels: Int) {
        let dashboard = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: grafanaDashboard)) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        return (panels.flatMap { ($0["targets"] as? [[String: Any]] ?? []).compactMap { $0["expr"] as? String } }, panels.count)
    }

    @Test("the Grafana dashboard in docs/ queries only families /metrics serves")
    func grafanaDashboardFamilies() async throws {
        let (queries, panels) = try Self.dashboardQueries()
        #expect(queries.count >= panels, "every panel queries something")
        try await TestServer.with { server in
            try await Self.exerciseMetrics(server)
            let text = try await server.get("/metrics").text
            let served = Set(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
            let name = try Regex(#"grace_[a-z_]+"#)
            for query in queries {
                for found in query.matches(of: name).map({ String(query[$0.range]) }) {
                    let family = found.hasSuffix("_bucket") ? String(found.dropLast("_bucket".count)) : found
                    // The supervisor's restarts exist only where a service is supervised (none here).
                    if family == "grace_target_restarts_total" { continue }
                    #expect(served.contains(family), "\(family) in \(query) is not served")
                }
            }
        }
    }

    @Test("the Grafana dashboard's queries are PromQL that promtool parses", .enabled(if: promtool != nil, "promtool is not installed"))
    func grafanaDashboardParses() throws {
        let (queries, _) = try Self.dashboardQueries()
        let rules = FileManager.default.temporaryDirectory.appendingPathComponent("grace-dashboard-rules-\(UUID().uuidString).yml")
        defer { try? FileManager.default.removeItem(at: rules) }
        let entries = queries.enumerated().map { index, query in
            let expr = query.replacingOccurrences(of: "$instance", with: "node-a").replacingOccurrences(of: "'", with: "''")
            return "      - record: grace_dashboard:query\(index)\n        expr: '\(expr)'"
        }
        try Data(("groups:\n  - name: grace-dashboard\n    rules:\n" + entries.joined(separator: "\n") + "\n").utf8).write(to: rules)
        let (status, said) = try Self.promtool(["check", "rules", rules.path])
        #expect(status == 0, "promtool check rules: \(said)")
    }
}
