import Foundation
import GraceCore
import GraceStore
import Hummingbird
import Logging

/// Batch ingestion for clients without OpenTelemetry (`POST /api/agent/events`): an array of run
/// and step events, each named by the client's event id and applied once however often it is
/// sent (a client retries a whole batch after a timeout). Each event is its own transaction and
/// gets its own result, so one refused event does not hold back the others.
struct EventRoutes {
    let dependencies: ServerDependencies
    let logger: Logger

    /// The most events one request may carry.
    static let maxEvents = 1000

    struct Batch: Decodable {
        var events: [JSONValue]

        enum CodingKeys: String, CodingKey { case events }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            events = try container.decode([JSONValue].self, forKey: .events)
            guard events.count <= EventRoutes.maxEvents else {
                throw DecodingError.dataCorruptedError(forKey: .events, in: container,
                                                       debugDescription: "at most \(EventRoutes.maxEvents) events in one request")
            }
        }
    }

    struct Result: Encodable {
        var index: Int
        var eventID: String?
        var status: String
        var error: APIError.Body.Detail?

        enum CodingKeys: String, CodingKey { case index, eventID = "event_id", status, error }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(eventID, forKey: .eventID)
            try container.encode(status, forKey: .status)
            try container.encode(error, forKey: .error)
        }
    }

    struct Answer: Encodable {
        var results: [Result]
        var applied: Int
        var duplicates: Int
        var rejected: Int
    }

    func register(on api: APIRouter) {
        api.post("/api/agent/events") { request, _ in try await ingest(request) }
    }

    func ingest(_ request: Request) async throws -> Response {
        let batch = try await BodyReader.decode(Batch.self, from: request)
        var results: [Result] = []
        for (index, value) in batch.events.enumerated() {
            var eventID = value["event_id"]?.stringValue
            do {
                let event = try await Self.event(from: value, runs: dependencies.repositories.runs)
                eventID = event.eventID
                let outcome = try await dependencies.repositories.runs.apply(event)
                results.append(Result(index: index, eventID: eventID, status: outcome.rawValue))
            } catch {
                let refusal = APIError.from(error)
                // A store that cannot be reached is no fault of the event: the client retries the request.
                guard refusal.status.code < 500 else { throw error }
                results.append(Result(index: index, eventID: eventID, status: "rejected",
                                      error: .init(code: refusal.code, message: refusal.message)))
            }
        }
        let count = { (status: String) in results.filter { $0.status == status }.count }
        let answer = Answer(results: results, applied: count("applied"), duplicates: count("duplicate"), rejected: count("rejected"))
        logger.info("agent events ingested", metadata: ["subsystem": "agent_runs", "event_type": "events_ingested",
                                                        "applied": "\(answer.applied)", "duplicates": "\(answer.duplicates)",
                                                        "rejected": "\(answer.rejected)"])
        return JSONResponse.make(answer)
    }

    /// One event of the array, decoded by itself so its error names only it.
    static func event(from value: JSONValue, runs: any RunRepository) async throws -> AgentEvent {
        guard case .object = value else { throw APIError.validation("an event is a JSON object") }
        let body = try JSONDecoder().decode(EventBody.self, from: Data(value.jsonText.utf8))
        switch body.type {
        case .runStarted:
            var fields: [String: JSONValue] = [:]
            if let agent = body.agent { fields["agent"] = .string(agent) }
            if let goal = body.goal { fields["goal"] = .string(goal) }
            if let metadata = body.metadata { fields["metadata"] = metadata }
            return AgentEvent(eventID: body.eventID, change: .runStarted(AgentRun(
                runID: body.runID, trigger: body.trigger ?? .manual, subsystem: body.subsystem ?? RunCreateBody.defaultSubsystem,
                startedAt: body.timestamp ?? Timestamp.now(), body: fields.isEmpty ? nil : .object(fields))))
        case .step:
            guard let stepID = body.stepID, let stepType = body.stepType, let status = body.stepStatus else {
                throw APIError.validation("a step event needs step_id, step_type and status")
            }
            // The run's subsystem when the event names none, as POST .../steps does.
            let subsystem: String
            if let given = body.subsystem {
                subsystem = given
            } else {
                subsystem = try await runs.run(id: body.runID)?.subsystem ?? RunCreateBody.defaultSubsystem
            }
            return AgentEvent(eventID: body.eventID, change: .step(TimelineStep(
                stepID: stepID, runID: body.runID, timestamp: body.timestamp ?? Timestamp.now(), endedAt: body.endedAt,
                stepType: stepType, subsystem: subsystem, description: body.description ?? "", status: status,
                durationMS: body.durationMS, details: body.details, playbookID: body.playbookID, verificationID: body.verificationID)))
        case .runCompleted:
            guard let status = body.runStatus else { throw APIError.validation("a run_completed event needs status") }
            return AgentEvent(eventID: body.eventID, change: .runCompleted(runID: body.runID, status: status,
                                                                           at: body.endedAt ?? Timestamp.now()))
        }
    }
}

