import GraceCore

/// A fetched row, read by column name. Both backends' rows conform, so every domain value is
/// mapped from a row by one piece of code (below), whichever database it came from.
protocol StoreRow {
    func text(_ column: String) throws -> String?
    func integer(_ column: String) throws -> Int64?
    func real(_ column: String) throws -> Double?
}

extension StoreRow {
    func required(_ column: String) throws -> String {
        guard let value = try text(column) else { throw StoreError.invalid("stored \(column) is missing") }
        return value
    }

    func count(_ column: String) throws -> Int { Int(try integer(column) ?? 0) }

    func json(_ column: String) throws -> JSONValue? {
        try text(column).flatMap { JSONValue(jsonText: $0) }
    }

    func enumValue<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T where T.RawValue == String {
        let text = try required(column)
        guard let value = T(rawValue: text) else {
            throw StoreError.invalid("stored \(column) \"\(text)\" is not a known \(T.self)")
        }
        return value
    }
}

extension AgentRun {
    init(row: some StoreRow) throws {
        self.init(runID: try row.required("run_id"), kind: try row.required("kind"), trigger: try row.enumValue("trigger", as: Trigger.self),
                  subsystem: try row.required("subsystem"), status: try row.enumValue("status", as: Status.self),
                  startedAt: try row.required("started_at"), endedAt: try row.text("ended_at"),
                  playbooksExecuted: try row.count("playbooks_executed"), verificationsPassed: try row.count("verifications_passed"),
                  verificationsFailed: try row.count("verifications_failed"), body: try row.json("body"), nodeID: try row.text("node_id"),
                  traceID: try row.text("trace_id"))
        stepsVersion = try row.integer("steps_version") ?? 0
    }
}

extension TimelineStep {
    /// The columns step queries select, in the order the SQLite store reads them by index.
    static let selection = "step_id, run_id, timestamp, step_type, subsystem, description, status, duration_ms, details, playbook_id, verification_id, ended_at, span_id, parent_span_id"

    init(row: some StoreRow) throws {
        self.init(stepID: try row.required("step_id"), runID: try row.required("run_id"), timestamp: try row.required("timestamp"),
                  endedAt: try row.text("ended_at"), stepType: try row.required("step_type"), subsystem: try row.required("subsystem"),
                  description: try row.required("description"), status: try row.enumValue("status", as: Status.self),
                  durationMS: try row.real("duration_ms"), details: try row.json("details"), playbookID: try row.text("playbook_id"),
                  verificationID: try row.text("verification_id"), spanID: try row.text("span_id"),
                  parentSpanID: try row.text("parent_span_id"))
    }
}

extension ApprovalRequest {
    init(row: some StoreRow) throws {
        self.init(eventID: try row.required("event_id"), status: try row.enumValue("status", as: Status.self),
                  requestedBy: try row.required("requested_by"), reason: try row.required("reason"), playbookID: try row.text("playbook_id"),
                  patternID: try row.text("pattern_id"), runID: try row.text("run_id"), decisionBy: try row.text("decision_by"),
                  decisionClaimedBy: try row.text("decision_claimed_by"),
                  decisionReason: try row.text("decision_reason"), createdAt: try row.required("created_at"),
                  decidedAt: try row.text("decided_at"), details: try row.json("details"), nodeID: try row.text("node_id"))
    }
}

extension AuditEntry {
    init(row: some StoreRow) throws {
        self.init(sequence: try row.integer("sequence") ?? 0, timestamp: try row.required("timestamp"), actor: try row.required("actor"),
                  action: try row.required("action"), resource: try row.required("resource"), subsystem: try row.required("subsystem"),
                  payload: try row.required("payload"), result: try row.required("result"),
                  previousHash: try row.required("previous_hash"), entryHash: try row.required("entry_hash"), nodeID: try row.text("node_id"))
    }
}

extension MetricSnapshot {
    init(row: some StoreRow) throws {
        self.init(snapshotID: try row.required("snapshot_id"), metricID: try row.required("metric_id"),
                  resourceScope: try row.required("resource_scope"), resourceID: try row.required("resource_id"),
                  windowStart: try row.required("window_start"), windowEnd: try row.required("window_end"),
                  stats: try row.json("stats_json") ?? .null, bands: try row.json("bands_json") ?? .null,
                  latestBand: try row.enumValue("latest_band", as: MetricBand.self),
                  derivedActions: try row.json("derived_actions_json") ?? .array([]), createdAt: try row.required("created_at"),
                  nodeID: try row.text("node_id"))
    }
}

extension VerificationEvent {
    init(row: some StoreRow) throws {
        self.init(verificationID: try row.required("verification_id"), verificationType: try row.required("verification_type"),
                  targetComponent: try row.required("target_component"), verificationMethod: try row.required("verification_method"),
                  result: try row.required("result"), passed: try row.integer("passed") != 0, confidence: try row.real("confidence"),
                  details: try row.json("details"), verifiedBy: try row.required("verified_by"), runID: try row.text("run_id"),
                  playbookID: try row.text("playbook_id"), createdAt: try row.required("created_at"))
    }
}

extension PlaybookRecord {
    init(row: some StoreRow) throws {
        let tierText = try row.required("autonomy_tier")
        guard let tier = AutonomyTier(text: tierText) else {
            throw StoreError.invalid("stored autonomy_tier \"\(tierText)\" is not a tier")
        }
        self.init(id: try row.required("id"), name: try row.required("name"), description: try row.required("description"),
                  service: try row.required("service"), severity: try row.required("severity"),
                  riskLevel: try row.enumValue("risk_level", as: RiskLevel.self), autonomyTier: tier,
                  preconditions: try row.json("preconditions"), parametersSchema: try row.json("parameters_schema"),
                  createdAt: try row.required("created_at"))
    }
}

extension PlaybookRun {
    init(row: some StoreRow) throws {
        self.init(id: try row.required("id"), playbookID: try row.required("playbook_id"), patternID: try row.text("pattern_id"),
                  runID: try row.text("run_id"), status: try row.enumValue("status", as: Status.self), decision: try row.required("decision"),
                  startedAt: try row.required("started_at"), endedAt: try row.text("ended_at"), details: try row.json("details"))
    }
}

extension PlaybookStats {
    init(row: some StoreRow) throws {
        self.init(playbookID: try row.required("playbook_id"), patternID: try row.required("pattern_id"), attempts: try row.count("attempts"),
                  successes: try row.count("successes"), lastRunAt: try row.text("last_run_at"))
    }
}
