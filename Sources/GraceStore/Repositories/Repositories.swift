import GraceCore

/// Filter and page for listing runs.
public struct RunQuery: Sendable, Equatable {
    public var status: AgentRun.Status?
    public var kind: String?
    public var subsystem: String?
    /// Only runs recorded by this node (`GRACE_NODE_ID`).
    public var node: String?
    /// Only runs that ended at or after this timestamp (the stored text form), oldest end first
    /// (then by run id) instead of newest start first: a cursor for readers that follow ended runs.
    public var endedAfter: String?
    /// Only runs that started at or after this timestamp (the stored text form).
    public var startedAfter: String?
    /// Only the run ingested from this OpenTelemetry trace (32 lowercase hex digits).
    public var traceID: String?
    public var trigger: AgentRun.Trigger?
    /// Only runs that started before this timestamp (the stored text form).
    public var startedBefore: String?
    /// Only runs whose id, body (agent, goal, metadata), or a step's description or details
    /// contain this text, ignoring ASCII case.
    public var text: String?
    /// Only runs after this one in the newest-first order: the cursor of the page before.
    public var after: RunCursor?
    public var limit: Int
    public var offset: Int

    public init(status: AgentRun.Status? = nil, kind: String? = nil, subsystem: String? = nil, node: String? = nil,
                endedAfter: String? = nil, startedAfter: String? = nil, traceID: String? = nil, trigger: AgentRun.Trigger? = nil,
                startedBefore: String? = nil, text: String? = nil, after: RunCursor? = nil, limit: Int = 50, offset: Int = 0) {
        self.trigger = trigger
        self.startedBefore = startedBefore
        self.text = text
        self.after = after
        self.startedAfter = startedAfter
        self.traceID = traceID
        self.status = status
        self.kind = kind
        self.subsystem = subsystem
        self.node = node
        self.endedAfter = endedAfter
        self.limit = limit
        self.offset = offset
    }
}

/// Where a page of runs (newest start first, then run id) ended: the next page starts after it.
public struct RunCursor: Sendable, Equatable {
    public var startedAt: String
    public var runID: String

    public init(startedAt: String, runID: String) {
        self.startedAt = startedAt
        self.runID = runID
    }
}

/// A change to an existing step: only the fields set are changed.
public struct StepUpdate: Sendable, Equatable {
    public var status: TimelineStep.Status?
    public var durationMS: Double?
    public var details: JSONValue?
    public var description: String?
    /// When the step ended; a step reaching `success` or `failed` without one ends now.
    public var endedAt: String?

    public init(status: TimelineStep.Status? = nil, durationMS: Double? = nil, details: JSONValue? = nil, description: String? = nil,
                endedAt: String? = nil) {
        self.endedAt = endedAt
        self.status = status
        self.durationMS = durationMS
        self.details = details
        self.description = description
    }
}

/// Agent runs and their timeline steps.
public protocol RunRepository: Sendable {
    func create(_ run: AgentRun) async throws -> AgentRun
    func run(id: String) async throws -> AgentRun?
    func runs(matching query: RunQuery) async throws -> [AgentRun]
    /// The active runs, newest first, at most 1,000 (a listing; ``count(matching:)`` counts them all).
    func activeRuns() async throws -> [AgentRun]
    /// How many runs match `query`'s filters (its limit and offset aside), counted by the database.
    func count(matching query: RunQuery) async throws -> Int
    /// Ends an active run; completing a run twice is a ``StoreError/conflict(_:)``.
    func complete(runID: String, status: AgentRun.Status, at timestamp: String) async throws -> AgentRun
    /// Adds a step to an active run; unknown or finished runs are refused.
    func addStep(_ step: TimelineStep) async throws -> TimelineStep
    func updateStep(runID: String, stepID: String, _ update: StepUpdate) async throws -> TimelineStep
    func steps(runID: String) async throws -> [TimelineStep]
    /// Adds to a run's playbook and verification counters.
    func recordOutcome(runID: String, playbooksExecuted: Int, verificationsPassed: Int, verificationsFailed: Int) async throws
    /// Stores spans of OpenTelemetry traces in one transaction, all or none: each trace's run is
    /// created or merged (``TraceSpan/run(of:)``), each span's step inserted or replaced. Spans of a
    /// trace may come in any order, in any number of calls, on any node; the result is the same.
    /// Returns the runs written, by run id.
    @discardableResult
    func ingest(_ spans: [TraceSpan]) async throws -> [String]
    /// Applies a client's event in one transaction, once per event id (on any node): a repeat is a
    /// ``AgentEvent/Outcome/duplicate`` and changes nothing. An event the rules refuse (a run id
    /// taken, a step of a completed run) throws and leaves no trace, its id included.
    func apply(_ event: AgentEvent) async throws -> AgentEvent.Outcome
}

/// Human approvals for playbooks that may not run unattended.
extension ApprovalRepository {
    /// A decision by a caller who claimed no other name (the CLI: its user is who authenticated).
    public func decide(id: String, approve: Bool, by: String, reason: String?) async throws -> ApprovalRequest {
        try await decide(id: id, approve: approve, by: by, claimedBy: nil, reason: reason)
    }
}

