import GraceCore

/// Retention in PostgreSQL: the same statements as SQLite's, one transaction per batch.
struct PostgresRetentionRepository: RetentionRepository {
    let database: PostgresDatabase

    func countPrunable(_ kinds: [RetainedKind], before cutoff: String) async throws -> [RetainedKind: Int] {
        var counts: [RetainedKind: Int] = [:]
        for kind in kinds {
            if kind == .steps {
                counts[kind] = try await database.read { session in try await session.count(RetentionStatements.countSteps(before: cutoff)) }
            } else if let table = RetentionStatements.table(kind) {
                counts[kind] = try await database.read { session in try await session.count(RetentionStatements.count(table, before: cutoff)) }
            }
        }
        return counts
    }

    func pruneBatch(_ kind: RetainedKind, before cutoff: String, limit: Int) async throws -> [RetainedKind: Int] {
        guard let table = RetentionStatements.table(kind) else { return [:] }
        return try await database.transaction { session in
            let keys = try await session.fetchAll(RetentionStatements.batchKeys(table, before: cutoff, limit: limit)) { row -> SQLValue in
                table.textKey ? .text(try row.required("k")) : .integer(try row.integer("k") ?? 0)
            }
            guard !keys.isEmpty else { return [:] }
            var deleted: [RetainedKind: Int] = [:]
            if kind == .runs {
                deleted[.steps] = try await session.deleting(RetentionStatements.delete(from: "agent_steps", column: "run_id", keys: keys))
            }
            deleted[kind] = try await session.deleting(RetentionStatements.delete(from: table.name, column: table.key, keys: keys))
            return deleted
        }
    }

    /// PostgreSQL's autovacuum gives dead rows' space to new ones; nothing to do on request.
    func reclaimSpace() async throws -> SpaceReclaim {
        SpaceReclaim(databases: [.init(name: database.location.database, autoVacuum: "server", freedPages: 0, bytesBefore: 0, bytesAfter: 0)])
    }
}

extension PostgresSession {
    /// Runs a `DELETE` and returns how many rows it deleted.
    func deleting(_ statement: SQLStatement) async throws -> Int {
        var returning = statement
        returning.sql += " RETURNING 1 AS n"
        return try await fetchAll(returning) { _ in 1 }.count
    }
}
