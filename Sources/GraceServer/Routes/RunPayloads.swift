import GraceCore
import GraceStore

/// An ``AgentRun`` as the API shows it: the original system's fields with `ended_at: null`
/// while running, plus Grace's `kind` and the optional body's `agent`, `goal` and `metadata`.
struct RunPayload: Encodable {
    let run: AgentRun

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", startedAt = "started_at", endedAt = "ended_at", status, trigger, subsystem
        case playbooksExecuted = "playbooks_executed", verificationsPassed = "verifications_passed"
        case verificationsFailed = "verifications_failed", kind, agent, goal, metadata, nodeID = "node_id", traceID = "trace_id"
        case durationMS = "duration_ms"
    }

    /// From start to end, in milliseconds; nil while the run is active.
    static func durationMS(of run: AgentRun) -> Double? {
        guard let endedAt = run.endedAt, let end = Timestamp.nanosecondsSinceEpoch(from: endedAt),
              let start = Timestamp.nanosecondsSinceEpoch(from: run.startedAt) else { return nil }
        return Double(end - start) / 1_000_000
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(run.runID, forKey: .runID)
        try container.encode(run.startedAt, forKey: .startedAt)
        try container.encode(run.endedAt, forKey: .endedAt)
        try container.encode(run.status, forKey: .status)
        try container.encode(run.trigger, forKey: .trigger)
        try container.encode(run.subsystem, forKey: .subsystem)
        try container.encode(run.playbooksExecuted, forKey: .playbooksExecuted)
        try container.encode(run.verificationsPassed, forKey: .verificationsPassed)
        try container.encode(run.verificationsFailed, forKey: .verificationsFailed)
        try container.encode(run.kind, forKey: .kind)
        try container.encode(run.body?["agent"]?.stringValue, forKey: .agent)
        try container.encode(run.body?["goal"]?.stringValue, forKey: .goal)
        try container.encode(Self.metadata(of: run.body), forKey: .metadata)
        try container.encode(run.nodeID, forKey: .nodeID)
        try container.encode(run.traceID, forKey: .traceID)
        try container.encode(Self.durationMS(of: run), forKey: .durationMS)
    }

    /// The body's `metadata`, with any other keys a run was stored with (a boot's `profile`) folded in.
    static func metadata(of body: JSONValue?) -> JSONValue? {
        guard case .object(let fields) = body else { return nil }
        var metadata: [String: JSONValue] = [:]
        if case .object(let given) = fields["metadata"] ?? .null { metadata = given }
        for (key, value) in fields where !["agent", "goal", "metadata"].contains(key) { metadata[key] = metadata[key] ?? value }
        return metadata.isEmpty ? nil : .object(metadata)
    }
}

/// A ``TimelineStep`` as the API shows it, `null` where unset; in a timeline also its log count and link.
struct StepPayload: Encodable {
    let step: TimelineStep
    var logEntries: Int? = nil
    var logsURL: String? = nil

    enum CodingKeys: String, CodingKey {
        case stepID = "step_id", runID = "run_id", timestamp, startedAt = "started_at", endedAt = "ended_at", stepType = "step_type"
        case subsystem, description, status
        case durationMS = "duration_ms", details, playbookID = "playbook_id", verificationID = "verification_id"
        case logEntries = "log_entries", logsURL = "logs_url", spanID = "span_id", parentSpanID = "parent_span_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(step.stepID, forKey: .stepID)
        try container.encode(step.runID, forKey: .runID)
        try container.encode(step.timestamp, forKey: .timestamp)
        try container.encode(step.startedAt, forKey: .startedAt)
        try container.encode(step.endedAt, forKey: .endedAt)
        try container.encode(step.stepType, forKey: .stepType)
        try container.encode(step.subsystem, forKey: .subsystem)
        try container.encode(step.description, forKey: .description)
        try container.encode(step.status, forKey: .status)
        try container.encode(step.durationMS, forKey: .durationMS)
        try container.encode(step.details, forKey: .details)
        try container.encode(step.playbookID, forKey: .playbookID)
        try container.encode(step.verificationID, forKey: .verificationID)
        try container.encode(step.spanID, forKey: .spanID)
        try container.encode(step.parentSpanID, forKey: .parentSpanID)
        if let logEntries { try container.encode(logEntries, forKey: .logEntries) }
        if let logsURL { try container.encode(logsURL, forKey: .logsURL) }
    }
}

