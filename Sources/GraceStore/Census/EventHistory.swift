import Foundation
import GraceCore

/// What the store recorded per day since a time, for the dashboard's charts: boots by status,
/// healing decisions by pattern, executed fixes and how many succeeded, and the health score
/// each boot ended with. Days are UTC dates, the first ten characters of Grace's timestamps.
public struct StoreHistory: Sendable, Equatable {
    public var days: [Day]
    /// The health score recorded with each boot's audit entry (oldest first); boots recorded
    /// before scores were kept have none.
    public var healthScores: [HealthSample]

    public init(days: [Day], healthScores: [HealthSample]) {
        self.days = days
        self.healthScores = healthScores
    }

    public struct Day: Sendable, Equatable {
        /// `YYYY-MM-DD`.
        public var day: String
        public var bootsByStatus: [AgentRun.Status: Int] = [:]
        /// Healing decisions (playbook runs) by the pattern that triggered them; `""` for none.
        public var decisionsByPattern: [String: Int] = [:]
        /// Playbook runs whose decision was `execute`.
        public var fixesExecuted = 0
        /// Of those, the ones that ended `succeeded`.
        public var fixesSucceeded = 0

        public init(day: String) { self.day = day }
    }

    public struct HealthSample: Sendable, Equatable {
        public var at: String
        public var runID: String
        public var score: Int

        public init(at: String, runID: String, score: Int) {
            self.at = at
            self.runID = runID
            self.score = score
        }
    }
}

/// The history's statements, the same in SQLite and PostgreSQL (`GROUP BY` ordinals, `substr`).
enum EventHistoryStatements {
    /// At most this many boots' scores (the newest).
    static let healthLimit = 500

    static func boots(since: String) -> SQLStatement {
        SQLStatement("""
            SELECT substr(started_at, 1, 10) AS day, status, COUNT(*) AS n FROM agent_runs
            WHERE kind = 'boot' AND started_at >= ? GROUP BY 1, 2
            """, [.text(since)])
    }

    static func decisions(since: String) -> SQLStatement {
        SQLStatement("""
            SELECT substr(started_at, 1, 10) AS day, pattern_id, decision, status, COUNT(*) AS n FROM playbook_runs
            WHERE started_at >= ? GROUP BY 1, 2, 3, 4
            """, [.text(since)])
    }

    /// Boot outcome entries (`boot.success`, `boot.partial`, `boot.failed`), newest first.
    static func bootEntries(since: String) -> SQLStatement {
        SQLStatement("""
            SELECT timestamp, resource, payload FROM immutable_log
            WHERE action IN ('boot.success', 'boot.partial', 'boot.failed') AND timestamp >= ?
            ORDER BY sequence DESC LIMIT \(healthLimit)
            """, [.text(since)])
    }

    struct BootRow { var day: String; var status: AgentRun.Status; var count: Int }
    struct DecisionRow { var day: String; var patternID: String?; var decision: String; var status: PlaybookRun.Status; var count: Int }

    static func bootRow(_ row: some StoreRow) throws -> BootRow {
        BootRow(day: try row.required("day"), status: try row.enumValue("status", as: AgentRun.Status.self), count: try row.count("n"))
    }

    static func decisionRow(_ row: some StoreRow) throws -> DecisionRow {
        DecisionRow(day: try row.required("day"), patternID: try row.text("pattern_id"), decision: try row.required("decision"),
                    status: try row.enumValue("status", as: PlaybookRun.Status.self), count: try row.count("n"))
    }

    /// The score in a boot entry's payload, if it has one (`resource` is `boot/<run id>`).
    static func healthSample(_ row: some StoreRow) throws -> StoreHistory.HealthSample? {
        let payload = try JSONDecoder().decode(JSONValue.self, from: Data(try row.required("payload").utf8))
        guard case .number(let score)? = payload["health_score"] else { return nil }
        let resource = try row.required("resource")
        return StoreHistory.HealthSample(at: try row.required("timestamp"), runID: String(resource.dropFirst("boot/".count)), score: Int(score))
    }

    static func history(boots: [BootRow], decisions: [DecisionRow], health: [StoreHistory.HealthSample?]) -> StoreHistory {
        var days: [String: StoreHistory.Day] = [:]
        for row in boots { days[row.day, default: .init(day: row.day)].bootsByStatus[row.status, default: 0] += row.count }
        for row in decisions {
            days[row.day, default: .init(day: row.day)].decisionsByPattern[row.patternID ?? "", default: 0] += row.count
            guard row.decision == "execute" else { continue }
            days[row.day, default: .init(day: row.day)].fixesExecuted += row.count
            if row.status == .succeeded { days[row.day, default: .init(day: row.day)].fixesSucceeded += row.count }
        }
        return StoreHistory(days: days.values.sorted { $0.day < $1.day }, healthScores: health.compactMap { $0 }.reversed())
    }
}

extension SQLiteEventCensus {
    func history(since: String) async throws -> StoreHistory {
        try await database.read { db in
            EventHistoryStatements.history(
                boots: try db.fetchAll(EventHistoryStatements.boots(since: since)).map(EventHistoryStatements.bootRow),
                decisions: try db.fetchAll(EventHistoryStatements.decisions(since: since)).map(EventHistoryStatements.decisionRow),
                health: try db.fetchAll(EventHistoryStatements.bootEntries(since: since)).map(EventHistoryStatements.healthSample))
        }
    }
}

extension PostgresEventCensus {
    func history(since: String) async throws -> StoreHistory {
        try await database.read { session in
            EventHistoryStatements.history(
                boots: try await session.fetchAll(EventHistoryStatements.boots(since: since), EventHistoryStatements.bootRow),
                decisions: try await session.fetchAll(EventHistoryStatements.decisions(since: since), EventHistoryStatements.decisionRow),
                health: try await session.fetchAll(EventHistoryStatements.bootEntries(since: since), EventHistoryStatements.healthSample))
        }
    }
}
