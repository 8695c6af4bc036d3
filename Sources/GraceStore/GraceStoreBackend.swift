import Foundation
import GraceCore
import Logging

/// An open store, whichever backend holds it: what boot, server and commands need of it.
public protocol GraceStoreBackend: Sendable {
    var repositories: GraceRepositories { get }
    /// Where the data lives, for messages: a home's `databases/` folder or a PostgreSQL URL without password.
    var location: String { get }
    /// Integrity and migration state of each database.
    func health() async throws -> [DatabaseHealth]
    /// Flushes and closes; the store is unusable afterwards.
    func shutdown() async throws
    /// Bytes on disk per database file; empty for a database on a server.
    func fileSizes() -> [String: Int]
    /// Sends `text` through the database and returns what came back (the UTF-8 codec check).
    func roundTrip(_ text: String) async throws -> String?
}

extension SQLiteStore: GraceStoreBackend {
    public var location: String { layout.databasesDirectory }
    public func shutdown() async throws { try close() }
}

extension PostgresStore: GraceStoreBackend {
    public var location: String { url.description }
    public func shutdown() async throws { await close() }
    public func fileSizes() -> [String: Int] { [:] }

    public func roundTrip(_ text: String) async throws -> String? {
        try await database.read { session in
            try await session.fetchOne(SQLStatement("SELECT CAST(? AS TEXT) AS value", [.text(text)])) { try $0.text("value") }
        } ?? nil
    }
}

/// Picks the backend from settings: PostgreSQL when `GRACE_DATABASE_URL` is set, else the home's SQLite files.
public enum GraceStoreFactory {
    public static func open(settings: GraceSettings, layout: GraceHomeLayout,
                            logger: Logger = Logger(label: "grace.store")) async throws -> any GraceStoreBackend {
        if let url = settings.databaseURL {
            return try await PostgresStore.open(url, nodeID: settings.nodeID, logger: logger)
        }
        return try SQLiteStore(layout: layout, nodeID: settings.nodeID, busyTimeout: TimeInterval(settings.databaseWaitSeconds))
    }
}
