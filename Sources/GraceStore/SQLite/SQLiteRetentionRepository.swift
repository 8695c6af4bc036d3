import GRDB
import GraceCore

/// Retention on the two SQLite files: metric snapshots in `metrics.db`, the rest in `grace.db`.
struct SQLiteRetentionRepository: RetentionRepository {
    let grace: SQLiteConnection
    let metrics: SQLiteConnection

    private func connection(for kind: RetainedKind) -> SQLiteConnection { kind == .metricSnapshots ? metrics : grace }

    func countPrunable(_ kinds: [RetainedKind], before cutoff: String) async throws -> [RetainedKind: Int] {
        var counts: [RetainedKind: Int] = [:]
        for kind in kinds {
            if kind == .steps {
                counts[kind] = try await grace.read { db in try db.count(RetentionStatements.countSteps(before: cutoff)) }
            } else if let table = RetentionStatements.table(kind) {
                counts[kind] = try await connection(for: kind).read { db in try db.count(RetentionStatements.count(table, before: cutoff)) }
            }
        }
        return counts
    }

    func pruneBatch(_ kind: RetainedKind, before cutoff: String, limit: Int) async throws -> [RetainedKind: Int] {
        guard let table = RetentionStatements.table(kind) else { return [:] }
        return try await connection(for: kind).write { db in
            let keys = try db.fetchAll(RetentionStatements.batchKeys(table, before: cutoff, limit: limit)).map { row -> SQLValue in
                let key: DatabaseValue = row["k"]
                if let text = String.fromDatabaseValue(key) { return .text(text) }
                return .integer(Int64.fromDatabaseValue(key) ?? 0)
            }
            guard !keys.isEmpty else { return [:] }
            var deleted: [RetainedKind: Int] = [:]
            if kind == .runs {
                // Steps first: agent_steps references agent_runs.
                try db.execute(RetentionStatements.delete(from: "agent_steps", column: "run_id", keys: keys))
                deleted[.steps] = db.changesCount
            }
            try db.execute(RetentionStatements.delete(from: table.name, column: table.key, keys: keys))
            deleted[kind] = db.changesCount
            return deleted
        }
    }

    /// In `incremental` auto-vacuum mode (every database Grace creates), frees the pages deletes
    /// left, a bounded number per transaction so writers are not held up, then checkpoints so the
    /// file itself shrinks. A database created before that mode (`none`) keeps its free pages for
    /// new rows: switching needs a full `VACUUM` (``SQLiteStore/convertToIncrementalVacuum()``).
    func reclaimSpace() async throws -> SpaceReclaim {
        var databases: [SpaceReclaim.Database] = []
        for (name, connection) in [("grace.db", grace), ("metrics.db", metrics)] {
            let before = SQLiteStore.bytesOnDisk(connection.path)
            let mode = try await connection.read { db in try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") ?? 0 }
            var freed = 0
            if mode == 2 {
                while true {
                    let step = try await connection.writeWithoutTransaction { db -> Int in
                        let free = try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0
                        guard free > 0 else { return 0 }
                        try db.execute(sql: "PRAGMA incremental_vacuum(\(SQLiteStore.vacuumPagesPerStep))")
                        return free - (try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0)
                    }
                    guard step > 0 else { break }
                    freed += step
                }
                if freed > 0 {
                    try await connection.writeWithoutTransaction { db in _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                }
            }
            databases.append(.init(name: name, autoVacuum: mode == 2 ? "incremental" : mode == 1 ? "full" : "none", freedPages: freed,
                                   bytesBefore: before, bytesAfter: SQLiteStore.bytesOnDisk(connection.path)))
        }
        return SpaceReclaim(databases: databases)
    }
}

extension SQLiteStore {
    /// Pages one incremental-vacuum transaction frees (4 MiB at the default page size).
    static let vacuumPagesPerStep = 1000

    /// Switches both databases to `auto_vacuum = INCREMENTAL` with the one full `VACUUM` SQLite
    /// needs for that (a database Grace created before retention existed is in `none`). The
    /// `VACUUM` rewrites the file and needs as much free disk again; the caller makes sure no
    /// other Grace uses the home meanwhile. Returns the databases it converted.
    public func convertToIncrementalVacuum() async throws -> [String] {
        var converted: [String] = []
        for (name, connection) in [("grace.db", grace), ("metrics.db", metrics)] {
            let mode = try await connection.read { db in try Int.fetchOne(db, sql: "PRAGMA auto_vacuum") ?? 0 }
            guard mode != 2 else { continue }
            try await connection.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
                try db.execute(sql: "VACUUM")
            }
            converted.append(name)
        }
        return converted
    }
}
