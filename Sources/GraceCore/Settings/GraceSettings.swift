import Foundation

/// Grace's configuration: every setting typed and validated once, at start-up.
///
/// Built from a flat key/value view of the environment (see ``SettingsSources``); an invalid
/// value is reported with its key, its value, where it came from and what is allowed.
public struct GraceSettings: Sendable, Equatable {
    /// Data folder (`GRACE_HOME`, default `./grace-home`).
    public var home: String
    public var host: String
    /// TCP port; 0 asks the system for a free one.
    public var port: Int
    /// Bearer token required on every API call but `/health` when set (see ``metricsPublic``).
    public var apiToken: String?
    /// `GRACE_ALLOWED_HOSTS`: host names or addresses the `Host` header may name besides loopback
    /// (and `GRACE_HOST`), lowercased, without brackets or port.
    public var allowedHosts: [String]
    /// `GRACE_METRICS_PUBLIC`: serve `/metrics` without the token, for a Prometheus that has none.
    public var metricsPublic: Bool
    public var structuredLogging: Bool
    public var logLevel: LogLevelSetting
    public var logMaxBytes: Int
    public var logMaxFiles: Int
    public var autoSnapshotBeforeBoot: Bool
    /// How many pre-boot snapshots to keep (besides the newest healthy copy of each database).
    public var snapshotKeep: Int
    /// How long Grace waits for a SQLite database another process holds locked: the boot's first
    /// stage (with backoff) before failing it naming the file and its holder, and every store call
    /// (SQLite's busy timeout).
    public var databaseWaitSeconds: Int
    public var selfHealObserveOnly: Bool
    public var selfHealExecute: Bool
    /// Highest autonomy tier a playbook may have to run without an approval.
    public var maxUnattendedTier: AutonomyTier
    /// Unattended fixes per pattern and playbook within an hour before further matches wait for
    /// an approval (`GRACE_MAX_UNATTENDED_FIXES_PER_HOUR`, the circuit breaker).
    public var maxUnattendedFixesPerHour: Int
    /// How long an approval may wait for a decision before it expires (`GRACE_APPROVAL_EXPIRY_HOURS`):
    /// a fix approved days later may no longer fit what is there, so the next occurrence asks again.
    public var approvalExpiryHours: Int
    public var bootProfile: BootProfileName
    /// Environment keys that must be set (non-empty) for the secrets stage to pass.
    public var requiredSecrets: [String]
    /// Seconds between continuous-monitor passes.
    public var monitorIntervalSeconds: Int
    /// Values to scrub from every log line, report and API response.
    public var secretValues: [String]
    /// The user's service to boot and supervise, when `GRACE_TARGET_COMMAND` is set.
    public var target: TargetSettings?
    /// What is pruned and when (`GRACE_RETENTION_*`); keeps everything by default.
    public var retention: RetentionSettings
    /// Webhooks told of approvals waiting, failed boots, crash loops ... (`GRACE_ALERT_*`); none by default.
    public var alerts: AlertSettings

    // Several nodes on one PostgreSQL (issue 9).
    /// `GRACE_DATABASE_URL`: the shared PostgreSQL store; nil keeps the embedded SQLite files.
    public var databaseURL: DatabaseURL?
    /// `GRACE_NODE_ID`: this node's name, stored on its runs, approvals, audit entries and metrics.
    public var nodeID: String

    /// Log levels accepted by `GRACE_LOG_LEVEL` (swift-log's, by name).
    public enum LogLevelSetting: String, Sendable, CaseIterable {
        case trace, debug, info, notice, warning, error, critical
    }

    /// The two boot stage lists (DESIGN.md section 3).
    public enum BootProfileName: String, Sendable, CaseIterable {
        case production, basic
    }
}

/// What went wrong while reading settings: every bad key at once, so one fix-up round suffices.
public struct SettingsError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Problem: Sendable, Equatable {
        public var key: String
        public var value: String
        public var origin: String
        public var allowed: String
    }
    public var problems: [Problem]

    public var description: String {
        problems.map { "invalid setting \($0.key)=\"\($0.value)\" (from \($0.origin)): expected \($0.allowed)" }
            .joined(separator: "\n")
    }
}

/// One setting's value and where it was read (`environment`, or a `.env` file path).
public struct SettingValue: Sendable, Equatable {
    public var value: String
    public var origin: String
    public init(value: String, origin: String) {
        self.value = value
        self.origin = origin
    }
}

