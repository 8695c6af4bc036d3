import Crypto
import Foundation
import GRDB
import GraceCore

/// Pre-boot snapshots under `storage/snapshots/`: consistent copies of both databases plus the
/// settings and knowledge-base files, each with a SHA-256 in `manifest.json`.
///
/// Copying is in `SnapshotCopy.swift`, restoring in `SnapshotRestore.swift`, retention in
/// `SnapshotRetention.swift`.
public struct SnapshotStore: Sendable {
    public enum SnapshotError: Error, CustomStringConvertible, Sendable {
        case notFound(String)
        case unreadableManifest(String, String)
        case verificationFailed(String, [String])
        /// The snapshot holds a file this home does not cover now (a service file while no
        /// service is configured): nothing was restored.
        case unknownFile(String, String)
        /// A database to be replaced is open in another process: replacing it would lose what that
        /// process writes next. Nothing was restored.
        case heldByAnotherProcess(String, [String])
        /// Restoring would discard readable data newer than the snapshot; it needs the operator's
        /// explicit approval. Nothing was restored.
        case wouldDiscardNewerData(String, RestorePlan)
        case io(String)

        public var description: String {
            switch self {
            case .notFound(let id): "snapshot \(id) not found (see grace snapshot list)"
            case .unreadableManifest(let id, let reason): "snapshot \(id) has an unreadable manifest: \(reason)"
            case .verificationFailed(let id, let problems):
                "snapshot \(id) does not match its manifest: " + problems.joined(separator: "; ") + "; nothing was restored"
            case .unknownFile(let id, let name):
                "snapshot \(id) holds \(name), which this home does not cover now (is GRACE_TARGET_COMMAND set as it was?); nothing was restored"
            case .heldByAnotherProcess(let path, let holders):
                "\(path) is open in another process (\(holders.joined(separator: ", "))): replacing it would lose what that process writes; nothing was restored. Stop it and retry."
            case .wouldDiscardNewerData(let id, let plan):
                "restoring snapshot \(id) would discard data newer than the snapshot (\(plan.newerSummary)); nothing was restored. "
                    + "The replaced files would be kept aside; to restore anyway: grace snapshot restore \(id)"
                    + (plan.files.count == 1 ? " --only \(plan.files[0].name)" : "") + " --discard-newer"
            case .io(let message): message
            }
        }
    }

    /// A file that snapshots cover.
    public struct CoveredFile: Sendable, Equatable {
        /// The file's name inside the snapshot folder; unique within a snapshot.
        public var name: String
        /// Where the file lives now (absolute).
        public var path: String
        public var kind: SnapshotManifest.File.Kind
        /// What the manifest records as its path, relative to `base`.
        public var relativePath: String
        public var base: SnapshotManifest.File.Base

        public init(name: String, path: String, kind: SnapshotManifest.File.Kind, relativePath: String? = nil,
                    base: SnapshotManifest.File.Base = .target) {
            self.name = name
            self.path = path
            self.kind = kind
            self.relativePath = relativePath ?? path
            self.base = base
        }

        /// A supervised service's files: its databases and its env file, relative to its folder.
        public static func files(of target: TargetSettings) -> [CoveredFile] {
            func relative(_ path: String) -> String {
                let folder = target.workingDirectory.hasSuffix("/") ? target.workingDirectory : target.workingDirectory + "/"
                return path.hasPrefix(folder) ? String(path.dropFirst(folder.count)) : path
            }
            var files = target.databases.enumerated().map { index, path in
                CoveredFile(name: "target-\(index)-" + URL(fileURLWithPath: path).lastPathComponent, path: path, kind: .database,
                            relativePath: relative(path))
            }
            files.append(CoveredFile(name: "target-env", path: target.envFile, kind: .settings, relativePath: relative(target.envFile)))
            return files
        }
    }

    public let layout: GraceHomeLayout
    public let extraFiles: [CoveredFile]
    /// The folder holding the snapshot folders: the home's `storage/snapshots`, or for a backup
    /// (``HomeBackup``) the folder the backup folder is in.
    public let snapshotsDirectory: String

    public init(layout: GraceHomeLayout, extraFiles: [CoveredFile] = [], snapshotsDirectory: String? = nil) {
        self.layout = layout
        self.extraFiles = extraFiles
        self.snapshotsDirectory = snapshotsDirectory ?? layout.snapshotsDirectory
    }

    /// The store of a home that may supervise a service: its files are covered too.
    public init(layout: GraceHomeLayout, target: TargetSettings?) {
        self.init(layout: layout, extraFiles: target.map(CoveredFile.files(of:)) ?? [])
    }

    /// The files a snapshot covers: both databases, the home's `.env`, the knowledge base, and
    /// the extra files. Every destination of a restore comes from here, never from a manifest.
    public var coveredFiles: [CoveredFile] {
        func home(_ name: String, _ path: String, _ kind: SnapshotManifest.File.Kind) -> CoveredFile {
            let prefix = layout.root + "/"
            return CoveredFile(name: name, path: path, kind: kind,
                               relativePath: path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path, base: .home)
        }
        return [home("grace.db", layout.graceDatabase, .database), home("metrics.db", layout.metricsDatabase, .database),
                home("env", layout.envFile, .settings), home("_metadata.json", layout.knowledgeBase, .knowledgeBase)]
            + extraFiles
    }

    /// Takes a snapshot now. Call it while this process has no connection open on the databases.
    ///
    /// On any failure the half-written folder is removed, so no snapshot without a manifest is
    /// left behind; the error names the file (a locked database names its holder).
    public func create(bootID: String?, reason: String = "pre_boot", gitSHA: String? = nil, platform: String) throws -> SnapshotManifest {
        let directory = try makeDirectory(prefix: reason)
        var finished = false
        defer { if !finished { try? FileManager.default.removeItem(atPath: directory) } }
        let manifest = try fill(directory, bootID: bootID, reason: reason, gitSHA: gitSHA, platform: platform)
        finished = true
        return manifest
    }

