import GraceCore

/// Runs and steps in PostgreSQL. Reads inside a write lock their row (`FOR UPDATE`), so two
/// nodes changing one run take turns, as SQLite's single writer makes them do.
struct PostgresRunRepository: RunRepository {
    let database: PostgresDatabase
    let nodeID: String?

    func create(_ run: AgentRun) async throws -> AgentRun {
        var run = run
        if run.nodeID == nil { run.nodeID = nodeID }
        let stored = run
        return try await database.transaction { session in try await Self.create(session, stored) }
    }

    private static func create(_ session: PostgresSession, _ run: AgentRun) async throws -> AgentRun {
        if try await session.fetchOne(StoreStatements.runExists(run.runID), { _ in true }) != nil {
            throw StoreError.conflict("run \(run.runID) already exists")
        }
        try await session.execute(StoreStatements.insertRun(run))
        return run
    }

    func run(id: String) async throws -> AgentRun? {
        try await database.read { session in try await session.fetchOne(StoreStatements.selectRun(id, .postgres), AgentRun.init(row:)) }
    }

    func runs(matching query: RunQuery) async throws -> [AgentRun] {
        try await database.read { session in try await session.fetchAll(StoreStatements.selectRuns(query), AgentRun.init(row:)) }
    }

    func activeRuns() async throws -> [AgentRun] {
        try await runs(matching: RunQuery(status: .active, limit: 1000))
    }

    func count(matching query: RunQuery) async throws -> Int {
        try await database.read { session in try await session.count(StoreStatements.countRuns(query)) }
    }

    func complete(runID: String, status: AgentRun.Status, at timestamp: String) async throws -> AgentRun {
        try await database.transaction { session in try await Self.complete(session, runID: runID, status: status, at: timestamp) }
    }

    private static func complete(_ session: PostgresSession, runID: String, status: AgentRun.Status, at timestamp: String) async throws -> AgentRun {
        let stored = try await session.fetchOne(StoreStatements.selectRun(runID, .postgres, locking: true), AgentRun.init(row:))
        let run = try StoreRules.completing(stored, runID: runID, status: status, at: timestamp)
        try await session.execute(StoreStatements.completeRun(run))
        return run
    }

    func addStep(_ step: TimelineStep) async throws -> TimelineStep {
        try await database.transaction { session in try await Self.addStep(session, step) }
    }

    private static func addStep(_ session: PostgresSession, _ step: TimelineStep) async throws -> TimelineStep {
        // The run's row lock: no step after it completes, and the steps_version trigger updates the
        // row anyway (a share lock here would deadlock two writers upgrading it side by side).
        try await insertStep(session, step, into: try await lockRun(session, step.runID))
    }

    /// Inserts `step` into `run`, whose row the caller has locked.
    private static func insertStep(_ session: PostgresSession, _ step: TimelineStep, into run: AgentRun?) async throws -> TimelineStep {
        let step = try StoreRules.adding(step, to: run)
        if try await session.fetchOne(StoreStatements.stepExists(step.stepID), { _ in true }) != nil {
            throw StoreError.conflict("step \(step.stepID) already exists")
        }
        try await session.execute(StoreStatements.insertStep(step))
        return step
    }

    func updateStep(runID: String, stepID: String, _ update: StepUpdate) async throws -> TimelineStep {
        try await database.transaction { session in try await Self.updateStep(session, runID: runID, stepID: stepID, update) }
    }

    private static func updateStep(_ session: PostgresSession, runID: String, stepID: String, _ update: StepUpdate) async throws -> TimelineStep {
        // Run before step, as every step writer locks them (the steps_version trigger takes the run's row).
        _ = try await lockRun(session, runID)
        return try await writeUpdate(session, update, to: try await fetchStep(session, runID: runID, stepID: stepID), stepID: stepID)
    }

    /// Applies `update` to `stored`, a step of a run whose row the caller has locked.
    private static func writeUpdate(_ session: PostgresSession, _ update: StepUpdate, to stored: TimelineStep?, stepID: String) async throws -> TimelineStep {
        let step = try StoreRules.applying(update, to: stored, stepID: stepID)
        try await session.execute(StoreStatements.updateStep(step))
        return step
    }

