import Foundation
import Testing

extension EndToEnd {
    /// `grace backup` then `grace backup restore` on real homes: the restored home holds the same
    /// data (every table's rows, the settings and knowledge-base bytes), on SQLite and PostgreSQL.
    @Suite(.serialized) struct BackupCommandTests {
        /// The file's SHA-256, by coreutils' `sha256sum` (this target links no hashing library).
        static func sha256(_ url: URL) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
            process.arguments = [url.path]
            let out = Pipe()
            process.standardOutput = out
            try process.run()
            let data = out.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0, "sha256sum \(url.path)")
            return String(String(decoding: data, as: UTF8.self).prefix(64))
        }

        /// Every table's rows as text, in a stable order; the audit chain up to `auditEntries`.
        static func sqliteData(_ grace: GraceBinary, auditEntries: Int) throws -> [String: String] {
            var data: [String: String] = [:]
            for database in ["databases/grace.db", "databases/metrics.db"] {
                let tables = try grace.sqlite("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", database: database)
                    .split(separator: "\n").map(String.init)
                for table in tables {
                    // The restore appends its own audit entry, which moves the chain's AUTOINCREMENT counter too.
                    let filter = table == "immutable_log" ? " WHERE sequence <= \(auditEntries)"
                        : table == "sqlite_sequence" ? " WHERE name <> 'immutable_log'" : ""
                    data[database + ":" + table] = try grace.sqlite("SELECT * FROM \"\(table)\"\(filter) ORDER BY 1", database: database)
                }
            }
            return data
        }

        /// A home with runs, steps, an approval, metrics, audit entries, a .env and the knowledge base.
        static func populatedHome(_ grace: GraceBinary) throws {
            try Data("GRACE_LOG_LEVEL=info\nMY_SERVICE_FLAG=1\n".utf8).write(to: grace.home.appendingPathComponent(".env"))
            for _ in 0..<2 {
                let boot = try grace.run(["boot"])
                #expect(boot.status == 0, "\(boot.stdout)\(boot.stderr)")
            }
        }

        @Test func aSQLiteHomeRoundTripsThroughABackup() throws {
            let source = try GraceBinary()
            defer { source.remove() }
            try Self.populatedHome(source)
            try source.sqlite("INSERT INTO approval_requests (event_id, status, requested_by, reason, created_at) VALUES ('apr_keep', 'pending', 'grace', 'r', '2025-01-01T00:00:00.000000Z')")
            let audit = Int(try source.sqlite("SELECT COUNT(*) FROM immutable_log")) ?? 0
            #expect(audit > 0)
            let before = try Self.sqliteData(source, auditEntries: audit)
            let folder = source.home.deletingLastPathComponent().appendingPathComponent("grace-backup-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }

            let backup = try source.run(["backup", folder.path])
            #expect(backup.status == 0 && backup.stdout.contains("(verified)") && backup.stdout.contains("integrity ok"), "\(backup.stdout)\(backup.stderr)")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(files == ["_metadata.json", "env", "grace.db", "manifest.json", "metrics.db"])
            let manifest = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as? [String: Any])
            let entries = try #require(manifest["files"] as? [[String: Any]])
            for entry in entries {
                let name = try #require(entry["name"] as? String)
                #expect(entry["sha256"] as? String == (try Self.sha256(folder.appendingPathComponent(name))), "\(name)")
                if name.hasSuffix(".db") { #expect(entry["method"] as? String == "backup_api") }
            }
            #expect(try source.run(["audit", "tail", "-n", "1"]).stdout.contains("backup.create"))
            #expect(try source.run(["backup", folder.path]).status == 1, "a backup never writes into a folder that holds something")

            let target = try GraceBinary()
            defer { target.remove() }
            let restore = try target.run(["backup", "restore", folder.path])
            #expect(restore.status == 0, "\(restore.stdout)\(restore.stderr)")
            let after = try Self.sqliteData(target, auditEntries: audit)
            #expect(after == before, "every table's rows come back; differing: \(before.keys.filter { after[$0] != before[$0] }.sorted())")
            for file in [".env", "grace_training/startup_failures/_metadata.json"] {
                #expect(try Self.sha256(source.home.appendingPathComponent(file)) == (try Self.sha256(target.home.appendingPathComponent(file))), "\(file)")
            }
            let verify = try target.run(["audit", "verify"])
            #expect(verify.status == 0 && verify.stdout.contains("\(audit + 1) entries"), "the restore is audited on the restored chain: \(verify.stdout)")
            #expect(try target.run(["audit", "tail", "-n", "1"]).stdout.contains("backup.restore"))

            // Restoring over a home with data keeps that data aside, never deletes it.
            let again = try source.run(["backup", "restore", folder.path])
            #expect(again.status == 0 && again.stdout.contains("before-restore"), "\(again.stdout)\(again.stderr)")
            let aside = try FileManager.default.contentsOfDirectory(atPath: source.home.appendingPathComponent("databases").path)
            #expect(aside.contains { $0.hasPrefix("grace.db.before-restore-") }, "\(aside)")
        }

        @Test func aBackupIsTakenWhileGraceServesAndARestoreIsRefusedMeanwhile() async throws {
            let source = try GraceBinary()
            defer { source.remove() }
            let server = try RunningGrace(source)
            let client = LoopbackClient(port: server.port)
            var runs: [String] = []
            for index in 0..<20 { runs.append(try await client.createRun(subsystem: "ingest\(index)")) }
            let folder = source.home.deletingLastPathComponent().appendingPathComponent("grace-backup-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let backup = try source.run(["backup", folder.path])
            #expect(backup.status == 0, "an online backup: \(backup.stderr)")
            let refused = try source.run(["backup", "restore", folder.path])
            #expect(refused.status == 4 && refused.stderr.contains("already running"), "\(refused.stderr)")
            #expect(server.stop() == 0)

            let target = try GraceBinary()
            defer { target.remove() }
            #expect(try target.run(["backup", "restore", folder.path]).status == 0)
            let restored = try target.sqlite("SELECT run_id FROM agent_runs WHERE subsystem LIKE 'ingest%' ORDER BY run_id").split(separator: "\n").map(String.init)
            #expect(restored == runs.sorted())
            #expect(try target.run(["audit", "verify"]).status == 0)
        }

        @Test func aDamagedOrForeignBackupIsRefusedAndNothingIsTouched() throws {
            let source = try GraceBinary()
            defer { source.remove() }
            try Self.populatedHome(source)
            let folder = source.home.deletingLastPathComponent().appendingPathComponent("grace-backup-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            #expect(try source.run(["backup", folder.path]).status == 0)
            let handle = try FileHandle(forWritingTo: folder.appendingPathComponent("grace.db"))
            try handle.seek(toOffset: 5000)
            try handle.write(contentsOf: Data(repeating: 0x5A, count: 64))
            try handle.close()
            let before = try Self.sha256(source.home.appendingPathComponent("databases/grace.db"))
            let restore = try source.run(["backup", "restore", folder.path])
            #expect(restore.status == 1 && restore.stderr.contains("different SHA-256"), "\(restore.stderr)")
            #expect(try Self.sha256(source.home.appendingPathComponent("databases/grace.db")) == before)
            let foreign = try source.run(["backup", "restore", source.home.appendingPathComponent("logs").path])
            #expect(foreign.status == 1 && foreign.stderr.contains("not a Grace backup"), "\(foreign.stderr)")
        }

        @Test(.disabled(if: ProcessInfo.processInfo.environment["GRACE_TEST_POSTGRES_URL"] == nil,
                        "GRACE_TEST_POSTGRES_URL is not set: the PostgreSQL backup round trip needs a server (scripts/pg-test-server.sh start)"))
        func aPostgresHomeRoundTripsThroughPgDump() throws {
            func psql(_ url: String, _ sql: String) throws -> String { try MultiNodeTests.psql(url, sql) }
            func data(_ url: String, auditEntries: Int) throws -> [String: String] {
                var data: [String: String] = [:]
                let tables = try psql(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
                    .split(separator: "\n").map(String.init)
                for table in tables {
                    let filter = table == "immutable_log" ? " WHERE sequence <= \(auditEntries)" : ""
                    data[table] = try psql(url, "SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM (SELECT * FROM \"\(table)\"\(filter)) t")
                }
                return data
            }
            let sourceURL = try MultiNodeTests.freshDatabase()
            var source = try GraceBinary()
            source.environment["GRACE_DATABASE_URL"] = sourceURL
            defer { source.remove() }
            try Self.populatedHome(source)
            let audit = Int(try psql(sourceURL, "SELECT COUNT(*) FROM immutable_log")) ?? 0
            let before = try data(sourceURL, auditEntries: audit)
            #expect(before["agent_steps"]?.isEmpty == false)
            let folder = source.home.deletingLastPathComponent().appendingPathComponent("grace-backup-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let backup = try source.run(["backup", folder.path])
            #expect(backup.status == 0 && backup.stdout.contains("grace.pgdump"), "\(backup.stdout)\(backup.stderr)")

            let targetURL = try MultiNodeTests.freshDatabase()
            var target = try GraceBinary()
            target.environment["GRACE_DATABASE_URL"] = targetURL
            defer { target.remove() }
            // The target already has a store of its own: the restore keeps it aside as a dump first.
            #expect(try target.run(["boot"]).status == 0)
            let restore = try target.run(["backup", "restore", folder.path])
            #expect(restore.status == 0 && restore.stdout.contains("storage/backups/before-restore-"), "\(restore.stdout)\(restore.stderr)")
            #expect(try data(targetURL, auditEntries: audit) == before)
            #expect(try Self.sha256(source.home.appendingPathComponent(".env")) == (try Self.sha256(target.home.appendingPathComponent(".env"))))
            #expect(try target.run(["audit", "verify"]).status == 0)

            // Without pg_dump on PATH the message names what is missing.
            let missing = try source.run(["backup", folder.path + "-nodump"], extraEnvironment: ["PATH": "/nonexistent"])
            #expect(missing.status == 1 && missing.stderr.contains("pg_dump is not on PATH") && missing.stderr.contains("postgresql-client"),
                    "\(missing.stderr)")
        }
    }
}
