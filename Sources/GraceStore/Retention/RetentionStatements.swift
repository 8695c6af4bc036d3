import GraceCore

/// What retention may delete, table by table, written once for both backends. Every condition
/// keeps what is still in play (an active run, a run an open approval names, a pending, approved
/// or executing approval, a pending or running playbook run) and anything at or after the cutoff.
/// The audit chain (`immutable_log`) has no entry here: it is never pruned.
enum RetentionStatements {
    struct Table {
        var name: String
        var key: String
        /// The `WHERE` condition, with `?` for the cutoff as many times as ``cutoffs``.
        var condition: String
        var cutoffs: Int
        /// The column the batches walk in order (indexed).
        var order: String
        /// Whether ``key`` is a TEXT column (else an integer).
        var textKey = false

        func arguments(_ cutoff: String) -> [SQLValue] { Array(repeating: .text(cutoff), count: cutoffs) }
    }

    static let openApprovalStatuses = "'pending','approved','executed'"

    static func table(_ kind: RetainedKind) -> Table? {
        switch kind {
        case .runs:
            Table(name: "agent_runs", key: "run_id", condition: """
                status <> 'active' AND started_at < ? AND ended_at IS NOT NULL AND ended_at < ?
                AND run_id NOT IN (SELECT run_id FROM approval_requests WHERE run_id IS NOT NULL AND status IN (\(openApprovalStatuses)))
                """, cutoffs: 2, order: "started_at", textKey: true)
        case .approvals:
            Table(name: "approval_requests", key: "id", condition: """
                status IN ('rejected','succeeded','failed','expired') AND created_at < ? AND decided_at IS NOT NULL AND decided_at < ?
                """, cutoffs: 2, order: "created_at")
        case .verificationEvents:
            Table(name: "verification_events", key: "id", condition: "created_at < ?", cutoffs: 1, order: "created_at")
        case .playbookRuns:
            Table(name: "playbook_runs", key: "id", condition: "status NOT IN ('pending','running') AND started_at < ? AND COALESCE(ended_at, started_at) < ?",
                  cutoffs: 2, order: "started_at", textKey: true)
        case .metricSnapshots:
            Table(name: "metrics_snapshots", key: "id", condition: "created_at < ?", cutoffs: 1, order: "created_at")
        case .alertDeliveries:
            // Whole events: every sink's record of an event goes together, once none is still being
            // sent and all are older than the cutoff (so a dry run counts what a prune deletes). The
            // record is what keeps an event from being alerted twice, so it stays while the event can
            // still be found: a pending approval's (alerted while it waits) and a broken chain's (for as
            // long as it is broken) always; the other kinds only within the alerts' lookback, which the
            // pruner folds into this kind's cutoff.
            Table(name: "alert_deliveries", key: "event_key", condition: """
                kind <> 'audit_chain_broken'
                AND event_key NOT IN (SELECT event_key FROM alert_deliveries WHERE status = 'pending' OR created_at >= ? OR updated_at >= ?)
                AND event_key NOT IN (SELECT 'approval_waiting:' || event_id FROM approval_requests WHERE status = 'pending')
                """, cutoffs: 2, order: "updated_at", textKey: true)
        case .steps, .trainingRecords, .rotatedLogs:
            nil
        }
    }

    static func count(_ table: Table, before cutoff: String) -> SQLStatement {
        SQLStatement("SELECT COUNT(*) AS n FROM \(table.name) WHERE \(table.condition)", table.arguments(cutoff))
    }

    /// The steps of the runs pruning would delete.
    static func countSteps(before cutoff: String) -> SQLStatement {
        let runs = table(.runs)!
        return SQLStatement("SELECT COUNT(*) AS n FROM agent_steps WHERE run_id IN (SELECT run_id FROM agent_runs WHERE \(runs.condition))",
                            runs.arguments(cutoff))
    }

    /// The keys of the next batch, oldest first.
    static func batchKeys(_ table: Table, before cutoff: String, limit: Int) -> SQLStatement {
        SQLStatement("SELECT \(table.key) AS k FROM \(table.name) WHERE \(table.condition) ORDER BY \(table.order), \(table.key) LIMIT ?",
                     table.arguments(cutoff) + [SQLValue(limit)])
    }

    /// Deletes the rows of `table` (or, with `column`, of another table whose `column` holds the keys) named by `keys`.
    static func delete(from name: String, column: String, keys: [SQLValue]) -> SQLStatement {
        SQLStatement("DELETE FROM \(name) WHERE \(column) IN (" + keys.map { _ in "?" }.joined(separator: ", ") + ")", keys)
    }
}

/// Deleting what retention no longer keeps, in batches, each its own short transaction.
public protocol RetentionRepository: Sendable {
    /// How many rows of each stored kind (``RetainedKind/stored`` and the runs' ``RetainedKind/steps``)
    /// older than `cutoff` pruning would delete; counted by the database.
    func countPrunable(_ kinds: [RetainedKind], before cutoff: String) async throws -> [RetainedKind: Int]
    /// Deletes the oldest batch (at most `limit` rows; runs with their steps) of `kind` older than
    /// `cutoff`; returns what went, per kind. An empty result means nothing is left to prune.
    func pruneBatch(_ kind: RetainedKind, before cutoff: String, limit: Int) async throws -> [RetainedKind: Int]
    /// Gives the pages freed by deletes back to the file system where the backend does that on
    /// request (SQLite's incremental vacuum); what it did, for the report.
    func reclaimSpace() async throws -> SpaceReclaim
}

/// What reclaiming space did to each database.
public struct SpaceReclaim: Sendable, Equatable, Codable {
    public struct Database: Sendable, Equatable, Codable {
        public var name: String
        /// `incremental`, `none` (freed pages are reused by new rows, the file does not shrink) or `server`.
        public var autoVacuum: String
        public var freedPages: Int
        public var bytesBefore: Int
        public var bytesAfter: Int

        enum CodingKeys: String, CodingKey {
            case name, autoVacuum = "auto_vacuum", freedPages = "freed_pages", bytesBefore = "bytes_before", bytesAfter = "bytes_after"
        }
    }

    public var databases: [Database]

    public init(databases: [Database]) { self.databases = databases }
}