    private static func lockRun(_ session: PostgresSession, _ runID: String) async throws -> AgentRun? {
        try await session.fetchOne(StoreStatements.selectRun(runID, .postgres, locking: true), AgentRun.init(row:))
    }

    private static func fetchStep(_ session: PostgresSession, runID: String, stepID: String) async throws -> TimelineStep? {
        try await session.fetchOne(StoreStatements.selectStep(runID: runID, stepID: stepID, .postgres), TimelineStep.init(row:))
    }

    func apply(_ event: AgentEvent) async throws -> AgentEvent.Outcome {
        let nodeID = nodeID
        return try await database.transaction { session in
            // Two nodes given one event at once: the second insert waits for the first transaction, then finds the row.
            var claim = StoreStatements.insertEvent(event)
            claim.sql += " RETURNING event_id"
            guard try await session.fetchAll(claim, { _ in true }).count == 1 else { return .duplicate }
            switch event.change {
            case .runStarted(var run):
                run.nodeID = run.nodeID ?? nodeID
                _ = try await Self.create(session, run)
            case .step(let step):
                // One lock of the run for both branches (run before step, as every step writer).
                let run = try await Self.lockRun(session, step.runID)
                if let stored = try await Self.fetchStep(session, runID: step.runID, stepID: step.stepID) {
                    _ = try await Self.writeUpdate(session, StoreRules.update(moving: stored, to: step), to: stored, stepID: step.stepID)
                } else {
                    _ = try await Self.insertStep(session, step, into: run)
                }
            case .runCompleted(let runID, let status, let timestamp):
                _ = try await Self.complete(session, runID: runID, status: status, at: timestamp)
            }
            return .applied
        }
    }

    func steps(runID: String) async throws -> [TimelineStep] {
        try await database.read { session in
            try await session.fetchAll(StoreStatements.selectSteps(runID: runID, .postgres), TimelineStep.init(row:))
        }
    }

    func recordOutcome(runID: String, playbooksExecuted: Int, verificationsPassed: Int, verificationsFailed: Int) async throws {
        var statement = StoreStatements.recordOutcome(runID: runID, playbooksExecuted: playbooksExecuted,
                                                      verificationsPassed: verificationsPassed, verificationsFailed: verificationsFailed)
        statement.sql += " RETURNING run_id"
        let updated = try await database.transaction { [statement] session in try await session.fetchAll(statement) { _ in true } }
        guard updated.count == 1 else { throw StoreError.notFound(kind: "run", id: runID) }
    }
    func ingest(_ spans: [TraceSpan]) async throws -> [String] {
        let traces = StoreRules.ingesting(spans).map { trace in
            var run = trace.run
            run.nodeID = run.nodeID ?? nodeID
            return (run: run, hasRoot: trace.hasRoot, steps: trace.steps)
        }
        return try await database.transaction { session in
            for trace in traces {
                // RETURNING tells an upsert whose WHERE refused the row (a run of that id that is no trace's) from one done.
                var statement = StoreStatements.upsertTraceRun(trace.run, hasRoot: trace.hasRoot, .postgres)
                statement.sql += " RETURNING run_id"
                guard try await session.fetchAll(statement, { _ in true }).count == 1 else {
                    throw StoreError.conflict("run \(trace.run.runID) exists and is not trace \(trace.run.traceID ?? "")")
                }
                for step in trace.steps {
                    var statement = StoreStatements.upsertSpanStep(step)
                    statement.sql += " RETURNING step_id"
                    guard try await session.fetchAll(statement, { _ in true }).count == 1 else {
                        throw StoreError.conflict("step \(step.stepID) belongs to another run")
                    }
                }
            }
            return traces.map(\.run.runID)
        }
    }
}

/// Approval requests in PostgreSQL; a claim skips rows another node is claiming this instant.
struct PostgresApprovalRepository: ApprovalRepository {
    let database: PostgresDatabase
    let nodeID: String?

