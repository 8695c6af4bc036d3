import Crypto
import Foundation
import GRDB
import GraceCore

/// Pre-boot snapshots under `storage/snapshots/`: consistent copies of both databases plus the
/// settings and knowledge-base files, each with a SHA-256 in `manifest.json`.
public struct SnapshotStore: Sendable {
    public enum SnapshotError: Error, CustomStringConvertible, Sendable {
        case notFound(String)
        case unreadableManifest(String, String)
        case verificationFailed(String, [String])
        case io(String)

        public var description: String {
            switch self {
            case .notFound(let id): "snapshot \(id) not found (see grace snapshot list)"
            case .unreadableManifest(let id, let reason): "snapshot \(id) has an unreadable manifest: \(reason)"
            case .verificationFailed(let id, let problems):
                "snapshot \(id) does not match its manifest: " + problems.joined(separator: "; ") + "; nothing was restored"
            case .io(let message): message
            }
        }
    }

    /// A file outside the home that snapshots also cover (a supervised service's database or env file).
    public struct CoveredFile: Sendable, Equatable {
        /// The file's name inside the snapshot folder; unique within a snapshot.
        public var name: String
        public var path: String
        public var kind: SnapshotManifest.File.Kind

        public init(name: String, path: String, kind: SnapshotManifest.File.Kind) {
            self.name = name
            self.path = path
            self.kind = kind
        }
    }

    public let layout: GraceHomeLayout
    public let extraFiles: [CoveredFile]

    public init(layout: GraceHomeLayout, extraFiles: [CoveredFile] = []) {
        self.layout = layout
        self.extraFiles = extraFiles
    }

    /// The files a snapshot covers: both databases, the home's `.env`, the knowledge base, and
    /// the extra files.
    public var coveredFiles: [(name: String, path: String, kind: SnapshotManifest.File.Kind)] {
        [("grace.db", layout.graceDatabase, .database), ("metrics.db", layout.metricsDatabase, .database),
         ("env", layout.envFile, .settings), ("_metadata.json", layout.knowledgeBase, .knowledgeBase)]
            + extraFiles.map { ($0.name, $0.path, $0.kind) }
    }

    /// Takes a snapshot now. Call it while this process has no connection open on the databases.
    public func create(bootID: String?, reason: String = "pre_boot", gitSHA: String? = nil, platform: String) throws -> SnapshotManifest {
        let directory = try makeDirectory(prefix: reason)
        let id = URL(fileURLWithPath: directory).lastPathComponent
        var files: [SnapshotManifest.File] = []
        for covered in coveredFiles {
            let destination = directory + "/" + covered.name
            var file = SnapshotManifest.File(name: covered.name, originalPath: covered.path, kind: covered.kind, state: .absent)
            if FileManager.default.fileExists(atPath: covered.path) {
                switch covered.kind {
                case .database:
                    (file.state, file.method) = try copyDatabase(from: covered.path, to: destination)
                case .settings, .knowledgeBase:
                    try copyFile(from: covered.path, to: destination)
                    (file.state, file.method) = (.copied, "file_copy")
                }
                file.sha256 = try Self.sha256(ofFile: destination)
                file.bytes = try FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int
            }
            files.append(file)
        }
        let settingsHash = files.first { $0.kind == .settings }?.sha256
        let manifest = SnapshotManifest(snapshotID: id, bootID: bootID, createdAt: Timestamp.now(), reason: reason, gitSHA: gitSHA,
                                        settingsHash: settingsHash, platform: platform, files: files)
        try write(manifest, to: directory + "/manifest.json")
        return manifest
    }

