#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import GraceCore
import GraceLog

/// The files of a home that retention prunes: boot training records and rotated log files.
struct RetainedFiles {
    let layout: GraceHomeLayout

    /// `boot_YYYYMMDD_HHMMSS[_N].json` records whose boot started before `cutoff` (by the stamp in
    /// the name, which a copy or restore does not change). A name without a stamp is kept.
    func trainingRecords(before cutoff: Date) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.trainingDirectory)) ?? []
        return names.filter { name in
            guard name.hasPrefix("boot_"), name.hasSuffix(".json"),
                  let started = Timestamp.date(fromCompact: name.dropFirst("boot_".count).prefix(15)) else { return false }
            return started < cutoff
        }.sorted().map { layout.trainingDirectory + "/" + $0 }
    }

    /// Rotated log files (`grace.jsonl.N`) last written before `cutoff`; never the live `grace.jsonl`.
    func rotatedLogs(before cutoff: Date) -> [String] {
        let base = URL(fileURLWithPath: layout.logFile).lastPathComponent + "."
        let names = (try? FileManager.default.contentsOfDirectory(atPath: layout.logsDirectory)) ?? []
        return names.filter { name in
            guard name.hasPrefix(base), let suffix = Optional(name.dropFirst(base.count)), !suffix.isEmpty, suffix.allSatisfy(\.isNumber)
            else { return false }
            let path = layout.logsDirectory + "/" + name
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { return false }
            return modified < cutoff
        }.sorted().map { layout.logsDirectory + "/" + $0 }
    }

    /// Deletes `paths`; returns how many went. Rotated logs are deleted under the lock GraceLog's
    /// rotation holds while it renames `grace.jsonl.N` to `.N+1` (``LogFileSink/withRotationLock(ofLog:_:)``),
    /// and each is checked again under it, so a rotation never moves a newer file under a name
    /// about to be deleted.
    func remove(_ paths: [String], lockingLog log: String?, stillDue: (String) -> Bool) throws -> Int {
        guard let log else { return try remove(paths, stillDue: stillDue) }
        return try LogFileSink.withRotationLock(ofLog: log) { try remove(paths, stillDue: stillDue) }
    }

    private func remove(_ paths: [String], stillDue: (String) -> Bool) throws -> Int {
        var removed = 0
        for path in paths where stillDue(path) {
            do {
                try FileManager.default.removeItem(atPath: path)
                removed += 1
            } catch {
                throw RetentionError("cannot delete \(path): \(error.localizedDescription)")
            }
        }
        return removed
    }
}

/// A prune that could not finish, naming what stopped it.
public struct RetentionError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}
