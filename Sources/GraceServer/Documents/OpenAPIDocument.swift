import GraceCore

/// The OpenAPI 3.0 document of every endpoint, served at `/openapi.json` and rendered at `/docs`.
///
/// Hand-written beside the routes; `OpenAPITests` fails when a registered route is missing here
/// (or documented but not registered).
enum OpenAPIDocument {
    static func make(version: String) -> JSONValue {
        [
            "openapi": "3.0.3",
            "info": [
                "title": "Grace API",
                "version": .string(version),
                "description": .string("""
                    Grace boots a service safely, heals the failures it recognises, and shows what happened. \
                    Agent runs and their timelines keep the original system's shapes (query-parameter POST /api/agent/runs, \
                    PUT .../complete?status=). Errors are JSON {"error": {"code", "message"}}. When GRACE_API_TOKEN is set, \
                    every operation but /health and the pages without data (/, /docs, this document) needs \
                    Authorization: Bearer <token> (/metrics too unless GRACE_METRICS_PUBLIC=true). The Host header must be \
                    loopback, GRACE_HOST or listed in GRACE_ALLOWED_HOSTS (else 403 host_not_allowed); a change sent from \
                    another Origin, or marked Sec-Fetch-Site: cross-site, is a 403; a request body must be sent as \
                    Content-Type: application/json (else 415). The audit actor of a decision is who authenticated \
                    (api-token, loopback); a decided_by is kept as a claim. Every response carries X-Request-ID \
                    (the caller's when sane, else req_ + 12 hex).
                    """),
            ],
            "tags": [
                ["name": "health", "description": "Liveness and probes"],
                ["name": "runs", "description": "Agent runs and their timelines"],
                ["name": "otlp", "description": "OpenTelemetry (OTLP/HTTP) trace ingestion"],
                ["name": "startup", "description": "The startup dashboard"],
                ["name": "approvals", "description": "Human approvals of playbooks"],
                ["name": "playbooks", "description": "Registered playbooks"],
                ["name": "boot", "description": "Boot reports and training records"],
                ["name": "audit", "description": "The hash-chained audit log"],
                ["name": "metrics", "description": "Metric snapshots and Prometheus metrics"],
                ["name": "documents", "description": "This document, its rendering and the dashboard page"],
            ],
            "paths": .object(paths),
            "components": [
                "schemas": .object(schemas),
                "responses": .object(errorResponses),
                "securitySchemes": ["bearerAuth": ["type": "http", "scheme": "bearer",
                                                   "description": "GRACE_API_TOKEN; required on every operation but the open ones when set"]],
            ],
        ]
    }

    // MARK: Paths

