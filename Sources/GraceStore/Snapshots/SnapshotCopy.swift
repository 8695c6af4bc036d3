import Foundation
import GRDB

extension SnapshotStore {
    /// How long a snapshot waits for another connection's lock before reporting it.
    static let copyBusyTimeout: TimeInterval = 2

    /// How a database was copied, and what the live file looked like then.
    struct DatabaseCopy {
        var state: SnapshotManifest.File.State
        var method: String
        /// SHA-256 of the live main file when it differs from the copy (copied with the backup API).
        var sourceSHA256: String?
        /// SHA-256 of the live `-wal` when it had content (left as it was).
        var walSHA256: String?
    }

    /// A consistent copy that never writes to the source. With no WAL content to fold in, the file
    /// is copied byte for byte while holding SQLite's write lock, so no writer can change it
    /// mid-copy. With WAL content (a crash, another process writing) or a writer holding the lock,
    /// the backup API reads one consistent state instead (the copy is then not byte-identical to
    /// the main file, whose SHA-256 and its WAL's are recorded): a checkpoint here would write into
    /// a file nobody has inspected yet, and into a damaged one it would destroy evidence. A file
    /// SQLite says is not a database, or corrupt, is kept raw, as evidence, marked damaged. A
    /// database another process holds locked throws ``StoreError/locked(path:reason:holders:)``.
    func copyDatabase(from path: String, to destination: String, backupAPI: Bool = false) throws -> DatabaseCopy {
        let walSHA256 = Self.hasContent(path + "-wal") ? try Self.sha256(ofFile: path + "-wal") : nil
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.copyBusyTimeout)
        do {
            if walSHA256 == nil && !backupAPI {
                let queue = try DatabaseQueue(path: path, configuration: configuration)
                defer { try? queue.close() }
                let copiedUnderLock = try queue.writeWithoutTransaction { db -> Bool in
                    _ = try Row.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
                    do {
                        try db.execute(sql: "BEGIN IMMEDIATE")
                    } catch let error as DatabaseError where [.SQLITE_BUSY, .SQLITE_LOCKED].contains(error.resultCode) {
                        return false
                    }
                    defer { try? db.execute(sql: "COMMIT") }
                    try copyFile(from: path, to: destination)
                    return true
                }
                if copiedUnderLock { return DatabaseCopy(state: .copied, method: "locked_copy") }
            }
            // Read-only: a read-write connection checkpoints the WAL into the file when it closes.
            let sourceSHA256 = try Self.sha256(ofFile: path)
            configuration.readonly = true
            let source = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? source.close() }
            try source.read { db in _ = try Row.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
            let target = try DatabaseQueue(path: destination)
            try source.backup(to: target)
            try target.close()
            return DatabaseCopy(state: .copied, method: "backup_api", sourceSHA256: sourceSHA256, walSHA256: walSHA256)
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            try? FileManager.default.removeItem(atPath: destination)
            try copyFile(from: path, to: destination)
            return DatabaseCopy(state: .damaged, method: "raw_copy", walSHA256: walSHA256)
        } catch let error as DatabaseError {
            throw SQLiteDatabase.classify(error, path: path)
        }
    }

    func copyFile(from source: String, to destination: String) throws {
        guard let data = FileManager.default.contents(atPath: source) else {
            throw SnapshotError.io("cannot read \(source)")
        }
        guard FileManager.default.createFile(atPath: destination, contents: data) else {
            throw SnapshotError.io("cannot write \(destination) (disk full or no permission?)")
        }
    }
}
