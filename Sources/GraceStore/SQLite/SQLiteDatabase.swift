import Foundation
import GRDB

/// Opens one SQLite file the way Grace needs it: WAL, a busy timeout, foreign keys, and
/// migrations applied only when the file is healthy and not from a newer Grace.
enum SQLiteDatabase {
    /// How long a writer waits for another process's lock before giving up, unless the store is
    /// opened with another (`GRACE_DATABASE_WAIT_SECONDS`).
    static let busyTimeout: TimeInterval = 30

    static func configuration(readonly: Bool = false, busyTimeout: TimeInterval = busyTimeout) -> Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.readonly = readonly
        configuration.label = "grace"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Opens (creating when missing) and migrates the database at `path`.
    ///
    /// An existing file is first checked through a read-only connection: opening a pool writes
    /// to the file (GRDB makes sure the WAL exists), and a damaged or newer database must be
    /// left byte for byte as it was.
    static func open(path: String, migrator: DatabaseMigrator, busyTimeout: TimeInterval = busyTimeout) throws -> DatabasePool {
        var configuration = configuration(busyTimeout: busyTimeout)
        if FileManager.default.fileExists(atPath: path) {
            try checkUsable(path: path, migrator: migrator)
        } else {
            // Chosen before the first table exists, the only time SQLite lets it be chosen without a
            // full VACUUM: retention's deletes then give their pages back (`PRAGMA incremental_vacuum`).
            // The pool's readers are read-only connections: the writer, first to open, sets it.
            configuration.prepareDatabase { db in
                if !db.configuration.readonly { try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL") }
            }
        }
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            try migrator.migrate(pool)
        } catch {
            throw classify(error, path: path)
        }
        return pool
    }

    /// Throws ``StoreError/damaged(path:reason:)`` or ``StoreError/newerSchema(path:unknownMigrations:)``
    /// without writing to the file.
    static func checkUsable(path: String, migrator: DatabaseMigrator) throws {
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration(readonly: true))
            defer { try? queue.close() }
            try queue.read { db in
                _ = try Row.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
                if try migrator.hasBeenSuperseded(db) {
                    let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
                    throw StoreError.newerSchema(path: path, unknownMigrations: unknown.sorted())
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw classify(error, path: path)
        }
    }

    /// Maps SQLite's errors to store errors that say what an operator should know.
    ///
    /// Only evidence of damage (not a SQLite file, `SQLITE_CORRUPT`) is ``StoreError/damaged(path:reason:)``:
    /// busy, locked, read-only, permission and I/O errors say nothing about the bytes, and a
    /// healthy file must never be "healed" from an older snapshot because someone held a lock.
    static func classify(_ error: any Error, path: String) -> StoreError {
        guard let sqliteError = error as? DatabaseError else {
            return .cannotOpen(path: path, reason: String(describing: error))
        }
        let reason = sqliteError.message ?? "\(sqliteError.resultCode)"
        switch sqliteError.resultCode {
        case .SQLITE_NOTADB:
            return .damaged(path: path, reason: "not a SQLite database (garbage or overwritten header)")
        case .SQLITE_CORRUPT:
            return .damaged(path: path, reason: "corrupt database (\(sqliteError.message ?? "malformed"))")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .locked(path: path, reason: reason, holders: FileHolders.holders(of: path).map(\.description))
        case .SQLITE_FULL:
            return .diskFull(path: path)
        default:
            return .cannotOpen(path: path, reason: reason)
        }
    }
}

extension StoreError {
    /// Wraps an error thrown inside a store call, keeping store errors as they are.
    static func wrap(_ error: any Error, path: String) -> any Error {
        if error is StoreError { return error }
        if let databaseError = error as? DatabaseError {
            switch databaseError.resultCode {
            case .SQLITE_NOTADB, .SQLITE_CORRUPT, .SQLITE_FULL, .SQLITE_IOERR, .SQLITE_BUSY, .SQLITE_LOCKED:
                return SQLiteDatabase.classify(error, path: path)
            default:
                return error
            }
        }
        return error
    }
}
