import Foundation
import Testing

extension EndToEnd {
    /// A healthy database that another process holds locked is never "healed" (issue 14): the boot
    /// waits, then fails naming the file and the holder; no byte of the file, its WAL or the other
    /// process's committed rows is lost; the boot does not crash or leave half a snapshot.
    @Suite(.serialized) struct LockedDatabaseTests {
        static let execute = ["SELF_HEAL_EXECUTE": "true", "SELF_HEAL_OBSERVE_ONLY": "false", "GRACE_DATABASE_WAIT_SECONDS": "2"]

        struct Case: Sendable, CustomTestStringConvertible {
            var database: String
            var mode: SQLiteLocker.Mode
            var testDescription: String { "\(database), \(mode.rawValue)" }
        }

        static let cases: [Case] = ["grace.db", "metrics.db"].flatMap { database in
            SQLiteLocker.Mode.locking.map { Case(database: database, mode: $0) }
        }

        static func digest(_ url: URL) -> Data? { try? Data(contentsOf: url) }

        static func inode(_ url: URL) throws -> Int? {
            try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int
        }

        @Test(arguments: cases)
        func aLockedDatabaseIsNeverRestoredOverAndEveryRowSurvives(_ locked: Case) async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            for _ in 0..<2 { #expect(try grace.run(["boot"]).status == 0) }
            let file = grace.home.appendingPathComponent("databases/" + locked.database)
            let runsBefore = try #require(Int(try grace.sqlite("SELECT count(*) FROM agent_runs;")))
            let snapshotsBefore = try FileManager.default.contentsOfDirectory(atPath: grace.home.appendingPathComponent("storage/snapshots").path)

            let locker = try SQLiteLocker(path: file.path, mode: locked.mode, rows: 250)
            let mainBytes = Self.digest(file)
            let mainInode = try Self.inode(file)
            let walBytes = Self.digest(URL(fileURLWithPath: file.path + "-wal"))
            #expect((walBytes?.count ?? 0) > 0, "the locker's rows are in the WAL only")

            let boot = try grace.run(["boot"], extraEnvironment: Self.execute)
            // Not a crash (a signal), and not a success that would hide the lock.
            #expect([1, 5].contains(boot.status), "exit \(boot.status): \(boot.stdout)\(boot.stderr)")
            let report = try String(contentsOf: grace.home.appendingPathComponent("logs/last_boot_report.txt"), encoding: .utf8)
            if locked.mode == .exclusive {
                #expect(boot.status == 1)
                #expect(boot.stdout.contains("\(locked.database) is unavailable (not damaged)"), "\(boot.stdout)")
                #expect(report.contains("is locked") && report.contains("pid \(locker.pid) (python3)"), "\(report)")
                #expect(report.contains("a rollback is not possible"), "\(report)")
            }
            #expect(!report.contains("restored \(locked.database)"), "\(report)")
            // While the locker still holds it: the same file (never replaced under its holder); with
            // nobody else able to read it, its bytes and its WAL exactly as the locker left them (a
            // plain BEGIN EXCLUSIVE lets readers checkpoint committed frames into it, as SQLite does).
            #expect(try Self.inode(file) == mainInode, "\(locked.database) was replaced under its holder")
            if locked.mode == .exclusive {
                #expect(Self.digest(file) == mainBytes, "\(locked.database) was changed under its holder")
                #expect(Self.digest(URL(fileURLWithPath: file.path + "-wal")) == walBytes, "the holder's WAL was changed")
            }
            let folder = file.deletingLastPathComponent()
            let strays = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".damaged-") || $0.contains(".rolled-back-") }
            #expect(strays.isEmpty, "\(strays)")
            // No half snapshot, no stale pid file.
            let snapshots = grace.home.appendingPathComponent("storage/snapshots")
            for name in try FileManager.default.contentsOfDirectory(atPath: snapshots.path) where !name.hasPrefix(".") {
                #expect(FileManager.default.fileExists(atPath: snapshots.appendingPathComponent(name + "/manifest.json").path),
                        "snapshot folder \(name) has no manifest")
            }
            #expect(!FileManager.default.fileExists(atPath: grace.home.appendingPathComponent("grace.pid").path))

            locker.release()
            #expect(try grace.sqlite("SELECT count(*) FROM locker_rows;", database: "databases/" + locked.database) == "250")
            #expect(Int(try grace.sqlite("SELECT count(*) FROM agent_runs;")) ?? 0 >= runsBefore)
            // Once the lock is gone the next boot succeeds and the audit chain is intact.
            let next = try grace.run(["boot"], extraEnvironment: Self.execute)
            #expect(next.status == 0, "\(next.stdout)")
            #expect(try grace.sqlite("SELECT count(*) FROM locker_rows;", database: "databases/" + locked.database) == "250")
            #expect(try grace.run(["audit", "verify"]).status == 0)
            #expect(snapshotsBefore.count >= 2)
        }
    }
}
