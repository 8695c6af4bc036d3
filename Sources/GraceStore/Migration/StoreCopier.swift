import Foundation
import GRDB
import GraceCore

/// Copies a SQLite home's two databases into PostgreSQL (`grace store migrate --to`).
///
/// The source is opened read-only and never changed. Every row is inserted with
/// `ON CONFLICT DO NOTHING` on its natural key, so a copy that stopped half-way is resumed by
/// running it again, and a finished copy run again changes nothing. Afterwards every source row
/// is looked up in PostgreSQL by key and the audit chain there is verified.
public struct StoreCopier: Sendable {
    /// One table: its natural key, and whether its `id` is a local autoincrement PostgreSQL assigns anew.
    struct Table: Sendable {
        var name: String
        var inMetrics: Bool
        var key: [String]
        var dropsID: Bool
        /// Rows from before nodes were stored get the migrating node's id (never audit entries: it is hashed).
        var stampsNode: Bool
    }

    static let tables: [Table] = [
        Table(name: "agent_runs", inMetrics: false, key: ["run_id"], dropsID: false, stampsNode: true),
        Table(name: "agent_steps", inMetrics: false, key: ["step_id"], dropsID: false, stampsNode: false),
        Table(name: "approval_requests", inMetrics: false, key: ["event_id"], dropsID: true, stampsNode: true),
        Table(name: "verification_events", inMetrics: false, key: ["verification_id"], dropsID: true, stampsNode: false),
        Table(name: "playbooks", inMetrics: false, key: ["id"], dropsID: false, stampsNode: false),
        Table(name: "playbook_runs", inMetrics: false, key: ["id"], dropsID: false, stampsNode: false),
        Table(name: "playbook_stats", inMetrics: false, key: ["playbook_id", "pattern_id"], dropsID: false, stampsNode: false),
        Table(name: "immutable_log", inMetrics: false, key: ["sequence"], dropsID: true, stampsNode: false),
        Table(name: "mined_clusters", inMetrics: false, key: ["cluster_id"], dropsID: false, stampsNode: false),
        Table(name: "agent_events", inMetrics: false, key: ["event_id"], dropsID: false, stampsNode: false),
        Table(name: "alert_deliveries", inMetrics: false, key: ["event_key", "sink"], dropsID: false, stampsNode: false),
        Table(name: "metrics_snapshots", inMetrics: true, key: ["snapshot_id"], dropsID: true, stampsNode: true),
    ]

    /// What one table's copy did.
    public struct TableReport: Sendable, Equatable {
        public var table: String
        public var sourceRows: Int
        /// Rows this run inserted (0 when an earlier run had copied them all).
        public var inserted: Int
        /// Source rows found in PostgreSQL afterwards; equal to `sourceRows` when the copy is complete.
        public var verified: Int
    }

    public struct Report: Sendable {
        public var tables: [TableReport]
        public var audit: AuditVerification
        public var isComplete: Bool { audit.isIntact && tables.allSatisfy { $0.verified == $0.sourceRows } }
    }

    public enum CopyError: Error, CustomStringConvertible {
        case auditChainsDiffer(sequence: Int64)

        public var description: String {
            switch self {
            case .auditChainsDiffer(let sequence):
                "PostgreSQL already holds a different audit chain (entry \(sequence) differs from this home's); "
                    + "one database holds one chain, so this home cannot be merged into it. Use an empty database."
            }
        }
    }

    let layout: GraceHomeLayout
    let destination: PostgresStore
    let nodeID: String
    let batchSize = 500

    public init(layout: GraceHomeLayout, destination: PostgresStore, nodeID: String) {
        self.layout = layout
        self.destination = destination
        self.nodeID = nodeID
    }

    /// Copies, then verifies; `progress` hears about each table as it finishes.
    public func run(progress: @Sendable (TableReport) -> Void = { _ in }) async throws -> Report {
        var reports: [TableReport] = []
        for (path, migrator) in [(layout.graceDatabase, Schema.graceMigrator), (layout.metricsDatabase, Schema.metricsMigrator)] {
            try SQLiteDatabase.checkUsable(path: path, migrator: migrator)
        }
        try await checkAuditPrefix()
        for table in Self.tables {
            let report = try await copy(table)
            progress(report)
            reports.append(report)
        }
        return Report(tables: reports, audit: try await destination.repositories.audit.verify())
    }

