import Foundation

/// Small file-system helpers shared by the reports, the knowledge base and the env-file actions.
enum FileWriting {
    /// Writes beside `path` and renames over it, so a reader never sees half a file.
    static func replace(_ path: String, with data: Data) throws {
        let temporary = path + ".tmp"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot replace \(path): \(reason)"])
        }
    }
}

/// The locale settings a process (and its children) inherit.
enum LocaleEnvironment {
    /// Whether `LC_ALL`, else `LC_CTYPE`, else `LANG` names a UTF-8 locale.
    static func isUTF8(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        current(environment).uppercased().replacingOccurrences(of: "-", with: "").contains("UTF8")
    }

    static func current(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["LC_ALL"] ?? environment["LC_CTYPE"] ?? environment["LANG"] ?? ""
    }
}
