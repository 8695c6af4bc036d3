import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The example service (examples/agent-service) copied into a temp Grace home and configured as
/// Grace's supervised target, with self-healing allowed to execute.
struct ExampleService {
    static let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/agent-service")

    var grace: GraceBinary
    let folder: URL
    let port: Int

    init(fail: String? = nil, settings: [String: String] = [:], serviceEnv: String = "") throws {
        grace = try GraceBinary()
        folder = grace.home.appendingPathComponent("agent-service")
        try FileManager.default.copyItem(at: Self.source, to: folder)
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("data"))
        port = try FreePort.pick()
        try ((fail.map { "AGENT_FAIL=\($0)\n" } ?? "") + serviceEnv).write(to: folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        grace.environment.merge([
            "GRACE_TARGET_COMMAND": "exec \(Self.python) app.py", "GRACE_TARGET_DIR": folder.path,
            "GRACE_TARGET_HEALTH_URL": "http://127.0.0.1:\(port)/health", "GRACE_TARGET_DATABASES": "data/agent.db",
            "GRACE_TARGET_MIGRATIONS": "migrations", "GRACE_TARGET_SETTLE_SECONDS": "1", "GRACE_TARGET_START_TIMEOUT": "20",
            "GRACE_TARGET_STOP_TIMEOUT": "3", "AGENT_PORT": String(port),
            "SELF_HEAL_OBSERVE_ONLY": "false", "SELF_HEAL_EXECUTE": "true",
        ]) { $1 }
        grace.environment.merge(settings) { $1 }
    }

    /// The python3 this test runs with (an absolute path: Grace's children get a short PATH).
    static let python: String = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/python3") {
            return "\(folder)/python3"
        }
        return "/usr/bin/python3"
    }()

    func remove() { grace.remove() }

    var envFile: String { (try? String(contentsOf: folder.appendingPathComponent(".env"), encoding: .utf8)) ?? "" }

    /// The last boot report, as JSON.
    func lastReport() throws -> [String: Any] {
        let data = try Data(contentsOf: grace.home.appendingPathComponent("logs/last_boot_report.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The report's entry for one stage.
    func stage(_ name: String) throws -> [String: Any] {
        let stages = try #require(try lastReport()["stages"] as? [[String: Any]])
        return try #require(stages.first { $0["name"] as? String == name })
    }

    /// Rows of an SQL query on Grace's database, through the sqlite3 command-line shell.
    func query(_ sql: String, database: String = "databases/grace.db") throws -> [[String: Any]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-json", grace.home.appendingPathComponent(database).path, sql]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        if data.isEmpty { return [] }
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    }

    /// Whether the service answers its health URL.
    func isHealthy() async -> Bool {
        guard let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/health")!) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// The pid the service wrote at its last start.
    var servicePID: Int32? {
        (try? String(contentsOf: folder.appendingPathComponent("data/agent.pid"), encoding: .utf8)).flatMap { Int32($0) }
    }
}

/// Waits for a condition, polling; the limit only bounds a hang, it is not a speed assertion.
func eventually(_ limit: TimeInterval = 60, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(limit)
    while Date() < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(200))
    }
    return try await condition()
}

enum FreePort {
    /// A loopback port nobody listens on right now.
    static func pick() throws -> Int {
        let (socketFD, port) = try bound()
        close(socketFD)
        return port
    }

    /// A socket bound to a free loopback port (and listening, with `listening`), with its port; the caller closes it.
    static func bound(listening: Bool = false) throws -> (socket: Int32, port: Int) {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0 }
        }
        guard bound, !listening || listen(socketFD, 1) == 0 else {
            close(socketFD)
            throw NSError(domain: "FreePort", code: 1)
        }
        return (socketFD, Int(UInt16(bigEndian: address.sin_port)))
    }
}

extension EndToEnd {
    @Suite("Supervising the example service")
    struct TargetSupervisionTests {
        /// One healing attempt of a stage in the boot report.
        private func attempts(_ service: ExampleService, stage: String) throws -> [[String: Any]] {
            try service.stage(stage)["healing"] as? [[String: Any]] ?? []
        }

        private func recoveries(_ service: ExampleService, pattern: String) throws -> [[String: Any]] {
            try service.query("SELECT passed, result FROM verification_events WHERE verification_type = 'target_recovery' AND details LIKE '%\(pattern)%'")
        }

