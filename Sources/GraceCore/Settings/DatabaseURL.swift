import Foundation

/// A PostgreSQL location from `GRACE_DATABASE_URL`:
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]`.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable, prefer, require
    }

    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    /// What the setting accepts, for error messages.
    public static let expected = "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=disable|prefer|require]"

    /// Parses `text`; nil when it is not a usable PostgreSQL URL.
    public init?(_ text: String) {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "postgres" || scheme == "postgresql",
              let host = components.host, !host.isEmpty,
              let user = components.user, !user.isEmpty else { return nil }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !path.isEmpty, !path.contains("/") else { return nil }
        if let port = components.port, !(1...65_535).contains(port) { return nil }
        var tls = TLSMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", let mode = item.value.flatMap(TLSMode.init(rawValue:)) else { return nil }
            tls = mode
        }
        self.user = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.host = host
        self.port = components.port ?? 5432
        self.database = path.removingPercentEncoding ?? path
        self.tls = tls
    }

    /// What every message, log line, report and API answer calls this database: the backend's
    /// name, never its user, host, port or password (an unauthenticated caller may read those).
    public var description: String { Self.label }

    /// The label of ``description``.
    public static let label = "postgresql"

    /// The URL without its password, for the operator's own terminal only (`grace settings`,
    /// `grace store migrate`): it names the user and host, so it never goes into a log line,
    /// a stored record or an HTTP answer.
    public var displayURL: String {
        "postgres://\(user)@\(host):\(port)/\(database)"
    }

    /// `text` with this URL's password, user, host and `host:port` replaced by `…`, for error
    /// texts that come from the driver or the server (a connection error names the address,
    /// an authentication error the user). Only whole words are replaced.
    public func redacting(_ text: String) -> String {
        var result = text
        var words = [password, "\(host):\(port)", host, user].compactMap { $0 }.filter { !$0.isEmpty }
        // Longest first, so `host:port` goes before `host`.
        words.sort { $0.count > $1.count }
        for word in words { result = Self.replacingWholeWord(word, in: result) }
        return result
    }

    private static func replacingWholeWord(_ word: String, in text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: word) {
            let before = range.lowerBound == rest.startIndex ? output.last : rest[rest.index(before: range.lowerBound)]
            let after = range.upperBound == rest.endIndex ? nil : rest[range.upperBound]
            let isWordCharacter: (Character?) -> Bool = { $0.map { $0.isLetter || $0.isNumber || $0 == "_" } ?? false }
            output += rest[..<range.lowerBound]
            output += isWordCharacter(before) || isWordCharacter(after) ? word : "…"
            rest = rest[range.upperBound...]
        }
        return output + rest
    }
}