    static let paths: [String: JSONValue] = [
        "/health": ["get": operation(
            "getHealth", tag: "health", summary: "Liveness and a cheap store read", open: true,
            description: "503 with status `degraded` when the database cannot be read.",
            responses: ["200": json("Grace is up", Schema.ref("Health")), "503": json("The database cannot be read", Schema.ref("Health"))])],
        "/api/agent/runs": [
            "get": operation(
                "listRuns", tag: "runs", summary: "List runs, newest first",
                parameters: [
                    query("status", Schema.enumeration(AgentRun.Status.allCases.map(\.rawValue)), "Only runs with this status"),
                    query("kind", Schema.string(maxLength: 200), "`agent` (API runs), `boot` or `target`"),
                    query("subsystem", Schema.string(maxLength: 200), "Only runs of this subsystem"),
                    query("node", Schema.string(maxLength: 64), "Only runs recorded by this node (GRACE_NODE_ID)"),
                    query("trace_id", Schema.string(maxLength: 32), "Only the run ingested from this OpenTelemetry trace (32 hex digits)"),
                    query("trigger", Schema.enumeration(AgentRun.Trigger.allCases.map(\.rawValue)), "Only runs started this way"),
                    query("since", Schema.string(maxLength: 200), "Only runs started at or after this UTC timestamp (2026-12-03T16:30:00Z)"),
                    query("until", Schema.string(maxLength: 200), "Only runs started before this UTC timestamp"),
                    query("q", Schema.string(maxLength: 200), "Only runs whose id, agent, goal, metadata, or a step's description or details contain this text (ASCII case ignored)"),
                    query("cursor", Schema.string(maxLength: 400), "The next_cursor of the page before: the page after it"),
                    query("limit", pageLimit(default: 50, maximum: 500), "Page size"),
                    query("offset", offset, "Runs to skip"),
                ],
                responses: ["200": json("A page of runs", Schema.ref("RunPage")), "422": errorRef("ValidationError")]),
            "post": operation(
                "createRun", tag: "runs", summary: "Start a run",
                description: """
                    The original form takes query parameters and no body: `POST /api/agent/runs?trigger=manual&subsystem=NAME`. \
                    A JSON body {trigger, subsystem, agent, goal, metadata} may be sent as well or instead; query parameters win \
                    where both are given. `trigger` defaults to `manual`, `subsystem` to `agent`.
                    """,
                parameters: [
                    query("trigger", Schema.enumeration(RunCreateBody.triggers.map(\.rawValue)), "What started the run (default manual)"),
                    query("subsystem", Schema.string(maxLength: 200), "The subsystem the run works on (default agent)"),
                ],
                body: (Schema.ref("RunCreate"), false),
                responses: ["200": json("The new run", Schema.ref("AgentRun"))]),
        ],
        "/v1/traces": ["post": otlpExport],
        "/api/agent/events": ["post": operation(
            "ingestEvents", tag: "runs", summary: "Apply a batch of run and step events, each once by its event id",
            description: """
                For clients without OpenTelemetry. Each event is {event_id, type, run_id, ...}: `run_started` (trigger, \
                subsystem, agent, goal, metadata, timestamp), `step` (step_id, step_type, status, description, timestamp, \
                ended_at, duration_ms, details, subsystem, playbook_id, verification_id: a new step id adds the step, a known \
                one moves it on as PATCH does) or `run_completed` (status, ended_at). Events are applied in order, each in its \
                own transaction; an event id applied before is a `duplicate` and changes nothing, so a batch may be sent \
                again after a timeout. An event the rules refuse is `rejected` with its error, and the others still apply. \
                At most \(EventRoutes.maxEvents) events.
                """,
            body: (Schema.object(["events": Schema.array(Schema.freeObject("One event"))]), true),
            responses: ["200": json("One result per event, in order", Schema.ref("EventResults"))])],
        "/api/agent/runs/active": ["get": operation(
            "listActiveRuns", tag: "runs", summary: "Runs not yet completed (a list of AgentRun)",
            responses: ["200": json("Active runs", Schema.array(Schema.ref("AgentRun")))])],
        "/api/agent/runs/{run_id}": ["get": operation(
            "getRun", tag: "runs", summary: "One run", parameters: [path("run_id")],
            responses: ["200": json("The run", Schema.ref("AgentRun")), "404": errorRef("NotFound")])],
        "/api/agent/runs/{run_id}/timeline": ["get": operation(
            "getTimeline", tag: "runs", summary: "A run with its steps and log counts",
            description: """
                `log_entries` counts the log lines that carry the run id (the original's field). Each step adds its own \
                `log_entries` (lines of its verification, else its playbook, within the run; else the run's) and `logs_url`.
                """,
            parameters: [path("run_id")],
            responses: ["200": json("The timeline", Schema.ref("Timeline")), "404": errorRef("NotFound")])],
        "/api/agent/runs/{run_id}/steps": ["post": operation(
            "addStep", tag: "runs", summary: "Add a step to an active run",
            description: "409 when the run is completed or the step id is taken.",
            parameters: [path("run_id")], body: (Schema.ref("StepCreate"), true),
            responses: ["200": json("The step was recorded", Schema.ref("StepCreated")), "404": errorRef("NotFound"),
                        "409": errorRef("Conflict")])],
        "/api/agent/runs/{run_id}/steps/{step_id}": ["patch": operation(
            "updateStep", tag: "runs", summary: "Change a step (status, duration, details, description)",
            description: "Statuses move forward only: pending → running → success or failed (pending may finish directly); anything else is a 409.",
            parameters: [path("run_id"), path("step_id")], body: (Schema.ref("StepUpdate"), true),
            responses: ["200": json("The updated step", Schema.ref("TimelineStep")), "404": errorRef("NotFound"),
                        "409": errorRef("Conflict")])],
        "/api/agent/runs/{run_id}/complete": ["put": operation(
            "completeRun", tag: "runs", summary: "Complete a run",
            description: "The original form: `PUT /api/agent/runs/{run_id}/complete?status=success`. Completing twice is a 409.",
            parameters: [path("run_id"), query("status", Schema.enumeration(AgentRun.Status.finals.map(\.rawValue)), "The final status", required: true)],
            responses: ["200": json("The run is completed", Schema.ref("RunCompleted")), "404": errorRef("NotFound"),
                        "409": errorRef("Conflict")])],
        "/api/agent/runs/{run_id}/logs": ["get": operation(
            "getRunLogs", tag: "runs", summary: "The log lines that carry the run id, oldest first",
            parameters: [
                path("run_id"),
                query("playbook_id", Schema.string(maxLength: 128), "Only lines that also carry this playbook id"),
                query("verification_id", Schema.string(maxLength: 128), "Only lines that also carry this verification id"),
                query("limit", pageLimit(default: 200, maximum: 5000), "At most this many lines (the newest, unless offset is given)"),
                query("offset", offset, "Page from the first line: skip this many matching lines, then take limit"),
            ],
            responses: ["200": json("Log lines", Schema.ref("RunLogs")), "404": errorRef("NotFound")])],
        "/api/startup/dashboard": ["get": operation(
            "getStartupDashboard", tag: "startup", summary: "The startup dashboard",
            description: "The original's fields served from the store and the last boot report, plus the last boot in brief, metrics by band and quick links.",
            responses: ["200": json("The dashboard", Schema.ref("StartupDashboard"))])],
        "/api/startup/health-summary": ["get": operation(
            "getHealthSummary", tag: "startup", summary: "A compact health summary for probes",
            responses: ["200": json("Healthy store", Schema.ref("HealthSummary")),
                        "503": json("The database cannot be read", Schema.ref("HealthSummary"))])],
        "/api/approvals": ["get": operation(
            "listApprovals", tag: "approvals", summary: "Approval requests, newest first",
            parameters: [query("status", Schema.enumeration(ApprovalRequest.Status.allCases.map(\.rawValue)), "Only this status"),
                         query("node", Schema.string(maxLength: 64), "Only requests raised by (and executed on) this node"),
                         query("limit", pageLimit(default: 100, maximum: 1000), "At most this many")],
            responses: ["200": json("Approvals", Schema.ref("ApprovalList")), "422": errorRef("ValidationError")])],
        "/api/approvals/{approval_id}/approve": ["post": decision(approve: true)],
        "/api/approvals/{approval_id}/reject": ["post": decision(approve: false)],
        "/api/playbooks": ["get": operation(
            "listPlaybooks", tag: "playbooks", summary: "Registered playbooks with attempts and successes",
            responses: ["200": json("Playbooks", Schema.ref("PlaybookList"))])],
        "/api/patterns": ["get": operation(
            "listPatterns", tag: "playbooks", summary: "Failure patterns with learned fix rankings, the health score and predictions",
            description: "Fixes are ranked by the Wilson lower bound of their success rate, not the raw ratio. 503 when the knowledge-base file cannot be parsed.",
            responses: ["200": json("What Grace has learned", Schema.ref("LearningSummary")),
                        "503": json("The knowledge base is unreadable (code knowledge_base_unreadable)", Schema.ref("Error"))])],
        "/api/patterns/suggestions": ["get": operation(
            "listPatternSuggestions", tag: "playbooks", summary: "Mined error clusters worth a pattern, by count and recency",
            description: "Templates of errors no pattern matched (grace patterns mine --learn, boots), not yet promoted; the count is halved for every week since last seen.",
            parameters: [query("limit", ["type": "integer", "minimum": 1, "maximum": 1000, "default": 20], "How many")],
            responses: ["200": json("Suggestions", Schema.ref("PatternSuggestions")), "422": errorRef("ValidationError")])],
        "/api/patterns/suggestions/{cluster_id}/promote": ["post": operation(
            "promotePatternSuggestion", tag: "playbooks", summary: "Write a knowledge-base pattern from a mined cluster",
            description: "The template becomes a regex with named captures (var1, var2, ...); the playbook must exist. Written to the audit log.",
            parameters: [path("cluster_id")], body: (Schema.ref("PromoteInput"), true),
            responses: ["201": json("The new pattern", Schema.ref("PromotedPattern")), "404": errorRef("NotFound"),
                        "409": errorRef("Conflict"), "422": errorRef("ValidationError")])],
        "/api/boot/reports/last": ["get": operation(
            "getLastBootReport", tag: "boot", summary: "The last boot report (logs/last_boot_report.json)",
            responses: ["200": json("The report", Schema.ref("BootReport")), "404": errorRef("NotFound")])],
        "/api/boot/reports": ["get": operation(
            "listBootReports", tag: "boot", summary: "Training records (boot_*.json), newest first",
            parameters: [query("limit", pageLimit(default: 20, maximum: 200), "Page size"), query("offset", offset, "Records to skip")],
            responses: ["200": json("A page of records", Schema.ref("BootReportPage")), "422": errorRef("ValidationError")])],
        "/api/audit": ["get": operation(
            "listAuditEntries", tag: "audit", summary: "The newest audit entries, newest first",
            parameters: [query("limit", pageLimit(default: 50, maximum: 1000), "At most this many"),
                         query("before", Schema.integer(minimum: 1), "Only entries numbered below this sequence: the page after one ending there"),
                         query("mentions", Schema.string(maxLength: 200), "Only entries whose resource or payload contains this text (a run's or approval's id), ignoring ASCII case")],
            responses: ["200": json("Entries", Schema.ref("AuditList")), "422": errorRef("ValidationError")])],
        "/api/audit/verify": ["get": operation(
            "verifyAuditChain", tag: "audit", summary: "Walk the hash chain from the first entry",
            responses: ["200": json("The verdict", Schema.ref("AuditVerification"))])],
        "/api/history": ["get": operation(
            "getHistory", tag: "metrics", summary: "Per-day counts of boots, healing decisions and fixes, and each boot's health score",
            description: "For the dashboard's charts over time. Days are UTC dates; days with nothing recorded are left out.",
            parameters: [query("days", ["type": "integer", "minimum": 1, "maximum": 366, "default": 30], "This many days, ending today")],
            responses: ["200": json("The history", Schema.ref("History")), "422": errorRef("ValidationError")])],
        "/api/metrics/snapshots": ["get": operation(
            "listMetricSnapshots", tag: "metrics", summary: "Metric snapshots, newest first",
            parameters: [query("limit", pageLimit(default: 100, maximum: 1000), "At most this many"),
                         query("latest", ["type": "boolean", "default": false], "Only the newest snapshot of each metric")],
            responses: ["200": json("Snapshots", Schema.ref("SnapshotList")), "422": errorRef("ValidationError")])],
        "/api/events": ["get": operation(
            "streamEvents", tag: "runs", summary: "Server-sent events: every run, step and approval change, live",
            description: """
                A text/event-stream that stays open. Each change in the store (from any node) is an event named `run`, \
                `step` or `approval` with `id` its feed number and data {sequence, kind, id, run_id}; read the changed \
                thing from its endpoint. Reconnect with Last-Event-ID (or ?after=N) to get the changes after it that the \
                feed still keeps (about the newest 10,000); when some are gone, or the store is behind it, an event \
                `reset` comes first: read the state again. `store_unavailable` tells that the store cannot be read (the \
                stream stays open and goes on when it can). A comment line comes every \(Int(LiveEventRoutes.heartbeat)) s. \
                At most \(LiveEventRoutes.maxStreams) streams at once (503 beyond).
                """,
            parameters: [query("after", Schema.string(maxLength: 20), "Start after this event id (Last-Event-ID wins when both are sent)")],
            responses: ["200": content("The event stream", "text/event-stream", Schema.string()), "422": errorRef("ValidationError"),
                        "503": json("Too many streams are open (code too_many_streams; Retry-After), or the store cannot be read", Schema.ref("Error"))])],
        "/metrics": ["get": operation(
            "getPrometheusMetrics", tag: "metrics", summary: "Prometheus exposition text",
            description: "grace_http_requests_total and grace_http_request_duration_seconds by route, method and status; gauges grace_active_runs, grace_pending_approvals, grace_alert_deliveries (sink, status), grace_uptime_seconds.",
            responses: ["200": content("Prometheus text format 0.0.4", "text/plain", Schema.string())])],
        "/openapi.json": ["get": operation(
            "getOpenAPIDocument", tag: "documents", summary: "This document", open: true,
            responses: ["200": json("OpenAPI 3.0 document", Schema.freeObject())])],
        "/docs": ["get": operation(
            "getDocs", tag: "documents", summary: "This document as a readable page (no external assets)", open: true,
            responses: ["200": content("HTML page", "text/html", Schema.string())])],
        "/": ["get": operation(
            "getDashboardPage", tag: "documents", summary: "The dashboard page: overview, runs explorer, run detail, approvals, patterns and audit, live by /api/events", open: true,
            responses: ["200": content("HTML page", "text/html", Schema.string())])],
    ]

