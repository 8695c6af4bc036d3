import GraceCore
import Logging
import PostgresNIO

/// The shared store: every table of `grace.db` and `metrics.db` in one PostgreSQL database, for
/// several Grace nodes at once (`GRACE_DATABASE_URL`).
public final class PostgresStore: Sendable {
    public let url: DatabaseURL
    public let repositories: GraceRepositories
    let database: PostgresDatabase
    private let runner: Task<Void, Never>

    private init(database: PostgresDatabase, runner: Task<Void, Never>, nodeID: String?) {
        self.url = database.location
        self.database = database
        self.runner = runner
        repositories = GraceRepositories(
            runs: PostgresRunRepository(database: database, nodeID: nodeID),
            approvals: PostgresApprovalRepository(database: database, nodeID: nodeID),
            audit: PostgresAuditLog(database: database, nodeID: nodeID),
            metrics: PostgresMetricsRepository(database: database, nodeID: nodeID),
            verifications: PostgresVerificationRepository(database: database),
            playbooks: PostgresPlaybookRepository(database: database),
            minedClusters: PostgresMinedClusterRepository(database: database),
            retention: PostgresRetentionRepository(database: database),
            alerts: PostgresAlertDeliveryRepository(database: database, nodeID: nodeID),
            changes: PostgresChangeFeed(database: database),
            census: PostgresEventCensus(database: database))
    }

    /// Connects and applies pending migrations (nodes starting together take turns).
    ///
    /// Throws ``StoreError/newerSchema(path:unknownMigrations:)`` without changing anything when
    /// the database was migrated by a newer Grace, and ``StoreError/unavailable(database:reason:)``
    /// when the server cannot be reached.
    ///
    /// A server that refuses connections or does not answer fails the open within `callTimeout`
    /// (8 s): a first plain query must answer before migrating. Only then does migrating get
    /// ``migrationTimeout``, for a reachable server whose migration lock another node holds.
    ///
    /// - Parameter callTimeout: how long one store call may take, retries included, before it
    ///   fails as unavailable (the API's 503).
    public static func open(_ location: DatabaseURL, nodeID: String?, logger: Logger = Logger(label: "grace.store"),
                            callTimeout: Duration = PostgresStore.defaultCallTimeout) async throws -> PostgresStore {
        let client = PostgresClient(configuration: configuration(for: location))
        let runner = Task { await client.run() }
        let database = PostgresDatabase(client: client, location: location, logger: logger, callTimeout: callTimeout)
        let store = PostgresStore(database: database, runner: runner, nodeID: nodeID)
        do {
            try await store.probe()
            try await store.migrate()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    static func configuration(for location: DatabaseURL) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch location.tls {
        case .disable: .disable
        case .prefer: .prefer(.makeClientConfiguration())
        case .require: .require(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(host: location.host, port: location.port, username: location.user,
                                                         password: location.password, database: location.database, tls: tls)
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.maximumConnections = 16
        return configuration
    }

    /// How long one store call may take by default (see ``open(_:nodeID:logger:callTimeout:)``).
    public static let defaultCallTimeout: Duration = .seconds(8)
    /// How long applying the migrations at open may take, once the server has answered: another
    /// node starting at the same time may hold the migration lock meanwhile.
    static let migrationTimeout: Duration = .seconds(60)

    /// One plain query within the call deadline: tells an unreachable or silent server (fail
    /// now) from one that answers but whose migration lock is held (wait for it).
    private func probe() async throws {
        try await database.read { session in try await session.execute(SQLStatement("SELECT 1")) }
    }

    private func migrate() async throws {
        var database = database
        database.callTimeout = max(database.callTimeout, Self.migrationTimeout)
        try await database.transaction { session in
            try await session.execute(SQLStatement("SELECT pg_advisory_xact_lock(?)", [.integer(PostgresSchema.migrationLock)]))
            try await session.execute(raw: "CREATE TABLE IF NOT EXISTS grace_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            let applied = Set(try await session.fetchAll(SQLStatement("SELECT id FROM grace_migrations")) { try $0.required("id") })
            let unknown = applied.subtracting(PostgresSchema.known)
            guard unknown.isEmpty else {
                throw StoreError.newerSchema(path: self.url.description, unknownMigrations: unknown.sorted())
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.id) {
                for statement in migration.statements { try await session.execute(raw: statement) }
                try await session.execute(SQLStatement("INSERT INTO grace_migrations (id, applied_at) VALUES (?, ?)",
                                                       [.text(migration.id), .text(Timestamp.now())]))
            }
        }
    }

    /// Reachability and migration state, in the shape of SQLite's health check.
    public func health() async throws -> [DatabaseHealth] {
        let applied = try await database.read { session in
            try await session.fetchAll(SQLStatement("SELECT id FROM grace_migrations ORDER BY id")) { try $0.required("id") }
        }
        return [DatabaseHealth(path: url.description, integrity: "ok", appliedMigrations: applied,
                               knownMigrations: PostgresSchema.known)]
    }

    /// Stops the connection pool; the store is unusable afterwards.
    public func close() async {
        runner.cancel()
        await runner.value
    }
}

extension PostgresStore {
    /// Runs one statement on its own short-lived connection (creating a database, tampering in
    /// tests): what cannot run inside the pool's transactions.
    static func executeOnce(_ sql: String, at location: DatabaseURL) async throws {
        let client = PostgresClient(configuration: configuration(for: location))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }
}
