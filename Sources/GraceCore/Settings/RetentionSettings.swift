/// How long Grace keeps what it records (`GRACE_RETENTION_*`). Unset or 0 keeps forever: nothing
/// is deleted unless an operator asks for it. The audit chain is never pruned, whatever is set.
public struct RetentionSettings: Sendable, Equatable {
    /// What one override governs; every ``RetainedKind`` belongs to one group.
    public enum Group: String, Sendable, CaseIterable, Codable {
        /// Runs and their steps, decided approvals, verification events, playbook runs.
        case runs
        /// Metric snapshots (the metrics database).
        case metrics
        /// Boot training records (`grace_training/startup_failures/boot_*.json`).
        case training
        /// Rotated log files (`logs/grace.jsonl.N`; never the live file).
        case logs

        /// `GRACE_RETENTION_RUNS_DAYS` and so on.
        public var key: String { "GRACE_RETENTION_\(rawValue.uppercased())_DAYS" }
    }

    /// `GRACE_RETENTION_DAYS`: the default for every group; nil keeps forever.
    public var days: Double?
    /// Per-group overrides; a group set to 0 keeps forever even when ``days`` is set.
    public var overrides: [Group: Double]
    /// `GRACE_RETENTION_INTERVAL`: seconds between the pruning passes of `grace up`.
    public var intervalSeconds: Int

    public init(days: Double? = nil, overrides: [Group: Double] = [:], intervalSeconds: Int = 3600) {
        self.days = days
        self.overrides = overrides
        self.intervalSeconds = intervalSeconds
    }

    public static let keys = ["GRACE_RETENTION_DAYS", "GRACE_RETENTION_INTERVAL"] + Group.allCases.map(\.key)

    /// The days `group` is kept, nil for forever.
    public func days(for group: Group) -> Double? {
        let value = overrides[group] ?? days ?? 0
        return value > 0 ? value : nil
    }

    /// Whether anything is ever pruned.
    public var isEnabled: Bool { Group.allCases.contains { days(for: $0) != nil } }

    static let allowedDays = "a number of days >= 0 (decimals allowed: 0.5 is 12 hours; 0 keeps forever), at most 36500"

    static func read(_ reader: inout SettingsReader) -> RetentionSettings {
        func days(_ key: String) -> Double? {
            reader.parsed(key, default: nil, allowed: allowedDays) { text -> Double?? in
                guard let value = Double(text), value.isFinite, value >= 0, value <= 36_500 else { return nil }
                return .some(value)
            }
        }
        var settings = RetentionSettings(days: days("GRACE_RETENTION_DAYS"))
        for group in Group.allCases {
            if let value = days(group.key) { settings.overrides[group] = value }
        }
        settings.intervalSeconds = reader.integer("GRACE_RETENTION_INTERVAL", default: 3600, range: 1...86_400,
                                                  allowed: "seconds between pruning passes, 1-86400")
        return settings
    }
}