    func create(_ request: ApprovalRequest) async throws -> ApprovalRequest {
        var request = request
        if request.nodeID == nil { request.nodeID = nodeID }
        let stored = request
        return try await database.transaction { session in
            try await session.execute(StoreStatements.insertApproval(stored))
            return stored
        }
    }

    func approval(id: String) async throws -> ApprovalRequest? {
        try await database.read { session in
            try await session.fetchOne(StoreStatements.selectApproval(id, .postgres), ApprovalRequest.init(row:))
        }
    }

    func approvals(status: ApprovalRequest.Status?, node: String?, limit: Int) async throws -> [ApprovalRequest] {
        try await database.read { session in
            try await session.fetchAll(StoreStatements.selectApprovals(status: status, node: node, limit: limit), ApprovalRequest.init(row:))
        }
    }

    func count(status: ApprovalRequest.Status?, node: String?) async throws -> Int {
        try await database.read { session in try await session.count(StoreStatements.countApprovals(status: status, node: node)) }
    }

    func decide(id: String, approve: Bool, by: String, claimedBy: String?, reason: String?) async throws -> ApprovalRequest {
        try await database.transaction { session in
            let stored = try await session.fetchOne(StoreStatements.selectApproval(id, .postgres, locking: true), ApprovalRequest.init(row:))
            let request = try StoreRules.deciding(stored, id: id, approve: approve, by: by, claimedBy: claimedBy, reason: reason, at: Timestamp.now())
            try await session.execute(StoreStatements.decideApproval(request))
            return request
        }
    }

    func markExecuted(id: String) async throws -> Bool {
        var statement = StoreStatements.markExecuted(id)
        statement.sql += " RETURNING event_id"
        let claimed = try await database.transaction { [statement] session in try await session.fetchAll(statement) { _ in true } }
        return claimed.count == 1
    }

    func finish(_ request: ApprovalRequest) async throws {
        try await database.transaction { session in try await session.execute(StoreStatements.finishApproval(request)) }
    }

    func expire(createdBefore cutoff: String, hours: Int) async throws -> [ApprovalRequest] {
        try await database.transaction { session in
            let now = Timestamp.now()
            let due = try await session.fetchAll(StoreStatements.expirableApprovals(createdBefore: cutoff, .postgres), ApprovalRequest.init(row:))
            var expired: [ApprovalRequest] = []
            for request in due {
                let ended = StoreRules.expiring(request, hours: hours, at: now)
                try await session.execute(StoreStatements.decideApproval(ended))
                expired.append(ended)
            }
            return expired
        }
    }

    func claimApproved(node: String) async throws -> ApprovalRequest? {
        try await database.transaction { session in
            guard var request = try await session.fetchOne(StoreStatements.claimableApproval(node: node, .postgres),
                                                           ApprovalRequest.init(row:)) else { return nil }
            try await session.execute(StoreStatements.markExecuted(request.eventID))
            request.status = .executed
            return request
        }
    }
}

/// The audit chain in PostgreSQL: one transaction-scoped advisory lock makes appenders on every
/// node take turns between reading the chain head and inserting after it, so the chain never forks.
struct PostgresAuditLog: AuditLog {
    let database: PostgresDatabase
    let nodeID: String?

    func append(_ event: AuditEvent) async throws -> AuditEntry {
        try await database.transaction { [nodeID] session in
            try await session.execute(SQLStatement("SELECT pg_advisory_xact_lock(?)", [.integer(PostgresSchema.auditLock)]))
            let head = try await session.fetchOne(StoreStatements.auditHead) { row -> (sequence: Int64, hash: String) in
                (try row.integer("sequence") ?? 0, try row.required("entry_hash"))
            }
            let entry = StoreRules.sealing(event, after: head, nodeID: nodeID)
            try await session.execute(StoreStatements.insertAudit(entry))
            return entry
        }
    }

    func tail(before sequence: Int64?, limit: Int, mentioning: String?) async throws -> [AuditEntry] {
        try await database.read { session in
            try await session.fetchAll(StoreStatements.auditTail(before: sequence, limit: limit, mentioning: mentioning), AuditEntry.init(row:))
        }
    }

