import Foundation
import GraceCore
import Testing
@testable import GraceStore

/// The backends the store's tests run against: SQLite always, PostgreSQL when
/// `GRACE_TEST_POSTGRES_URL` names a server (`.ci/run` always sets it, from scripts/pg-test-server.sh).
enum Backend: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static let postgresURL: DatabaseURL? = ProcessInfo.processInfo.environment["GRACE_TEST_POSTGRES_URL"].flatMap(DatabaseURL.init)
    static var available: [Backend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
    var testDescription: String { rawValue }
}

/// One fresh, empty store of a backend: a temp home for SQLite, a new database for PostgreSQL.
final class TestStore {
    let backend: Backend
    let home: TemporaryHome
    let store: any GraceStoreBackend
    /// The PostgreSQL database of this test, when the backend is PostgreSQL.
    let database: DatabaseURL?

    var repositories: GraceRepositories { store.repositories }

    private init(backend: Backend, home: TemporaryHome, store: any GraceStoreBackend, database: DatabaseURL?) {
        self.backend = backend
        self.home = home
        self.store = store
        self.database = database
    }

    /// Longer than the product's deadline: dozens of these tests open stores at once in one busy
    /// process, and what they check is the store's behaviour, not its deadline (MultiNodeTests
    /// checks that, on the built binary).
    static let callTimeout: Duration = .seconds(60)

    static func open(_ backend: Backend, nodeID: String? = nil) async throws -> TestStore {
        let home = try TemporaryHome()
        switch backend {
        case .sqlite:
            return TestStore(backend: backend, home: home, store: try SQLiteStore(layout: home.layout, nodeID: nodeID), database: nil)
        case .postgres:
            let database = try await freshDatabase()
            return TestStore(backend: backend, home: home, store: try await PostgresStore.open(database, nodeID: nodeID, callTimeout: Self.callTimeout), database: database)
        }
    }

    /// A second, independent connection to the same data, as a second process or node would have.
    func reopen(nodeID: String? = nil) async throws -> any GraceStoreBackend {
        if let database { return try await PostgresStore.open(database, nodeID: nodeID, callTimeout: Self.callTimeout) }
        return try SQLiteStore(layout: home.layout, nodeID: nodeID)
    }

    /// Runs SQL outside the store's repositories (tampering, as someone with database access would).
    func executeRaw(_ sql: String) async throws {
        if let database {
            try await PostgresStore.executeOnce(sql, at: database)
        } else {
            let sqlite = try #require(store as? SQLiteStore)
            try await sqlite.grace.write { db in try db.execute(sql: sql) }
        }
    }

    static func freshDatabase() async throws -> DatabaseURL {
        let server = try #require(Backend.postgresURL, "GRACE_TEST_POSTGRES_URL is not set")
        var database = server
        database.database = "grace_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await PostgresStore.executeOnce("CREATE DATABASE \(database.database)", at: server)
        return database
    }
}

@Suite struct BackendAvailability {
    @Test(.disabled(if: Backend.postgresURL == nil,
                    "GRACE_TEST_POSTGRES_URL is not set: the PostgreSQL cases of the store tests are skipped (scripts/pg-test-server.sh start)"))
    func postgresServerIsReachable() async throws {
        let test = try await TestStore.open(.postgres)
        let health = try await test.store.health()
        #expect(health.allSatisfy { $0.isHealthy })
    }
}