extension GraceSettings {
    /// Every key Grace reads, with its default and what is allowed: the table in the README.
    public static let knownKeys: [String] = [
        "GRACE_HOME", "GRACE_HOST", "GRACE_PORT", "GRACE_API_TOKEN", "GRACE_ALLOWED_HOSTS", "GRACE_METRICS_PUBLIC", "GRACE_LOG_LEVEL",
        "GRACE_LOG_MAX_BYTES", "GRACE_LOG_MAX_FILES", "STRUCTURED_LOGGING", "AUTO_SNAPSHOT_BEFORE_BOOT",
        "GRACE_SNAPSHOT_KEEP", "GRACE_DATABASE_WAIT_SECONDS", "SELF_HEAL_OBSERVE_ONLY", "SELF_HEAL_EXECUTE", "GRACE_MAX_UNATTENDED_TIER",
        "GRACE_MAX_UNATTENDED_FIXES_PER_HOUR", "GRACE_APPROVAL_EXPIRY_HOURS", "GRACE_BOOT_PROFILE", "GRACE_REQUIRED_SECRETS", "GRACE_MONITOR_INTERVAL",
        "GRACE_DATABASE_URL", "GRACE_NODE_ID",
    ] + RetentionSettings.keys + TargetSettings.keys + AlertSettings.keys

    /// Parses and validates `values`; throws a ``SettingsError`` listing every invalid key.
    public init(values: [String: SettingValue]) throws(SettingsError) {
        var reader = SettingsReader(values: values)
        home = reader.string("GRACE_HOME", default: "./grace-home", allowed: "a folder path") { !$0.isEmpty }
        host = reader.string("GRACE_HOST", default: "127.0.0.1", allowed: "a host name or IP address") {
            !$0.isEmpty && !$0.contains(" ")
        }
        port = reader.integer("GRACE_PORT", default: 8000, range: 0...65_535, allowed: "an integer port 0-65535 (0 picks a free port)")
        apiToken = reader.optional("GRACE_API_TOKEN")
        allowedHosts = reader.hostList("GRACE_ALLOWED_HOSTS")
        metricsPublic = reader.boolean("GRACE_METRICS_PUBLIC", default: false)
        structuredLogging = reader.boolean("STRUCTURED_LOGGING", default: true)
        logLevel = reader.choice("GRACE_LOG_LEVEL", default: .info)
        logMaxBytes = reader.integer("GRACE_LOG_MAX_BYTES", default: 50 << 20, range: 4096...Int(Int32.max), allowed: "a size in bytes, at least 4096")
        logMaxFiles = reader.integer("GRACE_LOG_MAX_FILES", default: 5, range: 1...1000, allowed: "an integer 1-1000")
        autoSnapshotBeforeBoot = reader.boolean("AUTO_SNAPSHOT_BEFORE_BOOT", default: true)
        snapshotKeep = reader.integer("GRACE_SNAPSHOT_KEEP", default: 5, range: 1...1000, allowed: "an integer 1-1000")
        databaseWaitSeconds = reader.integer("GRACE_DATABASE_WAIT_SECONDS", default: 30, range: 1...3600,
                                             allowed: "seconds to wait for a locked database, 1-3600")
        selfHealObserveOnly = reader.boolean("SELF_HEAL_OBSERVE_ONLY", default: true)
        selfHealExecute = reader.boolean("SELF_HEAL_EXECUTE", default: false)
        maxUnattendedTier = reader.parsed("GRACE_MAX_UNATTENDED_TIER", default: .tier1, allowed: "tier_0, tier_1, tier_2 or tier_3", AutonomyTier.init(text:))
        maxUnattendedFixesPerHour = reader.integer("GRACE_MAX_UNATTENDED_FIXES_PER_HOUR", default: FixBreaker.defaultLimit, range: 0...1000,
                                                   allowed: "an integer 0-1000 (0: every fix waits for an approval)")
        approvalExpiryHours = reader.integer("GRACE_APPROVAL_EXPIRY_HOURS", default: 72, range: 1...8760,
                                             allowed: "hours an approval may wait for a decision, 1-8760")
        bootProfile = reader.choice("GRACE_BOOT_PROFILE", default: .production)
        requiredSecrets = reader.list("GRACE_REQUIRED_SECRETS")
        monitorIntervalSeconds = reader.integer("GRACE_MONITOR_INTERVAL", default: 60, range: 1...86_400, allowed: "seconds between monitor passes, 1-86400")
        secretValues = Self.secretValues(in: values)
        databaseURL = reader.optional("GRACE_DATABASE_URL") == nil ? nil
            : reader.parsed("GRACE_DATABASE_URL", default: nil, allowed: DatabaseURL.expected) { text -> DatabaseURL?? in
                guard let url = DatabaseURL(text) else { return nil }
                return .some(url)
            }
        nodeID = reader.string("GRACE_NODE_ID", default: Self.defaultNodeID,
                               allowed: "a node name: letters, digits, '.', '-' or '_', at most 64 characters") { Self.isNodeID($0) }
        if let password = databaseURL?.password, password.count >= 4 { secretValues = (secretValues + [password]).sorted() }
        retention = RetentionSettings.read(&reader)
        target = TargetSettings.read(&reader)
        alerts = AlertSettings.read(&reader)
        // Webhook URLs often carry their credential in the path (Slack's do): redacted like secrets.
        secretValues = Array(Set(secretValues + alerts.sinks.map(\.url.absoluteString))).sorted()
        if !reader.problems.isEmpty { throw SettingsError(problems: reader.problems) }
    }