    static func decision(approve: Bool) -> JSONValue {
        operation(approve ? "approveRequest" : "rejectRequest", tag: "approvals",
                  summary: approve ? "Approve a pending request" : "Reject a pending request",
                  description: "The decision is written to the audit log with who authenticated as its actor. Deciding twice is a 409. The body is optional; without one, `reason` and `decided_by` may come as query parameters.",
                  parameters: [path("approval_id"),
                               query("reason", Schema.string(maxLength: 2000), "Why (when there is no body)"),
                               query("decided_by", Schema.string(maxLength: 200), "The name you decide as, kept as a claim (when there is no body)")],
                  body: (Schema.ref("DecisionInput"), false),
                  responses: ["200": json("The decided request", Schema.ref("Approval")), "404": errorRef("NotFound"),
                              "409": errorRef("Conflict")])
    }

    // MARK: Builders

    static let offset: JSONValue = ["type": "integer", "minimum": 0, "maximum": 1_000_000_000, "default": 0]

    static func pageLimit(default value: Int, maximum: Int) -> JSONValue {
        ["type": "integer", "minimum": 1, "maximum": .number(Double(maximum)), "default": .number(Double(value))]
    }

    static func query(_ name: String, _ schema: JSONValue, _ description: String, required: Bool = false) -> JSONValue {
        ["name": .string(name), "in": "query", "required": .bool(required), "description": .string(description), "schema": schema]
    }