/// The optional JSON body of `POST /api/agent/runs`; the query parameters win where both are given.
struct RunCreateBody: Decodable {
    /// API clients start runs with the original's triggers; `boot` is Grace's own.
    static let triggers: [AgentRun.Trigger] = [.manual, .scheduled, .autonomous, .event]
    /// The subsystem of a run created without one.
    static let defaultSubsystem = "agent"

    var trigger: AgentRun.Trigger?
    var subsystem: String?
    var agent: String?
    var goal: String?
    var metadata: JSONValue?

    enum CodingKeys: String, CodingKey { case trigger, subsystem, agent, goal, metadata }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        trigger = try container.decodeChoiceIfPresent(AgentRun.Trigger.self, forKey: .trigger, allowed: Self.triggers)
        subsystem = try container.decodeTextIfPresent(forKey: .subsystem, maxLength: 200)
        agent = try container.decodeTextIfPresent(forKey: .agent, maxLength: 200)
        goal = try container.decodeTextIfPresent(forKey: .goal)
        metadata = try container.decodeObjectIfPresent(forKey: .metadata)
    }
}

/// The TimelineStep body of `POST /api/agent/runs/{run_id}/steps`.
struct StepCreateBody: Decodable {
    var stepID: String?
    var timestamp: String?
    var stepType: String
    var subsystem: String?
    var description: String
    var status: TimelineStep.Status
    var details: JSONValue?
    var durationMS: Double?
    var playbookID: String?
    var verificationID: String?

    enum CodingKeys: String, CodingKey {
        case stepID = "step_id", timestamp, stepType = "step_type", subsystem, description, status, details
        case durationMS = "duration_ms", playbookID = "playbook_id", verificationID = "verification_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        stepID = try container.decodeIDIfPresent(forKey: .stepID)
        timestamp = try container.decodeTimestampIfPresent(forKey: .timestamp)
        stepType = try container.decodeText(forKey: .stepType, maxLength: 100)
        subsystem = try container.decodeTextIfPresent(forKey: .subsystem, maxLength: 200)
        description = try container.decode(String.self, forKey: .description)
        status = try container.decodeChoice(TimelineStep.Status.self, forKey: .status, allowed: TimelineStep.Status.allCases)
        details = try container.decodeObjectIfPresent(forKey: .details)
        durationMS = try container.decodeDurationIfPresent(forKey: .durationMS)
        playbookID = try container.decodeIDIfPresent(forKey: .playbookID)
        verificationID = try container.decodeIDIfPresent(forKey: .verificationID)
    }
}

/// The body of `PATCH /api/agent/runs/{run_id}/steps/{step_id}`: only the fields given change.
/// Stricter than creation: an unknown field or a null would otherwise be a change silently not made.
struct StepUpdateBody: Decodable {
    var update: StepUpdate

    enum CodingKeys: String, CodingKey, CaseIterable { case status, durationMS = "duration_ms", details, description }

    init(from decoder: any Decoder) throws {
        let all = try decoder.container(keyedBy: AnyCodingKey.self)
        for key in all.allKeys {
            guard CodingKeys(rawValue: key.stringValue) != nil else {
                throw DecodingError.dataCorruptedError(forKey: key, in: all, debugDescription:
                    "unknown field; a step update takes \(CodingKeys.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if try all.decodeNil(forKey: key) {
                throw DecodingError.valueNotFound(String.self, .init(codingPath: [key], debugDescription: "null is not a change"))
            }
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        update = StepUpdate(
            status: try container.decodeChoiceIfPresent(TimelineStep.Status.self, forKey: .status, allowed: TimelineStep.Status.allCases),
            durationMS: try container.decodeDurationIfPresent(forKey: .durationMS),
            details: try container.decodeObjectIfPresent(forKey: .details),
            description: container.contains(.description) ? try container.decode(String.self, forKey: .description) : nil)
        if update == StepUpdate() {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "nothing to change: give status, duration_ms, details or description"))
        }
    }
}
