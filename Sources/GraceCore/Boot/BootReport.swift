/// Something a stage noticed: a message and the evidence behind it.
public struct Finding: Sendable, Equatable, Codable {
    public var message: String
    public var evidence: String
    /// A machine-readable code healers key on (for example `database_damaged`).
    public var code: String?
    /// The resource concerned (a file path, a key name).
    public var resource: String?

    public init(message: String, evidence: String = "", code: String? = nil, resource: String? = nil) {
        self.message = message
        self.evidence = evidence
        self.code = code
        self.resource = resource
    }
}

/// A stage's verdict.
public enum StageStatus: String, Sendable, Codable, CaseIterable {
    case passed, warning, failed
    /// Failed, healed, and passed when re-run.
    case passedAfterHeal = "passed_after_heal"
    /// Not run because an earlier critical stage failed.
    case skipped

    public var isSuccess: Bool { self == .passed || self == .passedAfterHeal || self == .warning }
}

/// What a stage check returns.
public struct StageResult: Sendable, Equatable {
    public var status: StageStatus
    public var findings: [Finding]
    /// Fixes a stage that heals itself made (a supervised service's stages do).
    public var healing: [HealingAttempt]

    public init(status: StageStatus, findings: [Finding] = [], healing: [HealingAttempt] = []) {
        self.status = status
        self.findings = findings
        self.healing = healing
    }

    public static let passed = StageResult(status: .passed)

    /// Passed when `findings` is empty, otherwise `status` with them.
    public static func from(_ findings: [Finding], otherwise status: StageStatus) -> StageResult {
        findings.isEmpty ? .passed : StageResult(status: status, findings: findings)
    }
}

/// One healing attempt made for a failed stage.
public struct HealingAttempt: Sendable, Equatable, Codable {
    public var playbookID: String
    public var patternID: String?
    /// `observe`, `execute` or `await_approval`.
    public var decision: String
    public var succeeded: Bool
    public var detail: String

    public init(playbookID: String, patternID: String? = nil, decision: String, succeeded: Bool, detail: String) {
        self.playbookID = playbookID
        self.patternID = patternID
        self.decision = decision
        self.succeeded = succeeded
        self.detail = detail
    }

    enum CodingKeys: String, CodingKey {
        case playbookID = "playbook_id", patternID = "pattern_id", decision, succeeded, detail
    }
}

/// How one stage went, as recorded in reports and training records.
public struct StageOutcome: Sendable, Equatable, Codable {
    public var name: String
    public var critical: Bool
    public var status: StageStatus
    public var findings: [Finding]
    public var healing: [HealingAttempt]
    public var durationMS: Double
    /// When the stage started and ended (nil in reports written before they were recorded).
    public var startedAt: String?
    public var endedAt: String?

    public init(name: String, critical: Bool, status: StageStatus, findings: [Finding], healing: [HealingAttempt] = [], durationMS: Double,
                startedAt: String? = nil, endedAt: String? = nil) {
        self.name = name
        self.critical = critical
        self.status = status
        self.findings = findings
        self.healing = healing
        self.durationMS = durationMS
        self.startedAt = startedAt
        self.endedAt = endedAt
    }

    enum CodingKeys: String, CodingKey {
        case name, critical, status, findings, healing, durationMS = "duration_ms", startedAt = "started_at", endedAt = "ended_at"
    }
}

/// The verdict of a whole boot.
public enum BootStatus: String, Sendable, Codable, CaseIterable {
    case success, partial, failed

    /// The boot's run status in the timeline: the same word.
    public var runStatus: AgentRun.Status {
        switch self {
        case .success: .success
        case .partial: .partial
        case .failed: .failed
        }
    }

    /// success when every stage passed (or passed after heal), partial when only non-critical
    /// stages failed, failed when a critical stage failed.
    public static func of(_ outcomes: [StageOutcome]) -> BootStatus {
        if outcomes.contains(where: { $0.critical && $0.status == .failed }) { return .failed }
        if outcomes.contains(where: { $0.status == .failed }) { return .partial }
        return .success
    }
}

