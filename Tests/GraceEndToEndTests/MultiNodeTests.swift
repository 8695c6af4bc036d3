import Foundation
import Synchronization
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension EndToEnd {
    /// Two `grace up` nodes on one PostgreSQL (`GRACE_TEST_POSTGRES_URL`, started by `.ci/run` with
    /// scripts/pg-test-server.sh): shared runs, approvals executed once by their node, one audit
    /// chain, and no acknowledged step lost when PostgreSQL restarts mid-ingest.
    @Suite(.serialized, .disabled(if: ProcessInfo.processInfo.environment["GRACE_TEST_POSTGRES_URL"] == nil,
                                  "GRACE_TEST_POSTGRES_URL is not set: the multi-node tests need a PostgreSQL server (scripts/pg-test-server.sh start)"))
    struct MultiNodeTests {
        static let serverURL = ProcessInfo.processInfo.environment["GRACE_TEST_POSTGRES_URL"] ?? ""
        static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/pg-test-server.sh").path

        /// A new, empty database on the test server; its URL.
        static func freshDatabase() throws -> String {
            let name = "grace_e2e_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try psql(serverURL, "CREATE DATABASE \(name)")
            var components = URLComponents(string: serverURL)!
            components.path = "/" + name
            return components.string!
        }

        @discardableResult
        static func psql(_ url: String, _ sql: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
            process.arguments = [url, "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-c", sql]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "psql failed: \(sql)")
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// Runs scripts/pg-test-server.sh with its state in `folder`; what it printed.
        ///
        /// Not through Foundation's Process: `start` and `restart` leave a server running that inherits
        /// the child's descriptors, and Process then never sees the child end. posix_spawn and waitpid
        /// on a thread outside the test pool wait for the script alone.
        @discardableResult
        static func pgServer(_ command: String, folder: String) async throws -> String {
            let output = folder + ".out"
            let arguments = ["/bin/bash", "-c", "exec \"$0\" \"$1\" > \"$2\" 2>&1 < /dev/null", script, command, output]
            var environment = ProcessInfo.processInfo.environment
            environment["PG_TEST_SERVER_DIR"] = folder
            let status = try await spawn(arguments, environment: environment)
            let printed = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(atPath: output)
            try #require(status == 0, "pg-test-server.sh \(command) failed (\(status)): \(printed)")
            return printed.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// The exit status of `arguments` (the first is the executable's path).
        static func spawn(_ arguments: [String], environment: [String: String]) async throws -> Int32 {
            try await withCheckedThrowingContinuation { continuation in
                Thread.detachNewThread {
                    let argv = arguments.map { strdup($0) } + [nil]
                    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
                    defer { (argv + envp).forEach { free($0) } }
                    var pid = pid_t()
                    let spawned = posix_spawn(&pid, arguments[0], nil, nil, argv, envp)
                    guard spawned == 0 else {
                        continuation.resume(throwing: POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL))
                        return
                    }
                    var status: Int32 = 0
                    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                    // Exited normally: the exit code; anything else (a signal) counts as a failure.
                    continuation.resume(returning: (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1)
                }
            }
        }

        static func node(_ name: String, database: String) throws -> GraceBinary {
            var binary = try GraceBinary()
            binary.environment["GRACE_DATABASE_URL"] = database
            binary.environment["GRACE_NODE_ID"] = name
            // Approvals run only where execution is enabled (observe-only claims nothing).
            binary.environment["SELF_HEAL_EXECUTE"] = "true"
            binary.environment["SELF_HEAL_OBSERVE_ONLY"] = "false"
            return binary
        }

        static func request(_ method: String, _ node: RunningGrace, _ path: String, json: [String: Any]? = nil) async throws -> (Int, [String: Any]) {
            var request = URLRequest(url: URL(string: "http://127.0.0.1:\(node.port)\(path)")!)
            request.httpMethod = method
            if let json {
                request.httpBody = try JSONSerialization.data(withJSONObject: json)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
            return ((response as! HTTPURLResponse).statusCode, object)
        }

        @Test func twoNodesShareRunsApprovalsAndOneAuditChain() async throws {
            let database = try Self.freshDatabase()
            let binaryA = try Self.node("node-a", database: database), binaryB = try Self.node("node-b", database: database)
            defer { binaryA.remove(); binaryB.remove() }
            let a = try RunningGrace(binaryA), b = try RunningGrace(binaryB)
            defer { _ = a.stop(); _ = b.stop() }

            let (healthStatus, health) = try await Self.request("GET", a, "/health")
            #expect(healthStatus == 200 && health["store"] as? String == "postgres" && health["node_id"] as? String == "node-a")

            // Runs posted to each node appear in the other's API, with the node that recorded them.
            let (_, runA) = try await Self.request("POST", a, "/api/agent/runs?trigger=manual&subsystem=shared")
            let (_, runB) = try await Self.request("POST", b, "/api/agent/runs?trigger=manual&subsystem=shared")
            let idA = try #require(runA["run_id"] as? String), idB = try #require(runB["run_id"] as? String)
            let (seenStatus, seenOnB) = try await Self.request("GET", b, "/api/agent/runs/\(idA)")
            #expect(seenStatus == 200 && seenOnB["node_id"] as? String == "node-a")
            // Node B's runs (its boot and the run posted to it), listed on node A.
            let (_, onlyB) = try await Self.request("GET", a, "/api/agent/runs?node=node-b")
            let listed = try #require(onlyB["runs"] as? [[String: Any]])
            #expect(listed.contains { $0["run_id"] as? String == idB } && !listed.contains { $0["run_id"] as? String == idA })
            #expect(listed.allSatisfy { $0["node_id"] as? String == "node-b" })
            #expect(listed.contains { $0["kind"] as? String == "boot" })

            // Concurrent steps from both nodes into one run are all stored.
            let posted = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 {
                    let node = index.isMultiple(of: 2) ? a : b
                    group.addTask {
                        try await Self.request("POST", node, "/api/agent/runs/\(idA)/steps",
                                               json: ["step_type": "ingest", "description": "step \(index)", "status": "success"]).0
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(posted.allSatisfy { $0 == 200 })
            let (_, timeline) = try await Self.request("GET", b, "/api/agent/runs/\(idA)/timeline")
            #expect((timeline["steps"] as? [Any])?.count == 40)

            // An approval raised by node B, approved on node A, is executed once, by node B. It records
            // no failure to fix, so it ends `failed` (nothing ran) rather than claiming success.
            let approvalID = "apr_e2e_\(UUID().uuidString.prefix(8).lowercased())"
            try Self.psql(database, """
                INSERT INTO approval_requests (event_id, status, requested_by, reason, playbook_id, created_at, node_id)
                VALUES ('\(approvalID)', 'pending', 'grace', 'e2e', 'restart_service', '2026-01-01T00:00:00.000Z', 'node-b')
                """)
            let (approveStatus, approved) = try await Self.request("POST", a, "/api/approvals/\(approvalID)/approve", json: ["reason": "e2e"])
            #expect(approveStatus == 200 && approved["status"] as? String == "approved")
            var status = ""
            for _ in 0..<600 where status != "failed" {
                status = try Self.psql(database, "SELECT status FROM approval_requests WHERE event_id = '\(approvalID)'")
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(status == "failed")
            // Both nodes keep polling; a few more polls must not run it again.
            try await Task.sleep(for: .seconds(3))
            let executions = try Self.psql(database, """
                SELECT string_agg(node_id, ',') FROM immutable_log WHERE action = 'approval.execute' AND resource = 'approval/\(approvalID)'
                """)
            #expect(executions == "node-b")

            #expect(a.stop() == 0)
            #expect(b.stop() == 0)
            // One chain, appended by both nodes, verifies from either home.
            let verify = try binaryB.run(["audit", "verify"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            #expect(verify.stdout.contains("audit chain intact"))
            let nodes = try Self.psql(database, "SELECT string_agg(DISTINCT node_id, ',' ORDER BY node_id) FROM immutable_log")
            #expect(nodes == "node-a,node-b")
        }

        @Test func restartingPostgresMidIngestLosesNoAcknowledgedStep() async throws {
            try await Self.withServerOfItsOwn(ingestAcrossARestart)
        }

        @Test func anOutageIsReportedAndAChangeThatCannotBeStoredIs503() async throws {
            try await Self.withServerOfItsOwn(reportAnOutage)
        }

        /// Runs `body` with a PostgreSQL of its own (its URL and state folder), stopped however
        /// `body` ends: restarting or halting the shared server would disturb the tests beside it.
        static func withServerOfItsOwn(_ body: (_ database: String, _ folder: String) async throws -> Void) async throws {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("grace-pg-\(UUID().uuidString)").path
            // The URL is the last line printed: the script's tools may warn before it.
            let database = String(try await pgServer("start", folder: folder).split(separator: "\n").last ?? "")
            do {
                try await body(database, folder)
            } catch {
                _ = try? await pgServer("stop", folder: folder)
                throw error
            }
            try await pgServer("stop", folder: folder)
        }

        private func reportAnOutage(database: String, folder: String) async throws {
            let binary = try Self.node("node-a", database: database)
            defer { binary.remove() }
            let node = try RunningGrace(binary)
            defer { _ = node.stop() }
            let (_, run) = try await Self.request("POST", node, "/api/agent/runs?trigger=manual&subsystem=outage")
            let runID = try #require(run["run_id"] as? String)

            try await Self.pgServer("halt", folder: folder)
            // While PostgreSQL is down: /health says so, and a change is refused with 503 (within the
            // store's deadline), never acknowledged.
            let (healthStatus, health) = try await Self.request("GET", node, "/health")
            #expect(healthStatus == 503 && health["status"] as? String != "ok", "\(health)")
            #expect((health["database"] as? String)?.contains("unavailable") == true, "\(health)")
            let (stepStatus, refused) = try await Self.request("POST", node, "/api/agent/runs/\(runID)/steps",
                                                              json: ["step_id": "stp_outage", "step_type": "ingest", "description": "during the outage", "status": "success"])
            #expect(stepStatus == 503 && (refused["error"] as? [String: Any])?["code"] as? String == "store_unavailable", "\(stepStatus) \(refused)")
            // Neither answer names the database's user, host or port (issue 14): both name the backend.
            let address = try #require(URLComponents(string: database))
            for answer in ["\(health)", "\(refused)"] {
                #expect(answer.contains("postgresql"), "\(answer)")
                for leak in ["\(address.user ?? "grace")@", "\(address.host ?? "127.0.0.1"):\(address.port ?? 5432)", ":\(address.port ?? 5432)"] {
                    #expect(!answer.contains(leak), "\(answer) names \(leak)")
                }
            }

            try await Self.pgServer("resume", folder: folder)
            var healthy = false
            for _ in 0..<100 where !healthy {
                healthy = (try? await Self.request("GET", node, "/health").0) == 200
                if !healthy { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(healthy)
            let (afterStatus, _) = try await Self.request("POST", node, "/api/agent/runs/\(runID)/steps",
                                                          json: ["step_id": "stp_after", "step_type": "ingest", "description": "after", "status": "success"])
            #expect(afterStatus == 200)
            let stored = try Self.psql(database, "SELECT string_agg(step_id, ',' ORDER BY step_id) FROM agent_steps WHERE run_id = '\(runID)'")
            #expect(stored == "stp_after")
            #expect(node.stop() == 0)
        }

        private func ingestAcrossARestart(database: String, folder: String) async throws {
            let binaryA = try Self.node("node-a", database: database), binaryB = try Self.node("node-b", database: database)
            defer { binaryA.remove(); binaryB.remove() }
            let a = try RunningGrace(binaryA), b = try RunningGrace(binaryB)
            defer { _ = a.stop(); _ = b.stop() }
            let (_, run) = try await Self.request("POST", a, "/api/agent/runs?trigger=manual&subsystem=ingest")
            let runID = try #require(run["run_id"] as? String)

            // Four writers post steps with known ids before, during and after a PostgreSQL restart.
            let restarted = Flag()
            async let outcomes = withThrowingTaskGroup(of: [(String, Int)].self) { group in
                for writer in 0..<4 {
                    let node = writer.isMultiple(of: 2) ? a : b
                    group.addTask {
                        var results: [(String, Int)] = []
                        var afterRestart = 0
                        for index in 0..<10_000 where afterRestart < 20 {
                            if restarted.isSet { afterRestart += 1 }
                            let stepID = "stp_w\(writer)_\(index)"
                            let status = (try? await Self.request("POST", node, "/api/agent/runs/\(runID)/steps", json: [
                                "step_id": stepID, "step_type": "ingest", "description": "\(index)", "status": "success",
                            ]).0) ?? -1
                            results.append((stepID, status))
                        }
                        return results
                    }
                }
                return try await group.reduce(into: [(String, Int)]()) { $0 += $1 }
            }
            try await Task.sleep(for: .milliseconds(300))
            try await Self.pgServer("restart", folder: folder)
            restarted.set()
            let results = try await outcomes

            let acknowledged = Set(results.filter { (200..<300).contains($0.1) }.map(\.0))
            let refused = results.filter { !(200..<300).contains($0.1) }
            // A step that could not be stored is answered 503, never a success and never a 500.
            #expect(refused.allSatisfy { $0.1 == 503 || $0.1 == 409 }, "\(refused)")
            let stored = Set(try Self.psql(database, "SELECT step_id FROM agent_steps WHERE run_id = '\(runID)'")
                .split(separator: "\n").map(String.init))
            #expect(acknowledged.isSubset(of: stored), "lost: \(acknowledged.subtracting(stored).sorted())")
            #expect(!acknowledged.isEmpty)

            // The nodes are healthy again once the server is back.
            var healthy = false
            for _ in 0..<100 where !healthy {
                healthy = (try? await Self.request("GET", b, "/health").0) == 200
                if !healthy { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(healthy)
        }
    }
}

/// A flag one task sets and others read.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}
