import Foundation
import GRDB
import GraceCore

/// `grace backup`: a verified copy of a home's data in a folder of the operator's choosing, and
/// its restore. Built on the snapshot machinery (``SnapshotStore``): the same covered files (both
/// databases, the home's `.env`, the knowledge base), the same `manifest.json` with a SHA-256 per
/// file, and the same restore that keeps every replaced file aside. A backup folder is a snapshot
/// folder that lives outside the home: its id is the folder's name.
///
/// On SQLite both databases are copied with the online backup API (GRDB's `backup(to:)`), which
/// reads one consistent state while `grace up` keeps writing. On PostgreSQL the database goes
/// through `pg_dump` (``PostgresDump``) as `grace.pgdump`.
public struct HomeBackup: Sendable {
    public static let dumpName = "grace.pgdump"

    public let layout: GraceHomeLayout
    /// The PostgreSQL store, when the home uses one.
    public let database: DatabaseURL?

    public init(layout: GraceHomeLayout, database: DatabaseURL?) {
        self.layout = layout
        self.database = database
    }

    public enum BackupError: Error, CustomStringConvertible, Sendable {
        case badDestination(String)
        case verificationFailed(String, [String])
        case notABackup(String, String)

        public var description: String {
            switch self {
            case .badDestination(let message): message
            case .verificationFailed(let path, let problems): "backup \(path) does not verify: " + problems.joined(separator: "; ")
            case .notABackup(let path, let reason): "\(path) is not a Grace backup: \(reason)"
            }
        }
    }

    /// What a verified backup holds.
    public struct Verified: Sendable {
        public var manifest: SnapshotManifest
        /// `PRAGMA integrity_check` of each database copy ("ok"), or `pg_restore --list` for a dump.
        public var checks: [String: String]
    }

