import Foundation

/// The processes that have a file open, found through `/proc/<pid>/fd` (Linux).
///
/// Used to name who holds a database that is locked, and to refuse to replace a file another
/// process is still writing through. Where `/proc` is missing or unreadable (another OS, a
/// process of another user), nothing is found: callers must treat "none found" as "unknown".
public enum FileHolders {
    /// A process with the file open.
    public struct Holder: Sendable, Equatable, CustomStringConvertible {
        public var pid: Int32
        /// The process's command name (`/proc/<pid>/comm`), or nil when unreadable.
        public var command: String?

        public var description: String { "pid \(pid)" + (command.map { " (\($0))" } ?? "") }
    }

    /// Every process other than this one with `path` (or its `-wal` / `-shm`) open.
    public static func holders(of path: String) -> [Holder] {
        let targets = Set(([path, path + "-wal", path + "-shm"]).map(canonical))
        let me = getpid()
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var found: [Holder] = []
        for entry in entries {
            guard let pid = Int32(entry), pid != me else { continue }
            let fdDirectory = "/proc/\(entry)/fd"
            guard let fds = try? FileManager.default.contentsOfDirectory(atPath: fdDirectory) else { continue }
            let holds = fds.contains { fd in
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: fdDirectory + "/" + fd) else { return false }
                return targets.contains(target)
            }
            guard holds else { continue }
            let command = (try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            found.append(Holder(pid: pid, command: command))
        }
        return found.sorted { $0.pid < $1.pid }
    }

    /// The path as `/proc/<pid>/fd` links show it: absolute, symbolic links resolved.
    static func canonical(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let directory = URL(fileURLWithPath: absolute).deletingLastPathComponent().resolvingSymlinksInPath().path
        return directory + "/" + URL(fileURLWithPath: absolute).lastPathComponent
    }
}
