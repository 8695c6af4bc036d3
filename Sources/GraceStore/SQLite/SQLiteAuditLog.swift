import GRDB
import GraceCore

/// The hash-chained `immutable_log` in `grace.db`.
///
/// Appends read the chain head and insert inside one IMMEDIATE transaction, so appenders in
/// several processes serialise on SQLite's write lock and the chain never forks.
struct SQLiteAuditLog: AuditLog {
    let database: SQLiteConnection
    let nodeID: String?

    func append(_ event: AuditEvent) async throws -> AuditEntry {
        try await database.write { [nodeID] db in
            let head = try db.fetchOne(StoreStatements.auditHead).map { row -> (sequence: Int64, hash: String) in
                (row["sequence"], row["entry_hash"])
            }
            let entry = StoreRules.sealing(event, after: head, nodeID: nodeID)
            try db.execute(StoreStatements.insertAudit(entry))
            return entry
        }
    }

    func tail(before sequence: Int64?, limit: Int, mentioning: String?) async throws -> [AuditEntry] {
        try await database.read { db in
            try db.fetchAll(StoreStatements.auditTail(before: sequence, limit: limit, mentioning: mentioning)).map(AuditEntry.init(row:))
        }
    }

    func verify() async throws -> AuditVerification {
        try await database.read { db in
            var verifier = AuditChain.Verifier()
            let statement = StoreStatements.auditChain
            let cursor = try Row.fetchCursor(db, sql: statement.sql)
            while let row = try cursor.next() {
                if !verifier.check(try AuditEntry(row: row)) { break }
            }
            return verifier.result
        }
    }
}