    static func path(_ name: String) -> JSONValue {
        ["name": .string(name), "in": "path", "required": true, "description": "An id: letters, digits, `_ - . :`, at most 128",
         "schema": ["type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,128}$"]]
    }

    static func json(_ description: String, _ schema: JSONValue) -> JSONValue { content(description, "application/json", schema) }

    static func content(_ description: String, _ type: String, _ schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": .object([type: ["schema": schema]])]
    }

    static func errorRef(_ name: String) -> JSONValue { ["$ref": .string("#/components/responses/\(name)")] }

    /// An operation; all but the `open` ones get the bearer requirement and 401, every one the 403
    /// of a foreign Host or Origin, bodies 400, 413 and 415, and anything with parameters or a body a 422.
    static func operation(_ id: String, tag: String, summary: String, open: Bool = false, description: String? = nil,
                          parameters: [JSONValue] = [], body: (schema: JSONValue, required: Bool)? = nil,
                          responses: [String: JSONValue]) -> JSONValue {
        var responses = responses
        var operation: [String: JSONValue] = ["operationId": .string(id), "tags": [.string(tag)], "summary": .string(summary)]
        if let description { operation["description"] = .string(description) }
        if !parameters.isEmpty { operation["parameters"] = .array(parameters) }
        if let body {
            operation["requestBody"] = ["required": .bool(body.required), "content": ["application/json": ["schema": body.schema]]]
            responses["400"] = responses["400"] ?? errorRef("InvalidJSON")
            responses["413"] = responses["413"] ?? errorRef("PayloadTooLarge")
            responses["415"] = responses["415"] ?? errorRef("UnsupportedMediaType")
        }
        responses["403"] = responses["403"] ?? errorRef("Forbidden")
        if body != nil || parameters.contains(where: { $0["in"]?.stringValue == "query" }) {
            responses["422"] = responses["422"] ?? errorRef("ValidationError")
        }
        if !open {
            // Optional in the document: the token is required only when GRACE_API_TOKEN is set.
            operation["security"] = [["bearerAuth": []], [:]]
            responses["401"] = errorRef("Unauthorized")
        }
        operation["responses"] = .object(responses)
        return .object(operation)
    }

    static let errorResponses: [String: JSONValue] = [
        "InvalidJSON": json("The body is not valid JSON (code invalid_json)", Schema.ref("Error")),
        "Unauthorized": json("A token is set and the request has none or a wrong one (codes missing_token, invalid_token)", Schema.ref("Error")),
        "Forbidden": json("The Host is not loopback, GRACE_HOST or in GRACE_ALLOWED_HOSTS (code host_not_allowed), or a change came from another Origin (origin_not_allowed) or cross-site (cross_site_request)", Schema.ref("Error")),
        "UnsupportedMediaType": json("A body not sent as Content-Type: application/json (code unsupported_media_type)", Schema.ref("Error")),
        "NotFound": json("No such run, step or approval (code not_found)", Schema.ref("Error")),
        "Conflict": json("The request contradicts stored state (code conflict)", Schema.ref("Error")),
        "PayloadTooLarge": json("The body is larger than 1 MiB (code payload_too_large)", Schema.ref("Error")),
        "ValidationError": json("Well-formed JSON or parameters of the wrong shape: missing fields, wrong types, unknown values (codes validation_error, invalid_parameter)", Schema.ref("Error")),
    ]

    // MARK: Schemas

    static let timestamp = Schema.string("UTC, microseconds: 2025-11-09T18:30:00.123456Z", example: "2025-11-09T18:30:00.123456Z")
    static let nullableTimestamp = Schema.string("UTC, microseconds", nullable: true)