    private func source(metrics: Bool) throws -> DatabaseQueue {
        try DatabaseQueue(path: metrics ? layout.metricsDatabase : layout.graceDatabase,
                          configuration: SQLiteDatabase.configuration(readonly: true))
    }

    /// A resumed copy continues the chain it started; a database holding another chain is refused.
    private func checkAuditPrefix() async throws {
        let queue = try source(metrics: false)
        defer { try? queue.close() }
        let copied = try await destination.database.read { session in
            try await session.fetchAll(SQLStatement("SELECT sequence, entry_hash FROM immutable_log ORDER BY sequence")) { row in
                (try row.integer("sequence") ?? 0, try row.required("entry_hash"))
            }
        }
        guard !copied.isEmpty else { return }
        let local = try await queue.read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT sequence, entry_hash FROM immutable_log").map { row -> (Int64, String) in
                (row["sequence"], row["entry_hash"])
            }, uniquingKeysWith: { first, _ in first })
        }
        for (sequence, hash) in copied where local[sequence] != hash {
            throw CopyError.auditChainsDiffer(sequence: sequence)
        }
    }

    private func copy(_ table: Table) async throws -> TableReport {
        let queue = try source(metrics: table.inMetrics)
        defer { try? queue.close() }
        let rows: [[String: SQLValue]] = try await queue.read { db in
            guard try db.tableExists(table.name) else { return [] }
            return try Row.fetchAll(db, sql: "SELECT * FROM \(table.name) ORDER BY rowid").map { row in
                var values: [String: SQLValue] = [:]
                for (column, value) in row where !(table.dropsID && column == "id") { values[column] = SQLValue(value) }
                if table.stampsNode, values["node_id"] ?? .null == .null { values["node_id"] = .text(nodeID) }
                return values
            }
        }
        var inserted = 0
        var verified = 0
        var start = 0
        while start < rows.count {
            let batch = Array(rows[start..<min(start + batchSize, rows.count)])
            start += batch.count
            let (added, found) = try await destination.database.transaction { session in
                var added = 0
                for row in batch { added += try await insert(row, into: table, session) }
                return (added, try await present(batch, of: table, in: session))
            }
            inserted += added
            verified += found
        }
        return TableReport(table: table.name, sourceRows: rows.count, inserted: inserted, verified: verified)
    }

    /// Inserts one row unless its key is there already; 1 when it was inserted.
    private func insert(_ row: [String: SQLValue], into table: Table, _ session: PostgresSession) async throws -> Int {
        let columns = row.keys.sorted()
        let statement = SQLStatement("""
            INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))
            ON CONFLICT (\(table.key.joined(separator: ", "))) DO NOTHING RETURNING 1 AS added
            """, columns.map { row[$0] ?? .null })
        return try await session.fetchAll(statement) { _ in 1 }.count
    }

    /// How many of `rows` PostgreSQL holds, looked up by their keys.
    private func present(_ rows: [[String: SQLValue]], of table: Table, in session: PostgresSession) async throws -> Int {
        guard !rows.isEmpty else { return 0 }
        let tuple = "(" + table.key.map { _ in "?" }.joined(separator: ", ") + ")"
        let statement = SQLStatement("""
            SELECT count(*) AS found FROM \(table.name)
            WHERE (\(table.key.joined(separator: ", "))) IN (\(rows.map { _ in tuple }.joined(separator: ", ")))
            """, rows.flatMap { row in table.key.map { row[$0] ?? .null } })
        return Int(try await session.fetchOne(statement) { try $0.integer("found") ?? 0 } ?? 0)
    }
}

extension SQLValue {
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let number): self = .integer(number)
        case .double(let number): self = .real(number)
        case .string(let text): self = .text(text)
        case .blob(let data): self = .text(String(decoding: data, as: UTF8.self))
        }
    }
}
