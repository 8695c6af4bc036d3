import Foundation
import Testing

extension EndToEnd {
    /// Restores that keep every byte they replace and write only into the home they were asked
    /// for; retention that never drops the last healthy copy (issue 14).
    @Suite(.serialized) struct SnapshotSafetyTests {
        static let execute = ["SELF_HEAL_EXECUTE": "true", "SELF_HEAL_OBSERVE_ONLY": "false"]

        static func newestSnapshot(_ grace: GraceBinary) throws -> String {
            let listed = try grace.run(["snapshot", "list", "--json"])
            let manifests = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
            return try #require(manifests.first?["snapshot_id"] as? String)
        }

        /// Each database file of a home with its inode: a restore renames a new file into place, so
        /// an inode that stayed says the file was never replaced (a serving Grace keeps writing to it).
        static func files(_ home: URL) throws -> [String: Int] {
            var result: [String: Int] = [:]
            let folder = home.appendingPathComponent("databases")
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
                result[name] = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)[.systemFileNumber] as? Int
            }
            return result
        }

        @Test func aCopiedHomeRestoresIntoItselfWhileTheOriginalServesUntouched() async throws {
            let original = try GraceBinary()
            defer { original.remove() }
            #expect(try original.run(["boot"]).status == 0)
            let serving = try RunningGrace(original)
            defer { _ = serving.stop() }
            let client = LoopbackClient(port: serving.port)
            var created: [String] = []
            for index in 0..<6 { created.append(try await client.createRun(subsystem: "acknowledged-\(index)")) }

            let copy = try GraceBinary(home: original.home.deletingLastPathComponent().appendingPathComponent("grace-e2e-copy-\(UUID().uuidString)"))
            defer { copy.remove() }
            try FileManager.default.removeItem(at: copy.home)
            let cp = Process()
            cp.executableURL = URL(fileURLWithPath: "/bin/cp")
            cp.arguments = ["-a", original.home.path, copy.home.path]
            try cp.run()
            cp.waitUntilExit()
            #expect(cp.terminationStatus == 0)
            let originalBefore = try Self.files(original.home)
            let id = try Self.newestSnapshot(copy)

            // The copy's live grace.db has the six runs the snapshot lacks: the restore stops and says so.
            let refused = try copy.run(["snapshot", "restore", id])
            #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
            #expect(refused.stderr.contains("would discard data newer than the snapshot") && refused.stderr.contains("agent_runs +7 (8 now, 1 in the snapshot)"),
                    "\(refused.stderr)")

            let restored = try copy.run(["snapshot", "restore", id, "--discard-newer"])
            #expect(restored.status == 0, "\(restored.stdout)\(restored.stderr)")
            #expect(restored.stdout.contains("restored grace.db"), "\(restored.stdout)")
            // The copy now holds the snapshot's runs; what it replaced is kept beside it, WAL and all.
            #expect(try copy.sqlite("SELECT count(*) FROM agent_runs WHERE subsystem LIKE 'acknowledged-%';") == "0")
            let kept = try FileManager.default.contentsOfDirectory(atPath: copy.home.appendingPathComponent("databases").path)
                .filter { $0.hasPrefix("grace.db.replaced-") }
            #expect(kept.contains { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }, "\(kept)")

            // The original was not touched: the same files (none replaced, none removed, its WAL
            // included), and every acknowledged run is still served.
            #expect(try Self.files(original.home) == originalBefore)
            for run in created {
                #expect(try await client.send("GET", "/api/agent/runs/\(run)").status == 200)
            }
            #expect(serving.stop() == 0)
            #expect(try original.run(["audit", "verify"]).status == 0)
        }

        @Test func aMovedHomeRestoresIntoItself() throws {
            let original = try GraceBinary()
            for _ in 0..<2 { #expect(try original.run(["boot"]).status == 0) }
            let moved = try GraceBinary(home: original.home.deletingLastPathComponent().appendingPathComponent("grace-e2e-moved-\(UUID().uuidString)"))
            defer { moved.remove(); original.remove() }
            try FileManager.default.removeItem(at: moved.home)
            try FileManager.default.moveItem(at: original.home, to: moved.home)
            let id = try Self.newestSnapshot(moved)
            let restored = try moved.run(["snapshot", "restore", id, "--discard-newer"])
            #expect(restored.status == 0, "\(restored.stdout)\(restored.stderr)")
            #expect(!FileManager.default.fileExists(atPath: original.home.path), "a restore wrote into the old home's path")
            #expect(try moved.run(["audit", "verify"]).status == 0)
        }

        @Test(arguments: ["grace.db", "metrics.db"])
        func repeatedFailedBootsKeepAHealthyCopyAndHealingKeepsTheWALBesideTheDamage(database: String) async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            for _ in 0..<2 { #expect(try grace.run(["boot"]).status == 0) }
            let file = grace.home.appendingPathComponent("databases/" + database)
            // A real WAL: another process committed rows and died before checkpointing them.
            _ = try SQLiteLocker(path: file.path, mode: .crash, rows: 40)
            let wal = try Data(contentsOf: URL(fileURLWithPath: file.path + "-wal"))
            #expect(!wal.isEmpty)
            let garbage = Data((0..<48 * 1024).map { UInt8(truncatingIfNeeded: ($0 &* 7919) ^ ($0 >> 3)) })
            try garbage.write(to: file)

            // Six failed boots, as Restart=always would run them, each snapshotting the damage.
            var names: Set<String> = []
            for _ in 0..<6 {
                let boot = try grace.run(["boot"])
                #expect(boot.status == 1)
                names.insert(try Self.newestSnapshot(grace))
            }
            #expect(names.count == 6, "snapshot names were reused: \(names)")
            #expect(try Data(contentsOf: file) == garbage)
            #expect(try Data(contentsOf: URL(fileURLWithPath: file.path + "-wal")) == wal, "a refused boot moved the WAL")

            // Healing still finds a healthy copy, and keeps the damaged file and its WAL together.
            let healed = try grace.run(["boot"], extraEnvironment: Self.execute)
            #expect(healed.status == 0, "\(healed.stdout)")
            let folder = file.deletingLastPathComponent()
            let aside = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(database + ".damaged-") }
            let main = try #require(aside.first { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }, "\(aside)")
            #expect(try Data(contentsOf: folder.appendingPathComponent(main)) == garbage)
            #expect(try Data(contentsOf: folder.appendingPathComponent(main + "-wal")) == wal)
            #expect(try grace.run(["audit", "verify"]).status == 0)
        }
        @Test func aDatabaseDamagedAgainAndAgainIsRestoredOnlyWithinTheBudget() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            for _ in 0..<2 { #expect(try grace.run(["boot"]).status == 0) }
            let file = grace.home.appendingPathComponent("databases/grace.db")
            let garbage = Data((0..<48 * 1024).map { UInt8(truncatingIfNeeded: ($0 &* 31) ^ ($0 >> 5)) })
            let budget = Self.execute.merging(["GRACE_MAX_UNATTENDED_FIXES_PER_HOUR": "1"]) { $1 }
            try garbage.write(to: file)
            #expect(try grace.run(["boot"], extraEnvironment: budget).status == 0)
            // Damaged again within the hour: the breaker is open, the restore waits for the operator.
            try garbage.write(to: file)
            let again = try grace.run(["boot"], extraEnvironment: budget)
            #expect(again.status == 1, "\(again.stdout)")
            #expect(again.stdout.contains("circuit breaker open: 1 unattended restore_database_snapshot fix for database_damaged"), "\(again.stdout)")
            #expect(again.stdout.contains("To approve, with Grace stopped: grace snapshot restore "), "\(again.stdout)")
            #expect(try Data(contentsOf: file) == garbage)
            let aside = try FileManager.default.contentsOfDirectory(atPath: file.deletingLastPathComponent().path)
                .filter { $0.hasPrefix("grace.db.damaged-") && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
            #expect(aside.count == 1, "\(aside)")
        }
    }
}
