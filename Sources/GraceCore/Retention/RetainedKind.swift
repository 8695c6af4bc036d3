/// One kind of record retention prunes, as `grace prune` names it.
public enum RetainedKind: String, Sendable, CaseIterable, Codable {
    /// Finished runs (never an active one, nor one an open approval names).
    case runs
    /// The steps of the pruned runs.
    case steps
    /// Decided approvals (rejected, succeeded, failed, expired); never pending, approved or executing.
    case approvals
    case verificationEvents = "verification_events"
    /// Finished playbook runs (never pending or running).
    case playbookRuns = "playbook_runs"
    case metricSnapshots = "metric_snapshots"
    /// `boot_*.json` training records (the boot reports of past boots).
    case trainingRecords = "training_records"
    /// Rotated log files; never the live one.
    case rotatedLogs = "rotated_logs"
    /// Alert delivery records of events that can no longer be alerted (older than the alerts'
    /// lookback too); never one still being sent, a pending approval's or a broken audit chain's,
    /// whose removal would let the same alert go out again.
    case alertDeliveries = "alert_deliveries"

    /// The setting that governs this kind.
    public var group: RetentionSettings.Group {
        switch self {
        case .runs, .steps, .approvals, .verificationEvents, .playbookRuns, .alertDeliveries: .runs
        case .metricSnapshots: .metrics
        case .trainingRecords: .training
        case .rotatedLogs: .logs
        }
    }

    /// The kinds kept in the store's tables (the others are files in the home).
    public static let stored: [RetainedKind] = [.runs, .approvals, .verificationEvents, .playbookRuns, .metricSnapshots, .alertDeliveries]
}
