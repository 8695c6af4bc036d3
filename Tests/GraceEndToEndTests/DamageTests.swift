import Foundation
import Testing

extension EndToEnd {
    /// Damage (issue 8), each through the `grace` binary: a clear message and a safe outcome (heal,
    /// rollback or refuse), never silent data loss. The table of cases is docs/fault-tolerance.md.
    @Suite(.serialized) struct DamageTests {
        enum Damage: String, CaseIterable, Sendable {
            case truncated, garbage, droppedTable, metricsGarbage

            var file: String { self == .metricsGarbage ? "databases/metrics.db" : "databases/grace.db" }

            /// What the boot report's evidence says about it.
            var evidence: String {
                switch self {
                case .truncated: "database disk image is malformed"
                case .garbage, .metricsGarbage: "not a SQLite database"
                case .droppedTable: "schema: missing table agent_steps"
                }
            }

            func apply(to grace: GraceBinary) throws {
                let url = grace.home.appendingPathComponent(file)
                switch self {
                case .truncated:
                    let data = try Data(contentsOf: url)
                    try data.prefix(data.count / 2).write(to: url)
                case .garbage, .metricsGarbage:
                    try Data((0..<48 * 1024).map { UInt8(truncatingIfNeeded: ($0 &* 7919) ^ ($0 >> 3)) }).write(to: url)
                case .droppedTable:
                    let output = try grace.sqlite("DROP TABLE agent_steps;")
                    #expect(output.isEmpty, "\(output)")
                }
            }
        }

        @Test(arguments: Damage.allCases)
        func aDamagedDatabaseIsRefusedUntouchedThenHealedFromASnapshot(damage: Damage) async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            // Two boots: the second one's pre-boot snapshot holds healthy copies of both databases.
            for _ in 0..<2 { #expect(try grace.run(["boot"]).status == 0) }
            try damage.apply(to: grace)
            let damagedURL = grace.home.appendingPathComponent(damage.file)
            let damaged = try Data(contentsOf: damagedURL)
            let name = damagedURL.lastPathComponent

            // Observe-only (the default): the boot refuses, names the file, and changes nothing.
            let refused = try grace.run(["up"])
            #expect(refused.status == 1)
            #expect(refused.stdout.contains("\(name) is damaged") && refused.stdout.contains("boot FAILED"), "\(refused.stdout)")
            let report = try String(contentsOf: grace.home.appendingPathComponent("logs/last_boot_report.txt"), encoding: .utf8)
            #expect(report.contains(damage.evidence) && report.contains("would restore \(name) from the newest healthy snapshot"), "\(report)")
            #expect(try Data(contentsOf: damagedURL) == damaged, "a refused boot changed \(name)")

            // Allowed to execute. A file whose rows can still be read (a dropped table leaves the
            // others readable) holds the second boot's rows, which the snapshot lacks: restoring
            // would discard them, so the boot stops and names the command that approves it.
            let execute = ["SELF_HEAL_EXECUTE": "true", "SELF_HEAL_OBSERVE_ONLY": "false"]
            let attempt = try grace.run(["boot"], extraEnvironment: execute)
            let asks = attempt.stdout.contains("would discard data newer than the snapshot")
            #expect(asks == (damage == .droppedTable) || damage == .truncated, "\(attempt.stdout)")
            var restoredByHand = false
            if asks {
                #expect(attempt.status == 1 && attempt.stdout.contains("agent_runs +"), "\(attempt.stdout)")
                #expect(try Data(contentsOf: damagedURL) == damaged, "an unapproved restore changed \(name)")
                let command = try #require(attempt.stdout.components(separatedBy: "grace snapshot restore ").dropFirst().first?
                    .components(separatedBy: "--discard-newer").first, "\(attempt.stdout)")
                let words = ["snapshot", "restore"] + command.split(separator: " ").map(String.init) + ["--discard-newer"]
                #expect(words.contains("--only") && words.contains(name), "\(words)")
                let approved = try grace.run(words)
                #expect(approved.status == 0, "\(approved.stdout)\(approved.stderr)")
                restoredByHand = true
            } else {
                #expect(attempt.status == 0, "\(attempt.stdout)")
                let last = try JSONSerialization.jsonObject(with: Data(contentsOf: grace.home.appendingPathComponent("logs/last_boot_report.json"))) as? [String: Any]
                let stages = last?["stages"] as? [[String: Any]] ?? []
                #expect(stages.first?["status"] as? String == "passed_after_heal", "\(stages.first ?? [:])")
            }

