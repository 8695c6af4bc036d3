import Foundation

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