/// Everything a boot produced: written as `last_boot_report.json`, summarised in the text report,
/// and the core of the training record.
public struct BootReport: Sendable, Equatable, Codable {
    public var runID: String
    public var profile: String
    public var status: BootStatus
    public var startedAt: String
    public var endedAt: String
    public var durationMS: Double
    public var stages: [StageOutcome]
    public var snapshotID: String?
    /// Why no pre-boot snapshot was taken (a locked or unreadable database): the boot went on,
    /// and a rollback is not possible.
    public var snapshotProblem: String?
    /// Whether the pre-boot snapshot was actually restored.
    public var rolledBack: Bool
    /// What the rollback did, or why it did not happen, when a critical stage failed.
    public var rollbackDetail: String?
    /// The previous boot did not shut down cleanly.
    public var uncleanShutdownDetected: Bool
    /// Audit entries this process could not append by the time the report was written (nil: none
    /// counted, as in reports from before they were), and the last failure.
    public var auditEntriesLost: Int?
    public var auditLastFailure: String?

    public init(runID: String, profile: String, status: BootStatus, startedAt: String, endedAt: String, durationMS: Double,
                stages: [StageOutcome], snapshotID: String?, snapshotProblem: String? = nil, rolledBack: Bool,
                rollbackDetail: String? = nil, uncleanShutdownDetected: Bool = false) {
        self.runID = runID
        self.profile = profile
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.durationMS = durationMS
        self.stages = stages
        self.snapshotID = snapshotID
        self.snapshotProblem = snapshotProblem
        self.rolledBack = rolledBack
        self.rollbackDetail = rollbackDetail
        self.uncleanShutdownDetected = uncleanShutdownDetected
    }

    public var stagesPassed: Int { stages.filter { $0.status.isSuccess }.count }
    public var stagesFailed: Int { stages.filter { $0.status == .failed }.count }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", profile, status = "boot_status", startedAt = "boot_timestamp", endedAt = "ended_at"
        case durationMS = "boot_duration_ms", stages, snapshotID = "snapshot_id", snapshotProblem = "snapshot_problem", rolledBack = "rolled_back"
        case rollbackDetail = "rollback_detail", uncleanShutdownDetected = "unclean_shutdown_detected"
        case auditEntriesLost = "audit_entries_lost", auditLastFailure = "audit_last_failure"
    }

    /// The human report (`logs/last_boot_report.txt`).
    public var text: String {
        var lines = [
            "GRACE BOOT REPORT",
            "=================",
            "Run:       \(runID)",
            "Profile:   \(profile)",
            "Status:    \(status.rawValue.uppercased())",
            "Started:   \(startedAt)",
            "Duration:  \(Self.format(durationMS))",
            "Snapshot:  \(snapshotID ?? "none" + (snapshotProblem.map { " (\($0); a rollback is not possible)" } ?? ""))",
        ]
        if uncleanShutdownDetected { lines.append("Note:      the previous run did not shut down cleanly") }
        if let rollbackDetail { lines.append("Rollback:  \(rollbackDetail)") }
        if let lost = auditEntriesLost, lost > 0 {
            lines.append("Audit:     \(lost) entr\(lost == 1 ? "y" : "ies") could not be appended and \(lost == 1 ? "is" : "are") lost (last: \(auditLastFailure ?? "unknown"))")
        }
        lines.append("")
        lines.append("Stages (\(stagesPassed) passed, \(stagesFailed) failed):")
        for (index, stage) in stages.enumerated() {
            let marker = stage.critical ? "critical" : "optional"
            lines.append("  \(index + 1). \(stage.name) [\(marker)] \(stage.status.rawValue) (\(Self.format(stage.durationMS)))")
            for finding in stage.findings {
                lines.append("       - \(finding.message)")
                if !finding.evidence.isEmpty { lines.append("         evidence: \(finding.evidence)") }
            }
            for attempt in stage.healing {
                lines.append("       * playbook \(attempt.playbookID): \(attempt.decision), \(attempt.succeeded ? "fixed" : "not fixed") - \(attempt.detail)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func format(_ milliseconds: Double) -> String {
        milliseconds < 1000 ? "\((milliseconds * 10).rounded() / 10) ms" : "\((milliseconds / 10).rounded() / 100) s"
    }
}