    /// Every snapshot, newest first; folders without a readable manifest are skipped.
    public func list() -> [SnapshotManifest] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.snapshotsDirectory)) ?? []
        return names.compactMap { try? manifest(id: $0) }.sorted { ($0.createdAt, $0.snapshotID) > ($1.createdAt, $1.snapshotID) }
    }

    public func manifest(id: String) throws -> SnapshotManifest {
        guard Self.isSafeID(id) else { throw SnapshotError.notFound(id) }
        let path = layout.snapshotsDirectory + "/" + id + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw SnapshotError.notFound(id) }
        do {
            return try JSONDecoder().decode(SnapshotManifest.self, from: data)
        } catch {
            throw SnapshotError.unreadableManifest(id, "\(error)")
        }
    }

    /// Compares every copied file with its recorded SHA-256; returns the problems found.
    public func verify(id: String) throws -> [String] {
        let manifest = try manifest(id: id)
        var problems: [String] = []
        for file in manifest.files where file.state != .absent {
            let path = layout.snapshotsDirectory + "/" + id + "/" + file.name
            guard FileManager.default.fileExists(atPath: path) else { problems.append("\(file.name) is missing"); continue }
            if try Self.sha256(ofFile: path) != file.sha256 { problems.append("\(file.name) has a different SHA-256") }
        }
        return problems
    }

    /// Puts every file back exactly as it was when the snapshot was taken (absent files are removed).
    ///
    /// The caller must have closed its database connections. The manifest is verified first;
    /// on a mismatch nothing is touched. `names` limits the restore to some files (healing a
    /// damaged database restores only that database).
    public func restore(id: String, names: Set<String>? = nil) throws {
        let problems = try verify(id: id)
        guard problems.isEmpty else { throw SnapshotError.verificationFailed(id, problems) }
        let manifest = try manifest(id: id)
        for file in manifest.files where names?.contains(file.name) ?? true {
            let source = layout.snapshotsDirectory + "/" + id + "/" + file.name
            if file.kind == .database {
                for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: file.originalPath + suffix) }
            }
            if file.state == .absent {
                if FileManager.default.fileExists(atPath: file.originalPath) {
                    try FileManager.default.removeItem(atPath: file.originalPath)
                }
                continue
            }
            let temporary = file.originalPath + ".restoring"
            try? FileManager.default.removeItem(atPath: temporary)
            try copyFile(from: source, to: temporary)
            guard rename(temporary, file.originalPath) == 0 else {
                throw SnapshotError.io("cannot move \(temporary) to \(file.originalPath): \(String(cString: strerror(errno)))")
            }
        }
    }

    /// Removes all but the newest `keep` snapshots; returns the removed ids.
    @discardableResult
    public func prune(keep: Int) -> [String] {
        let doomed = list().dropFirst(max(keep, 0)).map(\.snapshotID)
        for id in doomed { try? FileManager.default.removeItem(atPath: layout.snapshotsDirectory + "/" + id) }
        return doomed
    }

    // MARK: - Copying

    /// A consistent, byte-exact copy: checkpoint the WAL into the main file, then copy the file
    /// while holding SQLite's write lock so no writer can change it mid-copy. If the WAL cannot be
    /// fully checkpointed (a reader holds it), fall back to the backup API, which is consistent
    /// but not byte-identical. A file SQLite cannot read is kept raw, as evidence, marked damaged.
    private func copyDatabase(from path: String, to destination: String) throws -> (SnapshotManifest.File.State, String) {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            let method = try queue.writeWithoutTransaction { db -> String in
                _ = try Row.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master")
                let journal = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
                if journal == "wal" {
                    let result = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                    let busy: Int = result?[0] ?? 1
                    if busy != 0 {
                        let target = try DatabaseQueue(path: destination)
                        try queue.backup(to: target)
                        try target.close()
                        return "backup_api"
                    }
                }
                try db.execute(sql: "BEGIN IMMEDIATE")
                defer { try? db.execute(sql: "COMMIT") }
                try copyFile(from: path, to: destination)
                return "locked_copy"
            }
            return (.copied, method)
        } catch let error as DatabaseError where [.SQLITE_NOTADB, .SQLITE_CORRUPT].contains(error.resultCode) {
            try? FileManager.default.removeItem(atPath: destination)
            try copyFile(from: path, to: destination)
            return (.damaged, "raw_copy")
        }
    }

    private func copyFile(from source: String, to destination: String) throws {
        guard let data = FileManager.default.contents(atPath: source) else {
            throw SnapshotError.io("cannot read \(source)")
        }
        guard FileManager.default.createFile(atPath: destination, contents: data) else {
            throw SnapshotError.io("cannot write \(destination) (disk full or no permission?)")
        }
    }

    private func makeDirectory(prefix: String) throws -> String {
        let base = layout.snapshotsDirectory + "/" + prefix + "_" + Timestamp.compact(from: Date())
        var candidate = base
        var counter = 1
        while FileManager.default.fileExists(atPath: candidate) {
            counter += 1
            candidate = base + "_\(counter)"
        }
        do {
            try FileManager.default.createDirectory(atPath: candidate, withIntermediateDirectories: true)
        } catch {
            throw SnapshotError.io("cannot create \(candidate): \(error.localizedDescription)")
        }
        return candidate
    }

    private func write(_ manifest: SnapshotManifest, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: try JSONEncoder.gracePretty.encode(manifest)) else {
            throw SnapshotError.io("cannot write \(path)")
        }
    }

    /// Snapshot ids are folder names: no separators or parent references, whatever a caller passes.
    static func isSafeID(_ id: String) -> Bool {
        !id.isEmpty && !id.contains("/") && !id.contains("\\") && id != "." && id != ".."
    }

    /// SHA-256 of a file's bytes as lowercase hex.
    public static func sha256(ofFile path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SnapshotError.io("cannot read \(path)") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().hexString
    }
}