public protocol ApprovalRepository: Sendable {
    func create(_ request: ApprovalRequest) async throws -> ApprovalRequest
    func approval(id: String) async throws -> ApprovalRequest?
    /// Newest first; `node` keeps only the requests that node raised (and will execute).
    func approvals(status: ApprovalRequest.Status?, node: String?, limit: Int) async throws -> [ApprovalRequest]
    /// How many requests have `status` (any when nil) and were raised by `node` (any when nil), counted by the database.
    func count(status: ApprovalRequest.Status?, node: String?) async throws -> Int
    /// Approves or rejects a pending request; deciding twice is a conflict. `by` is who
    /// authenticated, `claimedBy` the name they gave (stored beside it, never in its place).
    func decide(id: String, approve: Bool, by: String, claimedBy: String?, reason: String?) async throws -> ApprovalRequest
    /// Marks an approved request executed, exactly once; false when it was not approved-and-unexecuted.
    func markExecuted(id: String) async throws -> Bool
    /// Takes the oldest approved request owned by `node` and marks it executed in one transaction,
    /// so of several pollers (on one node or many) exactly one receives it; nil when none waits.
    func claimApproved(node: String) async throws -> ApprovalRequest?
    /// Ends a claimed request as `succeeded` or `failed` (its `status`), with `details` linking the
    /// playbook run; a request that is not `executed` is left as it is.
    func finish(_ request: ApprovalRequest) async throws
    /// Expires every pending request created before `cutoff` (nobody decided within `hours`); returns them.
    func expire(createdBefore cutoff: String, hours: Int) async throws -> [ApprovalRequest]
}

extension ApprovalRepository {
    public func approvals(status: ApprovalRequest.Status?, limit: Int) async throws -> [ApprovalRequest] {
        try await approvals(status: status, node: nil, limit: limit)
    }

    public func count(status: ApprovalRequest.Status?) async throws -> Int {
        try await count(status: status, node: nil)
    }
}

/// The append-only, hash-chained audit log.
public protocol AuditLog: Sendable {
    @discardableResult
    func append(_ event: AuditEvent) async throws -> AuditEntry
    /// The newest `limit` entries numbered below `sequence` (all when nil), newest first: a page of the
    /// chain; with `mentioning`, only entries whose resource (`boot/ID`, `approval/ID`) or payload
    /// contains that text (a run's, approval's or playbook's id), compared without ASCII case.
    func tail(before sequence: Int64?, limit: Int, mentioning: String?) async throws -> [AuditEntry]
    /// Walks the whole chain from the first entry.
    func verify() async throws -> AuditVerification
}

extension AuditLog {
    /// The newest `limit` entries, newest first.
    public func tail(limit: Int) async throws -> [AuditEntry] { try await tail(before: nil, limit: limit, mentioning: nil) }

    /// The newest `limit` entries numbered below `sequence` (all when nil), newest first.
    public func tail(before sequence: Int64?, limit: Int) async throws -> [AuditEntry] {
        try await tail(before: sequence, limit: limit, mentioning: nil)
    }
}

/// Metric snapshots (the metrics database).
public protocol MetricsRepository: Sendable {
    func record(_ snapshots: [MetricSnapshot]) async throws
    /// The newest snapshot of each metric.
    func latestPerMetric() async throws -> [MetricSnapshot]
    func recent(limit: Int) async throws -> [MetricSnapshot]
}

/// Verification results after fixes.
public protocol VerificationRepository: Sendable {
    func record(_ event: VerificationEvent) async throws
    func recent(limit: Int) async throws -> [VerificationEvent]
}

/// Registered playbooks, their executions and learning counters.
public protocol PlaybookRepository: Sendable {
    func upsert(_ playbook: PlaybookRecord) async throws
    func playbooks() async throws -> [PlaybookRecord]
    func record(_ run: PlaybookRun) async throws
    func runs(since timestamp: String?, limit: Int) async throws -> [PlaybookRun]
    /// How many playbook runs started at or after `timestamp` with a status not in `excluded`, counted by the database.
    func countRuns(since timestamp: String, excluding excluded: [PlaybookRun.Status]) async throws -> Int
    /// The runs of `playbookID` for `patternID` that governance decided to execute, started at or
    /// after `timestamp`, oldest first: what the circuit breaker counts.
    func executions(playbookID: String, patternID: String, since timestamp: String) async throws -> [PlaybookRun]
    /// Counts one attempt (and a success when `succeeded`) for the pattern/playbook pair.
    func recordAttempt(playbookID: String, patternID: String, succeeded: Bool, at timestamp: String) async throws
    func stats() async throws -> [PlaybookStats]
}

/// Every repository of one backend, the way callers receive the store.
public struct GraceRepositories: Sendable {
    public var runs: any RunRepository
    public var approvals: any ApprovalRepository
    public var audit: any AuditLog
    public var metrics: any MetricsRepository
    public var verifications: any VerificationRepository
    public var playbooks: any PlaybookRepository
    /// Audit appends that failed since the store opened (every append through ``audit`` is counted).
    public let auditFailures: AuditFailures
    public var minedClusters: any MinedClusterRepository
    /// Pruning what retention no longer keeps (never the audit chain).
    public var retention: any RetentionRepository
    /// Alerts sent, or to send, to webhooks (`alert_deliveries`).
    public var alerts: any AlertDeliveryRepository
    /// Every run, step and approval written, numbered (`change_feed`).
    public var changes: any ChangeFeed
    /// Counts of boots, healing decisions and the supervised service's exits, for `/metrics`.
    public var census: any EventCensus

    public init(runs: any RunRepository, approvals: any ApprovalRepository, audit: any AuditLog, metrics: any MetricsRepository,
                verifications: any VerificationRepository, playbooks: any PlaybookRepository, minedClusters: any MinedClusterRepository,
                retention: any RetentionRepository, alerts: any AlertDeliveryRepository, changes: any ChangeFeed, census: any EventCensus) {
        self.changes = changes
        self.census = census
        self.retention = retention
        self.alerts = alerts
        let failures = AuditFailures()
        self.auditFailures = failures
        self.runs = runs
        self.approvals = approvals
        self.audit = CountingAuditLog(base: audit, failures: failures)
        self.metrics = metrics
        self.verifications = verifications
        self.playbooks = playbooks
        self.minedClusters = minedClusters
    }
}