    static let schemas: [String: JSONValue] = [
        "Error": Schema.object(["error": Schema.object(["code": Schema.string("Stable, machine-readable"), "message": Schema.string("For people")])]),
        "Health": Schema.object([
            "status": Schema.enumeration(["ok", "degraded"]), "version": Schema.string(), "started_at": timestamp,
            "uptime_seconds": Schema.number(minimum: 0), "database": Schema.string("`ok`, or the error"),
            "active_runs": Schema.integer(nullable: true, minimum: 0),
            "node_id": Schema.string("This node (GRACE_NODE_ID)"),
            "store": Schema.enumeration(["sqlite", "postgres"], "The backend: SQLite files in the home, or the shared PostgreSQL (GRACE_DATABASE_URL)"),
            "target": Schema.nullableRef("TargetHealth"),
            "token_required": Schema.boolean("Whether the API needs GRACE_API_TOKEN (Authorization: Bearer)"),
            "audit_failures": Schema.object([
                "count": Schema.integer(minimum: 0), "last": Schema.string("The action whose entry was lost last, and why", nullable: true),
            ], optional: ["last"], description: "Audit appends that failed since Grace started: each entry lost; any makes the status degraded"),
        ]),
        "TargetHealth": Schema.object([
            "phase": Schema.enumeration(["waiting", "starting", "running", "healthy", "backing_off", "crash_loop", "stopped"]),
            "healthy": Schema.boolean(), "pid": Schema.integer(nullable: true, minimum: 1),
            "run_id": Schema.string("The service's current run in the timeline", nullable: true),
            "restarts": Schema.integer(minimum: 0), "last_exit": Schema.string(nullable: true), "detail": Schema.string(),
        ], description: "The supervised service (GRACE_TARGET_COMMAND); null when Grace supervises none"),
        "AgentRun": Schema.object([
            "run_id": Schema.string(example: "run_3f9a0c12be47"), "started_at": timestamp,
            "ended_at": Schema.string("null while the run is active", nullable: true),
            "status": Schema.enumeration(AgentRun.Status.allCases.map(\.rawValue)),
            "trigger": Schema.enumeration(AgentRun.Trigger.allCases.map(\.rawValue)),
            "subsystem": Schema.string(), "playbooks_executed": Schema.integer(minimum: 0),
            "verifications_passed": Schema.integer(minimum: 0), "verifications_failed": Schema.integer(minimum: 0),
            "kind": Schema.string("`agent` for API runs, `boot` for boots, `target` for a supervised service"),
            "agent": Schema.string(nullable: true), "goal": Schema.string(nullable: true),
            "metadata": Schema.freeObject("The body's metadata (and any other stored fields, such as a boot's profile)", nullable: true),
            "node_id": Schema.string("The Grace node (GRACE_NODE_ID) that recorded it; null before nodes were stored", nullable: true),
            "trace_id": Schema.string("The OpenTelemetry trace it was ingested from (POST /v1/traces); null for other runs", nullable: true),
            "duration_ms": Schema.number("From start to end; null while the run is active", nullable: true),
        ], description: "The original system's AgentRun, plus kind, agent, goal, metadata, node_id, trace_id and duration_ms."),
        "RunCreate": Schema.object([
            "trigger": Schema.enumeration(RunCreateBody.triggers.map(\.rawValue), nullable: true),
            "subsystem": Schema.text(maxLength: 200, nullable: true), "agent": Schema.text(maxLength: 200, nullable: true),
            "goal": Schema.text(maxLength: 10_000, nullable: true), "metadata": Schema.freeObject(nullable: true),
        ], optional: ["trigger", "subsystem", "agent", "goal", "metadata"], description: "null is the same as absent.", additional: true),
        "RunPage": Schema.object([
            "runs": Schema.array(Schema.ref("AgentRun")), "limit": Schema.integer(minimum: 1), "offset": Schema.integer(minimum: 0),
            "has_more": Schema.boolean("Another page follows"),
            "next_cursor": Schema.string("Pass as cursor for the next page; null on the last", nullable: true),
        ]),
        "TimelineStep": Schema.object([
            "step_id": Schema.string(), "run_id": Schema.string(), "timestamp": timestamp,
            "started_at": Schema.string("When the step started: the same as timestamp"),
            "ended_at": Schema.string("When the step reached success or failed; null while pending or running", nullable: true),
            "step_type": Schema.string("""
                kernel_selection, plan_creation, playbook_execution, verification, boot_stage; for an ingested span \
                \(TimelineStep.traceTypes.joined(separator: ", ")); or a custom type
                """),
            "subsystem": Schema.string(), "description": Schema.string(),
            "status": Schema.enumeration(TimelineStep.Status.allCases.map(\.rawValue)),
            "duration_ms": Schema.number(nullable: true, minimum: 0), "details": Schema.freeObject(nullable: true),
            "playbook_id": Schema.string(nullable: true), "verification_id": Schema.string(nullable: true),
            "span_id": Schema.string("The OpenTelemetry span it was ingested from (16 hex digits); null for other steps", nullable: true),
            "parent_span_id": Schema.string("Its parent span; null for a trace's root span and for other steps", nullable: true),
            "log_entries": Schema.integer("In a timeline: log lines of this step's ids", minimum: 0),
            "logs_url": Schema.string("In a timeline: where those lines are"),
        ], optional: ["log_entries", "logs_url"]),
        "StepCreate": Schema.object([
            "step_id": Schema.id("Generated when absent", nullable: true),
            "timestamp": Schema.string("ISO 8601 UTC; now when absent", nullable: true, pattern: Schema.timestampPattern),
            "step_type": Schema.text("kernel_selection, plan_creation, playbook_execution, verification, or a custom type", maxLength: 100),
            "subsystem": Schema.text("The run's subsystem when absent", maxLength: 200, nullable: true), "description": Schema.string(),
            "status": Schema.enumeration(TimelineStep.Status.allCases.map(\.rawValue)),
            "details": Schema.freeObject(nullable: true), "duration_ms": durationInput(nullable: true),
            "playbook_id": Schema.id(nullable: true), "verification_id": Schema.id(nullable: true),
        ], optional: ["step_id", "timestamp", "subsystem", "details", "duration_ms", "playbook_id", "verification_id"],
           description: "The original system's TimelineStep; null is the same as absent.", additional: true),
        "StepUpdate": stepUpdate,
        "StepCreated": Schema.object(["success": Schema.boolean(), "step_id": Schema.string()]),
        "EventResults": Schema.object([
            "results": Schema.array(Schema.object([
                "index": Schema.integer(minimum: 0), "event_id": Schema.string(nullable: true),
                "status": Schema.enumeration(["applied", "duplicate", "rejected"]),
                "error": ["nullable": true, "allOf": [Schema.object(["code": Schema.string(), "message": Schema.string()])]],
            ])),
            "applied": Schema.integer(minimum: 0), "duplicates": Schema.integer(minimum: 0), "rejected": Schema.integer(minimum: 0),
        ]),
        "RunCompleted": Schema.object([
            "success": Schema.boolean(), "run_id": Schema.string(), "status": Schema.enumeration(AgentRun.Status.finals.map(\.rawValue)),
        ]),
        "Timeline": Schema.object([
            "run": Schema.ref("AgentRun"), "steps": Schema.array(Schema.ref("TimelineStep")),
            "log_entries": Schema.integer("Log lines that carry the run id", minimum: 0), "logs_url": Schema.string(),
        ]),
        "RunLogs": Schema.object([
            "run_id": Schema.string(), "total": Schema.integer("Matching lines in all log files", minimum: 0),
            "offset": Schema.integer("Matching lines before the first entry", minimum: 0),
            "entries": Schema.array(Schema.freeObject("One JSON log line as written"),
                                    "The newest `limit` matching lines, or with offset those after it; oldest first"),
        ]),
        "Approval": Schema.object([
            "event_id": Schema.string(), "status": Schema.enumeration(ApprovalRequest.Status.allCases.map(\.rawValue)),
            "requested_by": Schema.string(), "reason": Schema.string(), "playbook_id": Schema.string(nullable: true),
            "pattern_id": Schema.string(nullable: true), "run_id": Schema.string(nullable: true),
            "decision_by": Schema.string("Who decided, as authenticated: api-token, loopback, or the CLI user", nullable: true),
            "decision_claimed_by": Schema.string("The name the decider gave (decided_by): a claim, not checked", nullable: true),
            "decision_reason": Schema.string(nullable: true),
            "created_at": timestamp, "decided_at": nullableTimestamp, "node_id": Schema.string("The Grace node (GRACE_NODE_ID) that recorded it; null before nodes were stored", nullable: true),
        ]),
        "ApprovalList": Schema.object(["approvals": Schema.array(Schema.ref("Approval"))]),
        "PatternSuggestions": Schema.object(["suggestions": Schema.array(Schema.object([
            "cluster_id": Schema.string("mc_ and 12 hex digits of the template's SHA-256"), "template": Schema.string("Variable parts are <*>"),
            "normalised_hash": Schema.string("The original system's signature of the first example"), "count": Schema.integer(minimum: 1),
            "first_seen": Schema.string(), "last_seen": Schema.string(), "sources": Schema.array(Schema.string()),
            "examples": Schema.array(Schema.object(["line": Schema.string(), "source": Schema.string(), "run_id": Schema.string(nullable: true)],
                                                   optional: ["run_id"])),
            "promoted_pattern_id": Schema.string(nullable: true),
        ], optional: ["promoted_pattern_id"]))]),
        "PromoteInput": Schema.object(["id": Schema.text("The new pattern's id", maxLength: 100), "playbook": Schema.text(maxLength: 200),
                                       "risk": Schema.string("low, medium (default), high, critical", nullable: true),
                                       "tier": Schema.string("tier_0 .. tier_3 (default tier_2)", nullable: true)],
                                      optional: ["risk", "tier"]),
        "PromotedPattern": Schema.object(["pattern_id": Schema.string(), "cluster_id": Schema.string(), "playbook_id": Schema.string(),
                                          "signature": Schema.string(), "prefilter": Schema.array(Schema.string()),
                                          "risk_level": Schema.string(), "autonomy_tier": Schema.string()]),
        "DecisionInput": Schema.object(["reason": Schema.text(maxLength: 2000, nullable: true),
                                        "decided_by": Schema.text("The name you decide as: stored as decision_claimed_by (claimed_by in the audit); the actor is who authenticated", maxLength: 200, nullable: true)],
                                       optional: ["reason", "decided_by"], additional: true),
        "Playbook": Schema.object([
            "id": Schema.string(), "name": Schema.string(), "description": Schema.string(), "service": Schema.string(),
            "severity": Schema.string(), "risk_level": Schema.enumeration(RiskLevel.allCases.map(\.rawValue)),
            "autonomy_tier": Schema.enumeration(AutonomyTier.allCases.map(\.description)),
            "preconditions": Schema.any("JSON or null"), "parameters_schema": Schema.any("JSON or null"), "created_at": timestamp,
            "attempts": Schema.integer(minimum: 0), "successes": Schema.integer(minimum: 0),
        ]),
        "PlaybookList": Schema.object(["playbooks": Schema.array(Schema.ref("Playbook"))]),
        "LearningSummary": Schema.object([
            "health_score": Schema.integer("0 (bad) to 100 (good)", minimum: 0),
            "predictions": Schema.array(Schema.ref("Prediction")),
            "patterns": Schema.array(Schema.object([
                "pattern_id": Schema.string(), "title": Schema.string(),
                "risk_level": Schema.enumeration(RiskLevel.allCases.map(\.rawValue)),
                "autonomy_tier": Schema.enumeration(AutonomyTier.allCases.map(\.description)),
                "occurrences": Schema.integer(minimum: 0), "best_fix": Schema.string("The playbook Grace would run"),
                "fixes": Schema.array(Schema.object([
                    "playbook_id": Schema.string(), "attempts": Schema.integer(minimum: 0), "successes": Schema.integer(minimum: 0),
                    "success_rate": Schema.number("Absent before the first attempt", minimum: 0),
                    "lower_bound": Schema.number("Wilson lower bound (95 %)", minimum: 0),
                ], optional: ["success_rate"], additional: true)),
            ], additional: true)),
        ], additional: true),
        "BootReport": Schema.object([
            "run_id": Schema.string(), "profile": Schema.string(), "boot_status": Schema.enumeration(BootStatus.allCases.map(\.rawValue)),
            "boot_timestamp": Schema.string(), "ended_at": Schema.string(), "boot_duration_ms": Schema.number(),
            "stages": Schema.array(Schema.freeObject("name, critical, status, findings[], healing[], duration_ms")),
            "snapshot_id": Schema.string(nullable: true), "rolled_back": Schema.boolean(), "rollback_detail": Schema.string(nullable: true),
            "unclean_shutdown_detected": Schema.boolean(),
        ], optional: ["run_id", "profile", "boot_status", "boot_timestamp", "ended_at", "boot_duration_ms", "stages", "snapshot_id",
                      "rolled_back", "rollback_detail", "unclean_shutdown_detected"],
           description: "The file as written by the last boot.", additional: true),
        "BootReportSummary": Schema.object([
            "file": Schema.string("boot_YYYYMMDD_HHMMSS.json"), "boot_timestamp": Schema.string(nullable: true),
            "run_id": Schema.string(nullable: true), "profile": Schema.string(nullable: true),
            "outcome": Schema.string("success, partial or failed", nullable: true), "success": Schema.boolean(nullable: true),
            "stages_passed": Schema.integer(nullable: true), "stages_failed": Schema.integer(nullable: true),
            "incidents": Schema.integer(minimum: 0), "fixes_applied": Schema.integer(minimum: 0),
            "rolled_back": Schema.boolean(nullable: true), "size_bytes": Schema.integer(minimum: 0),
        ]),
        "BootReportPage": Schema.object([
            "reports": Schema.array(Schema.ref("BootReportSummary")), "total": Schema.integer(minimum: 0),
            "limit": Schema.integer(minimum: 1), "offset": Schema.integer(minimum: 0),
        ]),
        "AuditEntry": Schema.object([
            "sequence": Schema.integer(minimum: 1), "timestamp": timestamp, "actor": Schema.string(), "action": Schema.string(),
            "resource": Schema.string(), "subsystem": Schema.string(), "payload": Schema.any("The stored JSON payload"),
            "result": Schema.string(), "previous_hash": Schema.string("SHA-256, hex"), "entry_hash": Schema.string("SHA-256, hex"),
            "node_id": Schema.string("The Grace node (GRACE_NODE_ID) that recorded it; null before nodes were stored", nullable: true),
        ]),
        "History": Schema.object([
            "since": timestamp,
            "days": Schema.array(Schema.object([
                "day": Schema.string("A UTC date", format: "date"),
                "boots": Schema.map(of: Schema.integer(minimum: 0), "Boots started that day, by status"),
                "decisions": Schema.map(of: Schema.integer(minimum: 0), "Healing decisions that day by pattern (\"\" for none)"),
                "fixes_executed": Schema.integer(minimum: 0), "fixes_succeeded": Schema.integer(minimum: 0),
            ])),
            "health_scores": Schema.array(Schema.object([
                "at": timestamp, "run_id": Schema.id(), "score": Schema.integer("0 (bad) to 100 (good), right after the boot", minimum: 0),
            ]), "Oldest first"),
        ]),
        "AuditList": Schema.object(["entries": Schema.array(Schema.ref("AuditEntry"))]),
        "AuditVerification": Schema.object([
            "intact": Schema.boolean(), "entries_checked": Schema.integer(minimum: 0),
            "first_bad_sequence": Schema.integer("The first entry that does not verify", nullable: true),
            "reason": Schema.string(nullable: true),
        ]),
        "MetricSnapshot": Schema.object([
            "snapshot_id": Schema.string(), "metric_id": Schema.string(), "resource_scope": Schema.string(), "resource_id": Schema.string(),
            "window_start": timestamp, "window_end": timestamp, "stats_json": Schema.any(), "bands_json": Schema.any(),
            "latest_band": Schema.enumeration(MetricBand.allCases.map(\.rawValue)), "derived_actions_json": Schema.any(),
            "created_at": timestamp, "node_id": Schema.string("The node that recorded it (absent before nodes were stored)"),
        ], optional: ["node_id"]),
        "SnapshotList": Schema.object(["snapshots": Schema.array(Schema.ref("MetricSnapshot"))]),
        "HealthSummary": Schema.object([
            "database": Schema.string("`ok`, or the error"), "playbooks": Schema.integer(minimum: 0),
            "pending_approvals": Schema.integer(minimum: 0),
            "last_boot": ["nullable": true, "allOf": [Schema.object([
                "run_id": Schema.string(), "status": Schema.enumeration(BootStatus.allCases.map(\.rawValue)), "timestamp": Schema.string(),
                "duration_ms": Schema.number(),
            ])]],
        ]),
        "StartupDashboard": dashboard,
        "Prediction": Schema.object([
            "pattern_id": Schema.string(), "likelihood": Schema.number("0 to 1", minimum: 0), "reason": Schema.string(),
        ]),
    ]

