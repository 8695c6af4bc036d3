import Foundation
import GraceCore
import GraceStore
import Testing
@testable import GraceServer

/// Issue 14, "only the operator drives Grace", against a real server on loopback: a DNS-rebinding
/// page (foreign `Host`), a cross-site page (foreign `Origin`, `Sec-Fetch-Site`, `text/plain`
/// bodies) changes nothing; with a token every read but `/health` needs it; the audit actor is who
/// authenticated; nothing unauthenticated names a PostgreSQL URL.
@Suite("Only the operator drives Grace")
struct OperatorOnlyTests {
    /// A pending approval of the high-risk playbook the issue's rebinding page approved.
    static func pendingApproval(_ server: TestServer) async throws -> String {
        try await server.repositories.approvals.create(.init(requestedBy: "healer", reason: "circular import", playbookID: "fix_circular_imports",
                                                             patternID: "circular_import_avn_models")).eventID
    }

    /// The approval is still pending and nothing about it reached the audit log.
    static func expectUntouched(_ id: String, _ server: TestServer, _ comment: Comment) async throws {
        let approval = try #require(try await server.repositories.approvals.approval(id: id))
        #expect(approval.status == .pending, comment)
        #expect(approval.decisionBy == nil, comment)
        let audit = try await server.repositories.audit.tail(limit: 100)
        #expect(!audit.contains { $0.resource == "approval/\(id)" }, comment)
    }

    @Test("a foreign Host is a 403 on every route, and a rebinding page's approval changes nothing")
    func foreignHost() async throws {
        try await TestServer.with { server in
            let id = try await Self.pendingApproval(server)
            let port = server.port
            for host in ["evil.example:\(port)", "evil.example", "127.0.0.1.evil.example:\(port)", "localhost.evil.example",
                         "[::2]:\(port)", "10.0.0.1:\(port)", "127.0.0.1:\(port)@evil.example", "0.0.0.0:\(port)"] {
                for (method, target) in [("GET", "/api/approvals?status=pending"), ("GET", "/health"), ("GET", "/"),
                                         ("POST", "/api/approvals/\(id)/approve")] {
                    let reply = try await server.raw(method, target, host: host, headers: [("Origin", "http://\(host)")])
                    #expect(reply.status == 403, "\(method) \(target) with Host \(host): \(reply.status) \(reply.text)")
                    #expect(reply.errorCode == "host_not_allowed", "\(reply.text)")
                    #expect(!reply.text.contains("fix_circular_imports"), "Host \(host) read the approvals")
                }
            }
            let missing = try await server.raw("GET", "/api/approvals", host: nil)
            #expect(missing.status == 403 && missing.errorCode == "host_not_allowed", "\(missing.text)")
            let twice = try await server.raw("GET", "/api/approvals", host: "127.0.0.1:\(port)", headers: [("Host", "evil.example")])
            #expect(twice.status == 400 && twice.errorCode == "bad_host", "\(twice.text)")
            try await Self.expectUntouched(id, server, "a foreign Host decided the approval")

            // Loopback in every spelling is this server.
            for host in ["127.0.0.1:\(port)", "localhost:\(port)", "LOCALHOST", "localhost.", "127.1.2.3:\(port)", "[::1]:\(port)", "[::1]"] {
                let reply = try await server.raw("GET", "/api/approvals?status=pending", host: host)
                #expect(reply.status == 200, "Host \(host): \(reply.status) \(reply.text)")
            }
        }
    }

    @Test("GRACE_ALLOWED_HOSTS adds names; everything else stays refused")
    func allowedHosts() async throws {
        try await TestServer.with(settings: ["GRACE_ALLOWED_HOSTS": "grace.internal, [FD00::5]"]) { server in
            #expect(try await server.raw("GET", "/api/agent/runs", host: "grace.internal:\(server.port)").status == 200)
            #expect(try await server.raw("GET", "/api/agent/runs", host: "GRACE.internal").status == 200)
            #expect(try await server.raw("GET", "/api/agent/runs", host: "[fd00::5]:\(server.port)").status == 200)
            let other = try await server.raw("GET", "/api/agent/runs", host: "grace.internal.evil.example")
            #expect(other.status == 403 && other.errorCode == "host_not_allowed")
        }
    }

