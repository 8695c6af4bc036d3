import Foundation
import GraceCore
import GraceLog
import GraceStore
import HTTPTypes
import Hummingbird
import Logging

/// Agent runs and their timelines: the original system's endpoints and shapes
/// (query-parameter `POST /api/agent/runs`, `PUT .../complete?status=`), plus listing, step
/// updates and run logs.
struct RunRoutes {
    let dependencies: ServerDependencies
    let logger: Logger

    var runs: any RunRepository { dependencies.repositories.runs }
    var logs: RunLogs { RunLogs(layout: dependencies.layout, sink: dependencies.logSink, index: dependencies.runLogIndex) }

    struct Page: Encodable {
        var runs: [RunPayload]
        var limit: Int
        var offset: Int
        var hasMore: Bool
        /// Pass as `cursor` for the next page (nil on the last).
        var nextCursor: String?

        enum CodingKeys: String, CodingKey { case runs, limit, offset, hasMore = "has_more", nextCursor = "next_cursor" }

        /// Written by hand so the last page says `"next_cursor": null` (the schema requires the key);
        /// the synthesised encoder would leave it out.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(runs, forKey: .runs)
            try container.encode(limit, forKey: .limit)
            try container.encode(offset, forKey: .offset)
            try container.encode(hasMore, forKey: .hasMore)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }

    struct StepCreated: Encodable {
        var success: Bool
        var stepID: String

        enum CodingKeys: String, CodingKey { case success, stepID = "step_id" }
    }

    struct Completed: Encodable {
        var success: Bool
        var runID: String
        var status: AgentRun.Status

        enum CodingKeys: String, CodingKey { case success, runID = "run_id", status }
    }

    struct Timeline: Encodable {
        var run: RunPayload
        var steps: [StepPayload]
        /// How many log lines carry the run id (the original's field).
        var logEntries: Int
        var logsURL: String

        enum CodingKeys: String, CodingKey { case run, steps, logEntries = "log_entries", logsURL = "logs_url" }
    }

    func register(on api: APIRouter) {
        api.get("/api/agent/runs") { request, _ in try await list(request) }
        api.post("/api/agent/runs") { request, _ in try await create(request) }
        api.get("/api/agent/runs/active") { _, _ in
            JSONResponse.make(try await runs.activeRuns().map(RunPayload.init(run:)))
        }
        api.get("/api/agent/runs/{run_id}") { _, context in
            JSONResponse.make(RunPayload(run: try await requireRun(context)))
        }
        api.get("/api/agent/runs/{run_id}/timeline") { request, context in try await timeline(request, context) }
        api.post("/api/agent/runs/{run_id}/steps") { request, context in try await addStep(request, context) }
        api.patch("/api/agent/runs/{run_id}/steps/{step_id}") { request, context in try await updateStep(request, context) }
        api.put("/api/agent/runs/{run_id}/complete") { request, context in try await complete(request, context) }
        api.get("/api/agent/runs/{run_id}/logs") { request, context in try await runLogs(request, context) }
    }

    func requireRun(_ context: GraceRequestContext) async throws -> AgentRun {
        let id = try PathID.require("run_id", kind: "run", in: context)
        guard let run = try await runs.run(id: id) else { throw APIError.notFound("run", id) }
        return run
    }

    func list(_ request: Request) async throws -> Response {
        let query = QueryParameters(request)
        let limit = try query.int("limit", default: 50, range: 1...500)
        let offset = try query.int("offset", default: 0, range: 0...1_000_000_000)
        let cursor = try query.string("cursor", maxLength: 400).map(PageCursor.decode)
        // One row more than asked tells whether another page exists without counting.
        let found = try await runs.runs(matching: RunQuery(
            status: try query.enumeration("status", AgentRun.Status.self), kind: try query.string("kind"),
            subsystem: try query.string("subsystem"), node: try query.string("node", maxLength: 64),
            startedAfter: try query.timestamp("since"), traceID: try traceID(query),
            trigger: try query.enumeration("trigger", AgentRun.Trigger.self), startedBefore: try query.timestamp("until"),
            text: try query.string("q"), after: cursor, limit: limit + 1, offset: offset))
        let page = found.prefix(limit)
        let next = found.count > limit ? page.last.map { PageCursor.encode(RunCursor(startedAt: $0.startedAt, runID: $0.runID)) } : nil
        return JSONResponse.make(Page(runs: page.map(RunPayload.init(run:)), limit: limit, offset: offset,
                                      hasMore: found.count > limit, nextCursor: next))
    }