        @Test("unicode output: detected at the safe-mode start, UTF-8 forced in the env file, recovery verified")
        func unicodeOutput() throws {
            // Grace gives its children PYTHONIOENCODING=utf-8; this service pins the legacy console encoding.
            let service = try ExampleService(fail: "unicode", serviceEnv: "PYTHONIOENCODING=cp1252\n")
            defer { service.remove() }
            let result = try service.grace.run(["boot"])
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            let stage = try service.stage("target_safe_mode_start")
            #expect(stage["status"] as? String == "passed_after_heal")
            let healing = try attempts(service, stage: "target_safe_mode_start")
            #expect(healing.contains { $0["playbook_id"] as? String == "fix_unicode_logging" && $0["succeeded"] as? Bool == true })
            #expect(service.envFile.contains("PYTHONIOENCODING=\"utf-8\""), "\(service.envFile)")
            let recovered = try recoveries(service, pattern: "unicode_logging_crash")
            #expect(recovered.count == 1 && recovered.first?["passed"] as? Int == 1, "\(recovered)")
        }

        @Test("missing secret: detected from the crash, filled from env.defaults, never logged")
        func missingSecret() throws {
            let service = try ExampleService(fail: "missing_secret")
            defer { service.remove() }
            let secret = "sk-example-\(UUID().uuidString.prefix(12))"
            try "OPENAI_API_KEY=\(secret)\n".write(to: service.grace.home.appendingPathComponent("env.defaults"), atomically: true, encoding: .utf8)
            let result = try service.grace.run(["boot"])
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            #expect(service.envFile.contains(secret))
            let healing = try attempts(service, stage: "target_safe_mode_start")
            #expect(healing.contains { $0["playbook_id"] as? String == "create_default_env" && $0["succeeded"] as? Bool == true })
            #expect(try recoveries(service, pattern: "missing_env_secrets").first?["passed"] as? Int == 1)
            let log = try String(contentsOf: service.grace.home.appendingPathComponent("logs/grace.jsonl"), encoding: .utf8)
            #expect(log.contains("KeyError: 'OPENAI_API_KEY'"))
            #expect(!log.contains(secret))
        }

