import GRDB
import GraceCore

/// Row <-> domain value mapping for the SQLite tables. Kept by hand so GraceCore stays free of GRDB.
extension Row {
    func json(_ column: String) -> JSONValue? {
        guard let text: String = self[column] else { return nil }
        return JSONValue(jsonText: text)
    }

    func enumValue<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T where T.RawValue == String {
        let text: String = self[column]
        guard let value = T(rawValue: text) else {
            throw StoreError.invalid("stored \(column) \"\(text)\" is not a known \(T.self)")
        }
        return value
    }
}

extension AgentRun {
    init(row: Row) throws {
        self.init(runID: row["run_id"], kind: row["kind"], trigger: try row.enumValue("trigger", as: Trigger.self),
                  subsystem: row["subsystem"], status: try row.enumValue("status", as: Status.self),
                  startedAt: row["started_at"], endedAt: row["ended_at"], playbooksExecuted: row["playbooks_executed"],
                  verificationsPassed: row["verifications_passed"], verificationsFailed: row["verifications_failed"],
                  body: row.json("body"))
    }
}

extension TimelineStep {
    /// What step queries select, in the order `init(row:)` reads by index: looking columns up by
    /// name was a quarter of a 1,000-step timeline request.
    static let selection = "step_id, run_id, timestamp, step_type, subsystem, description, status, duration_ms, details, playbook_id, verification_id"

    /// A row of ``selection``.
    init(row: Row) throws {
        let status: String = row[6]
        guard let known = Status(rawValue: status) else {
            throw StoreError.invalid("stored status \"\(status)\" is not a known \(Status.self)")
        }
        let details: String? = row[8]
        self.init(stepID: row[0], runID: row[1], timestamp: row[2], stepType: row[3], subsystem: row[4], description: row[5],
                  status: known, durationMS: row[7], details: details.flatMap { JSONValue(jsonText: $0) },
                  playbookID: row[9], verificationID: row[10])
    }
}

extension ApprovalRequest {
    init(row: Row) throws {
        self.init(eventID: row["event_id"], status: try row.enumValue("status", as: Status.self),
                  requestedBy: row["requested_by"], reason: row["reason"], playbookID: row["playbook_id"],
                  patternID: row["pattern_id"], runID: row["run_id"], decisionBy: row["decision_by"],
                  decisionReason: row["decision_reason"], createdAt: row["created_at"], decidedAt: row["decided_at"],
                  details: row.json("details"))
    }
}

extension AuditEntry {
    init(row: Row) {
        self.init(sequence: row["sequence"], timestamp: row["timestamp"], actor: row["actor"], action: row["action"],
                  resource: row["resource"], subsystem: row["subsystem"], payload: row["payload"], result: row["result"],
                  previousHash: row["previous_hash"], entryHash: row["entry_hash"])
    }
}

extension MetricSnapshot {
    init(row: Row) throws {
        self.init(snapshotID: row["snapshot_id"], metricID: row["metric_id"], resourceScope: row["resource_scope"],
                  resourceID: row["resource_id"], windowStart: row["window_start"], windowEnd: row["window_end"],
                  stats: row.json("stats_json") ?? .null, bands: row.json("bands_json") ?? .null,
                  latestBand: try row.enumValue("latest_band", as: MetricBand.self),
                  derivedActions: row.json("derived_actions_json") ?? .array([]), createdAt: row["created_at"])
    }
}

extension VerificationEvent {
    init(row: Row) {
        self.init(verificationID: row["verification_id"], verificationType: row["verification_type"],
                  targetComponent: row["target_component"], verificationMethod: row["verification_method"],
                  result: row["result"], passed: row["passed"], confidence: row["confidence"], details: row.json("details"),
                  verifiedBy: row["verified_by"], runID: row["run_id"], playbookID: row["playbook_id"], createdAt: row["created_at"])
    }
}

extension PlaybookRecord {
    init(row: Row) throws {
        let tierText: String = row["autonomy_tier"]
        guard let tier = AutonomyTier(text: tierText) else {
            throw StoreError.invalid("stored autonomy_tier \"\(tierText)\" is not a tier")
        }
        self.init(id: row["id"], name: row["name"], description: row["description"], service: row["service"],
                  severity: row["severity"], riskLevel: try row.enumValue("risk_level", as: RiskLevel.self), autonomyTier: tier,
                  preconditions: row.json("preconditions"), parametersSchema: row.json("parameters_schema"),
                  createdAt: row["created_at"])
    }
}

extension PlaybookRun {
    init(row: Row) throws {
        self.init(id: row["id"], playbookID: row["playbook_id"], patternID: row["pattern_id"], runID: row["run_id"],
                  status: try row.enumValue("status", as: Status.self), decision: row["decision"],
                  startedAt: row["started_at"], endedAt: row["ended_at"], details: row.json("details"))
    }
}