    /// The `cursor` of a run page: the last run's start and id, base64url-encoded so it is one opaque token.
    enum PageCursor {
        static func encode(_ cursor: RunCursor) -> String {
            Data((cursor.startedAt + "|" + cursor.runID).utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }

        static func decode(_ text: String) throws -> RunCursor {
            var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
            guard let data = Data(base64Encoded: base64), let decoded = String(data: data, encoding: .utf8) else { throw invalid }
            let parts = decoded.split(separator: "|", maxSplits: 1).map(String.init)
            guard parts.count == 2, Timestamp.nanosecondsSinceEpoch(from: parts[0]) != nil, PathID.isValid(parts[1]) else { throw invalid }
            return RunCursor(startedAt: parts[0], runID: parts[1])
        }

        static var invalid: APIError { APIError.invalidParameter("cursor", "not a cursor this server handed out (next_cursor of a page)") }
    }

    /// `trace_id`: an OpenTelemetry trace id, 32 hex digits (either case).
    func traceID(_ query: QueryParameters) throws -> String? {
        guard let text = try query.string("trace_id", maxLength: 32)?.lowercased() else { return nil }
        guard TraceSpan.isID(text, bytes: 16) else { throw APIError.invalidParameter("trace_id", "expected 32 hex digits, not all zero") }
        return text
    }

    func create(_ request: Request) async throws -> Response {
        let query = QueryParameters(request)
        let body = try await BodyReader.decodeIfPresent(RunCreateBody.self, from: request)
        let trigger = try query.enumeration("trigger", AgentRun.Trigger.self, allowed: RunCreateBody.triggers) ?? body?.trigger ?? .manual
        // Neither form names one: the run still needs a subsystem to be listed and filtered by.
        let subsystem = try query.string("subsystem") ?? body?.subsystem ?? RunCreateBody.defaultSubsystem
        var fields: [String: JSONValue] = [:]
        if let agent = body?.agent { fields["agent"] = .string(agent) }
        if let goal = body?.goal { fields["goal"] = .string(goal) }
        if let metadata = body?.metadata { fields["metadata"] = metadata }
        let run = try await runs.create(AgentRun(trigger: trigger, subsystem: subsystem, body: fields.isEmpty ? nil : .object(fields)))
        withRun(run.runID) {
            logger.info("run started", metadata: ["subsystem": "agent_runs", "event_type": "run_started",
                                                  "trigger": "\(trigger.rawValue)", "run_subsystem": "\(subsystem)"])
        }
        return JSONResponse.make(RunPayload(run: run))
    }

    func addStep(_ request: Request, _ context: GraceRequestContext) async throws -> Response {
        let run = try await requireRun(context)
        let body = try await BodyReader.decode(StepCreateBody.self, from: request)
        let step = try await runs.addStep(TimelineStep(
            stepID: body.stepID ?? Identifier.step(), runID: run.runID, timestamp: body.timestamp ?? Timestamp.now(),
            stepType: body.stepType, subsystem: body.subsystem ?? run.subsystem, description: body.description, status: body.status,
            durationMS: body.durationMS, details: body.details, playbookID: body.playbookID, verificationID: body.verificationID))
        log(step, "step recorded", event: "step_added")
        return JSONResponse.make(StepCreated(success: true, stepID: step.stepID))
    }

    func updateStep(_ request: Request, _ context: GraceRequestContext) async throws -> Response {
        let runID = try PathID.require("run_id", kind: "run", in: context)
        let stepID = try PathID.require("step_id", kind: "step", in: context)
        let body = try await BodyReader.decode(StepUpdateBody.self, from: request)
        guard try await runs.run(id: runID) != nil else { throw APIError.notFound("run", runID) }
        let step = try await runs.updateStep(runID: runID, stepID: stepID, body.update)
        log(step, "step updated", event: "step_updated")
        return JSONResponse.make(StepPayload(step: step))
    }