            let healed = try RunningGrace(grace, extraEnvironment: execute)
            let client = LoopbackClient(port: healed.port)
            let health = try await client.send("GET", "/health")
            #expect(health.status == 200, "\(health.text)")
            let runs = try await client.send("GET", "/api/agent/runs?kind=boot").object()["runs"] as? [[String: Any]] ?? []
            #expect(runs.count >= 3, "the boots recorded before the damage are back: \(runs.count)")
            #expect(healed.stop() == 0)

            let folder = damagedURL.deletingLastPathComponent()
            let label = restoredByHand ? ".replaced-" : ".damaged-"
            let kept = try FileManager.default.contentsOfDirectory(atPath: folder.path)
                .filter { $0.hasPrefix(name + label) && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
            #expect(kept.count == 1, "\(kept)")
            if let aside = kept.first { #expect(try Data(contentsOf: folder.appendingPathComponent(aside)) == damaged) }
            let verify = try grace.run(["audit", "verify"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }

        @Test func aCommandOnADamagedDatabaseExitsThreeNamingIt() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            #expect(try grace.run(["boot"]).status == 0)
            try Damage.truncated.apply(to: grace)
            let before = try Data(contentsOf: grace.home.appendingPathComponent("databases/grace.db"))
            for arguments in [["audit", "verify"], ["approvals", "list"], ["dashboard", "--json"]] {
                let result = try grace.run(arguments)
                #expect(result.status == 3 && result.stderr.contains("grace.db is damaged"), "\(arguments): \(result.status) \(result.stderr)")
            }
            #expect(try Data(contentsOf: grace.home.appendingPathComponent("databases/grace.db")) == before)
        }

        @Test func aKnowledgeBaseWithABrokenRegexIsNamedAndLeftAsItIs() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            #expect(try grace.run(["boot"]).status == 0)
            let file = grace.home.appendingPathComponent("grace_training/startup_failures/_metadata.json")
            var root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
            var patterns = try #require(root["patterns"] as? [[String: Any]])
            let id = try #require(patterns[0]["id"] as? String)
            patterns[0]["signatures"] = ["(unclosed[group"]
            root["patterns"] = patterns
            try JSONSerialization.data(withJSONObject: root).write(to: file)
            let broken = try Data(contentsOf: file)

            // The boot goes on without the knowledge base (a partial boot, exit 5) and says why.
            let boot = try grace.run(["boot"])
            #expect(boot.status == 5, "\(boot.stdout)")
            #expect(boot.stdout.contains("the knowledge base cannot be used") && boot.stdout.contains("boot PARTIAL"))
            let report = try String(contentsOf: grace.home.appendingPathComponent("logs/last_boot_report.txt"), encoding: .utf8)
            #expect(report.contains("pattern \(id)") && report.contains("invalid regular expression \"(unclosed[group\""), "\(report)")
            // Diagnosing needs the patterns: it refuses (exit 2) naming the pattern and the field.
            let diagnose = try grace.run(["diagnose", "/dev/null"])
            #expect(diagnose.status == 2)
            #expect(diagnose.stderr.contains("pattern \(id): field signatures[0]: invalid regular expression"), "\(diagnose.stderr)")
            #expect(try Data(contentsOf: file) == broken, "the user's file was rewritten")
        }

        @Test func anEnvFileThatIsNotUTF8StopsUpBeforeAnyDataIsTouched() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            #expect(try grace.run(["boot"]).status == 0)
            let database = grace.home.appendingPathComponent("databases/grace.db")
            let before = try Data(contentsOf: database)
            try Data([0x47, 0x52, 0x41, 0x43, 0x45, 0x5F, 0x50, 0x4F, 0x52, 0x54, 0x3D, 0xC3, 0x28, 0x0A]).write(to: grace.home.appendingPathComponent(".env"))
            let up = try grace.run(["up"])
            #expect(up.status == 2)
            #expect(up.stderr.contains(".env") && up.stderr.contains("not valid UTF-8"), "\(up.stderr)")
            #expect(try Data(contentsOf: database) == before)
            #expect(!FileManager.default.fileExists(atPath: grace.home.appendingPathComponent("grace.pid").path))
        }

