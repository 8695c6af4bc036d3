/// What Grace does about a recognised failure.
public enum GovernanceDecision: String, Sendable, Codable, CaseIterable {
    /// Record what would be done; change nothing.
    case observe
    /// Run the playbook now.
    case execute
    /// Create a pending approval; run only once a human approves.
    case awaitApproval = "await_approval"
}

/// The rules that turn settings and a playbook's risk and tier into a decision (DESIGN.md section 4).
public struct GovernancePolicy: Sendable, Equatable {
    public var observeOnly: Bool
    public var executeEnabled: Bool
    /// Highest tier that may run without approval.
    public var maxUnattendedTier: AutonomyTier
    /// How many unattended fixes per pattern and playbook may run in a window.
    public var breaker: FixBreaker

    public init(observeOnly: Bool, executeEnabled: Bool, maxUnattendedTier: AutonomyTier, breaker: FixBreaker = FixBreaker()) {
        self.observeOnly = observeOnly
        self.executeEnabled = executeEnabled
        self.maxUnattendedTier = maxUnattendedTier
        self.breaker = breaker
    }

    public init(settings: GraceSettings) {
        self.init(observeOnly: settings.selfHealObserveOnly, executeEnabled: settings.selfHealExecute,
                  maxUnattendedTier: settings.maxUnattendedTier, breaker: FixBreaker(limit: settings.maxUnattendedFixesPerHour))
    }

    /// Whether anything may execute at all (not observe-only, and execution enabled); an approval
    /// given while this is false waits, approved, until it is true.
    public var mayExecute: Bool { !observeOnly && executeEnabled }

    /// Decides for a playbook of `risk` and `tier`.
    ///
    /// Observe-only, or execution not enabled, always observes. Critical-risk playbooks and
    /// tier 0 never run unattended; otherwise a tier above the unattended limit, or high risk,
    /// waits for approval.
    public func decide(risk: RiskLevel, tier: AutonomyTier, approved: Bool = false) -> GovernanceDecision {
        if !mayExecute { return .observe }
        if approved { return .execute }
        if risk == .critical || tier == .tier0 || tier > maxUnattendedTier || risk == .high { return .awaitApproval }
        return .execute
    }

    /// Decides as ``decide(risk:tier:approved:)`` does, then applies the circuit breaker: a fix
    /// that would run unattended waits for approval while the breaker of its pattern and playbook
    /// is open. An approved fix runs whatever the breaker says: a human decided.
    public func decide(risk: RiskLevel, tier: AutonomyTier, approved: Bool = false, breaker state: FixBreaker.State) -> GovernanceDecision {
        let decision = decide(risk: risk, tier: tier, approved: approved)
        if decision == .execute && !approved && state.isOpen { return .awaitApproval }
        return decision
    }
}
