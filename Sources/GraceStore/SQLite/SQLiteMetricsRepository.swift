import GRDB
import GraceCore

/// `metrics_snapshots` in `metrics.db`.
struct SQLiteMetricsRepository: MetricsRepository {
    let database: SQLiteConnection
    let nodeID: String?

    func record(_ snapshots: [MetricSnapshot]) async throws {
        try await database.write { [nodeID] db in
            for var snapshot in snapshots {
                if snapshot.nodeID == nil { snapshot.nodeID = nodeID }
                try db.execute(StoreStatements.insertSnapshot(snapshot))
            }
        }
    }

    func latestPerMetric() async throws -> [MetricSnapshot] {
        try await database.read { db in try db.fetchAll(StoreStatements.latestSnapshots).map(MetricSnapshot.init(row:)) }
    }

    func recent(limit: Int) async throws -> [MetricSnapshot] {
        try await database.read { db in try db.fetchAll(StoreStatements.recentSnapshots(limit: limit)).map(MetricSnapshot.init(row:)) }
    }
}
