import GraceCore

/// Counts of what the store has recorded, grouped for `/metrics` (and, over time, for the
/// dashboard's charts: ``StoreHistory``): boots by status, the newest
/// ended boot, healing decisions by pattern, playbook, decision and outcome, and the supervised
/// service's exits and crash loops from the audit chain. One read; the database does the counting.
public protocol EventCensus: Sendable {
    func census() async throws -> StoreCensus
    /// Per-day counts and the boots' health scores since `since` (a Grace timestamp), for charts.
    func history(since: String) async throws -> StoreHistory
}

/// What ``EventCensus/census()`` counted. Runs and playbook runs are what retention keeps; the
/// audit chain is never pruned, so its counts only grow.
public struct StoreCensus: Sendable, Equatable {
    /// Boot runs (`kind` `boot`) by status.
    public var bootsByStatus: [AgentRun.Status: Int]
    /// The ended boot that started last, if any.
    public var lastBoot: AgentRun?
    /// Playbook runs grouped by pattern, playbook, governance decision and status.
    public var decisions: [DecisionCount]
    /// Audit entries of the supervised service: `target.exit` by result (`crashed`, `stopped`) and
    /// `target.crash_loop` (result `gave_up`), as `action` → `result` → count.
    public var targetEvents: [String: [String: Int]]

    public init(bootsByStatus: [AgentRun.Status: Int], lastBoot: AgentRun?, decisions: [DecisionCount], targetEvents: [String: [String: Int]]) {
        self.bootsByStatus = bootsByStatus
        self.lastBoot = lastBoot
        self.decisions = decisions
        self.targetEvents = targetEvents
    }

    /// How many playbook runs share one pattern, playbook, decision and status.
    public struct DecisionCount: Sendable, Equatable {
        /// Nil for a playbook run no pattern triggered.
        public var patternID: String?
        public var playbookID: String
        public var decision: String
        public var status: PlaybookRun.Status
        public var count: Int

        public init(patternID: String?, playbookID: String, decision: String, status: PlaybookRun.Status, count: Int) {
            self.patternID = patternID
            self.playbookID = playbookID
            self.decision = decision
            self.status = status
            self.count = count
        }
    }
}

/// The same four queries in SQLite and PostgreSQL.
enum EventCensusStatements {
    static let boots = SQLStatement("SELECT status, COUNT(*) AS n FROM agent_runs WHERE kind = 'boot' GROUP BY status")
    static let lastBoot = SQLStatement(
        "SELECT * FROM agent_runs WHERE kind = 'boot' AND ended_at IS NOT NULL ORDER BY started_at DESC, run_id DESC LIMIT 1")
    static let decisions = SQLStatement("""
        SELECT pattern_id, playbook_id, decision, status, COUNT(*) AS n FROM playbook_runs
        GROUP BY pattern_id, playbook_id, decision, status
        """)
    /// Only the supervisor's two actions; the chain has no index on `action`, so this reads it
    /// once per scrape (a few milliseconds per 100,000 entries).
    static let targetEvents = SQLStatement("""
        SELECT action, result, COUNT(*) AS n FROM immutable_log WHERE action IN ('target.exit', 'target.crash_loop')
        GROUP BY action, result
        """)

    static func census(boots: [(AgentRun.Status, Int)], lastBoot: AgentRun?, decisions: [StoreCensus.DecisionCount],
                       targetEvents: [(String, String, Int)]) -> StoreCensus {
        var events: [String: [String: Int]] = [:]
        for (action, result, count) in targetEvents { events[action, default: [:]][result, default: 0] += count }
        return StoreCensus(bootsByStatus: Dictionary(boots, uniquingKeysWith: +), lastBoot: lastBoot, decisions: decisions, targetEvents: events)
    }

    static func boot(row: some StoreRow) throws -> (AgentRun.Status, Int) {
        (try row.enumValue("status", as: AgentRun.Status.self), try row.count("n"))
    }

    static func targetEvent(row: some StoreRow) throws -> (String, String, Int) {
        (try row.required("action"), try row.required("result"), try row.count("n"))
    }
}

extension StoreCensus.DecisionCount {
    init(row: some StoreRow) throws {
        self.init(patternID: try row.text("pattern_id"), playbookID: try row.required("playbook_id"), decision: try row.required("decision"),
                  status: try row.enumValue("status", as: PlaybookRun.Status.self), count: try row.count("n"))
    }
}

struct SQLiteEventCensus: EventCensus {
    let database: SQLiteConnection

    func census() async throws -> StoreCensus {
        try await database.read { db in
            EventCensusStatements.census(
                boots: try db.fetchAll(EventCensusStatements.boots).map(EventCensusStatements.boot(row:)),
                lastBoot: try db.fetchOne(EventCensusStatements.lastBoot).map(AgentRun.init(row:)),
                decisions: try db.fetchAll(EventCensusStatements.decisions).map(StoreCensus.DecisionCount.init(row:)),
                targetEvents: try db.fetchAll(EventCensusStatements.targetEvents).map(EventCensusStatements.targetEvent(row:)))
        }
    }
}

struct PostgresEventCensus: EventCensus {
    let database: PostgresDatabase

    func census() async throws -> StoreCensus {
        try await database.read { session in
            EventCensusStatements.census(
                boots: try await session.fetchAll(EventCensusStatements.boots, EventCensusStatements.boot(row:)),
                lastBoot: try await session.fetchOne(EventCensusStatements.lastBoot, AgentRun.init(row:)),
                decisions: try await session.fetchAll(EventCensusStatements.decisions, StoreCensus.DecisionCount.init(row:)),
                targetEvents: try await session.fetchAll(EventCensusStatements.targetEvents, EventCensusStatements.targetEvent(row:)))
        }
    }
}