/// One event of `POST /api/agent/events`. `type` says which fields apply: `run_started` (trigger,
/// subsystem, agent, goal, metadata, timestamp), `step` (step_id, step_type, status, description,
/// timestamp, ended_at, duration_ms, details, subsystem, playbook_id, verification_id),
/// `run_completed` (status, ended_at).
struct EventBody: Decodable {
    enum Kind: String, CaseIterable { case runStarted = "run_started", step, runCompleted = "run_completed" }

    var eventID: String
    var type: Kind
    var runID: String
    var trigger: AgentRun.Trigger?
    var subsystem: String?
    var agent: String?
    var goal: String?
    var metadata: JSONValue?
    var timestamp: String?
    var endedAt: String?
    var stepID: String?
    var stepType: String?
    var stepStatus: TimelineStep.Status?
    var runStatus: AgentRun.Status?
    var description: String?
    var durationMS: Double?
    var details: JSONValue?
    var playbookID: String?
    var verificationID: String?

    enum CodingKeys: String, CodingKey {
        case eventID = "event_id", type, runID = "run_id", trigger, subsystem, agent, goal, metadata, timestamp, endedAt = "ended_at"
        case stepID = "step_id", stepType = "step_type", status, description, durationMS = "duration_ms", details
        case playbookID = "playbook_id", verificationID = "verification_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func requiredID(_ key: CodingKeys) throws -> String {
            guard let id = try container.decodeIDIfPresent(forKey: key) else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [], debugDescription: "required"))
            }
            return id
        }
        eventID = try requiredID(.eventID)
        type = try container.decodeChoice(Kind.self, forKey: .type, allowed: Kind.allCases)
        runID = try requiredID(.runID)
        trigger = try container.decodeChoiceIfPresent(AgentRun.Trigger.self, forKey: .trigger, allowed: RunCreateBody.triggers)
        subsystem = try container.decodeTextIfPresent(forKey: .subsystem, maxLength: 200)
        agent = try container.decodeTextIfPresent(forKey: .agent, maxLength: 200)
        goal = try container.decodeTextIfPresent(forKey: .goal)
        metadata = try container.decodeObjectIfPresent(forKey: .metadata)
        timestamp = try container.decodeTimestampIfPresent(forKey: .timestamp)
        endedAt = try container.decodeTimestampIfPresent(forKey: .endedAt)
        stepID = try container.decodeIDIfPresent(forKey: .stepID)
        stepType = try container.decodeTextIfPresent(forKey: .stepType, maxLength: 100)
        switch type {
        case .step:
            stepStatus = try container.decodeChoiceIfPresent(TimelineStep.Status.self, forKey: .status, allowed: TimelineStep.Status.allCases)
        case .runCompleted:
            runStatus = try container.decodeChoiceIfPresent(AgentRun.Status.self, forKey: .status, allowed: AgentRun.Status.finals)
        case .runStarted:
            break
        }
        description = try container.decodeIfPresent(String.self, forKey: .description)
        durationMS = try container.decodeDurationIfPresent(forKey: .durationMS)
        details = try container.decodeObjectIfPresent(forKey: .details)
        playbookID = try container.decodeIDIfPresent(forKey: .playbookID)
        verificationID = try container.decodeIDIfPresent(forKey: .verificationID)
    }
}