    /// Copies every covered file into the empty folder `directory` and writes its manifest (the
    /// snapshot's id is the folder's name). `backupAPI` copies every database with SQLite's online
    /// backup API, even one a byte copy under its write lock would do for.
    /// `kinds` limits the covered files copied; `extra` are entries for files the caller already
    /// put into the folder (a PostgreSQL dump).
    func fill(_ directory: String, bootID: String?, reason: String, gitSHA: String?, platform: String,
              backupAPI: Bool = false, kinds: Set<SnapshotManifest.File.Kind>? = nil, extra: [SnapshotManifest.File] = []) throws -> SnapshotManifest {
        let id = URL(fileURLWithPath: directory).lastPathComponent
        var files: [SnapshotManifest.File] = []
        for covered in coveredFiles where kinds?.contains(covered.kind) ?? true {
            let destination = directory + "/" + covered.name
            var file = SnapshotManifest.File(name: covered.name, path: covered.relativePath, base: covered.base, kind: covered.kind, state: .absent)
            if FileManager.default.fileExists(atPath: covered.path) {
                switch covered.kind {
                case .database:
                    let copy = try copyDatabase(from: covered.path, to: destination, backupAPI: backupAPI)
                    (file.state, file.method, file.sourceSHA256, file.walSHA256) = (copy.state, copy.method, copy.sourceSHA256, copy.walSHA256)
                    file.healthy = file.state == .copied && DatabaseInspection.isHealthyCopy(of: covered.name, at: destination)
                case .settings, .knowledgeBase:
                    try copyFile(from: covered.path, to: destination)
                    (file.state, file.method) = (.copied, "file_copy")
                }
                file.sha256 = try Self.sha256(ofFile: destination)
                file.bytes = try FileManager.default.attributesOfItem(atPath: destination)[.size] as? Int
            }
            files.append(file)
        }
        files += extra
        let settingsHash = files.first { $0.kind == .settings }?.sha256
        let manifest = SnapshotManifest(snapshotID: id, bootID: bootID, createdAt: Timestamp.now(), reason: reason, gitSHA: gitSHA,
                                        settingsHash: settingsHash, platform: platform, files: files)
        try write(manifest, to: directory + "/manifest.json")
        return manifest
    }

    /// Every snapshot, newest first; folders without a readable manifest are skipped.
    public func list() -> [SnapshotManifest] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: snapshotsDirectory)) ?? []
        return names.compactMap { try? manifest(id: $0) }.sorted { ($0.createdAt, $0.snapshotID) > ($1.createdAt, $1.snapshotID) }
    }

    public func manifest(id: String) throws -> SnapshotManifest {
        guard Self.isSafeID(id) else { throw SnapshotError.notFound(id) }
        let path = snapshotsDirectory + "/" + id + "/manifest.json"
        guard let data = FileManager.default.contents(atPath: path) else { throw SnapshotError.notFound(id) }
        do {
            return try JSONDecoder().decode(SnapshotManifest.self, from: data)
        } catch {
            throw SnapshotError.unreadableManifest(id, "\(error)")
        }
    }

    /// The path of a file's copy inside snapshot `id`.
    public func copyPath(id: String, name: String) -> String {
        snapshotsDirectory + "/" + id + "/" + name
    }

    /// Compares every copied file with its recorded SHA-256; returns the problems found.
    public func verify(id: String) throws -> [String] {
        let manifest = try manifest(id: id)
        var problems: [String] = []
        for file in manifest.files where file.state != .absent {
            let path = copyPath(id: id, name: file.name)
            guard FileManager.default.fileExists(atPath: path) else { problems.append("\(file.name) is missing"); continue }
            if try Self.sha256(ofFile: path) != file.sha256 { problems.append("\(file.name) has a different SHA-256") }
        }
        return problems
    }

    // MARK: - Names

    /// A new folder `<prefix>_<time>_<sequence>`. The sequence only grows (it is kept in
    /// `.sequence` and is never below any existing folder's), so a name is never reused, even
    /// after pruning removed the folder that had it.
    private func makeDirectory(prefix: String) throws -> String {
        let sequenceFile = layout.snapshotsDirectory + "/.sequence"
        do {
            try FileManager.default.createDirectory(atPath: layout.snapshotsDirectory, withIntermediateDirectories: true)
        } catch {
            throw SnapshotError.io("cannot create \(layout.snapshotsDirectory): \(error.localizedDescription)")
        }
        let recorded = FileManager.default.contents(atPath: sequenceFile)
            .flatMap { Int(String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
        let existing = ((try? FileManager.default.contentsOfDirectory(atPath: layout.snapshotsDirectory)) ?? [])
            .compactMap { $0.split(separator: "_").last.flatMap { Int($0) } }.max() ?? 0
        let sequence = max(recorded, existing) + 1
        let candidate = layout.snapshotsDirectory + "/" + prefix + "_" + Timestamp.compact(from: Date()) + "_" + String(format: "%04d", sequence)
        do {
            try FileWriting.replace(sequenceFile, with: Data("\(sequence)\n".utf8))
            try FileManager.default.createDirectory(atPath: candidate, withIntermediateDirectories: false)
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
        !id.isEmpty && !id.contains("/") && !id.contains("\\") && id != "." && id != ".." && !id.hasPrefix(".")
    }

    /// Whether `path` exists and is not empty (an empty `-wal` holds nothing).
    static func hasContent(_ path: String) -> Bool {
        ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) > 0
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
