import GRDB
import GraceCore

/// `metrics_snapshots` in `metrics.db`.
struct SQLiteMetricsRepository: MetricsRepository {
    let database: SQLiteConnection

    func record(_ snapshots: [MetricSnapshot]) async throws {
        try await database.write { db in
            for snapshot in snapshots {
                try db.execute(sql: """
                    INSERT INTO metrics_snapshots (snapshot_id, metric_id, resource_scope, resource_id, window_start, window_end,
                        stats_json, bands_json, latest_band, derived_actions_json, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [snapshot.snapshotID, snapshot.metricID, snapshot.resourceScope, snapshot.resourceID,
                                     snapshot.windowStart, snapshot.windowEnd, snapshot.stats.jsonText, snapshot.bands.jsonText,
                                     snapshot.latestBand.rawValue, snapshot.derivedActions.jsonText, snapshot.createdAt])
            }
        }
    }

    func latestPerMetric() async throws -> [MetricSnapshot] {
        try await database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM metrics_snapshots AS s
                WHERE s.id = (SELECT id FROM metrics_snapshots WHERE metric_id = s.metric_id ORDER BY window_end DESC, id DESC LIMIT 1)
                ORDER BY s.metric_id
                """).map(MetricSnapshot.init(row:))
        }
    }

    func recent(limit: Int) async throws -> [MetricSnapshot] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM metrics_snapshots ORDER BY window_end DESC, id DESC LIMIT ?", arguments: [limit])
                .map(MetricSnapshot.init(row:))
        }
    }
}
