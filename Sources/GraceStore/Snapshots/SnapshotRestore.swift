import Foundation
import GRDB
import GraceCore

/// What a restore of one snapshot would do, file by file: worked out before anything is touched.
public struct RestorePlan: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public var name: String
        /// Where the file is restored to: this home's (or its service's) path, never the manifest's.
        public var destination: String
        public var kind: SnapshotManifest.File.Kind
        /// The copy's state in the snapshot (`absent`: the restore moves the live file aside).
        public var state: SnapshotManifest.File.State
        /// The live file already holds exactly the snapshot's bytes: nothing to replace.
        public var identical: Bool
        /// For a database that would be replaced: the rows the live file has beyond the copy.
        public var newer: NewerRows?
    }

    public var snapshotID: String
    public var files: [File]

    /// Whether some file has rows, readable now, that the snapshot does not hold.
    public var discardsReadableData: Bool { files.contains { $0.newer?.hasNewerRows == true } }

    /// "grace.db: agent_runs +1 (3 now, 2 in the snapshot); metrics.db: unknown (…)".
    public var newerSummary: String {
        let parts = files.compactMap { file in file.newer.map { "\(file.name): \($0.summary)" } }
        return parts.isEmpty ? "nothing newer" : parts.joined(separator: "; ")
    }
}

/// Rows per table of a live database against a snapshot's copy of it.
public struct NewerRows: Sendable, Equatable {
    public struct Table: Sendable, Equatable {
        public var name: String
        /// Rows in the live file; nil when that table cannot be read.
        public var live: Int?
        public var snapshot: Int
    }

    public var tables: [Table]
    /// Why the live file could not be read at all (then `tables` is empty): the count is unknown.
    public var unreadable: String?

    public var hasNewerRows: Bool { tables.contains { ($0.live ?? 0) > $0.snapshot } }

    public var summary: String {
        if let unreadable { return "unknown (the live file cannot be read: \(unreadable))" }
        var parts = tables.filter { ($0.live ?? 0) > $0.snapshot }
            .map { "\($0.name) +\($0.live! - $0.snapshot) (\($0.live!) now, \($0.snapshot) in the snapshot)" }
        let unknown = tables.filter { $0.live == nil }.map(\.name)
        if !unknown.isEmpty { parts.append("unknown for " + unknown.joined(separator: ", ")) }
        return parts.isEmpty ? "no newer rows" : parts.joined(separator: ", ")
    }
}

/// What a restore did.
public struct RestoreResult: Sendable, Equatable {
    public var snapshotID: String
    /// Files put back from the snapshot (or, for an absent copy, moved away).
    public var restored: [String]
    /// Every file (with its `-wal` and `-shm`) the restore replaced, under its new name beside it.
    public var keptAside: [String]
    /// Files that already held the snapshot's bytes.
    public var unchanged: [String]