    func complete(_ request: Request, _ context: GraceRequestContext) async throws -> Response {
        let id = try PathID.require("run_id", kind: "run", in: context)
        let final = AgentRun.Status.finals
        guard let status = try QueryParameters(request).enumeration("status", AgentRun.Status.self, allowed: final) else {
            throw APIError.invalidParameter("status", "required: one of " + final.map(\.rawValue).joined(separator: ", "))
        }
        let run = try await runs.complete(runID: id, status: status, at: Timestamp.now())
        withRun(run.runID) {
            logger.info("run completed", metadata: ["subsystem": "agent_runs", "event_type": "run_completed", "status": "\(status.rawValue)"])
        }
        return JSONResponse.make(Completed(success: true, runID: run.runID, status: run.status))
    }

    /// The run, its steps and their log-line counts. Kept once rendered and answered from the
    /// ``TimelineCache`` while the run's versions stand (`X-Cache: hit`); a request sent with
    /// `Cache-Control: no-cache` is rendered afresh (`X-Cache: miss`, as any render).
    func timeline(_ request: Request, _ context: GraceRequestContext) async throws -> Response {
        let run = try await requireRun(context)
        let version = TimelineCache.Version(run: run, logs: try await logs.version(runID: run.runID))
        let cache = dependencies.timelineCache
        let revalidate = request.headers[values: .cacheControl].contains { $0.lowercased().contains("no-cache") }
        if !revalidate, let body = cache.body(runID: run.runID, at: version) {
            return JSONResponse.buffer(body, headers: [Self.cacheHeader: "hit"])
        }
        let body = ByteBuffer(bytes: try await render(run))
        cache.store(body, runID: run.runID, at: version)
        return JSONResponse.buffer(body, headers: [Self.cacheHeader: "miss"])
    }

    static let cacheHeader = HTTPField.Name("X-Cache")!

    private func render(_ run: AgentRun) async throws -> [UInt8] {
        let steps = try await runs.steps(runID: run.runID)
        let counts = try await logs.counts(runID: run.runID, steps: steps)
        let payloads = steps.map { step in
            StepPayload(step: step, logEntries: counts.perStep[step.stepID],
                        logsURL: RunLogs.link(runID: run.runID, playbookID: step.playbookID, verificationID: step.verificationID))
        }
        let timeline = Timeline(run: RunPayload(run: run), steps: payloads, logEntries: counts.run,
                                logsURL: RunLogs.link(runID: run.runID, playbookID: nil, verificationID: nil))
        return try timeline.json()
    }

    struct LogPage: Encodable {
        var runID: String
        var total: Int
        /// How many matching lines come before the first of `entries`.
        var offset: Int
        var entries: [JSONValue]

        enum CodingKeys: String, CodingKey { case runID = "run_id", total, offset, entries }
    }

    func runLogs(_ request: Request, _ context: GraceRequestContext) async throws -> Response {
        let run = try await requireRun(context)
        let query = QueryParameters(request)
        let filter = LogFilter(runID: run.runID, playbookID: try query.string("playbook_id", maxLength: 128),
                               verificationID: try query.string("verification_id", maxLength: 128))
        let offset = query.values["offset"] == nil ? nil : try query.int("offset", default: 0, range: 0...1_000_000_000)
        let (total, entries) = try await logs.lines(runID: run.runID, filter, offset: offset,
                                                    limit: try query.int("limit", default: 200, range: 1...5000))
        return JSONResponse.make(LogPage(runID: run.runID, total: total, offset: offset ?? max(0, total - entries.count), entries: entries))
    }

    /// Logs inside the run's (and the step's playbook/verification) context, so the line counts in the timeline.
    private func log(_ step: TimelineStep, _ message: Logger.Message, event: String) {
        withRun(step.runID) {
            var metadata: Logger.Metadata = ["subsystem": "agent_runs", "event_type": "\(event)", "step_id": "\(step.stepID)",
                                             "step_type": "\(step.stepType)", "status": "\(step.status.rawValue)"]
            if let playbookID = step.playbookID { metadata["playbook_id"] = "\(playbookID)" }
            if let verificationID = step.verificationID { metadata["verification_id"] = "\(verificationID)" }
            logger.info(message, metadata: metadata)
        }
    }
}
