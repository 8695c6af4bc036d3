import Foundation
import Synchronization
import Testing

extension EndToEnd {
    /// Crash safety (issue 8): concurrent clients ingest steps, the server is SIGKILLed at a random
    /// moment, and after a restart every acknowledged step is there, the audit chain verifies and the
    /// boot reports the unclean shutdown.
    @Suite(.serialized) struct CrashSafetyTests {
        /// The step ids the server answered 2xx for, across all clients.
        final class Acknowledged: Sendable {
            private let ids = Mutex<[String: [String]]>([:])

            func add(_ step: String, run: String) { ids.withLock { $0[run, default: []].append(step) } }
            var byRun: [String: [String]] { ids.withLock { $0 } }
            var count: Int { ids.withLock { $0.values.reduce(0) { $0 + $1.count } } }
        }

        /// Tells the clients to stop once the server is dead.
        final class Flag: Sendable {
            private let value = Atomic<Bool>(false)

            var isSet: Bool { value.load(ordering: .relaxed) }
            func set() { value.store(true, ordering: .relaxed) }
        }

        @Test func everyAcknowledgedStepSurvivesASigkill() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let server = try RunningGrace(grace)
            let clients = 8
            let client = LoopbackClient(port: server.port, connections: clients)
            var created: [String] = []
            for index in 0..<4 { created.append(try await client.createRun(subsystem: "crash\(index)")) }
            let runs = created

            let acknowledged = Acknowledged()
            let stopping = Flag()
            // Any moment once writes are flowing: after at least 40 acknowledgements, plus up to 1.5 s.
            let extraDelay = Double.random(in: 0...1.5)
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<clients {
                    group.addTask {
                        var sequence = 0
                        while !stopping.isSet {
                            let run = runs[(worker + sequence) % runs.count]
                            let step = "step_c\(worker)_\(sequence)"
                            sequence += 1
                            let body: [String: Any] = ["step_id": step, "step_type": "crash_test", "description": "worker \(worker) step \(sequence)",
                                                       "status": "success", "duration_ms": 1]
                            guard let reply = try? await client.send("POST", "/api/agent/runs/\(run)/steps", json: body) else { continue }
                            if (200..<300).contains(reply.status) { acknowledged.add(step, run: run) }
                        }
                    }
                }
                group.addTask {
                    while acknowledged.count < 40 { try? await Task.sleep(for: .milliseconds(5)) }
                    try? await Task.sleep(for: .seconds(extraDelay))
                    server.kill()
                    stopping.set()
                }
            }
            #expect(server.process.terminationReason == .uncaughtSignal)
            let pidFile = grace.home.appendingPathComponent("grace.pid").path
            #expect(FileManager.default.fileExists(atPath: pidFile), "a SIGKILLed server leaves its grace.pid behind")

            let restarted = try RunningGrace(grace)
            let reader = LoopbackClient(port: restarted.port)
            var missing: [String] = []
            for (run, steps) in acknowledged.byRun {
                let stored = Set(try await reader.stepIDs(run: run))
                missing += steps.filter { !stored.contains($0) }
            }
            #expect(acknowledged.count >= 40)
            #expect(missing.isEmpty, "acknowledged but lost after SIGKILL at +\(extraDelay)s: \(missing.prefix(10))")

            let report = try await reader.send("GET", "/api/boot/reports/last").object()
            #expect(report["unclean_shutdown_detected"] as? Bool == true)
            let audit = try await reader.send("GET", "/api/audit/verify").object()
            #expect(audit["intact"] as? Bool == true, "\(audit)")
            #expect(restarted.stop() == 0)

            let verify = try grace.run(["audit", "verify"])
            #expect(verify.status == 0 && verify.stdout.contains("intact"), "\(verify.stdout)\(verify.stderr)")
            #expect(restarted.printedOutput().contains("did not shut down cleanly"))
        }
    }
}