    public var summary: String {
        var parts = ["restored " + (restored.isEmpty ? "nothing" : restored.joined(separator: ", ")) + " from \(snapshotID)"]
        if !keptAside.isEmpty {
            parts.append("the replaced files are kept as " + keptAside.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: ", "))
        }
        if !unchanged.isEmpty { parts.append("unchanged: " + unchanged.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }
}

extension SnapshotStore {
    /// What restoring `id` (only `names`, when given) would do, without touching anything.
    /// `countRows` also compares each database that would be replaced with its copy, row by row
    /// count (it copies the live file aside to read it, so a locked or damaged file is never opened in place).
    public func plan(id: String, names: Set<String>? = nil, countRows: Bool = true) throws -> RestorePlan {
        let problems = try verify(id: id)
        guard problems.isEmpty else { throw SnapshotError.verificationFailed(id, problems) }
        let manifest = try manifest(id: id)
        let covered = Dictionary(coveredFiles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var files: [RestorePlan.File] = []
        for file in manifest.files where names?.contains(file.name) ?? true {
            guard let target = covered[file.name] else { throw SnapshotError.unknownFile(id, file.name) }
            let identical = try isIdentical(target.path, to: file, in: id)
            var planned = RestorePlan.File(name: file.name, destination: target.path, kind: file.kind, state: file.state,
                                           identical: identical, newer: nil)
            if countRows && !identical && file.kind == .database && FileManager.default.fileExists(atPath: target.path) {
                planned.newer = try newerRows(live: target.path, copy: file.state == .absent ? nil : copyPath(id: id, name: file.name))
            }
            files.append(planned)
        }
        if let names, let unknown = names.subtracting(manifest.files.map(\.name)).sorted().first {
            throw SnapshotError.unknownFile(id, unknown)
        }
        return RestorePlan(snapshotID: id, files: files)
    }

    /// Puts files back exactly as they were when the snapshot was taken, into this home.
    ///
    /// The caller must have closed its database connections. Nothing is touched when the manifest
    /// does not verify, when a database to replace is open in another process, or (unless
    /// `discardNewer`) when a live database has readable rows the snapshot lacks. Every file
    /// replaced is moved aside with its `-wal` and `-shm` as `<file>.<asideLabel>-<time>`, never deleted.
    @discardableResult
    public func restore(id: String, names: Set<String>? = nil, asideLabel: String = "replaced", discardNewer: Bool = false) throws -> RestoreResult {
        try restore(plan(id: id, names: names, countRows: !discardNewer), asideLabel: asideLabel, discardNewer: discardNewer)
    }

    /// Carries out `plan` (from ``plan(id:names:countRows:)``, made with `countRows` unless
    /// `discardNewer`), with the same refusals as ``restore(id:names:asideLabel:discardNewer:)``.
    @discardableResult
    public func restore(_ plan: RestorePlan, asideLabel: String = "replaced", discardNewer: Bool = false) throws -> RestoreResult {
        let id = plan.snapshotID
        for file in plan.files where file.kind == .database && !file.identical {
            let holders = FileHolders.holders(of: file.destination)
            if !holders.isEmpty { throw SnapshotError.heldByAnotherProcess(file.destination, holders.map(\.description)) }
        }
        if !discardNewer && plan.discardsReadableData { throw SnapshotError.wouldDiscardNewerData(id, plan) }
        var result = RestoreResult(snapshotID: id, restored: [], keptAside: [], unchanged: [])
        for file in plan.files {
            if file.identical {
                result.unchanged.append(file.name)
                continue
            }
            result.keptAside += try setAside(file.destination, label: asideLabel, withJournals: file.kind == .database)
            if file.state != .absent {
                let temporary = file.destination + ".restoring"
                try? FileManager.default.removeItem(atPath: temporary)
                try FileManager.default.createDirectory(atPath: URL(fileURLWithPath: file.destination).deletingLastPathComponent().path,
                                                        withIntermediateDirectories: true)
                try copyFile(from: copyPath(id: id, name: file.name), to: temporary)
                guard rename(temporary, file.destination) == 0 else {
                    throw SnapshotError.io("cannot move \(temporary) to \(file.destination): \(String(cString: strerror(errno)))")
                }
            }
            result.restored.append(file.name)
        }
        return result
    }

    /// Moves `path` (and, for a database, its `-wal` and `-shm`) aside under one new name;
    /// returns the new paths. Existing names are never overwritten.
    public func setAside(_ path: String, label: String, withJournals: Bool) throws -> [String] {
        let suffixes = withJournals ? ["", "-wal", "-shm"] : [""]
        let present = suffixes.filter { FileManager.default.fileExists(atPath: path + $0) }
        guard !present.isEmpty else { return [] }
        let stem = path + "." + label + "-" + Timestamp.compact(from: Date())
        var base = stem
        var counter = 1
        while suffixes.contains(where: { FileManager.default.fileExists(atPath: base + $0) }) {
            counter += 1
            base = stem + "_\(counter)"
        }
        var moved: [String] = []
        for suffix in present {
            guard rename(path + suffix, base + suffix) == 0 else {
                throw SnapshotError.io("cannot move \(path + suffix) aside to \(base + suffix): \(String(cString: strerror(errno))); "
                                       + "moved so far: \(moved.joined(separator: ", "))")
            }
            moved.append(base + suffix)
        }
        return moved
    }

    /// The live file is exactly as it was when the snapshot was taken: the copy's bytes (or, for
    /// a copy made with the backup API, the main file's bytes then), and the same `-wal` content
    /// (none, or the same bytes). Restoring it would change nothing.
    private func isIdentical(_ live: String, to file: SnapshotManifest.File, in id: String) throws -> Bool {
        let fileManager = FileManager.default
        let liveWAL = Self.hasContent(live + "-wal") ? try Self.sha256(ofFile: live + "-wal") : nil
        guard liveWAL == file.walSHA256 else { return false }
        guard file.state != .absent else { return !fileManager.fileExists(atPath: live) }
        guard fileManager.fileExists(atPath: live) else { return false }
        let sha256 = try Self.sha256(ofFile: live)
        return sha256 == (file.sourceSHA256 ?? file.sha256)
    }

    /// Row counts of the live database (read from a private copy of it and its WAL) against the copy.
    private func newerRows(live: String, copy: String?) throws -> NewerRows {
        let scratch = layout.snapshotsDirectory + "/.preview-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let liveCopy = scratch + "/live.db"
        try copyFile(from: live, to: liveCopy)
        if FileManager.default.fileExists(atPath: live + "-wal") { try copyFile(from: live + "-wal", to: liveCopy + "-wal") }
        let snapshotCounts: [String: Int]
        if let copy {
            let snapshotCopy = scratch + "/snapshot.db"
            try copyFile(from: copy, to: snapshotCopy)
            snapshotCounts = (try? DatabaseRowCounts.count(at: snapshotCopy).compactMapValues { $0 }) ?? [:]
        } else {
            snapshotCounts = [:]
        }
        do {
            let liveCounts = try DatabaseRowCounts.count(at: liveCopy)
            let tables = Set(liveCounts.keys).union(snapshotCounts.keys).sorted().map { name in
                // A table the live file lacks has no rows to lose; one it has but cannot read is unknown.
                NewerRows.Table(name: name, live: liveCounts.keys.contains(name) ? liveCounts[name]! : 0, snapshot: snapshotCounts[name] ?? 0)
            }
            return NewerRows(tables: tables, unreadable: nil)
        } catch {
            return NewerRows(tables: [], unreadable: (error as? DatabaseError)?.message ?? "\(error)")
        }
    }
}
