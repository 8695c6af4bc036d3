import GraceCore

/// Tries to fix what a failed stage found. Returns one attempt per playbook considered;
/// the stage is re-run once when any attempt succeeded.
public protocol StageHealer: Sendable {
    func heal(stage: String, findings: [Finding], in context: BootContext) async -> [HealingAttempt]
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
}