    /// `POST /v1/traces`: an operation like the others, with OTLP's two body and answer types.
    static let otlpExport: JSONValue = {
        let request = "An OTLP ExportTraceServiceRequest (opentelemetry-proto), as protobuf or in the OTLP JSON mapping"
        let answer = "An ExportTraceServiceResponse in the request's encoding; partial_success counts and names the spans refused"
        guard case .object(var operation) = Self.operation(
            "exportTraces", tag: "otlp", summary: "Ingest OpenTelemetry traces (OTLP/HTTP)",
            description: """
                What an OpenTelemetry SDK sends when OTEL_EXPORTER_OTLP_ENDPOINT names Grace's address (the SDK adds /v1/traces). A trace \
                becomes a run (run_id trace_ + its trace id, kind agent, trigger event, subsystem the resource's service.name), \
                each span a step of it (step_id span_ + trace id + _ + span id) nested by parent_span_id; gen_ai.operation.name \
                or openinference.span.kind gives the step_type. The run is active until its root span arrives, then success, or \
                failed when the root span's status is an error. Spans of a trace may come in any order, in several requests, \
                on any node. Content-Encoding: gzip is accepted; the body may be at most \(OTLPRoutes.maxBytes) bytes sent and \
                again after gunzip. One request is stored in one transaction; a body that is no ExportTraceServiceRequest is \
                a 400 (invalid_otlp, invalid_gzip) and stores nothing.
                """,
            body: (Schema.freeObject(request), false),
            responses: ["200": ["description": .string(answer), "content": [
                "application/x-protobuf": ["schema": Schema.string("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse", format: "binary")],
                "application/json": ["schema": Schema.object([
                    "partialSuccess": Schema.object(["rejectedSpans": Schema.string("An int64, as OTLP JSON writes it"),
                                                     "errorMessage": Schema.string()], optional: ["rejectedSpans", "errorMessage"]),
                ], optional: ["partialSuccess"], additional: true)],
            ]], "400": json("The body is no ExportTraceServiceRequest of its type (codes invalid_otlp, invalid_gzip)", Schema.ref("Error")),
                        "415": json("Neither application/x-protobuf nor application/json, or a Content-Encoding other than gzip",
                                    Schema.ref("Error"))]) else { return .null }
        operation["requestBody"] = ["required": false, "content": [
            "application/x-protobuf": ["schema": Schema.string(request, format: "binary")],
            "application/json": ["schema": Schema.freeObject(request)],
        ]]
        return .object(operation)
    }()