    /// The host name, cut to a valid node id (`GRACE_NODE_ID`'s default).
    public static var defaultNodeID: String {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? ""
        let cleaned = String(host.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) }.prefix(64))
        return cleaned.isEmpty ? "node" : cleaned
    }

    static func isNodeID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || ".-_".contains($0)) }
    }

    /// Keys in `values` that look like Grace settings but are not known: likely typos.
    public static func unknownGraceKeys(in values: [String: SettingValue]) -> [String] {
        values.keys.filter { $0.hasPrefix("GRACE_") && !knownKeys.contains($0) }.sorted()
    }

    /// Whether a key names a secret by convention (tokens, keys, passwords).
    public static func isSecretKey(_ key: String) -> Bool {
        if key != "GRACE_API_TOKEN" && key != "GRACE_ALERT_SECRET" && knownKeys.contains(key) { return false }
        let upper = key.uppercased()
        return ["TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL"]
            .contains { upper.contains($0) }
    }

    /// The values of secret-looking keys (see ``isSecretKey(_:)``) long enough to redact safely.
    public static func secretValues(in values: [String: SettingValue]) -> [String] {
        values.filter { isSecretKey($0.key) && $0.value.value.count >= 4 }.map(\.value.value).sorted()
    }
}

/// Reads typed values, collecting problems instead of stopping at the first.
struct SettingsReader {
    let values: [String: SettingValue]
    var problems: [SettingsError.Problem] = []

    mutating func report(_ key: String, _ setting: SettingValue, _ allowed: String) {
        problems.append(.init(key: key, value: setting.value, origin: setting.origin, allowed: allowed))
    }

    func optional(_ key: String) -> String? {
        guard let value = values[key]?.value, !value.isEmpty else { return nil }
        return value
    }

    mutating func string(_ key: String, default fallback: String, allowed: String, _ isValid: (String) -> Bool) -> String {
        guard let setting = values[key] else { return fallback }
        if isValid(setting.value) { return setting.value }
        report(key, setting, allowed)
        return fallback
    }

    mutating func parsed<T>(_ key: String, default fallback: T, allowed: String, _ parse: (String) -> T?) -> T {
        guard let setting = values[key] else { return fallback }
        if let value = parse(setting.value.trimmed(of: " \t")) { return value }
        report(key, setting, allowed)
        return fallback
    }

    mutating func integer(_ key: String, default fallback: Int, range: ClosedRange<Int>, allowed: String) -> Int {
        parsed(key, default: fallback, allowed: allowed) { text in Int(text).flatMap { range.contains($0) ? $0 : nil } }
    }

    mutating func boolean(_ key: String, default fallback: Bool) -> Bool {
        parsed(key, default: fallback, allowed: "true or false (also 1/0, yes/no, on/off)") { text in
            switch text.lowercased() {
            case "true", "1", "yes", "on": true
            case "false", "0", "no", "off": false
            default: nil
            }
        }
    }

    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, default fallback: T) -> T where T.RawValue == String {
        let allowed = "one of " + T.allCases.map(\.rawValue).joined(separator: ", ")
        return parsed(key, default: fallback, allowed: allowed) { T(rawValue: $0.lowercased()) }
    }

    /// A comma-separated list of host names or IP addresses (no scheme, path or port), normalised
    /// as ``HostName/normalized(_:)`` does; a bad entry is reported and left out.
    mutating func hostList(_ key: String) -> [String] {
        var hosts: [String] = []
        for entry in list(key) {
            // A bare IPv6 address has several colons; otherwise an entry is an authority without a port.
            let bareIPv6 = entry.filter { $0 == ":" }.count > 1 && !entry.hasPrefix("[")
            let parsed = bareIPv6 ? HostName.normalized(entry).map { (host: $0, port: Int?.none) } : HostName.authority(entry)
            guard let parsed, parsed.port == nil, !entry.hasSuffix(":"), HostName.isPlausible(parsed.host) else {
                report(key, SettingValue(value: entry, origin: values[key]?.origin ?? "default"),
                       "comma-separated host names or IP addresses without scheme, path or port (e.g. grace.internal,10.0.0.5,[fd00::1])")
                continue
            }
            hosts.append(parsed.host)
        }
        return hosts
    }

    func list(_ key: String) -> [String] {
        guard let value = values[key]?.value else { return [] }
        return value.split(separator: ",").map { String($0).trimmed(of: " \t") }.filter { !$0.isEmpty }
    }
}

extension String {
    func trimmed(of characters: String) -> String {
        var text = Substring(self)
        while let first = text.first, characters.contains(first) { text = text.dropFirst() }
        while let last = text.last, characters.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
