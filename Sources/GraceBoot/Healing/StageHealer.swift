import GraceCore
import GraceStore

/// Tries to fix what a failed stage found. Returns one attempt per playbook considered;
/// the stage is re-run once when any attempt succeeded.
public protocol StageHealer: Sendable {
    func heal(stage: String, findings: [Finding], in context: BootContext) async -> [HealingAttempt]
    /// Heals as ``heal(stage:findings:in:)`` does, and hands back the fixes whose outcome the
    /// stage's re-run decides (DESIGN.md section 4: re-run the check that failed). The pipeline
    /// settles them after the re-run. By default no fix waits: their post-fix check decided.
    func healVerifiedByRerun(stage: String, findings: [Finding], in context: BootContext) async -> StageHealing
}

extension StageHealer {
    public func healVerifiedByRerun(stage: String, findings: [Finding], in context: BootContext) async -> StageHealing {
        StageHealing(attempts: await heal(stage: stage, findings: findings, in: context))
    }
}

/// What healing a failed stage did.
public struct StageHealing: Sendable {
    public var attempts: [HealingAttempt]
    /// Fixes that ran and whose outcome waits for the stage's re-run.
    public var pending: [PendingStageFix]

    public init(attempts: [HealingAttempt], pending: [PendingStageFix] = []) {
        self.attempts = attempts
        self.pending = pending
    }
}

/// A fix applied to a failed stage, with the healer that settles it once the stage ran again.
public struct PendingStageFix: Sendable {
    public var healer: SelfHealer
    public var fix: SelfHealer.AppliedFix

    /// Records the re-run as the fix's verification (`stage_rerun`) and settles the fix with it,
    /// into `repositories` when the healer had no store when the fix ran (a damaged database is
    /// restored before the store opens).
    public func settle(stage: String, rerunPassed: Bool, runID: String?, repositories: GraceRepositories? = nil) async {
        let healer = self.healer.repositories == nil ? self.healer.recording(to: repositories) : self.healer
        await healer.verifyRecovery(
            of: fix, verificationType: "stage_rerun", component: stage, method: "rerun_check", runID: runID, passed: rerunPassed,
            result: rerunPassed ? "\(stage) passed when run again after \(fix.playbookID)"
                : "\(stage) still failed when run again after \(fix.playbookID)")
    }
}

/// Runs several healers in turn, each seeing the same findings.
public struct CompositeHealer: StageHealer {
    public var healers: [any StageHealer]

    public init(_ healers: [any StageHealer]) {
        self.healers = healers
    }

    public func heal(stage: String, findings: [Finding], in context: BootContext) async -> [HealingAttempt] {
        var attempts: [HealingAttempt] = []
        for healer in healers { attempts += await healer.heal(stage: stage, findings: findings, in: context) }
        return attempts
    }

    public func healVerifiedByRerun(stage: String, findings: [Finding], in context: BootContext) async -> StageHealing {
        var healing = StageHealing(attempts: [])
        for healer in healers {
            let part = await healer.healVerifiedByRerun(stage: stage, findings: findings, in: context)
            healing.attempts += part.attempts
            healing.pending += part.pending
        }
        return healing
    }
}
