import Foundation
import Testing

extension EndToEnd {
    /// Security checks (issue 8) against a real `grace up`: the token guards every mutation, no path
    /// parameter reaches a file outside `GRACE_HOME`, the API cannot create playbook actions, seeded
    /// secrets appear in no output and no file, and the audit chain catches deletions and reorderings.
    @Suite(.serialized) struct SecurityTests {
        /// A home inside its own parent folder, so "nothing written outside the home" can be checked
        /// by listing the parent; a canary file beside the home must never be served.
        struct Sandbox {
            let parent: URL
            let grace: GraceBinary
            let canary: URL
            let canaryText: String

            init() throws {
                parent = FileManager.default.temporaryDirectory.appendingPathComponent("grace-sec-\(UUID().uuidString)")
                grace = try GraceBinary(home: parent.appendingPathComponent("home"))
                canary = parent.appendingPathComponent("canary.txt")
                canaryText = "CANARY-\(UUID().uuidString)"
                try Data(canaryText.utf8).write(to: canary)
            }

            func remove() { try? FileManager.default.removeItem(at: parent) }

            /// Every file and folder under the parent that is not under the home.
            func entriesOutsideHome() -> [String] {
                let all = FileManager.default.enumerator(atPath: parent.path)?.allObjects as? [String] ?? []
                return all.filter { $0 != "home" && !$0.hasPrefix("home/") }.sorted()
            }
        }

        /// Paths of the served OpenAPI document with their methods.
        static func documentedRoutes(_ client: LoopbackClient) async throws -> [(method: String, path: String)] {
            let document = try await client.send("GET", "/openapi.json").object()
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            return paths.flatMap { path, operations in
                operations.keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }.map { ($0.uppercased(), path) }
            }.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
        }

        static let token = "tok-" + UUID().uuidString.lowercased()

        @Test func everyMutationNeedsTheRightToken() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let server = try RunningGrace(grace, extraEnvironment: ["GRACE_API_TOKEN": Self.token])
            defer { _ = server.stop() }
            let anonymous = LoopbackClient(port: server.port)
            let wrong = LoopbackClient(port: server.port, token: Self.token + "x")
            let authorised = LoopbackClient(port: server.port, token: Self.token)
            let run = try await authorised.createRun(subsystem: "security")
            let runsBefore = try await authorised.send("GET", "/api/agent/runs?limit=500").text

