/// One autonomous-agent run, or one boot, in the timeline.
///
/// Field names follow the original system's `AgentRun`, so its clients keep working.
public struct AgentRun: Sendable, Equatable, Codable {
    /// `partial` is a boot whose critical stages passed while another failed; a run that failed
    /// stays `failed` even when a later fix healed what failed (the fix is on its timeline).
    public enum Status: String, Sendable, Codable, CaseIterable {
        case active, success, partial, failed, aborted
        public var isFinal: Bool { self != .active }
        /// The statuses a run can be completed with.
        public static let finals = allCases.filter(\.isFinal)
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
    /// The OpenTelemetry trace this run was ingested from (32 lowercase hex digits); nil for other runs.
    public var traceID: String?
    /// How many times the run's steps have changed (added, updated or removed): a counter the
    /// store keeps in the same transaction as each change, so an unchanged number means unchanged
    /// steps, on any node. Not part of the API's run shape.
    public var stepsVersion: Int64 = 0

    public init(runID: String = Identifier.run(), kind: String = "agent", trigger: Trigger, subsystem: String,
                status: Status = .active, startedAt: String = Timestamp.now(), endedAt: String? = nil,
                playbooksExecuted: Int = 0, verificationsPassed: Int = 0, verificationsFailed: Int = 0,
                body: JSONValue? = nil, nodeID: String? = nil, traceID: String? = nil) {
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
        self.traceID = traceID
    }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", kind, trigger, subsystem, status, startedAt = "started_at", endedAt = "ended_at"
        case playbooksExecuted = "playbooks_executed", verificationsPassed = "verifications_passed"
        case verificationsFailed = "verifications_failed", body, nodeID = "node_id", traceID = "trace_id"
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
    /// The step types of spans ingested over OTLP, from their GenAI or OpenInference kind
    /// (`span` when a span names neither).
    public static let traceTypes = ["agent", "create_agent", "workflow", "chain", "tool", "llm", "retrieval", "embedding",
                                    "reranker", "guardrail", "evaluator", "prompt", "span"]

    public var stepID: String
    public var runID: String
    /// When the step started (the original's field name); also served as `started_at`.
    public var timestamp: String
    /// When the step reached `success` or `failed`; nil while it is pending or running.
    public var endedAt: String?
    public var stepType: String
    public var subsystem: String
    public var description: String
    public var status: Status
    public var durationMS: Double?
    public var details: JSONValue?
    public var playbookID: String?
    public var verificationID: String?
    /// The OpenTelemetry span this step was ingested from (16 lowercase hex digits), and its parent's.
    public var spanID: String?
    public var parentSpanID: String?

    public init(stepID: String = Identifier.step(), runID: String, timestamp: String = Timestamp.now(), endedAt: String? = nil,
                stepType: String, subsystem: String, description: String, status: Status,
                durationMS: Double? = nil, details: JSONValue? = nil, playbookID: String? = nil,
                verificationID: String? = nil, spanID: String? = nil, parentSpanID: String? = nil) {
        self.stepID = stepID
        self.runID = runID
        self.timestamp = timestamp
        self.endedAt = endedAt
        self.stepType = stepType
        self.subsystem = subsystem
        self.description = description
        self.status = status
        self.durationMS = durationMS
        self.details = details
        self.playbookID = playbookID
        self.verificationID = verificationID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
    }

    /// When the step started: its `timestamp`.
    public var startedAt: String { timestamp }

    /// A final step without an end time gets one: its start plus its duration, or `now`.
    public mutating func settleEnd(now: String = Timestamp.now()) {
        guard status.isFinal, endedAt == nil else { return }
        if let durationMS, let start = Timestamp.date(from: timestamp) {
            endedAt = Timestamp.string(from: start.addingTimeInterval(durationMS / 1000))
        } else {
            endedAt = now
        }
    }

    enum CodingKeys: String, CodingKey {
        case stepID = "step_id", runID = "run_id", timestamp, startedAt = "started_at", endedAt = "ended_at", stepType = "step_type"
        case subsystem, description, status
        case durationMS = "duration_ms", details, playbookID = "playbook_id", verificationID = "verification_id"
        case spanID = "span_id", parentSpanID = "parent_span_id"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stepID = try container.decode(String.self, forKey: .stepID)
        runID = try container.decode(String.self, forKey: .runID)
        // `timestamp` is the original's name for the start; `started_at` is accepted for it too.
        timestamp = try container.decodeIfPresent(String.self, forKey: .timestamp) ?? container.decode(String.self, forKey: .startedAt)
        endedAt = try container.decodeIfPresent(String.self, forKey: .endedAt)
        stepType = try container.decode(String.self, forKey: .stepType)
        subsystem = try container.decode(String.self, forKey: .subsystem)
        description = try container.decode(String.self, forKey: .description)
        status = try container.decode(Status.self, forKey: .status)
        durationMS = try container.decodeIfPresent(Double.self, forKey: .durationMS)
        details = try container.decodeIfPresent(JSONValue.self, forKey: .details)
        playbookID = try container.decodeIfPresent(String.self, forKey: .playbookID)
        verificationID = try container.decodeIfPresent(String.self, forKey: .verificationID)
        spanID = try container.decodeIfPresent(String.self, forKey: .spanID)
        parentSpanID = try container.decodeIfPresent(String.self, forKey: .parentSpanID)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(stepID, forKey: .stepID)
        try container.encode(runID, forKey: .runID)
        try container.encode(timestamp, forKey: .timestamp)
        try container.encode(timestamp, forKey: .startedAt)
        try container.encode(endedAt, forKey: .endedAt)
        try container.encode(stepType, forKey: .stepType)
        try container.encode(subsystem, forKey: .subsystem)
        try container.encode(description, forKey: .description)
        try container.encode(status, forKey: .status)
        try container.encodeIfPresent(durationMS, forKey: .durationMS)
        try container.encodeIfPresent(details, forKey: .details)
        try container.encodeIfPresent(playbookID, forKey: .playbookID)
        try container.encodeIfPresent(verificationID, forKey: .verificationID)
        try container.encodeIfPresent(spanID, forKey: .spanID)
        try container.encodeIfPresent(parentSpanID, forKey: .parentSpanID)
    }
}
