/// A playbook as registered in the store (`playbooks` table); its steps live in the knowledge base.
public struct PlaybookRecord: Sendable, Equatable, Codable {
    public var id: String
    public var name: String
    public var description: String
    public var service: String
    public var severity: String
    public var riskLevel: RiskLevel
    public var autonomyTier: AutonomyTier
    public var preconditions: JSONValue?
    public var parametersSchema: JSONValue?
    public var createdAt: String

    public init(id: String, name: String, description: String = "", service: String = "grace", severity: String = "medium",
                riskLevel: RiskLevel = .medium, autonomyTier: AutonomyTier = .tier1, preconditions: JSONValue? = nil,
                parametersSchema: JSONValue? = nil, createdAt: String = Timestamp.now()) {
        self.id = id
        self.name = name
        self.description = description
        self.service = service
        self.severity = severity
        self.riskLevel = riskLevel
        self.autonomyTier = autonomyTier
        self.preconditions = preconditions
        self.parametersSchema = parametersSchema
        self.createdAt = createdAt
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, service, severity, riskLevel = "risk_level", autonomyTier = "autonomy_tier"
        case preconditions, parametersSchema = "parameters_schema", createdAt = "created_at"
    }
}

/// One execution (or observed would-be execution) of a playbook.
public struct PlaybookRun: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, running, succeeded, failed, rolledBack = "rolled_back", aborted, observed
    }

    public var id: String
    public var playbookID: String
    public var patternID: String?
    public var runID: String?
    public var status: Status
    public var decision: String
    public var startedAt: String
    public var endedAt: String?
    public var details: JSONValue?

    public init(id: String = Identifier.make(prefix: "pbr"), playbookID: String, patternID: String? = nil, runID: String? = nil,
                status: Status, decision: String, startedAt: String = Timestamp.now(), endedAt: String? = nil, details: JSONValue? = nil) {
        self.id = id
        self.playbookID = playbookID
        self.patternID = patternID
        self.runID = runID
        self.status = status
        self.decision = decision
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case id, playbookID = "playbook_id", patternID = "pattern_id", runID = "run_id", status, decision
        case startedAt = "started_at", endedAt = "ended_at", details
    }
}

/// Learning counters per pattern and playbook, across boots.
public struct PlaybookStats: Sendable, Equatable, Codable {
    public var playbookID: String
    public var patternID: String
    public var attempts: Int
    public var successes: Int
    public var lastRunAt: String?

    public init(playbookID: String, patternID: String, attempts: Int, successes: Int, lastRunAt: String? = nil) {
        self.playbookID = playbookID
        self.patternID = patternID
        self.attempts = attempts
        self.successes = successes
        self.lastRunAt = lastRunAt
    }

    enum CodingKeys: String, CodingKey {
        case playbookID = "playbook_id", patternID = "pattern_id", attempts, successes, lastRunAt = "last_run_at"
    }
}
