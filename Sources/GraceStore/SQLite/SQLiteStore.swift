import Foundation
import GRDB
import GraceCore

/// The embedded store: `databases/grace.db` and `databases/metrics.db` under a Grace home.
public final class SQLiteStore: Sendable {
    public let layout: GraceHomeLayout
    let grace: SQLiteConnection
    let metrics: SQLiteConnection

    /// Every repository, backed by this store.
    public let repositories: GraceRepositories

    /// Opens (creating and migrating when needed) both databases.
    ///
    /// Throws ``StoreError/damaged(path:reason:)`` or ``StoreError/newerSchema(path:unknownMigrations:)``
    /// without touching the file when a database cannot be used as it is.
    /// `nodeID` is stamped on the runs, approvals, audit entries and metric snapshots this store records.
    /// `busyTimeout` is how long a call waits for another process's lock before it fails as
    /// ``StoreError/locked(path:reason:holders:)``.
    public init(layout: GraceHomeLayout, nodeID: String? = nil, busyTimeout: TimeInterval = 30) throws {
        self.layout = layout
        do {
            try FileManager.default.createDirectory(atPath: layout.databasesDirectory, withIntermediateDirectories: true)
        } catch {
            throw StoreError.cannotOpen(path: layout.databasesDirectory, reason: error.localizedDescription)
        }
        grace = SQLiteConnection(pool: try SQLiteDatabase.open(path: layout.graceDatabase, migrator: Schema.graceMigrator, busyTimeout: busyTimeout),
                                 path: layout.graceDatabase)
        metrics = SQLiteConnection(pool: try SQLiteDatabase.open(path: layout.metricsDatabase, migrator: Schema.metricsMigrator, busyTimeout: busyTimeout),
                                   path: layout.metricsDatabase)
        repositories = GraceRepositories(
            runs: SQLiteRunRepository(database: grace, nodeID: nodeID),
            approvals: SQLiteApprovalRepository(database: grace, nodeID: nodeID),
            audit: SQLiteAuditLog(database: grace, nodeID: nodeID),
            metrics: SQLiteMetricsRepository(database: metrics, nodeID: nodeID),
            verifications: SQLiteVerificationRepository(database: grace),
            playbooks: SQLitePlaybookRepository(database: grace),
            minedClusters: SQLiteMinedClusterRepository(database: grace),
            retention: SQLiteRetentionRepository(grace: grace, metrics: metrics),
            alerts: SQLiteAlertDeliveryRepository(database: grace, nodeID: nodeID),
            changes: SQLiteChangeFeed(database: grace),
            census: SQLiteEventCensus(database: grace))
    }

    /// Checkpoints the write-ahead logs into the database files and closes both databases;
    /// the store is unusable afterwards. After a clean close each `.db` file holds everything.
    public func close() throws {
        for connection in [grace, metrics] {
            try connection.pool.writeWithoutTransaction { db in
                _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
            }
            try connection.pool.close()
        }
    }
}

/// What a health check learns about one database file.
public struct DatabaseHealth: Sendable, Equatable, Codable {
    public var path: String
    /// "ok", or what `PRAGMA quick_check` reported.
    public var integrity: String
    public var appliedMigrations: [String]
    public var knownMigrations: [String]
    public var isHealthy: Bool { integrity == "ok" && Set(appliedMigrations) == Set(knownMigrations) }

    enum CodingKeys: String, CodingKey {
        case path, integrity, appliedMigrations = "applied_migrations", knownMigrations = "known_migrations"
    }
}

extension SQLiteStore {
    /// Runs `PRAGMA quick_check` and reads the migration state of both databases.
    public func health() async throws -> [DatabaseHealth] {
        try await [Self.health(of: grace, migrator: Schema.graceMigrator), Self.health(of: metrics, migrator: Schema.metricsMigrator)]
    }

    private static func health(of connection: SQLiteConnection, migrator: DatabaseMigrator) async throws -> DatabaseHealth {
        try await connection.read { db in
            let messages = try String.fetchAll(db, sql: "PRAGMA quick_check")
            return DatabaseHealth(path: connection.path, integrity: messages.joined(separator: "; "),
                                  appliedMigrations: try migrator.appliedIdentifiers(db).sorted(),
                                  knownMigrations: migrator.migrations)
        }
    }
}
