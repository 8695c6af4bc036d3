import Foundation

/// Replacing a file whole: shared by snapshots, the reports, the knowledge base and the env-file actions.
public enum FileWriting {
    /// Writes beside `path` and renames over it, so a reader never sees half a file.
    public static func replace(_ path: String, with data: Data) throws {
        let temporary = path + ".tmp"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot replace \(path): \(reason)"])
        }
    }
}