    @Test("GRACE_HOST itself is allowed, unless it is a wildcard")
    func listeningHost() throws {
        func settings(_ values: [String: String]) throws -> GraceSettings {
            try GraceSettings(values: values.mapValues { SettingValue(value: $0, origin: "test") })
        }
        let specific = HostOriginMiddleware(settings: try settings(["GRACE_HOST": "10.1.2.3", "GRACE_API_TOKEN": "t0ken-1234"]))
        #expect(specific.isAllowed("10.1.2.3") && specific.isAllowed("127.0.0.1") && !specific.isAllowed("10.1.2.4"))
        let wildcard = HostOriginMiddleware(settings: try settings(["GRACE_HOST": "0.0.0.0", "GRACE_API_TOKEN": "t0ken-1234",
                                                                "GRACE_ALLOWED_HOSTS": "grace.lan"]))
        #expect(!wildcard.isAllowed("0.0.0.0") && wildcard.isAllowed("grace.lan") && wildcard.isAllowed("localhost"))
    }

    @Test("a mutation from a foreign Origin, or marked cross-site, is a 403 and changes nothing")
    func foreignOrigin() async throws {
        try await TestServer.with { server in
            let id = try await Self.pendingApproval(server)
            let host = "127.0.0.1:\(server.port)"
            let hostile: [[(String, String)]] = [
                [("Origin", "http://evil.example:\(server.port)")], [("Origin", "http://localhost:\(server.port)")],
                [("Origin", "http://127.0.0.1:1")], [("Origin", "null")],
                [("Origin", "file://")], [("Sec-Fetch-Site", "cross-site")],
                [("Origin", "http://\(host)"), ("Sec-Fetch-Site", "cross-site")],
            ]
            for headers in hostile {
                let reply = try await server.raw("POST", "/api/approvals/\(id)/approve", host: host,
                                                 headers: headers + [("Content-Type", "application/json")], body: #"{"decided_by":"evil"}"#)
                #expect(reply.status == 403, "\(headers): \(reply.status) \(reply.text)")
                #expect(["origin_not_allowed", "cross_site_request"].contains(reply.errorCode ?? ""), "\(reply.text)")
                let run = try await server.raw("POST", "/api/agent/runs?subsystem=evil", host: host, headers: headers)
                #expect(run.status == 403, "\(headers): \(run.text)")
            }
            try await Self.expectUntouched(id, server, "a foreign Origin decided the approval")
            #expect(try await server.repositories.runs.runs(matching: RunQuery(subsystem: "evil", limit: 10)).isEmpty)

            // Reads from another origin are not refused (the browser keeps their answers from the page),
            // and the server's own origin may change things.
            #expect(try await server.raw("GET", "/api/approvals", host: host, headers: [("Origin", "http://evil.example")]).status == 200)
            let same = try await server.raw("POST", "/api/approvals/\(id)/approve", host: host,
                                            headers: [("Origin", "http://\(host)"), ("Sec-Fetch-Site", "same-origin")])
            #expect(same.status == 200, "\(same.text)")
            #expect(try await server.repositories.approvals.approval(id: id)?.status == .approved)
        }
    }

    @Test("a JSON body needs a JSON content type (415 otherwise); bodiless query POSTs need none")
    func contentType() async throws {
        try await TestServer.with { server in
            let id = try await Self.pendingApproval(server)
            let host = "127.0.0.1:\(server.port)"
            let body = #"{"decided_by":"evil","reason":"x"}"#
            for contentType in ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                                "application/jsonx", "application/+json", "text/json", nil] as [String?] {
                let headers = contentType.map { [("Content-Type", $0)] } ?? []
                let reply = try await server.raw("POST", "/api/approvals/\(id)/approve", host: host, headers: headers, body: body)
                #expect(reply.status == 415, "\(contentType ?? "no content type"): \(reply.status) \(reply.text)")
                #expect(reply.errorCode == "unsupported_media_type")
            }
            try await Self.expectUntouched(id, server, "a text/plain body decided the approval")

            let run = try await server.createRun(subsystem: "typed")
            let step = #"{"step_type":"plan_creation","description":"x","status":"running"}"#
            for contentType in ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/vnd.grace+json"] {
                let reply = try await server.raw("POST", "/api/agent/runs/\(run)/steps", host: host, headers: [("Content-Type", contentType)], body: step)
                #expect(reply.status == 200, "\(contentType): \(reply.text)")
            }
            // The original clients: query parameters, no body, no content type.
            let bodiless = try await server.raw("POST", "/api/approvals/\(id)/reject?reason=no&decided_by=ops", host: host)
            #expect(bodiless.status == 200, "\(bodiless.text)")
        }
    }

    /// Every GET of the served document, with ids filled in.
    static func documentedReads(_ server: TestServer, run: String) async throws -> [String] {
        let document = try await server.get("/openapi.json").json
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        return paths.filter { $0.value["get"] != nil }.keys.sorted().map {
            $0.replacingOccurrences(of: "{run_id}", with: run)
        }
    }

    @Test("with a token, every documented read but /health and the dashboard page's shell is a 401 without it")
    func readsNeedTheToken() async throws {
        try await TestServer.with(token: "read-token-1234") { server in
            let run = try await server.createRun(subsystem: "reads")
            let open: Set<String> = ["/health", "/"]
            let reads = try await Self.documentedReads(server, run: run)
            #expect(reads.count >= 18, "\(reads)")
            for path in reads {
                let anonymous = try await server.send("GET", path, authorized: false)
                let wrong = try await server.send("GET", path, headers: ["Authorization": "Bearer read-token-1235"], authorized: false)
                #expect(wrong.status == 401 && wrong.errorCode == "invalid_token", "GET \(path) with a wrong token: \(wrong.status)")
                // The event stream never ends, so it is read with the token by LiveEventRoutesTests (with curl).
                if path != "/api/events" {
                    let right = try await server.send("GET", path)
                    #expect(right.status != 401, "GET \(path) with the token: \(right.status)")
                }
                if open.contains(path) {
                    #expect(anonymous.status == 200, "GET \(path) without a token: \(anonymous.status)")
                } else {
                    #expect(anonymous.status == 401 && anonymous.errorCode == "missing_token", "GET \(path) without a token: \(anonymous.status)")
                    #expect(!anonymous.text.contains(run), "GET \(path) without a token showed the run")
                }
            }
            // The dashboard page has no data in it; it asks for the token and sends it on every data call.
            let page = try await server.send("GET", "/", authorized: false)
            #expect(page.status == 200)
            #expect(try await server.send("GET", "/docs", authorized: false).status == 401)
            #expect(try await server.send("GET", "/openapi.json", authorized: false).status == 401)
            #expect(!page.text.contains(run))
            #expect(page.text.contains("sessionStorage") && !page.text.contains("localStorage"))
            #expect(page.text.contains(#"headers["Authorization"] = "Bearer " + token"#))
            #expect(page.text.contains(#"<form id="login">"#))
        }
    }

    static let node = ["/usr/bin/node", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("the dashboard page's script is valid JavaScript (node --check)", .enabled(if: node != nil))
    func dashboardScriptParses() async throws {
        try await TestServer.with(token: "page-token-1234") { server in
            let page = try await server.send("GET", "/", authorized: false).text
            let start = try #require(page.range(of: "<script>")), end = try #require(page.range(of: "</script>"))
            let script = server.home.appendingPathComponent("dashboard.js")
            let source = page[start.upperBound..<end.lowerBound]
            #expect(source.contains("sessionStorage.getItem(TOKEN_KEY)") && source.count > 5000)
            try Data(source.utf8).write(to: script)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try #require(Self.node))
            process.arguments = ["--check", script.path]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            // Waited for on a thread of its own, as BrowserTests does: the cooperative pool is small.
            let text: String = await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                    process.waitUntilExit()
                    continuation.resume(returning: text)
                }
            }
            #expect(process.terminationStatus == 0, "\(text)")
        }
    }

    @Test("GRACE_METRICS_PUBLIC=true opens /metrics, and only /metrics")
    func publicMetrics() async throws {
        try await TestServer.with(token: "metrics-token-1234", settings: ["GRACE_METRICS_PUBLIC": "true"]) { server in
            let metrics = try await server.send("GET", "/metrics", authorized: false)
            #expect(metrics.status == 200 && metrics.text.contains("grace_uptime_seconds"))
            #expect(try await server.send("GET", "/api/metrics/snapshots", authorized: false).status == 401)
            #expect(try await server.send("POST", "/metrics", authorized: false).status == 401)
        }
        try await TestServer.with(token: "metrics-token-1234") { server in
            let metrics = try await server.send("GET", "/metrics", authorized: false)
            #expect(metrics.status == 401 && metrics.errorCode == "missing_token")
        }
    }

    static func payload(_ entry: AuditEntry) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(entry.payload.utf8))) as? [String: Any] ?? [:]
    }

    @Test("the audit actor is who authenticated; decided_by is kept only as a claim")
    func auditActor() async throws {
        try await TestServer.with(token: "actor-token-1234") { server in
            let id = try await Self.pendingApproval(server)
            let reply = try await server.send("POST", "/api/approvals/\(id)/approve", body: #"{"decided_by":"grace-admin","reason":"checked"}"#)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json["decision_by"] as? String == "api-token")
            #expect(reply.json["decision_claimed_by"] as? String == "grace-admin")
            let stored = try #require(try await server.repositories.approvals.approval(id: id))
            #expect(stored.decisionBy == "api-token" && stored.decisionClaimedBy == "grace-admin" && stored.decisionReason == "checked")
            let entry = try #require(try await server.repositories.audit.tail(limit: 10).first { $0.resource == "approval/\(id)" })
            #expect(entry.actor == "api-token")
            #expect(Self.payload(entry)["claimed_by"] as? String == "grace-admin")
            #expect(try await server.repositories.audit.verify().isIntact)
        }
        try await TestServer.with { server in
            let id = try await Self.pendingApproval(server)
            let reply = try await server.send("POST", "/api/approvals/\(id)/reject?decided_by=root&reason=no")
            #expect(reply.status == 200, "\(reply.text)")
            let stored = try #require(try await server.repositories.approvals.approval(id: id))
            #expect(stored.decisionBy == "loopback" && stored.decisionClaimedBy == "root" && stored.decisionReason == "no")
            let entry = try #require(try await server.repositories.audit.tail(limit: 10).first { $0.resource == "approval/\(id)" })
            #expect(entry.actor == "loopback")
            #expect(Self.payload(entry)["claimed_by"] as? String == "root")
        }
    }

    @Test("with GRACE_DATABASE_URL set, nothing an unauthenticated caller reads names its user, host or port")
    func noDatabaseURL() async throws {
        let url = "postgres://dbuser-7f3a:pw-91c2e@db-host-5b1e.internal:6543/grace_prod"
        try await TestServer.with(token: "url-token-1234", settings: ["GRACE_DATABASE_URL": url, "GRACE_METRICS_PUBLIC": "true"]) { server in
            // The port as a port (":6543", "port 6543"): the bare digits can turn up in any metric's value.
            let leaks = ["dbuser-7f3a", "pw-91c2e", "db-host-5b1e", ":6543", "port 6543", "postgres://"]
            var answers: [(String, TestServer.Reply)] = []
            for path in ["/health", "/metrics", "/", "/docs", "/openapi.json", "/api/startup/dashboard", "/api/startup/health-summary",
                         "/api/agent/runs/nope", "/nope"] {
                answers.append((path, try await server.send("GET", path, authorized: false)))
                answers.append((path + " (with the token)", try await server.send("GET", path)))
            }
            answers.append(("foreign Host", try await server.raw("GET", "/health", host: "evil.example")))
            let health = try await server.send("GET", "/health", authorized: false).json
            #expect(health["store"] as? String == "postgres")
            #expect(health["node_id"] as? String != nil)
            for (what, reply) in answers {
                for leak in leaks { #expect(!reply.text.contains(leak), "\(what) shows \(leak): \(reply.text.prefix(300))") }
            }
        }
        // What the store's errors say, and so a 503's body: the backend's name, never the URL.
        let location = try #require(DatabaseURL(url))
        let unavailable = APIError.from(StoreError.unavailable(database: location.description,
                                                               reason: location.redacting("connection refused by db-host-5b1e.internal:6543")))
        #expect(unavailable.status == .serviceUnavailable)
        for leak in ["dbuser-7f3a", "db-host-5b1e", "6543"] { #expect(!unavailable.message.contains(leak), "\(unavailable.message)") }
    }
}