            let mutations = try await Self.documentedRoutes(authorised).filter { $0.method != "GET" }
            #expect(mutations.count >= 5, "\(mutations)")
            for route in mutations {
                let path = route.path.replacingOccurrences(of: "{run_id}", with: run).replacingOccurrences(of: "{step_id}", with: "step_x")
                    .replacingOccurrences(of: "{approval_id}", with: "apr_x").replacingOccurrences(of: "{id}", with: "apr_x")
                let body: [String: Any] = ["step_type": "x", "description": "x", "status": "success"]
                for (client, code) in [(anonymous, "missing_token"), (wrong, "invalid_token")] {
                    let reply = try await client.send(route.method, path, json: body)
                    #expect(reply.status == 401, "\(route.method) \(path) answered \(reply.status)")
                    #expect(reply.text.contains(code), "\(route.method) \(path): \(reply.text)")
                }
                // The raw socket form too: a token in another scheme, or in the query string, is not a token.
                let basic = try RawHTTP.send(port: server.port, method: route.method, target: path + "?token=\(Self.token)",
                                             headers: ["Authorization": "Basic \(Self.token)"])
                #expect(basic.status == 401, "\(route.method) \(path) with Basic answered \(basic.status)")
            }
            #expect(try await authorised.send("GET", "/api/agent/runs?limit=500").text == runsBefore, "a refused mutation changed the runs")
            #expect(try await authorised.send("PUT", "/api/agent/runs/\(run)/complete?status=success").status == 200)
        }

        /// The routes an unauthenticated caller may read with a token set: probes, and pages without data.
        static let openRoutes: Set<String> = ["/health", "/"]

        @Test func everyReadNeedsTheToken() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let server = try RunningGrace(grace, extraEnvironment: ["GRACE_API_TOKEN": Self.token])
            defer { _ = server.stop() }
            let anonymous = LoopbackClient(port: server.port)
            let wrong = LoopbackClient(port: server.port, token: Self.token + "x")
            let authorised = LoopbackClient(port: server.port, token: Self.token)
            let run = try await authorised.createRun(subsystem: "security")
            #expect(try await anonymous.send("GET", "/openapi.json").status == 401)
            let reads = try await Self.documentedRoutes(authorised).filter { $0.method == "GET" }
            #expect(reads.count >= 18, "\(reads)")
            for route in reads {
                let path = route.path.replacingOccurrences(of: "{run_id}", with: run)
                let refused = try await anonymous.send("GET", path)
                if Self.openRoutes.contains(route.path) {
                    #expect(refused.status == 200, "GET \(path) answered \(refused.status)")
                    #expect(!refused.text.contains(run), "GET \(path) without a token showed the run")
                } else {
                    #expect(refused.status == 401 && refused.text.contains("missing_token"), "GET \(path) answered \(refused.status)")
                    #expect(!refused.text.contains(run), "GET \(path) without a token showed the run")
                }
                #expect(try await wrong.send("GET", path).status == 401, "GET \(path) with a wrong token")
                // The event stream never ends; LiveEventRoutesTests reads it with the token (with curl).
                if route.path != "/api/events" {
                    #expect(try await authorised.send("GET", path).status != 401, "GET \(path) with the token")
                }
            }
            // The terminal dashboard reads a server with the token from its settings.
            let url = "http://127.0.0.1:\(server.port)"
            let withToken = try grace.run(["dashboard", "--url", url, "--json"], extraEnvironment: ["GRACE_API_TOKEN": Self.token])
            #expect(withToken.status == 0, "\(withToken.stderr)")
            #expect(withToken.stdout.contains("\"boot_status\""), "\(withToken.stdout)")
            let without = try grace.run(["dashboard", "--url", url, "--json"])
            #expect(without.status == 2)
            #expect(without.stderr.contains("401") && without.stderr.contains("GRACE_API_TOKEN"), "\(without.stderr)")
        }

        /// A pending approval of the high-risk playbook the issue's rebinding page approved, as the healer stores it.
        static func seedPendingApproval(_ grace: GraceBinary) throws -> String {
            let id = "apr_rebind\(UUID().uuidString.prefix(8).lowercased())"
            try grace.sqlite("""
                INSERT INTO approval_requests (event_id, status, requested_by, reason, playbook_id, pattern_id, created_at)
                VALUES ('\(id)', 'pending', 'grace', 'circular import', 'fix_circular_imports', 'circular_import_avn_models',
                        strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                """)
            return id
        }

        @Test func aRebindingOrCrossSitePageChangesNothing() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            // Execution allowed, so an approval that got through would run its playbook.
            let server = try RunningGrace(grace, extraEnvironment: ["SELF_HEAL_EXECUTE": "true", "SELF_HEAL_OBSERVE_ONLY": "false"])
            defer { _ = server.stop() }
            let id = try Self.seedPendingApproval(grace)
            let auditBefore = try grace.sqlite("SELECT count(*) FROM immutable_log")
            let evil = "evil.example:\(server.port)"
            let json = ["Content-Type": "application/json"]
            let body = Data(#"{"decided_by":"operator","reason":"looks fine"}"#.utf8)
            let attempts: [(what: String, host: String?, headers: [String: String], status: Int)] = [
                ("rebinding: list", evil, ["Origin": "http://\(evil)"], 403),
                ("rebinding: approve", evil, json.merging(["Origin": "http://\(evil)"]) { $1 }, 403),
                ("foreign Origin", nil, json.merging(["Origin": "http://evil.example:\(server.port)"]) { $1 }, 403),
                ("cross-site", nil, json.merging(["Sec-Fetch-Site": "cross-site"]) { $1 }, 403),
                ("text/plain body", nil, ["Content-Type": "text/plain;charset=UTF-8"], 415),
                ("form body", nil, ["Content-Type": "application/x-www-form-urlencoded"], 415),
            ]
            for attempt in attempts {
                let listing = attempt.what == "rebinding: list"
                let reply = try RawHTTP.send(port: server.port, method: listing ? "GET" : "POST",
                                             target: listing ? "/api/approvals?status=pending" : "/api/approvals/\(id)/approve",
                                             host: attempt.host, headers: attempt.headers, body: listing ? Data() : body)
                #expect(reply.status == attempt.status, "\(attempt.what): \(reply.status) \(reply.text)")
                #expect(!reply.text.contains("fix_circular_imports"), "\(attempt.what) read the approval")
            }
            // The store: still pending, undecided, nothing audited, nothing ran.
            #expect(try grace.sqlite("SELECT status || '|' || coalesce(decision_by, '-') FROM approval_requests WHERE event_id = '\(id)'") == "pending|-")
            #expect(try grace.sqlite("SELECT count(*) FROM immutable_log") == auditBefore)
            #expect(try grace.sqlite("SELECT count(*) FROM playbook_runs WHERE playbook_id = 'fix_circular_imports'") == "0")

            // The operator's own request, from this machine, still works; its actor is who authenticated.
            let operatorReply = try RawHTTP.send(port: server.port, method: "POST", target: "/api/approvals/\(id)/reject", headers: json, body: body)
            #expect(operatorReply.status == 200, "\(operatorReply.text)")
            #expect(try grace.sqlite("SELECT decision_by || '|' || decision_claimed_by FROM approval_requests WHERE event_id = '\(id)'")
                        == "loopback|operator")
            #expect(try grace.sqlite("SELECT actor || '|' || json_extract(payload, '$.claimed_by') FROM immutable_log WHERE resource = 'approval/\(id)'")
                        == "loopback|operator")
        }

        @Test func aWildcardListenerAnswersLoopbackAndTheAllowedNamesOnly() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            // The boot's own smoke test reaches a wildcard listener through loopback, so the boot passes.
            let server = try RunningGrace(grace, extraEnvironment: ["GRACE_HOST": "0.0.0.0", "GRACE_API_TOKEN": Self.token,
                                                                    "GRACE_ALLOWED_HOSTS": "grace.lan"])
            defer { _ = server.stop() }
            let auth = ["Authorization": "Bearer \(Self.token)"]
            for (host, status) in [("127.0.0.1:\(server.port)", 200), ("grace.lan:\(server.port)", 200), ("grace.lan", 200),
                                   ("0.0.0.0:\(server.port)", 403), ("192.0.2.7:\(server.port)", 403), ("evil.example", 403)] {
                let reply = try RawHTTP.send(port: server.port, method: "GET", target: "/api/agent/runs", host: host, headers: auth)
                #expect(reply.status == status, "Host \(host): \(reply.status) \(reply.text)")
            }
            let report = try Data(contentsOf: grace.home.appendingPathComponent("logs/last_boot_report.json"))
            let boot = try #require(try JSONSerialization.jsonObject(with: report) as? [String: Any])
            #expect(boot["boot_status"] as? String == "success", "\(boot)")
        }

        /// Hostile values for a path parameter, each as sent on the wire.
        static func hostileSegments(canary: URL) -> [String] {
            let pwned = "/tmp/grace-pwned-\(UUID().uuidString)"
            return [
                "..", "../../etc/passwd", "..%2F..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "%2E%2E",
                "..%252F..%252Fetc%252Fpasswd", "....//....//etc/passwd", "..\\..\\etc\\passwd", "..%5C..%5Cetc%5Cpasswd",
                "%2Fetc%2Fpasswd", "/etc/passwd", "..%2Fcanary.txt", "../canary.txt", "%2F" + canary.path.dropFirst().replacingOccurrences(of: "/", with: "%2F"),
                "..%2F..%2F..%2F..%2F..%2F..%2F.." + pwned.replacingOccurrences(of: "/", with: "%2F"), pwned.replacingOccurrences(of: "/", with: "%2F"),
                "%00", "run%00..%2F..%2Fetc%2Fpasswd", "~%2F.ssh%2Fid_rsa", "databases%2Fgrace.db", "..%2Fhome.out",
            ]
        }

        @Test func noPathParameterReachesAFileOutsideTheHome() async throws {
            let sandbox = try Sandbox()
            defer { sandbox.remove() }
            let server = try RunningGrace(sandbox.grace, extraEnvironment: ["GRACE_API_TOKEN": Self.token])
            let client = LoopbackClient(port: server.port, token: Self.token)
            let run = try await client.createRun(subsystem: "security")
            let routes = try await Self.documentedRoutes(client)
            let outsideBefore = sandbox.entriesOutsideHome()
            let secretsOfTheMachine = ["root:x:0:0", sandbox.canaryText, "SQLite format 3"]

            var targets: [(String, String)] = []
            let hostile = Self.hostileSegments(canary: sandbox.canary)
            for route in routes where route.path.contains("{") {
                for value in hostile {
                    // Each parameter in turn gets the hostile value; the others get valid ids.
                    for parameter in ["{run_id}", "{step_id}", "{approval_id}", "{id}"] where route.path.contains(parameter) {
                        var path = route.path.replacingOccurrences(of: parameter, with: value)
                        path = path.replacingOccurrences(of: "{run_id}", with: run).replacingOccurrences(of: "{step_id}", with: "step_x")
                            .replacingOccurrences(of: "{approval_id}", with: "apr_x").replacingOccurrences(of: "{id}", with: "apr_x")
                        targets.append((route.method, path))
                    }
                }
            }
            // Traversal outside any template, and in query parameters that name things.
            for value in hostile {
                targets.append(("GET", "/api/boot/reports/\(value)"))
                targets.append(("GET", "/api/boot/reports/last/\(value)"))
                targets.append(("GET", "/\(value)"))
                targets.append(("GET", "/docs/\(value)"))
                targets.append(("GET", "/api/agent/runs/\(run)/logs?playbook_id=\(value)&verification_id=\(value)"))
            }
            #expect(targets.count > 100)
            let body = Data(#"{"step_id":"../../../../tmp/x","step_type":"x","description":"x","status":"success"}"#.utf8)
            for (method, target) in targets {
                let reply = try RawHTTP.send(port: server.port, method: method, target: target,
                                             headers: ["Authorization": "Bearer \(Self.token)", "Content-Type": "application/json"],
                                             body: method == "GET" ? Data() : body)
                #expect(reply.status < 500, "\(method) \(target) answered \(reply.status): \(reply.text.prefix(200))")
                for secret in secretsOfTheMachine {
                    #expect(!reply.text.contains(secret), "\(method) \(target) served \(secret)")
                }
                // A hostile id is never a resource that exists (query values are only filters).
                let isID = (target.hasPrefix("/api/agent/runs/") || target.hasPrefix("/api/approvals/")) && !target.contains("?")
                if isID { #expect((400..<500).contains(reply.status), "\(method) \(target) answered \(reply.status)") }
            }
            #expect(server.stop() == 0)
            #expect(sandbox.entriesOutsideHome() == outsideBefore, "files appeared beside the home")
            #expect(try String(contentsOf: sandbox.canary, encoding: .utf8) == sandbox.canaryText)
            for value in hostile where value.contains("grace-pwned") {
                let path = value.removingPercentEncoding!.components(separatedBy: "grace-pwned").last!
                #expect(!FileManager.default.fileExists(atPath: "/tmp/grace-pwned" + path))
            }
        }

        @Test func theAPICannotCreatePlaybookActions() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let marker = FileManager.default.temporaryDirectory.appendingPathComponent("grace-shell-\(UUID().uuidString)").path
            let server = try RunningGrace(grace, extraEnvironment: ["GRACE_API_TOKEN": Self.token, "SELF_HEAL_EXECUTE": "true",
                                                                    "SELF_HEAL_OBSERVE_ONLY": "false"])
            let client = LoopbackClient(port: server.port, token: Self.token)
            let playbooksBefore = try await client.send("GET", "/api/playbooks").text
            let routes = try await Self.documentedRoutes(client)
            // No documented mutation lives under /api/playbooks or /api/patterns, but promoting a mined
            // cluster into a pattern (which names an existing playbook; it cannot define actions).
            #expect(!routes.contains { $0.method != "GET" && ($0.path.hasPrefix("/api/playbooks") || $0.path.hasPrefix("/api/patterns"))
                && $0.path != "/api/patterns/suggestions/{cluster_id}/promote" })

            let playbook: [String: Any] = ["id": "evil", "title": "evil", "risk": "low", "tier": "tier_1",
                                           "steps": [["action": "shell", "command": "touch \(marker)"]]]
            for method in ["POST", "PUT", "PATCH", "DELETE"] {
                for path in ["/api/playbooks", "/api/playbooks/evil", "/api/patterns", "/api/approvals", "/api/playbooks/restore_snapshot/run"] {
                    let reply = try await client.send(method, path, json: playbook)
                    #expect([404, 405].contains(reply.status), "\(method) \(path) answered \(reply.status)")
                }
            }
            // Playbook-shaped data in a run or a step is stored as data and never run.
            let run = try await client.createRun(subsystem: "security")
            let created = try await client.send("POST", "/api/agent/runs", json: ["subsystem": "security", "metadata": ["playbook": playbook]])
            #expect(created.status == 200)
            let step = try await client.send("POST", "/api/agent/runs/\(run)/steps", json: [
                "step_type": "playbook_execution", "description": "x", "status": "success", "playbook_id": "evil", "details": playbook])
            #expect(step.status == 200)
            #expect(try await client.send("POST", "/api/approvals/evil/approve", json: ["reason": "x"]).status == 404)
            #expect(try await client.send("GET", "/api/playbooks").text == playbooksBefore)
            #expect(server.stop() == 0)
            #expect(!FileManager.default.fileExists(atPath: marker))
            let userPlaybooks = (try? FileManager.default.contentsOfDirectory(atPath: grace.home.appendingPathComponent("playbooks").path)) ?? []
            #expect(userPlaybooks.isEmpty)
        }

        @Test func seededSecretsAppearInNoOutputAndNoFile() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let password = "pw-" + UUID().uuidString.lowercased()
            let apiKey = "sk-" + UUID().uuidString.lowercased()
            let secrets = [Self.token, password, apiKey]
            try Data("TARGET_DB_PASSWORD=\(password)\nOPENAI_API_KEY=\(apiKey)\n".utf8).write(to: grace.home.appendingPathComponent(".env"))
            let environment = ["GRACE_API_TOKEN": Self.token, "GRACE_REQUIRED_SECRETS": "OPENAI_API_KEY,TARGET_DB_PASSWORD",
                               "GRACE_LOG_LEVEL": "debug"]
            var outputs: [(String, String)] = []

            let server = try RunningGrace(grace, extraEnvironment: environment)
            let client = LoopbackClient(port: server.port, token: Self.token)
            let run = try await client.createRun(subsystem: "security")
            let step = try await client.send("POST", "/api/agent/runs/\(run)/steps", json: ["step_type": "x", "description": "x", "status": "running"])
            let stepID = try step.object()["step_id"] as? String ?? ""
            _ = try await client.send("PATCH", "/api/agent/runs/\(run)/steps/\(stepID)", json: ["status": "success"])
            // A client that puts the token in the query string: the access log must not keep it.
            _ = try await client.send("GET", "/api/agent/runs?subsystem=\(Self.token)")
            _ = try RawHTTP.send(port: server.port, method: "GET", target: "/health?api_key=\(apiKey)", headers: ["X-Request-ID": password])
            // Not the event stream, which never ends (its data are ids, no settings; LiveEventRoutesTests reads it).
            for route in try await Self.documentedRoutes(client) where route.method == "GET" && route.path != "/api/events" {
                let path = route.path.replacingOccurrences(of: "{run_id}", with: run)
                let reply = try await client.send("GET", path)
                outputs.append(("GET \(path)", reply.text))
            }
            _ = try await client.send("PUT", "/api/agent/runs/\(run)/complete?status=success")
            for arguments in [["settings"], ["dashboard", "--json"], ["patterns", "--json"], ["audit", "tail", "--json"], ["approvals", "list"],
                              ["snapshot", "list"], ["logs", "--json"], ["correlate", run]] {
                let result = try grace.run(arguments, extraEnvironment: environment)
                outputs.append(("grace \(arguments.joined(separator: " "))", result.stdout + result.stderr))
            }
            #expect(server.stop() == 0)
            let boot = try grace.run(["boot"], extraEnvironment: environment)
            outputs.append(("grace boot", boot.stdout + boot.stderr))
            let failing = try grace.run(["boot"], extraEnvironment: environment.merging(["GRACE_REQUIRED_SECRETS": "OPENAI_API_KEY,ABSENT_SECRET"]) { $1 })
            #expect(failing.status == 1)
            outputs.append(("grace boot (failing)", failing.stdout + failing.stderr))
            outputs.append(("grace up output", server.printedOutput()))

            #expect(outputs.count > 20)
            for (name, text) in outputs {
                for secret in secrets { #expect(!text.contains(secret), "\(name) shows a secret") }
            }
            // Every file under the home, databases included, byte for byte; only the .env files that
            // hold the secrets (and their copies in snapshots) may contain them.
            let files = FileManager.default.enumerator(atPath: grace.home.path)?.allObjects as? [String] ?? []
            var searched = 0
            for file in files {
                let name = (file as NSString).lastPathComponent
                if name == ".env" || (file.hasPrefix("storage/snapshots/") && name == "env") { continue }
                guard let data = FileManager.default.contents(atPath: grace.home.appendingPathComponent(file).path) else { continue }
                searched += 1
                for secret in secrets { #expect(data.range(of: Data(secret.utf8)) == nil, "\(file) contains a secret") }
            }
            #expect(searched >= 8, "only \(searched) files searched: \(files)")
        }

        @Test(arguments: [
            ("DELETE FROM immutable_log WHERE sequence = 2", "2"),
            ("UPDATE immutable_log SET payload = '{}' WHERE sequence = 1", "1"),
            ("""
             UPDATE immutable_log SET action = CASE sequence WHEN 1 THEN (SELECT action FROM immutable_log WHERE sequence = 2)
                 ELSE (SELECT action FROM immutable_log WHERE sequence = 1) END WHERE sequence IN (1, 2)
             """, "1"),
        ])
        func theAuditChainCatchesEditsDeletionsAndReorderings(sql: String, sequence: String) async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let server = try RunningGrace(grace)
            #expect(server.stop() == 0)
            #expect(try grace.run(["audit", "verify"]).status == 0)
            try grace.sqlite("DROP TRIGGER immutable_log_no_update; DROP TRIGGER immutable_log_no_delete; \(sql);")
            let verify = try grace.run(["audit", "verify"])
            #expect(verify.status == 1)
            #expect(verify.stdout.contains("BROKEN at sequence \(sequence)"), "\(verify.stdout)\(verify.stderr)")
            // The server reports it too, and keeps serving.
            let again = try RunningGrace(grace)
            defer { _ = again.stop() }
            let report = try await LoopbackClient(port: again.port).send("GET", "/api/audit/verify").object()
            #expect(report["intact"] as? Bool == false)
            #expect("\(report["first_bad_sequence"] ?? "")" == sequence)
        }
    }
}