    /// Writes a backup of the home into `path`, which must not exist yet (or be an empty folder),
    /// then verifies it. A backup that does not verify is removed and the error names why.
    public func create(at path: String, platform: String) throws -> Verified {
        let folder = URL(fileURLWithPath: path).standardizedFileURL.path
        let home = URL(fileURLWithPath: layout.root).standardizedFileURL.path
        guard folder != home, !(home + "/").hasPrefix(folder + "/") else {
            throw BackupError.badDestination("cannot back up \(home) into \(folder), which holds it")
        }
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? nil
        if let existing, !existing.isEmpty { throw BackupError.badDestination("\(folder) exists and is not empty: choose a new folder") }
        if existing == nil && FileManager.default.fileExists(atPath: folder) {
            throw BackupError.badDestination("\(folder) exists and is not a folder")
        }
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw BackupError.badDestination("cannot create \(folder): \(error.localizedDescription)")
        }
        var finished = false
        defer { if !finished { try? FileManager.default.removeItem(atPath: folder) } }
        let (store, _) = Self.snapshotStore(layout, folder)
        if let database {
            let dump = folder + "/" + Self.dumpName
            try PostgresDump(url: database).dump(to: dump)
            var file = SnapshotManifest.File(name: Self.dumpName, path: database.displayURL, base: .home, kind: .database, state: .copied)
            file.sha256 = try SnapshotStore.sha256(ofFile: dump)
            file.bytes = try FileManager.default.attributesOfItem(atPath: dump)[.size] as? Int
            file.method = "pg_dump"
            _ = try store.fill(folder, bootID: nil, reason: "backup", gitSHA: nil, platform: platform, kinds: [.settings, .knowledgeBase],
                               extra: [file])
        } else {
            _ = try store.fill(folder, bootID: nil, reason: "backup", gitSHA: nil, platform: platform, backupAPI: true)
        }
        // Looking at a copy leaves an empty `-wal` and a `-shm` (an index SQLite rebuilds) beside
        // it; the backup holds each database as one self-contained file.
        for file in try FileManager.default.contentsOfDirectory(atPath: folder) where file.hasSuffix(".db-wal") {
            let database = folder + "/" + file.dropLast("-wal".count)
            if !SnapshotStore.hasContent(database + "-wal") {
                try FileManager.default.removeItem(atPath: database + "-wal")
                if FileManager.default.fileExists(atPath: database + "-shm") { try FileManager.default.removeItem(atPath: database + "-shm") }
            }
        }
        let verified = try verify(at: folder)
        finished = true
        return verified
    }

    /// Checks every file against the manifest's SHA-256, each database copy with a full
    /// `PRAGMA integrity_check` (on a private copy, so the backup folder is never written to) and
    /// a dump with `pg_restore --list`.
    public func verify(at path: String) throws -> Verified {
        let folder = URL(fileURLWithPath: path).standardizedFileURL.path
        let (store, id) = Self.snapshotStore(layout, folder)
        let manifest: SnapshotManifest
        do {
            manifest = try store.manifest(id: id)
        } catch {
            throw BackupError.notABackup(folder, "\(error)")
        }
        guard manifest.reason == "backup" else { throw BackupError.notABackup(folder, "its manifest is a \(manifest.reason) snapshot's") }
        var problems = try store.verify(id: id)
        var checks: [String: String] = [:]
        for file in manifest.files where file.kind == .database && file.state != .absent {
            let copy = store.copyPath(id: id, name: file.name)
            if file.state == .damaged {
                problems.append("\(file.name) was not a readable database when it was copied")
            } else if file.name == Self.dumpName {
                do {
                    try PostgresDump.checkArchive(copy)
                    checks[file.name] = "ok"
                } catch {
                    problems.append("\(file.name): \(error)")
                }
            } else {
                let result = Self.integrityCheck(copy)
                checks[file.name] = result
                if result != "ok" { problems.append("\(file.name): integrity_check: \(result)") }
            }
        }
        guard problems.isEmpty else { throw BackupError.verificationFailed(folder, problems) }
        return Verified(manifest: manifest, checks: checks)
    }

    /// What a restore did.
    public struct Restored: Sendable {
        public var files: RestoreResult
        /// The current PostgreSQL database dumped before it was replaced.
        public var databaseKeptAside: String?
    }

    /// Restores the backup at `path` into this home, after verifying it. Every file it replaces is
    /// moved aside first (`<file>.before-restore-<time>`, with its `-wal` and `-shm`); on
    /// PostgreSQL the current database is first dumped into `storage/backups/`. The caller holds
    /// the home's instance lock (no Grace runs) and has no store open.
    public func restore(from path: String) throws -> Restored {
        let folder = URL(fileURLWithPath: path).standardizedFileURL.path
        let verified = try verify(at: folder)
        let holdsDump = verified.manifest.files.contains { $0.name == Self.dumpName }
        let holdsSQLite = verified.manifest.files.contains { $0.name == "grace.db" && $0.state != .absent }
        if holdsDump && database == nil {
            throw BackupError.notABackup(folder, "it holds a PostgreSQL dump; set GRACE_DATABASE_URL to the database to restore it into")
        }
        if holdsSQLite && database != nil {
            throw BackupError.notABackup(folder, "it holds SQLite databases, and this home uses PostgreSQL (GRACE_DATABASE_URL); "
                                         + "restore into a SQLite home, then `grace store migrate`")
        }
        let (store, id) = Self.snapshotStore(layout, folder)
        var aside: String?
        if let database, holdsDump {
            let dumps = layout.path("storage", "backups")
            try FileManager.default.createDirectory(atPath: dumps, withIntermediateDirectories: true)
            let kept = dumps + "/before-restore-" + Timestamp.compact(from: Date()) + "-\(getpid()).pgdump"
            let tool = PostgresDump(url: database)
            try tool.dump(to: kept)
            aside = kept
            try tool.restore(from: store.copyPath(id: id, name: Self.dumpName))
        }
        let names = Set(verified.manifest.files.map(\.name)).subtracting([Self.dumpName])
        let files = try store.restore(id: id, names: names, asideLabel: "before-restore", discardNewer: true)
        return Restored(files: files, databaseKeptAside: aside)
    }

    static func snapshotStore(_ layout: GraceHomeLayout, _ folder: String) -> (SnapshotStore, String) {
        let url = URL(fileURLWithPath: folder)
        return (SnapshotStore(layout: layout, snapshotsDirectory: url.deletingLastPathComponent().path), url.lastPathComponent)
    }

    /// `PRAGMA integrity_check` of a private copy of `path`: "ok", or what it found.
    static func integrityCheck(_ path: String) -> String {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("grace-backup-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let copy = scratch.appendingPathComponent("check.db").path
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let queue = try DatabaseQueue(path: copy, configuration: DatabaseInspection.inspectionConfiguration())
            defer { try? queue.close() }
            return try queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }.joined(separator: "; ")
        } catch {
            return "cannot be opened: \(error)"
        }
    }
}
