import Crypto
import Foundation

/// Where alerts go and how hard Grace tries (`GRACE_ALERT_*`); no webhooks, no alerts.
public struct AlertSettings: Sendable, Equatable {
    /// `GRACE_ALERT_WEBHOOKS`, in the order given.
    public var sinks: [AlertSink]
    /// `GRACE_ALERT_SECRET`: the HMAC-SHA256 key of `X-Grace-Signature` (required with any webhook).
    public var secret: String?
    /// `GRACE_ALERT_MAX_ATTEMPTS`: sends per alert and sink before it is recorded `failed`.
    public var maxAttempts: Int
    /// `GRACE_ALERT_BACKOFF_SECONDS`: the wait after the first failed send; each later one doubles it.
    public var backoffSeconds: Int
    /// `GRACE_ALERT_BACKOFF_MAX_SECONDS`: the longest wait between two sends.
    public var backoffMaxSeconds: Int
    /// `GRACE_ALERT_INTERVAL`: seconds between the alert passes of `grace up`.
    public var intervalSeconds: Int
    /// `GRACE_ALERT_TIMEOUT_SECONDS`: how long one webhook call may take.
    public var timeoutSeconds: Int
    /// `GRACE_ALERT_LOOKBACK_HOURS`: how old an event may be and still be alerted (boots, fixes,
    /// crash loops and clusters from before are history, not news).
    public var lookbackHours: Int

    public init(sinks: [AlertSink] = [], secret: String? = nil, maxAttempts: Int = 5, backoffSeconds: Int = 10,
                backoffMaxSeconds: Int = 3600, intervalSeconds: Int = 15, timeoutSeconds: Int = 10, lookbackHours: Int = 24) {
        self.sinks = sinks
        self.secret = secret
        self.maxAttempts = maxAttempts
        self.backoffSeconds = backoffSeconds
        self.backoffMaxSeconds = backoffMaxSeconds
        self.intervalSeconds = intervalSeconds
        self.timeoutSeconds = timeoutSeconds
        self.lookbackHours = lookbackHours
    }

    public var isEnabled: Bool { !sinks.isEmpty }

    public static let keys = ["GRACE_ALERT_WEBHOOKS", "GRACE_ALERT_SECRET", "GRACE_ALERT_MAX_ATTEMPTS", "GRACE_ALERT_BACKOFF_SECONDS",
                              "GRACE_ALERT_BACKOFF_MAX_SECONDS", "GRACE_ALERT_INTERVAL", "GRACE_ALERT_TIMEOUT_SECONDS",
                              "GRACE_ALERT_LOOKBACK_HOURS"]

    /// The wait before the next send after `attempts` failed ones: base, doubled per attempt, capped.
    public func backoff(afterAttempts attempts: Int) -> Int {
        let doublings = max(0, min(attempts - 1, 30))
        return min(backoffMaxSeconds, backoffSeconds << doublings)
    }

    static func read(_ reader: inout SettingsReader) -> AlertSettings {
        var settings = AlertSettings()
        for entry in reader.list("GRACE_ALERT_WEBHOOKS") {
            guard let sink = AlertSink(entry) else {
                reader.report("GRACE_ALERT_WEBHOOKS", SettingValue(value: entry, origin: reader.values["GRACE_ALERT_WEBHOOKS"]?.origin ?? "default"),
                              "comma-separated http:// or https:// URLs with a host, each optionally prefixed slack+ for a Slack-compatible body")
                continue
            }
            settings.sinks.append(sink)
        }
        if let setting = reader.values["GRACE_ALERT_SECRET"], !setting.value.isEmpty {
            if setting.value.count >= 16 {
                settings.secret = setting.value
            } else {
                // The value itself is never echoed: it is a secret.
                reader.report("GRACE_ALERT_SECRET", SettingValue(value: "(\(setting.value.count) characters, hidden)", origin: setting.origin),
                              "a secret of at least 16 characters")
            }
        } else if !settings.sinks.isEmpty {
            reader.report("GRACE_ALERT_SECRET", SettingValue(value: "", origin: reader.values["GRACE_ALERT_SECRET"]?.origin ?? "unset"),
                          "a secret of at least 16 characters whenever GRACE_ALERT_WEBHOOKS is set (alerts are signed with it)")
        }
        settings.maxAttempts = reader.integer("GRACE_ALERT_MAX_ATTEMPTS", default: 5, range: 1...100, allowed: "sends per alert and sink, 1-100")
        settings.backoffSeconds = reader.integer("GRACE_ALERT_BACKOFF_SECONDS", default: 10, range: 1...86_400,
                                                 allowed: "seconds before the first retry, 1-86400")
        settings.backoffMaxSeconds = reader.integer("GRACE_ALERT_BACKOFF_MAX_SECONDS", default: 3600, range: 1...86_400,
                                                    allowed: "the longest wait between retries in seconds, 1-86400")
        settings.intervalSeconds = reader.integer("GRACE_ALERT_INTERVAL", default: 15, range: 1...86_400,
                                                  allowed: "seconds between alert passes, 1-86400")
        settings.timeoutSeconds = reader.integer("GRACE_ALERT_TIMEOUT_SECONDS", default: 10, range: 1...300,
                                                 allowed: "seconds one webhook call may take, 1-300")
        settings.lookbackHours = reader.integer("GRACE_ALERT_LOOKBACK_HOURS", default: 24, range: 1...8760,
                                                allowed: "hours an event may be old and still alerted, 1-8760")
        return settings
    }
}

/// One webhook of `GRACE_ALERT_WEBHOOKS`.
public struct AlertSink: Sendable, Equatable {
    /// The body a sink receives.
    public enum Format: String, Sendable, Codable {
        /// Grace's own JSON (``AlertEvent``'s fields).
        case generic
        /// `{"text": ...}`, which Slack's incoming webhooks (and Mattermost's, Rocket.Chat's) accept.
        case slack
    }

    public var url: URL
    public var format: Format
    /// How the store and listings name the sink: scheme, host and port, and 8 hex digits of the
    /// SHA-256 of the whole URL. Webhook URLs often carry their secret in the path, so it is never shown.
    public var id: String

    /// Parses `https://...`, `http://...` or `slack+https://...`; nil for anything else.
    public init?(_ text: String) {
        var rest = text
        var format = Format.generic
        if rest.lowercased().hasPrefix("slack+") {
            format = .slack
            rest = String(rest.dropFirst("slack+".count))
        }
        guard let components = URLComponents(string: rest), let scheme = components.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = components.host, !host.isEmpty, components.user == nil, let url = components.url else { return nil }
        self.url = url
        self.format = format
        let digest = SHA256.hash(data: Data(text.utf8)).prefix(4).hexString
        let port = components.port.map { ":\($0)" } ?? ""
        self.id = "\(format == .slack ? "slack+" : "")\(scheme)://\(host.lowercased())\(port)#\(digest)"
    }
}