        @Test("learning changes its mind: the default fix fails twice, the next boot tries the alternative, and grace patterns says why")
        func learningChangesItsMind() throws {
            // No env.defaults: create_default_env has nothing to write, so it fails.
            let service = try ExampleService(fail: "missing_secret")
            defer { service.remove() }
            for _ in 0..<2 {
                let result = try service.grace.run(["boot"])
                #expect(result.status == 5, "\(result.stdout)\n\(result.stderr)")
                #expect(try attempts(service, stage: "target_safe_mode_start").contains {
                    $0["playbook_id"] as? String == "create_default_env" && $0["succeeded"] as? Bool == false
                })
            }
            let stats = try service.query("SELECT attempts, successes FROM playbook_stats WHERE playbook_id = 'create_default_env'")
            #expect(stats.first?["attempts"] as? Int == 2 && stats.first?["successes"] as? Int == 0, "\(stats)")
            let patterns = try service.grace.run(["patterns"])
            #expect(patterns.stdout.contains("next: ask_operator_for_secret, because create_default_env failed 2 of 2 attempts"), "\(patterns.stdout)")
            #expect(try service.grace.run(["boot"]).status == 5)
            let third = try attempts(service, stage: "target_safe_mode_start")
            #expect(third.contains { $0["playbook_id"] as? String == "ask_operator_for_secret" && ($0["detail"] as? String)?.contains("awaiting confirmation") == true },
                    "\(third)")
            #expect(!third.contains { $0["playbook_id"] as? String == "create_default_env" })
        }

        @Test("observe-only: every failure triggered, no file of the service or the home changed, only observations recorded")
        func observeOnlyChangesNothing() throws {
            let service = try ExampleService(settings: ["SELF_HEAL_OBSERVE_ONLY": "true", "SELF_HEAL_EXECUTE": "false"])
            defer { service.remove() }
            try "OPENAI_API_KEY=sk-would-be-written\n".write(to: service.grace.home.appendingPathComponent("env.defaults"), atomically: true, encoding: .utf8)
            #expect(try service.grace.run(["boot"]).status == 0)  // a healthy first boot creates the service's database
            let failures: [(String, String)] = [("unicode", "PYTHONIOENCODING=cp1252\n"), ("missing_column", ""), ("locked", ""),
                                                ("missing_secret", ""), ("circular_import", ""), ("unawaited", ""), ("missing_risk_fields", "")]
            for (failure, extra) in failures {
                try "AGENT_FAIL=\(failure)\n\(extra)".write(to: service.folder.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
                let before = try Self.fixableState(service)
                let result = try service.grace.run(["boot"])
                #expect(result.status != 0, "\(failure): \(result.stdout)")
                #expect(try Self.fixableState(service) == before, "\(failure) changed what a fix would change")
            }
            // Every decision was an observation: no fix ran, none was counted, no approval waits.
            let runs = try service.query("SELECT DISTINCT status FROM playbook_runs").compactMap { $0["status"] as? String }
            #expect(runs == ["observed"], "\(runs)")
            #expect(try service.query("SELECT * FROM playbook_stats").isEmpty)
            #expect(try service.query("SELECT * FROM approval_requests").isEmpty)
            #expect(try service.query("SELECT * FROM verification_events").isEmpty)
            let observed = try service.query("SELECT DISTINCT pattern_id FROM playbook_runs").compactMap { $0["pattern_id"] as? String }
            #expect(Set(observed).count >= 6, "\(observed)")
        }

        /// What a fix could change: every file of the service outside its data folder, Grace's own
        /// .env, and the schema of the service's database.
        static func fixableState(_ service: ExampleService) throws -> [String: Data] {
            var state: [String: Data] = [:]
            let files = FileManager.default.enumerator(at: service.folder, includingPropertiesForKeys: [.isRegularFileKey])
            while let url = files?.nextObject() as? URL {
                let relative = String(url.path.dropFirst(service.folder.path.count))
                guard !relative.hasPrefix("/data/"), !relative.contains("__pycache__"),
                      (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
                state[relative] = try Data(contentsOf: url)
            }
            state["grace .env"] = FileManager.default.contents(atPath: service.grace.home.appendingPathComponent(".env").path) ?? Data()
            let schema = try service.query("SELECT name, sql FROM sqlite_master ORDER BY name", database: "agent-service/data/agent.db")
            state["schema"] = try JSONSerialization.data(withJSONObject: schema, options: [.sortedKeys])
            return state
        }

        @Test("missing required secret: the preflight names it and fills it before the service starts")
        func requiredSecretPreflight() throws {
            let service = try ExampleService(fail: "missing_secret", settings: ["GRACE_TARGET_REQUIRED_SECRETS": "OPENAI_API_KEY"])
            defer { service.remove() }
            try "OPENAI_API_KEY=sk-preflight-default\n".write(to: service.grace.home.appendingPathComponent("env.defaults"), atomically: true, encoding: .utf8)
            let result = try service.grace.run(["boot"])
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            #expect(try service.stage("target_preflight")["status"] as? String == "passed_after_heal")
            #expect(try service.stage("target_safe_mode_start")["status"] as? String == "passed")
        }

        @Test("locked database: waited out, WAL enabled, recovery verified")
        func lockedDatabase() throws {
            let service = try ExampleService(fail: "locked")
            defer { service.remove() }
            let result = try service.grace.run(["boot"])
            #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
            let healing = try attempts(service, stage: "target_safe_mode_start")
            #expect(healing.contains { $0["playbook_id"] as? String == "unlock_database" && $0["succeeded"] as? Bool == true }, "\(healing)")
            let mode = try service.query("PRAGMA journal_mode", database: "agent-service/data/agent.db")
            #expect(mode.first?["journal_mode"] as? String == "wal")
            #expect(try recoveries(service, pattern: "database_locked").first?["passed"] as? Int == 1)
        }

        @Test("missing column while running: migrations applied, service restarted, recovery verified in the timeline and audit log")
        func missingColumnAtRuntime() async throws {
            let service = try ExampleService(settings: ["GRACE_MAX_UNATTENDED_TIER": "tier_2"])
            defer { service.remove() }
            let grace = try RunningGrace(service.grace)
            defer { _ = grace.stop() }
            #expect(await service.isHealthy())
            let firstPID = try #require(service.servicePID)
            // Deploy code ahead of its schema: the new migration is there, but not applied yet.
            try FileManager.default.copyItem(at: service.folder.appendingPathComponent("pending/002_add_passed.sql"),
                                             to: service.folder.appendingPathComponent("migrations/002_add_passed.sql"))
            try "missing_column".write(to: service.folder.appendingPathComponent("agent.fail"), atomically: true, encoding: .utf8)
            // The verification event is written first and the timeline step that names it next,
            // so wait for both rather than reading the steps the moment the event appears.
            let verified = try await eventually {
                try recoveries(service, pattern: "verification_events_schema_mismatch").contains { $0["passed"] as? Int == 1 }
                    && !service.query("""
                        SELECT 1 FROM agent_steps s JOIN agent_runs r ON r.run_id = s.run_id
                        WHERE r.kind = 'target' AND s.step_type = 'verification'
                        """).isEmpty
            }
            #expect(verified)
            #expect(await service.isHealthy())
            #expect(service.servicePID != firstPID, "the service was restarted after the fix")
            let columns = try service.query("PRAGMA table_info(verification_events)", database: "agent-service/data/agent.db")
            #expect(columns.contains { $0["name"] as? String == "passed" })
            let steps = try service.query("""
                SELECT s.step_type FROM agent_steps s JOIN agent_runs r ON r.run_id = s.run_id WHERE r.kind = 'target'
                """)
            let types = Set(steps.compactMap { $0["step_type"] as? String })
            #expect(types.isSuperset(of: ["failure_detected", "playbook_execution", "healthy", "verification"]), "\(types)")
            let audit = try service.query("SELECT action FROM immutable_log WHERE action = 'playbook.execute'")
            #expect(!audit.isEmpty)
            let (status, body) = try await grace.get("/health")
            #expect(status == 200)
            let health = try #require(try JSONSerialization.jsonObject(with: body) as? [String: Any])
            let target = try #require(health["target"] as? [String: Any])
            #expect(target["phase"] as? String == "healthy")
            let (_, dashboardBody) = try await grace.get("/api/startup/dashboard")
            let dashboard = try #require(try JSONSerialization.jsonObject(with: dashboardBody) as? [String: Any])
            let summary = try #require(dashboard["service"] as? [String: Any])
            #expect(summary["run_id"] as? String == target["run_id"] as? String)
            #expect(summary["status"] as? String == "active")
            let text = try service.grace.run(["dashboard", "--url", "http://127.0.0.1:\(grace.port)"])
            #expect(text.stdout.contains("Supervised service") && text.stdout.contains("running"), "\(text.stdout)")
        }

        @Test("missing column at the default tier: one approval; approved on the command line, the supervisor applies and verifies it")
        func missingColumnAfterApproval() async throws {
            let service = try ExampleService()
            defer { service.remove() }
            let grace = try RunningGrace(service.grace)
            defer { _ = grace.stop() }
            try FileManager.default.copyItem(at: service.folder.appendingPathComponent("pending/002_add_passed.sql"),
                                             to: service.folder.appendingPathComponent("migrations/002_add_passed.sql"))
            try "missing_column".write(to: service.folder.appendingPathComponent("agent.fail"), atomically: true, encoding: .utf8)
            let pendingSQL = "SELECT event_id FROM approval_requests WHERE status = 'pending' AND playbook_id = 'apply_pending_migrations'"
            #expect(try await eventually { !(try service.query(pendingSQL)).isEmpty })
            // The service keeps failing twice a second meanwhile; the failure is not asked about again.
            try await Task.sleep(for: .seconds(2))
            let pending = try service.query(pendingSQL)
            #expect(pending.count == 1, "\(pending)")
            let id = try #require(pending.first?["event_id"] as? String)
            // Running is not healthy while it throws: the dashboard says which failure it shows.
            let dashboard = try service.grace.run(["dashboard", "--json", "--url", "http://127.0.0.1:\(grace.port)"])
            let summary = try JSONSerialization.jsonObject(with: Data(dashboard.stdout.utf8)) as? [String: Any]
            let state = (summary?["service"] as? [String: Any])?["state"] as? String
            #expect(state == "running with errors (verification_events_schema_mismatch)", "\(dashboard.stdout)")
            let approved = try service.grace.run(["approvals", "approve", id, "--by", "e2e"])
            #expect(approved.status == 0, "\(approved.stdout)\(approved.stderr)")
            #expect(try await eventually {
                try recoveries(service, pattern: "verification_events_schema_mismatch").contains { $0["passed"] as? Int == 1 }
            })
            let executed = try service.query("SELECT status FROM approval_requests WHERE event_id = '\(id)'")
            // The approval ends with its fix's verified outcome, linked to the playbook run.
            #expect(try await eventually {
                try service.query("SELECT status FROM approval_requests WHERE event_id = '\(id)'").first?["status"] as? String == "succeeded"
            }, "\(executed)")
            let linked = try service.query("SELECT json_extract(details, '$.playbook_run_id') AS run FROM approval_requests WHERE event_id = '\(id)'")
            let playbookRun = try #require(linked.first?["run"] as? String)
            #expect(try service.query("SELECT status FROM playbook_runs WHERE id = '\(playbookRun)'").first?["status"] as? String == "succeeded")
            #expect(await service.isHealthy())
        }

        @Test("circular import: detected, an approval is pending, Grace serves on with a partial boot")
        func circularImport() throws {
            let service = try ExampleService(fail: "circular_import")
            defer { service.remove() }
            let result = try service.grace.run(["boot"])
            #expect(result.status == 5, "\(result.stdout)\n\(result.stderr)")
            let healing = try attempts(service, stage: "target_safe_mode_start")
            #expect(healing.contains { $0["playbook_id"] as? String == "fix_circular_imports" && $0["decision"] as? String == "await_approval" })
            let approvals = try service.grace.run(["approvals", "list"])
            #expect(approvals.stdout.contains("fix_circular_imports"), "\(approvals.stdout)")
            #expect(try service.stage("target_bring_up")["status"] as? String == "skipped")
            // A partial boot is `partial` in the store, not `success`, and so in `grace dashboard --json`.
            #expect(try service.query("SELECT status FROM agent_runs WHERE kind = 'boot'").map { $0["status"] as? String } == ["partial"])
            let dashboard = try service.grace.run(["dashboard", "--json"])
            let summary = try JSONSerialization.jsonObject(with: Data(dashboard.stdout.utf8)) as? [String: Any]
            #expect(summary?["boot_status"] as? String == "partial" && (summary?["last_boot"] as? [String: Any])?["status"] as? String == "partial",
                    "\(dashboard.stdout)")
            // Each stage step starts when the stage starts, ends after it, and lies inside its run.
            let stages = try service.query("""
                SELECT s.description, s.timestamp AS started, s.ended_at AS ended, r.started_at AS run_start, r.ended_at AS run_end
                FROM agent_steps s JOIN agent_runs r USING (run_id) WHERE r.kind = 'boot' AND s.status IN ('success', 'failed')
                """)
            #expect(stages.count >= 5, "\(stages)")
            for stage in stages {
                let started = try #require(stage["started"] as? String), ended = try #require(stage["ended"] as? String, "\(stage)")
                let runStart = try #require(stage["run_start"] as? String), runEnd = try #require(stage["run_end"] as? String)
                #expect(runStart <= started && started <= ended && ended <= runEnd, "\(stage)")
            }
            // The same failure boot after boot: one pending approval, not one per boot.
            for _ in 0..<2 { #expect(try service.grace.run(["boot"]).status == 5) }
            let pending = try service.query("SELECT event_id FROM approval_requests WHERE status = 'pending' AND pattern_id = 'circular_import_avn_models'")
            #expect(pending.count == 1, "\(pending)")
            #expect(try service.query("SELECT status FROM agent_runs WHERE kind = 'boot'").map { $0["status"] as? String } == ["partial", "partial", "partial"])
        }

        @Test("a failed service boot restores its database and env file byte for byte; Grace's own files stay")
        func serviceRollback() throws {
            let service = try ExampleService()
            defer { service.remove() }
            #expect(try service.grace.run(["boot"]).status == 0)
            let database = service.folder.appendingPathComponent("data/agent.db")
            let envFile = service.folder.appendingPathComponent(".env")
            let before = try Data(contentsOf: database)
            // A new migration and a broken start: the migration is applied, then the start fails.
            try FileManager.default.copyItem(at: service.folder.appendingPathComponent("pending/002_add_passed.sql"),
                                             to: service.folder.appendingPathComponent("migrations/002_add_passed.sql"))
            try "AGENT_FAIL=circular_import\n".write(to: envFile, atomically: true, encoding: .utf8)
            let envBefore = try Data(contentsOf: envFile)
            let result = try service.grace.run(["boot"])
            #expect(result.status == 5, "\(result.stdout)\(result.stderr)")
            #expect(try service.stage("target_migrations")["status"] as? String == "passed")
            #expect(try Data(contentsOf: database) == before, "the service's database is back to its pre-boot bytes")
            #expect(try Data(contentsOf: envFile) == envBefore)
            let columns = try service.query("PRAGMA table_info(verification_events)", database: "agent-service/data/agent.db")
            #expect(!columns.contains { $0["name"] as? String == "passed" })
            let report = try service.lastReport()
            #expect(report["rolled_back"] as? Bool == false, "Grace's own boot did not roll back")
            #expect(try service.query("SELECT sequence FROM immutable_log WHERE action = 'boot.partial'").count == 1)
        }

        @Test("missing risk fields: detected, and the medium-risk fix waits for approval at the default tier")
        func missingRiskFields() throws {
            let service = try ExampleService(fail: "missing_risk_fields")
            defer { service.remove() }
            let result = try service.grace.run(["boot"])
            #expect(result.status == 5, "\(result.stdout)\n\(result.stderr)")
            let healing = try attempts(service, stage: "target_safe_mode_start")
            #expect(healing.contains { $0["pattern_id"] as? String == "playbook_missing_risk_fields" && $0["decision"] as? String == "await_approval" },
                    "\(healing)")
            let pending = try service.query("SELECT playbook_id FROM approval_requests WHERE status = 'pending'")
            #expect(pending.contains { $0["playbook_id"] as? String == "apply_pending_migrations" })
        }

        @Test("un-awaited coroutine: detected, and a developer is asked to fix it")
        func unawaitedCoroutine() throws {
            let service = try ExampleService(fail: "unawaited")
            defer { service.remove() }
            let result = try service.grace.run(["boot"])
            #expect(result.status == 5, "\(result.stdout)\n\(result.stderr)")
            let healing = try attempts(service, stage: "target_safe_mode_start")
            let attempt = try #require(healing.first { $0["playbook_id"] as? String == "verify_async_subscriptions" })
            #expect(attempt["succeeded"] as? Bool == false)
            #expect((attempt["detail"] as? String)?.contains("human action required") == true)
            // Not a failure: the fix waits for the developer to confirm it, and counts only then.
            let waiting = try service.query(
                "SELECT event_id FROM approval_requests WHERE status = 'pending' AND json_extract(details, '$.awaiting') = 'confirmation'")
            let id = try #require(waiting.first?["event_id"] as? String, "\(waiting)")
            #expect(try service.query("SELECT attempts FROM playbook_stats WHERE playbook_id = 'verify_async_subscriptions'").isEmpty)
            let confirmed = try service.grace.run(["approvals", "confirm", id, "--reason", "awaited the coroutine"])
            #expect(confirmed.status == 0 && confirmed.stdout.contains("counts as succeeded"), "\(confirmed.stdout)\(confirmed.stderr)")
            #expect(try service.query("SELECT status FROM approval_requests WHERE event_id = '\(id)'").first?["status"] as? String == "succeeded")
            let stats = try service.query("SELECT attempts, successes FROM playbook_stats WHERE playbook_id = 'verify_async_subscriptions'")
            #expect(stats.first?["attempts"] as? Int == 1 && stats.first?["successes"] as? Int == 1, "\(stats)")
            let verification = try service.query("SELECT passed FROM verification_events WHERE verification_type = 'human_confirmation'")
            #expect(verification.first?["passed"] as? Int == 1)
            // Confirming twice is refused.
            #expect(try service.grace.run(["approvals", "confirm", id]).status != 0)
        }

        @Test("killing Grace with SIGKILL leaves no service process behind")
        func noOrphans() async throws {
            let service = try ExampleService()
            defer { service.remove() }
            let grace = try RunningGrace(service.grace)
            #expect(await service.isHealthy())
            let pid = try #require(service.servicePID)
            #expect(kill(pid, 0) == 0)
            kill(grace.process.processIdentifier, SIGKILL)
            grace.process.waitUntilExit()
            #expect(await eventually(15) { kill(pid, 0) != 0 }, "service pid \(pid) outlived Grace")
        }

        @Test("grace stop stops the service first, and one that ignores SIGTERM is killed after the stop timeout")
        func cleanShutdown() async throws {
            var service = try ExampleService()
            defer { service.remove() }
            // No health URL: running for the settle time counts as healthy. The shell ignores SIGTERM.
            service.grace.environment["GRACE_TARGET_HEALTH_URL"] = nil
            service.grace.environment["GRACE_TARGET_COMMAND"] = "trap '' TERM; echo $$ > data/shell.pid; while true; do sleep 0.2; done"
            try FileManager.default.createDirectory(at: service.folder.appendingPathComponent("data"), withIntermediateDirectories: true)
            let grace = try RunningGrace(service.grace)
            let pidText = try String(contentsOf: service.folder.appendingPathComponent("data/shell.pid"), encoding: .utf8)
            let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(kill(pid, 0) == 0)
            let stopped = try service.grace.run(["stop"])
            #expect(stopped.status == 0, "\(stopped.stdout)\(stopped.stderr)")
            #expect(grace.stop() == 0)
            #expect(await eventually(15) { kill(pid, 0) != 0 }, "the service (pid \(pid)) outlived a graceful stop")
            let log = try String(contentsOf: service.grace.home.appendingPathComponent("logs/grace.jsonl"), encoding: .utf8)
            #expect(log.contains("\"event_type\":\"target_start\""))
        }

        @Test("SIGTERM during the boot stops it after the current stage: no rollback, no service left, exit 0")
        func stopDuringBoot() async throws {
            // A long settle time keeps the boot in its safe-mode start until the stop interrupts it.
            let service = try ExampleService(settings: ["GRACE_TARGET_SETTLE_SECONDS": "120"])
            defer { service.remove() }
            let process = service.grace.makeProcess(["up"])
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // The safe-mode start is under way once the service wrote its pid.
            #expect(await eventually(30) { service.servicePID != nil })
            let pid = try #require(service.servicePID)
            process.terminate()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(await eventually(15) { kill(pid, 0) != 0 }, "the service (pid \(pid)) outlived the stop")
            let report = try service.lastReport()
            #expect(report["boot_status"] as? String == "partial")
            #expect(report["rolled_back"] as? Bool == false)
            let stages = try #require(report["stages"] as? [[String: Any]])
            #expect(stages.last?["status"] as? String == "skipped")
            #expect(FileManager.default.fileExists(atPath: service.folder.appendingPathComponent("data/agent.db").path),
                    "the service's migrated database was kept")
        }

        @Test("a service that keeps crashing is restarted with backoff, then given up as a crash loop")
        func crashLoop() async throws {
            let service = try ExampleService(settings: [
                "GRACE_TARGET_MAX_RESTARTS": "2", "GRACE_TARGET_BACKOFF_MS": "50",
            ])
            defer { service.remove() }
            let grace = try RunningGrace(service.grace)
            defer { _ = grace.stop() }
            #expect(await service.isHealthy())
            // From now on every start fails at once.
            try "circular_import".write(to: service.folder.appendingPathComponent("agent.fail"), atomically: true, encoding: .utf8)
            let pid = try #require(service.servicePID)
            kill(pid, SIGKILL)
            let gaveUp = try await eventually {
                !(try service.query("SELECT sequence FROM immutable_log WHERE action = 'target.crash_loop'")).isEmpty
            }
            #expect(gaveUp)
            let exits = try service.query("SELECT sequence FROM immutable_log WHERE action = 'target.exit'")
            #expect(exits.count == 3, "the first crash and two restarts")
            let (status, body) = try await grace.get("/health")
            #expect(status == 200)
            let target = try #require((try JSONSerialization.jsonObject(with: body) as? [String: Any])?["target"] as? [String: Any])
            #expect(target["phase"] as? String == "crash_loop")
        }
    }
}