    func verify() async throws -> AuditVerification {
        try await database.read { session in
            var verifier = AuditChain.Verifier()
            // Rows stream from the server; the verifier keeps only the previous hash.
            _ = try await session.fetchAll(StoreStatements.auditChain) { row in
                if verifier.failure == nil { _ = verifier.check(try AuditEntry(row: row)) }
            }
            return verifier.result
        }
    }
}

/// Metric snapshots in PostgreSQL.
struct PostgresMetricsRepository: MetricsRepository {
    let database: PostgresDatabase
    let nodeID: String?

    func record(_ snapshots: [MetricSnapshot]) async throws {
        let stamped = snapshots.map { snapshot in
            var snapshot = snapshot
            if snapshot.nodeID == nil { snapshot.nodeID = nodeID }
            return snapshot
        }
        try await database.transaction { session in
            for snapshot in stamped { try await session.execute(StoreStatements.insertSnapshot(snapshot)) }
        }
    }

    func latestPerMetric() async throws -> [MetricSnapshot] {
        try await database.read { session in try await session.fetchAll(StoreStatements.latestSnapshots, MetricSnapshot.init(row:)) }
    }

    func recent(limit: Int) async throws -> [MetricSnapshot] {
        try await database.read { session in
            try await session.fetchAll(StoreStatements.recentSnapshots(limit: limit), MetricSnapshot.init(row:))
        }
    }
}

/// Verification events in PostgreSQL.
struct PostgresVerificationRepository: VerificationRepository {
    let database: PostgresDatabase

    func record(_ event: VerificationEvent) async throws {
        try await database.transaction { session in try await session.execute(StoreStatements.insertVerification(event)) }
    }

    func recent(limit: Int) async throws -> [VerificationEvent] {
        try await database.read { session in
            try await session.fetchAll(StoreStatements.recentVerifications(limit: limit), VerificationEvent.init(row:))
        }
    }
}

/// Playbooks, their runs and learning counters in PostgreSQL.
struct PostgresPlaybookRepository: PlaybookRepository {
    let database: PostgresDatabase

    func upsert(_ playbook: PlaybookRecord) async throws {
        try await database.transaction { session in try await session.execute(StoreStatements.upsertPlaybook(playbook)) }
    }

    func playbooks() async throws -> [PlaybookRecord] {
        try await database.read { session in try await session.fetchAll(StoreStatements.selectPlaybooks, PlaybookRecord.init(row:)) }
    }

    func record(_ run: PlaybookRun) async throws {
        try await database.transaction { session in try await session.execute(StoreStatements.upsertPlaybookRun(run)) }
    }

    func runs(since timestamp: String?, limit: Int) async throws -> [PlaybookRun] {
        try await database.read { session in
            try await session.fetchAll(StoreStatements.playbookRuns(since: timestamp, limit: limit), PlaybookRun.init(row:))
        }
    }

    func countRuns(since timestamp: String, excluding excluded: [PlaybookRun.Status]) async throws -> Int {
        try await database.read { session in
            try await session.count(StoreStatements.countPlaybookRuns(since: timestamp, excluding: excluded))
        }
    }

    func executions(playbookID: String, patternID: String, since timestamp: String) async throws -> [PlaybookRun] {
        try await database.read { session in
            try await session.fetchAll(StoreStatements.playbookExecutions(playbookID: playbookID, patternID: patternID, since: timestamp),
                                       PlaybookRun.init(row:))
        }
    }

    func recordAttempt(playbookID: String, patternID: String, succeeded: Bool, at timestamp: String) async throws {
        try await database.transaction { session in
            try await session.execute(StoreStatements.recordAttempt(playbookID: playbookID, patternID: patternID,
                                                                    succeeded: succeeded, at: timestamp))
        }
    }

    func stats() async throws -> [PlaybookStats] {
        try await database.read { session in try await session.fetchAll(StoreStatements.selectStats, PlaybookStats.init(row:)) }
    }
}
