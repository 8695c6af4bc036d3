import Foundation
import GRDB
import GraceCore

/// A read-only look at one database file, taken before anything opens it for writing.
public struct DatabaseInspection: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// Healthy and every applied migration is known to this Grace.
        case ok
        /// No file yet: it will be created.
        case absent
        /// Healthy, with migrations still to apply.
        case pendingMigrations = "pending_migrations"
        /// Written by a newer Grace.
        case newerSchema = "newer_schema"
        /// Evidence of damage: not a SQLite file, corrupt, failing `quick_check`, a known table missing.
        case damaged
        /// Cannot be read now for a reason that says nothing about its bytes: another process
        /// holds a lock, no permission, read-only, an I/O error. Never to be restored over.
        case unavailable
    }

    public var name: String
    public var path: String
    public var state: State
    public var detail: String

    /// Inspects Grace's two databases under `layout` without creating or changing anything.
    public static func inspectAll(_ layout: GraceHomeLayout) -> [DatabaseInspection] {
        [inspect(name: "grace.db", path: layout.graceDatabase, migrator: Schema.graceMigrator),
         inspect(name: "metrics.db", path: layout.metricsDatabase, migrator: Schema.metricsMigrator)]
    }

    /// Whether the file can be used as it is (after any pending migrations).
    public var isUsable: Bool { state == .ok || state == .pendingMigrations }

    /// Inspects a copy (a snapshot's) of the database the home calls `name` (`grace.db` or `metrics.db`).
    public static func inspectCopy(of name: String, at path: String) -> DatabaseInspection {
        inspect(name: name, path: path, migrator: name == "metrics.db" ? Schema.metricsMigrator : Schema.graceMigrator)
    }

    /// Whether a snapshot's copy of the database the home calls `name` is fit to restore: Grace's
    /// own databases pass the full inspection; a service's database passes `quick_check`.
    public static func isHealthyCopy(of name: String, at path: String) -> Bool {
        if name == "grace.db" || name == "metrics.db" { return inspectCopy(of: name, at: path).isUsable }
        do {
            let queue = try DatabaseQueue(path: path, configuration: inspectionConfiguration())
            defer { try? queue.close() }
            return try queue.read { try String.fetchAll($0, sql: "PRAGMA quick_check") } == ["ok"]
        } catch {
            return false
        }
    }

    /// Read-only, so a look never changes the file: a read-only connection reads a WAL left by a
    /// crash, while a read-write one would checkpoint it into the file (and delete it) on closing.
    /// A short busy timeout: a locked file is reported (and waited for by the caller, with
    /// backoff), not waited on for the store's full timeout inside one look.
    static func inspectionConfiguration() -> Configuration {
        var configuration = SQLiteDatabase.configuration(readonly: true)
        configuration.busyMode = .timeout(1)
        return configuration
    }

    static func inspect(name: String, path: String, migrator: DatabaseMigrator) -> DatabaseInspection {
        guard FileManager.default.fileExists(atPath: path) else {
            return DatabaseInspection(name: name, path: path, state: .absent, detail: "will be created")
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: inspectionConfiguration())
            defer { try? queue.close() }
            return try queue.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check")
                guard check == ["ok"] else {
                    return DatabaseInspection(name: name, path: path, state: .damaged,
                                              detail: "quick_check: " + check.prefix(3).joined(separator: "; "))
                }
                let applied = try migrator.appliedIdentifiers(db)
                let unknown = applied.subtracting(migrator.migrations)
                if !unknown.isEmpty {
                    return DatabaseInspection(name: name, path: path, state: .newerSchema,
                                              detail: "unknown migrations: " + unknown.sorted().joined(separator: ", "))
                }
                let pending = migrator.migrations.filter { !applied.contains($0) }
                if !pending.isEmpty {
                    return DatabaseInspection(name: name, path: path, state: .pendingMigrations,
                                              detail: "pending: " + pending.joined(separator: ", "))
                }
                // Every migration recorded but a table or column gone (dropped by hand, or a
                // half-restored file): the store would fail on first use, so it is damage.
                if let missing = try missingSchema(in: db, expected: expectedSchema(migrator)) {
                    return DatabaseInspection(name: name, path: path, state: .damaged, detail: "schema: " + missing)
                }
                return DatabaseInspection(name: name, path: path, state: .ok, detail: "quick_check ok, schema \(migrator.migrations.last ?? "-")")
            }
        } catch {
            let classified = SQLiteDatabase.classify(error, path: path)
            if case .damaged(_, let reason) = classified {
                return DatabaseInspection(name: name, path: path, state: .damaged, detail: reason)
            }
            return DatabaseInspection(name: name, path: path, state: .unavailable, detail: classified.description)
        }
    }
}

extension DatabaseInspection {
    /// Table name to column names, of every table that is not SQLite's own.
    typealias TableColumns = [String: Set<String>]

    /// The tables and columns a fully migrated database has: the migrations applied to an empty
    /// in-memory database, so the expectation can never drift from the migrations themselves.
    static func expectedSchema(_ migrator: DatabaseMigrator) throws -> TableColumns {
        let memory = try DatabaseQueue()
        try migrator.migrate(memory)
        return try memory.read { try tableColumns(in: $0) }
    }

    static func tableColumns(in db: Database) throws -> TableColumns {
        var result: TableColumns = [:]
        for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
            result[table] = Set(try db.columns(in: table).map(\.name))
        }
        return result
    }

    /// What `db` lacks of `expected` ("missing table agent_steps; agent_runs lacks column goal"), or nil.
    /// Extra tables and columns are allowed: they harm nothing Grace reads.
    static func missingSchema(in db: Database, expected: TableColumns) throws -> String? {
        let found = try tableColumns(in: db)
        var problems: [String] = []
        for table in expected.keys.sorted() {
            guard let columns = found[table] else {
                problems.append("missing table \(table)")
                continue
            }
            let lacking = expected[table, default: []].subtracting(columns).sorted()
            if !lacking.isEmpty { problems.append("\(table) lacks column\(lacking.count == 1 ? "" : "s") \(lacking.joined(separator: ", "))") }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}

extension SQLiteStore {
    /// Writes and reads back `text` through a real table, checking SQLite's UTF-8 round trip.
    public func roundTrip(_ text: String) async throws -> String? {
        try await grace.write { db in
            try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS grace_codec_check (value TEXT NOT NULL)")
            try db.execute(sql: "INSERT INTO grace_codec_check (value) VALUES (?)", arguments: [text])
            let value = try String.fetchOne(db, sql: "SELECT value FROM grace_codec_check WHERE rowid = last_insert_rowid()")
            try db.execute(sql: "DELETE FROM grace_codec_check")
            return value
        }
    }

    /// Sizes of both database files (with their WAL), in bytes.
    public func fileSizes() -> [String: Int] {
        var sizes: [String: Int] = [:]
        for (name, path) in [("grace.db", layout.graceDatabase), ("metrics.db", layout.metricsDatabase)] {
            sizes[name] = Self.bytesOnDisk(path)
        }
        return sizes
    }

    /// The bytes of a database file and its write-ahead log (0 for a file that is not there).
    static func bytesOnDisk(_ path: String) -> Int {
        ["", "-wal"].reduce(0) { total, suffix in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0)
        }
    }
}
