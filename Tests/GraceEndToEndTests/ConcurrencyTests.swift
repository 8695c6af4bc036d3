import Foundation
import Synchronization
import Testing

extension EndToEnd {
    /// Concurrency (issue 8): 64 writers through the API for `GRACE_SOAK_SECONDS` (default 60) seconds,
    /// with zero "database is locked" errors and zero 5xx, and every acknowledged write stored.
    @Suite(.serialized) struct ConcurrencyTests {
        /// What the writers saw, tallied across all of them.
        struct Tally: Sendable {
            var requests = 0
            var byStatus: [Int: Int] = [:]
            var transportErrors: [String] = []
            var lockedReplies = 0
            var acknowledgedSteps = 0
        }

        /// The tally shared by the writers.
        final class SharedTally: Sendable {
            private let state = Mutex(Tally())

            func update(_ change: (inout Tally) -> Void) { state.withLock { change(&$0) } }
            var current: Tally { state.withLock { $0 } }
        }

        static var soakSeconds: Double {
            ProcessInfo.processInfo.environment["GRACE_SOAK_SECONDS"].flatMap(Double.init) ?? 60
        }

        @Test func sixtyFourWritersForAMinuteNeverSeeALockOrA5xx() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let server = try RunningGrace(grace)
            let writers = 64
            let client = LoopbackClient(port: server.port, connections: writers)
            let tally = SharedTally()
            let deadline = ContinuousClock.now + .seconds(Self.soakSeconds)

            // Each writer cycles through every kind of write: start a run, add a step, mark it done,
            // and after 12 steps complete the run and start the next.
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var run: String?
                        var pendingStep: String?
                        var stepsInRun = 0
                        var sequence = 0
                        while ContinuousClock.now < deadline {
                            sequence += 1
                            let request: (String, String, [String: Any]?)
                            if let current = run, let step = pendingStep {
                                request = ("PATCH", "/api/agent/runs/\(current)/steps/\(step)", ["status": "success", "duration_ms": 2])
                            } else if let current = run, stepsInRun >= 12 {
                                request = ("PUT", "/api/agent/runs/\(current)/complete?status=success", nil)
                            } else if let current = run {
                                request = ("POST", "/api/agent/runs/\(current)/steps",
                                           ["step_id": "step_w\(writer)_\(sequence)", "step_type": "soak", "description": "writer \(writer)", "status": "running"])
                            } else {
                                request = ("POST", "/api/agent/runs?trigger=manual&subsystem=soak\(writer)", nil)
                            }
                            do {
                                let reply = try await client.send(request.0, request.1, json: request.2)
                                let locked = reply.text.localizedCaseInsensitiveContains("database is locked")
                                var created: String?
                                if request.0 == "POST", request.2 == nil, reply.status == 200 { created = try? reply.object()["run_id"] as? String }
                                tally.update {
                                    $0.requests += 1
                                    $0.byStatus[reply.status, default: 0] += 1
                                    if locked { $0.lockedReplies += 1 }
                                    if request.0 == "POST", request.2 != nil, reply.status == 200 { $0.acknowledgedSteps += 1 }
                                }
                                guard (200..<300).contains(reply.status) else { continue }
                                switch request.0 {
                                case "PUT": (run, stepsInRun) = (nil, 0)
                                case "PATCH": (pendingStep, stepsInRun) = (nil, stepsInRun + 1)
                                case "POST" where request.2 != nil: pendingStep = "step_w\(writer)_\(sequence)"
                                default: run = created
                                }
                            } catch {
                                tally.update { $0.transportErrors.append("\(request.0) \(request.1): \(error)") }
                            }
                        }
                    }
                }
            }
            let result = tally.current
            print("concurrency: \(writers) writers, \(Self.soakSeconds) s, \(result.requests) requests, statuses \(result.byStatus.sorted { $0.key < $1.key })")
            let reader = LoopbackClient(port: server.port)
            let health = try await reader.send("GET", "/health")
            #expect(server.stop() == 0)

            let serverErrors = result.byStatus.filter { $0.key >= 500 }
            #expect(serverErrors.isEmpty, "5xx replies: \(serverErrors)")
            #expect(result.lockedReplies == 0)
            #expect(result.transportErrors.isEmpty, "\(result.transportErrors.prefix(5))")
            // Every writer wrote; only 2xx came back (a 4xx would mean the test's own requests are wrong).
            #expect(result.requests >= writers * 4, "only \(result.requests) requests in \(Self.soakSeconds)s: \(result.byStatus)")
            #expect(result.byStatus.keys.allSatisfy { (200..<300).contains($0) }, "\(result.byStatus)")
            #expect(health.status == 200)

            let logs = try String(contentsOf: grace.home.appendingPathComponent("logs/grace.jsonl"), encoding: .utf8)
            #expect(!logs.localizedCaseInsensitiveContains("database is locked"))
            // Every acknowledged step is stored (counted with the sqlite3 CLI on the closed database).
            let count = try grace.sqlite("SELECT count(*) FROM agent_steps WHERE step_type = 'soak'")
            #expect(Int(count) == result.acknowledgedSteps, "stored \(count), acknowledged \(result.acknowledgedSteps)")
        }
    }
}
