import Crypto
import Foundation
import GRDB

/// Repairs and checks on any SQLite file (Grace's own or a supervised service's), used by
/// playbook actions and verifications. Each call opens its own short-lived connection.
public enum SQLiteMaintenance {
    public struct MaintenanceError: Error, CustomStringConvertible, Sendable {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    private static func queue(_ path: String, busyTimeout: TimeInterval = 5, create: Bool = false) throws -> DatabaseQueue {
        if create {
            try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path,
                                                    withIntermediateDirectories: true)
        } else if !FileManager.default.fileExists(atPath: path) {
            throw MaintenanceError("\(path) does not exist")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Switches the file to WAL (persistent), so readers never block writers. Returns the mode now in force.
    public static func enableWAL(_ path: String) throws -> String {
        let queue = try queue(path)
        defer { try? queue.close() }
        return try queue.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") ?? "unknown" }
    }

    /// Moves the WAL's content into the database file. Returns (busy, WAL frames, frames checkpointed).
    public static func checkpoint(_ path: String) throws -> (busy: Int, log: Int, checkpointed: Int) {
        let queue = try queue(path)
        defer { try? queue.close() }
        return try queue.writeWithoutTransaction { db in
            let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            return (row?[0] ?? 0, row?[1] ?? 0, row?[2] ?? 0)
        }
    }

    /// Whether a write transaction can be taken within `timeout` seconds (the lock is released at once).
    public static func canTakeWriteLock(_ path: String, timeout: TimeInterval) -> Bool {
        guard let queue = try? queue(path, busyTimeout: timeout) else { return false }
        defer { try? queue.close() }
        do {
            try queue.inDatabase { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                try db.execute(sql: "ROLLBACK")
            }
            return true
        } catch {
            return false
        }
    }

    /// Whether `table` has `column`; with no table, whether any table has it.
    public static func columnExists(_ path: String, table: String?, column: String) throws -> Bool {
        let queue = try queue(path)
        defer { try? queue.close() }
        return try queue.read { db in
            let tables = try table.map { [$0] } ?? String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
            for name in tables where try db.tableExists(name) {
                if try db.columns(in: name).contains(where: { $0.name == column }) { return true }
            }
            return false
        }
    }

    /// Applies the `.sql` files of `directory` not yet applied to `path`, in name order, each in
    /// its own transaction, recording name and SHA-256 in `grace_schema_migrations`. A file whose
    /// content changed after it was applied is refused. Returns the names applied now.
    public static func applySQLMigrations(_ path: String, directory: String) throws -> [String] {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".sql") }.sorted()
        // The first migration may well be the one that creates the database.
        let queue = try queue(path, busyTimeout: 30, create: true)
        defer { try? queue.close() }
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS grace_schema_migrations (
                    name TEXT PRIMARY KEY NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)
                """)
        }
        var applied: [String] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name),
                  let sql = String(data: data, encoding: .utf8) else {
                throw MaintenanceError("\(directory)/\(name) cannot be read as UTF-8 text")
            }
            let digest = SHA256.hash(data: data).hexString
            let recorded = try queue.read { db in
                try String.fetchOne(db, sql: "SELECT sha256 FROM grace_schema_migrations WHERE name = ?", arguments: [name])
            }
            if let recorded {
                guard recorded == digest else { throw MaintenanceError("migration \(name) changed after it was applied; refusing to continue") }
                continue
            }
            do {
                try queue.write { db in
                    try db.execute(sql: sql)
                    try db.execute(sql: "INSERT INTO grace_schema_migrations (name, sha256, applied_at) VALUES (?, ?, ?)",
                                   arguments: [name, digest, ISO8601DateFormatter().string(from: Date())])
                }
            } catch {
                throw MaintenanceError("migration \(name) failed and was rolled back: \(error)")
            }
            applied.append(name)
        }
        return applied
    }
}
