/// A human decision Grace waits for before running a playbook it may not run unattended.
public struct ApprovalRequest: Sendable, Equatable, Codable {
    /// `pending` → `approved` or `rejected` by a human, or `expired` when nobody decided in time
    /// (`GRACE_APPROVAL_EXPIRY_HOURS`); an approved request is claimed by its node (`executed`:
    /// running now) and ends `succeeded` or `failed` with its playbook's outcome. (Requests run
    /// before outcomes were stored stay `executed`.)
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, approved, rejected, executed, succeeded, failed, expired
        public var isOpen: Bool { self == .pending || self == .approved || self == .executed }
    }

    /// The approval's id (`event_id` in the original schema).
    public var eventID: String
    public var status: Status
    public var requestedBy: String
    public var reason: String
    public var playbookID: String?
    public var patternID: String?
    public var runID: String?
    /// Who decided, as Grace authenticated them: `api-token`, `loopback`, or the CLI user.
    public var decisionBy: String?
    /// The name the decider gave for themselves (the API's `decided_by`): a claim, not checked.
    public var decisionClaimedBy: String?
    public var decisionReason: String?
    public var createdAt: String
    public var decidedAt: String?
    /// What the playbook needs when it runs after approval (the match and its captures).
    public var details: JSONValue?
    /// The Grace node that recorded it (`GRACE_NODE_ID`); nil for rows from before nodes were stored.
    public var nodeID: String?

    public init(eventID: String = Identifier.approval(), status: Status = .pending, requestedBy: String, reason: String,
                playbookID: String? = nil, patternID: String? = nil, runID: String? = nil, decisionBy: String? = nil,
                decisionClaimedBy: String? = nil, decisionReason: String? = nil, createdAt: String = Timestamp.now(),
                decidedAt: String? = nil, details: JSONValue? = nil, nodeID: String? = nil) {
        self.eventID = eventID
        self.status = status
        self.requestedBy = requestedBy
        self.reason = reason
        self.playbookID = playbookID
        self.patternID = patternID
        self.runID = runID
        self.decisionBy = decisionBy
        self.decisionClaimedBy = decisionClaimedBy
        self.decisionReason = decisionReason
        self.createdAt = createdAt
        self.decidedAt = decidedAt
        self.details = details
        self.nodeID = nodeID
    }

    enum CodingKeys: String, CodingKey {
        case details, nodeID = "node_id"
        case eventID = "event_id", status, requestedBy = "requested_by", reason, playbookID = "playbook_id"
        case patternID = "pattern_id", runID = "run_id", decisionBy = "decision_by"
        case decisionClaimedBy = "decision_claimed_by", decisionReason = "decision_reason"
        case createdAt = "created_at", decidedAt = "decided_at"
    }
}

/// The result of a verification after a fix (stored in `verification_events`).
public struct VerificationEvent: Sendable, Equatable, Codable {
    public var verificationID: String
    public var verificationType: String
    public var targetComponent: String
    public var verificationMethod: String
    public var result: String
    public var passed: Bool
    public var confidence: Double?
    public var details: JSONValue?
    public var verifiedBy: String
    public var runID: String?
    public var playbookID: String?
    public var createdAt: String

    public init(verificationID: String = Identifier.verification(), verificationType: String, targetComponent: String,
                verificationMethod: String, result: String, passed: Bool, confidence: Double? = nil, details: JSONValue? = nil,
                verifiedBy: String = "grace", runID: String? = nil, playbookID: String? = nil, createdAt: String = Timestamp.now()) {
        self.verificationID = verificationID
        self.verificationType = verificationType
        self.targetComponent = targetComponent
        self.verificationMethod = verificationMethod
        self.result = result
        self.passed = passed
        self.confidence = confidence
        self.details = details
        self.verifiedBy = verifiedBy
        self.runID = runID
        self.playbookID = playbookID
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case verificationID = "verification_id", verificationType = "verification_type", targetComponent = "target_component"
        case verificationMethod = "verification_method", result, passed, confidence, details, verifiedBy = "verified_by"
        case runID = "run_id", playbookID = "playbook_id", createdAt = "created_at"
    }
}
