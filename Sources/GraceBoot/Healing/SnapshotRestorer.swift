import Foundation
import GraceCore
import GraceStore

/// Restores damaged database files from the newest snapshot that holds a healthy copy,
/// keeping the damaged bytes beside the database as evidence.
struct SnapshotRestorer {
    let layout: GraceHomeLayout

    struct NoHealthyCopy: Error, CustomStringConvertible {
        var name: String
        var description: String { "no snapshot holds a healthy copy of \(name)" }
    }

    /// Restores each of `paths`; the caller must have closed its connections to them.
    func restoreFromNewestHealthy(_ paths: [String]) throws -> String {
        let snapshots = SnapshotStore(layout: layout)
        var restored: [String] = []
        for path in paths {
            let name = URL(fileURLWithPath: path).lastPathComponent
            // A copy SQLite could open when the snapshot was taken may still be truncated or miss
            // a table (it was taken of the already damaged file): inspect it as the live file is.
            guard let source = snapshots.list().first(where: { manifest in
                manifest.files.contains { $0.name == name && $0.state == .copied }
                    && DatabaseInspection.inspectCopy(of: name, at: layout.snapshotsDirectory + "/" + manifest.snapshotID + "/" + name).isUsable
            }) else {
                throw NoHealthyCopy(name: name)
            }
            let aside = path + ".damaged-" + Timestamp.compact(from: Date())
            if FileManager.default.fileExists(atPath: path) {
                try FileManager.default.moveItem(atPath: path, toPath: aside)
            }
            try snapshots.restore(id: source.snapshotID, names: [name])
            restored.append("\(name) from \(source.snapshotID) (damaged file kept as \(URL(fileURLWithPath: aside).lastPathComponent))")
        }
        return "restored " + restored.joined(separator: "; ")
    }
}
