/// One autonomous-agent run, or one boot, in the timeline.
///
/// Field names follow the original system's `AgentRun`, so its clients keep working.
public struct AgentRun: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case active, success, failed, aborted
        public var isFinal: Bool { self != .active }
    }

    /// What started the run (`manual`, `scheduled`, `autonomous`, `event`, or `boot`).
    public enum Trigger: String, Sendable, Codable, CaseIterable {
        case manual, scheduled, autonomous, event, boot
    }

    public var runID: String
    /// `agent` for API-created runs, `boot` for boots, `target` for a supervised service.
    public var kind: String
    public var trigger: Trigger
    public var subsystem: String
    public var status: Status
    public var startedAt: String
    public var endedAt: String?
    public var playbooksExecuted: Int
    public var verificationsPassed: Int
    public var verificationsFailed: Int
    /// Optional free-form body: agent, goal, metadata.
    public var body: JSONValue?
    /// The Grace node that recorded it (`GRACE_NODE_ID`); nil for rows from before nodes were stored.
    public var nodeID: String?

    public init(runID: String = Identifier.run(), kind: String = "agent", trigger: Trigger, subsystem: String,
                status: Status = .active, startedAt: String = Timestamp.now(), endedAt: String? = nil,
                playbooksExecuted: Int = 0, verificationsPassed: Int = 0, verificationsFailed: Int = 0,
                body: JSONValue? = nil, nodeID: String? = nil) {
        self.runID = runID
        self.kind = kind
        self.trigger = trigger
        self.subsystem = subsystem
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.playbooksExecuted = playbooksExecuted
        self.verificationsPassed = verificationsPassed
        self.verificationsFailed = verificationsFailed
        self.body = body
        self.nodeID = nodeID
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", kind, trigger, subsystem, status, startedAt = "started_at", endedAt = "ended_at"
        case playbooksExecuted = "playbooks_executed", verificationsPassed = "verifications_passed"
        case verificationsFailed = "verifications_failed", body, nodeID = "node_id"
    }
}

/// One step of a run's timeline.
public struct TimelineStep: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, running, success, failed

        public var isFinal: Bool { self == .success || self == .failed }

        /// Steps move forward only: pending → running → success/failed (pending may finish directly).
        public func canMove(to next: Status) -> Bool {
            switch (self, next) {
            case (.pending, _): true
            case (.running, .running), (.running, .success), (.running, .failed): true
            default: self == next
            }
        }
    }

    /// The well-known step types; any other string is accepted as a custom type.
    public static let knownTypes = ["kernel_selection", "plan_creation", "playbook_execution", "verification"]

    public var stepID: String
    public var runID: String
    public var timestamp: String
    public var stepType: String
    public var subsystem: String
    public var description: String
    public var status: Status
    public var durationMS: Double?
    public var details: JSONValue?
    public var playbookID: String?
    public var verificationID: String?

    public init(stepID: String = Identifier.step(), runID: String, timestamp: String = Timestamp.now(),
                stepType: String, subsystem: String, description: String, status: Status,
                durationMS: Double? = nil, details: JSONValue? = nil, playbookID: String? = nil,
                verificationID: String? = nil) {
        self.stepID = stepID
        self.runID = runID
        self.timestamp = timestamp
        self.stepType = stepType
        self.subsystem = subsystem
        self.description = description
        self.status = status
        self.durationMS = durationMS
        self.details = details
        self.playbookID = playbookID
        self.verificationID = verificationID
    }

    enum CodingKeys: String, CodingKey {
        case stepID = "step_id", runID = "run_id", timestamp, stepType = "step_type", subsystem, description, status
        case durationMS = "duration_ms", details, playbookID = "playbook_id", verificationID = "verification_id"
    }
}
