import Foundation
import GraceCore
import GraceStore

/// Restores damaged database files from the newest snapshot that holds a healthy copy,
/// keeping the damaged bytes (with their `-wal` and `-shm`) beside the database as evidence.
struct SnapshotRestorer {
    let snapshots: SnapshotStore

    struct NoHealthyCopy: Error, CustomStringConvertible {
        var name: String
        var description: String { "no snapshot holds a healthy copy of \(name)" }
    }

    /// One damaged file and the snapshot it would be restored from.
    struct Candidate {
        var name: String
        var plan: RestorePlan
    }

    /// The newest snapshot with a healthy copy of each of `paths`, and what restoring it would
    /// replace. Touches nothing.
    func candidates(for paths: [String]) throws -> [Candidate] {
        let manifests = snapshots.list()
        return try paths.map { path in
            let name = URL(fileURLWithPath: path).lastPathComponent
            // A copy SQLite could open when the snapshot was taken may still be truncated or miss
            // a table (it was taken of the already damaged file): only a healthy copy will do.
            guard let source = manifests.first(where: { snapshots.holdsHealthyCopy(of: name, in: $0) }) else {
                throw NoHealthyCopy(name: name)
            }
            return Candidate(name: name, plan: try snapshots.plan(id: source.snapshotID, names: [name]))
        }
    }

    /// When each of `paths` was last restored unattended: the times in the names of the damaged
    /// copies kept beside it (`<file>.damaged-<time>`), so the count needs no database and
    /// survives restarts; the circuit breaker counts them.
    func restoreTimes(of paths: [String]) -> [Date] {
        paths.flatMap { path -> [Date] in
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let prefix = URL(fileURLWithPath: path).lastPathComponent + ".damaged-"
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.filter { $0.hasPrefix(prefix) && !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") }
                .compactMap { Timestamp.date(fromCompact: $0.dropFirst(prefix.count).prefix(15)) }
        }
    }

    /// "grace.db from pre_boot_… (the damaged file has newer rows: …)".
    static func describe(_ candidates: [Candidate]) -> String {
        candidates.map { candidate in
            "\(candidate.name) from \(candidate.plan.snapshotID)"
                + (candidate.plan.discardsReadableData ? " (it would discard data newer than the snapshot: \(candidate.plan.newerSummary))" : "")
        }.joined(separator: "; ")
    }

    /// Restores every candidate; the caller must have closed its connections to them. Refuses
    /// (throws, nothing touched for that file) where readable newer data would be discarded and
    /// `discardNewer` is false.
    func restore(_ candidates: [Candidate], discardNewer: Bool = false) throws -> String {
        var restored: [String] = []
        for candidate in candidates {
            let result = try snapshots.restore(candidate.plan, asideLabel: "damaged", discardNewer: discardNewer)
            restored.append(result.summary)
        }
        return restored.joined(separator: "; ")
    }
}
