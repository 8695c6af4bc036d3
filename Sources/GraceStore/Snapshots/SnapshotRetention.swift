import Foundation

extension SnapshotStore {
    /// What pruning removed, and what it could not remove.
    public struct PruneResult: Sendable, Equatable {
        public var removed: [String]
        /// The newest snapshots with a healthy copy of a database, kept beyond `keep` for it.
        public var keptForHealthyCopy: [String]
        public var problems: [String]
    }

    /// Keeps the newest `keep` snapshots and, beside them, the newest snapshot holding a healthy
    /// copy of each database, so that repeated failed boots on a damaged file (each snapshotting
    /// the damage) never leave nothing to heal from. Removes the rest.
    @discardableResult
    public func prune(keep: Int) -> PruneResult {
        let snapshots = list()
        var kept = Set(snapshots.prefix(max(keep, 1)).map(\.snapshotID))
        var keptForHealthyCopy: [String] = []
        let databaseNames = Set(snapshots.flatMap { $0.files.filter { $0.kind == .database }.map(\.name) })
        for name in databaseNames.sorted() {
            guard let newest = snapshots.first(where: { holdsHealthyCopy(of: name, in: $0) }) else { continue }
            if kept.insert(newest.snapshotID).inserted { keptForHealthyCopy.append(newest.snapshotID) }
        }
        var result = PruneResult(removed: [], keptForHealthyCopy: keptForHealthyCopy, problems: [])
        for snapshot in snapshots where !kept.contains(snapshot.snapshotID) {
            do {
                try FileManager.default.removeItem(atPath: layout.snapshotsDirectory + "/" + snapshot.snapshotID)
                result.removed.append(snapshot.snapshotID)
            } catch {
                result.problems.append("cannot remove snapshot \(snapshot.snapshotID): \(error.localizedDescription)")
            }
        }
        return result
    }

    /// Whether `manifest` holds a copy of database `name` fit to restore (recorded when it was
    /// taken; inspected now for manifests that predate the record).
    public func holdsHealthyCopy(of name: String, in manifest: SnapshotManifest) -> Bool {
        guard let file = manifest.files.first(where: { $0.name == name }), file.state == .copied else { return false }
        return file.healthy ?? DatabaseInspection.isHealthyCopy(of: name, at: copyPath(id: manifest.snapshotID, name: name))
    }
}