    static func durationInput(nullable: Bool) -> JSONValue {
        ["type": "number", "minimum": 0, "exclusiveMaximum": true, "maximum": 1e12, "nullable": .bool(nullable)]
    }

    /// Strict: only these fields, none null, at least one (an update that changes nothing is refused).
    static let stepUpdate: JSONValue = {
        guard case .object(var schema) = Schema.object([
            "status": Schema.enumeration(TimelineStep.Status.allCases.map(\.rawValue)), "duration_ms": durationInput(nullable: false),
            "details": Schema.freeObject(), "description": Schema.string(),
        ], optional: ["status", "duration_ms", "details", "description"], description: "At least one field; no nulls.") else { return .null }
        schema["minProperties"] = 1
        return .object(schema)
    }()

    static let dashboard = Schema.object([
        "boot_status": Schema.enumeration(BootStatus.allCases.map(\.rawValue) + ["unknown"], "unknown before the first boot"),
        "boot_timestamp": Schema.string(nullable: true), "boot_duration_ms": Schema.number(nullable: true),
        "active_runs": Schema.integer(minimum: 0), "pending_approvals": Schema.integer(minimum: 0),
        "metrics_health": Schema.enumeration(MetricBand.allCases.map(\.rawValue) + ["unknown"], "The worst band of the newest snapshots"),
        "critical_metrics": Schema.array(Schema.object([
            "metric_id": Schema.string(), "band": Schema.enumeration(MetricBand.allCases.map(\.rawValue)),
            "value": Schema.number(nullable: true), "window_end": Schema.string(),
        ])),
        "playbooks_available": Schema.integer(minimum: 0), "playbooks_executed_today": Schema.integer(minimum: 0),
        "last_verification": ["nullable": true, "allOf": [Schema.object([
            "type": Schema.string(), "result": Schema.string(), "passed": Schema.boolean(), "timestamp": Schema.string(),
        ])]],
        "issues": Schema.array(Schema.string()), "recommendations": Schema.array(Schema.string()),
        "service": ["nullable": true, "description": "The supervised service's newest run; null when Grace has run none",
                    "allOf": [Schema.object([
            "run_id": Schema.string(), "status": Schema.enumeration(AgentRun.Status.allCases.map(\.rawValue)),
            "started_at": Schema.string(), "ended_at": Schema.string(nullable: true), "starts_today": Schema.integer(minimum: 0),
            "state": Schema.string("running, running with errors (PATTERN), stopped, failed or aborted"),
            "verifications_passed": Schema.integer(minimum: 0), "verifications_failed": Schema.integer(minimum: 0),
        ])]],
        "last_boot": ["nullable": true, "allOf": [Schema.object([
            "run_id": Schema.string(), "profile": Schema.string(), "status": Schema.enumeration(BootStatus.allCases.map(\.rawValue)),
            "started_at": Schema.string(), "ended_at": Schema.string(), "duration_ms": Schema.number(),
            "stages_passed": Schema.integer(minimum: 0), "stages_failed": Schema.integer(minimum: 0), "rolled_back": Schema.boolean(),
            "snapshot_id": Schema.string(nullable: true), "unclean_shutdown_detected": Schema.boolean(),
            "stages": Schema.array(Schema.object([
                "name": Schema.string(), "critical": Schema.boolean(), "status": Schema.enumeration(StageStatus.allCases.map(\.rawValue)),
                "duration_ms": Schema.number(), "findings": Schema.array(Schema.string()),
            ])),
        ])]],
        "metrics_by_band": Schema.object(["good": Schema.integer(minimum: 0), "warning": Schema.integer(minimum: 0),
                                          "critical": Schema.integer(minimum: 0)]),
        "quick_links": Schema.array(Schema.object(["title": Schema.string(), "href": Schema.string()])),
        "generated_at": timestamp,
        "health_score": Schema.integer("0 (bad) to 100 (good): 60 × recent boots, 20 × metric bands, 20 × pending approvals", minimum: 0),
        "predicted_failures": Schema.array(Schema.ref("Prediction"), "Failures likely at the next boot, most likely first"),
    ], description: "The original's dashboard fields, then Grace's additions.")
}