        /// A real full disk: the home on a 64 MiB tmpfs (enough to pass the boot's free-space gate),
        /// then filled while the server runs.
        @Test func aFullDiskRefusesWritesClearlyAndLosesNothing() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            try Self.mount(["-t", "tmpfs", "-o", "size=64m", "tmpfs", grace.home.path])
            defer { try? Self.mount(["-l", grace.home.path], tool: "/bin/umount") }

            let server = try RunningGrace(grace)
            let client = LoopbackClient(port: server.port)
            let run = try await client.createRun(subsystem: "disk")
            var acknowledged: [String] = []
            for index in 0..<5 {
                let reply = try await client.send("POST", "/api/agent/runs/\(run)/steps", json: [
                    "step_id": "step_before_\(index)", "step_type": "disk", "description": "before", "status": "success"])
                if reply.status == 200 { acknowledged.append("step_before_\(index)") }
            }
            #expect(acknowledged.count == 5)

            let filler = grace.home.appendingPathComponent("filler")
            try Self.fill(filler)
            let padding = String(repeating: "x", count: 4000)
            var refusals: [HTTPReply] = []
            for index in 0..<40 {
                let reply = try await client.send("POST", "/api/agent/runs/\(run)/steps", json: [
                    "step_id": "step_full_\(index)", "step_type": "disk", "description": padding, "status": "success"])
                if reply.status == 200 { acknowledged.append("step_full_\(index)") } else { refusals.append(reply) }
            }
            #expect(!refusals.isEmpty, "40 writes of 4 KB fitted on a full disk")
            for reply in refusals {
                #expect(reply.status == 503 && reply.text.contains("disk is full") && reply.text.contains("not stored"), "\(reply.status) \(reply.text)")
            }
            // Reads go on while the disk is full.
            #expect(try await client.send("GET", "/health").status == 200)
            #expect(try await client.send("GET", "/api/agent/runs/\(run)/timeline").status == 200)

            try FileManager.default.removeItem(at: filler)
            let after = try await client.send("POST", "/api/agent/runs/\(run)/steps", json: [
                "step_id": "step_after", "step_type": "disk", "description": "after", "status": "success"])
            #expect(after.status == 200, "writes resume once there is space: \(after.text)")
            if after.status == 200 { acknowledged.append("step_after") }
            let stored = Set(try await client.stepIDs(run: run))
            #expect(acknowledged.allSatisfy { stored.contains($0) }, "lost: \(acknowledged.filter { !stored.contains($0) })")
            #expect(server.stop() == 0)
            let verify = try grace.run(["audit", "verify"])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            // The log file could not take the error lines either: the console has them, and every line
            // that did reach the file is whole.
            #expect(server.printedOutput().contains("the disk is full"))
            let logs = try String(contentsOf: grace.home.appendingPathComponent("logs/grace.jsonl"), encoding: .utf8)
            for line in logs.split(separator: "\n") {
                #expect(throws: Never.self, "a torn log line: \(line)") { try JSONSerialization.jsonObject(with: Data(line.utf8)) }
            }
        }

        private static func mount(_ arguments: [String], tool: String = "/bin/mount") throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            let err = Pipe()
            process.standardError = err
            try process.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                throw NSError(domain: "grace-e2e", code: 6, userInfo: [NSLocalizedDescriptionKey: "\(tool) \(arguments): \(message) (the full-disk test needs root)"])
            }
        }

        /// Writes zeros until the file system says no more.
        private static func fill(_ url: URL) throws {
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            let block = Data(count: 1 << 20)
            while (try? handle.write(contentsOf: block)) != nil {}
            // Whatever a partial block left free goes too.
            let small = Data(count: 512)
            while (try? handle.write(contentsOf: small)) != nil {}
        }
    }
}
