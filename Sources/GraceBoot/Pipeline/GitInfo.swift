import Foundation

/// Facts about where Grace runs, recorded in snapshot manifests.
enum GitInfo {
    /// The commit of the working directory's git checkout, read from `.git` without spawning git.
    static func headSHA(directory: String = FileManager.default.currentDirectoryPath) -> String? {
        var folder = URL(fileURLWithPath: directory)
        for _ in 0..<16 {
            let gitDirectory = folder.appendingPathComponent(".git")
            if let head = try? String(contentsOf: gitDirectory.appendingPathComponent("HEAD"), encoding: .utf8) {
                let trimmed = head.trimmingCharacters(in: .whitespacesAndNewlines)
                guard trimmed.hasPrefix("ref: ") else { return trimmed }
                let reference = String(trimmed.dropFirst(5))
                if let sha = try? String(contentsOf: gitDirectory.appendingPathComponent(reference), encoding: .utf8) {
                    return sha.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                return packedReference(reference, in: gitDirectory)
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { break }
            folder = parent
        }
        return nil
    }

    private static func packedReference(_ reference: String, in gitDirectory: URL) -> String? {
        guard let packed = try? String(contentsOf: gitDirectory.appendingPathComponent("packed-refs"), encoding: .utf8) else { return nil }
        for line in packed.split(separator: "\n") where line.hasSuffix(" " + reference) {
            return String(line.prefix { $0 != " " })
        }
        return nil
    }

    static var platform: String {
        let info = ProcessInfo.processInfo
        #if os(Linux)
        let system = "linux"
        #else
        let system = "darwin"
        #endif
        return "\(system), \(info.operatingSystemVersionString), \(info.processorCount) CPUs"
    }
}
