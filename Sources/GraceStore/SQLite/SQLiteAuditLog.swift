import GRDB
import GraceCore

/// The hash-chained `immutable_log` in `grace.db`.
///
/// Appends read the chain head and insert inside one IMMEDIATE transaction, so appenders in
/// several processes serialise on SQLite's write lock and the chain never forks.
struct SQLiteAuditLog: AuditLog {
    let database: SQLiteConnection

    func append(_ event: AuditEvent) async throws -> AuditEntry {
        try await database.write { db in
            let head = try Row.fetchOne(db, sql: "SELECT sequence, entry_hash FROM immutable_log ORDER BY sequence DESC LIMIT 1")
            let sequence: Int64 = (head?["sequence"] ?? 0) + 1
            let previousHash: String = head?["entry_hash"] ?? AuditEntry.genesisHash
            let entry = AuditChain.seal(event, sequence: sequence, previousHash: previousHash, timestamp: Timestamp.now())
            try db.execute(sql: """
                INSERT INTO immutable_log (sequence, timestamp, actor, action, resource, subsystem, payload, result,
                    previous_hash, entry_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [entry.sequence, entry.timestamp, entry.actor, entry.action, entry.resource, entry.subsystem,
                                 entry.payload, entry.result, entry.previousHash, entry.entryHash])
            return entry
        }
    }

    func tail(limit: Int) async throws -> [AuditEntry] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM immutable_log ORDER BY sequence DESC LIMIT ?", arguments: [limit])
                .map(AuditEntry.init(row:))
        }
    }

    func verify() async throws -> AuditVerification {
        try await database.read { db in
            var verifier = AuditChain.Verifier()
            let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM immutable_log ORDER BY sequence")
            while let row = try cursor.next() {
                if !verifier.check(AuditEntry(row: row)) { break }
            }
            return verifier.result
        }
    }
}
