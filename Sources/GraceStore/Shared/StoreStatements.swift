import GraceCore

/// Where the two SQL dialects differ in the statements below.
struct SQLDialect: Sendable {
    /// Appended to a read inside a write transaction: PostgreSQL locks the row, SQLite already
    /// holds the database's write lock.
    var lockRow: String
    /// Appended to a claim's read: PostgreSQL skips rows another node is claiming right now.
    var lockSkippingLocked: String
    /// The column that orders rows of a table by insertion.
    var insertionOrder: String
    /// The smaller of two values (SQLite's two-argument `MIN`, PostgreSQL's `LEAST`).
    var least: String

    static let sqlite = SQLDialect(lockRow: "", lockSkippingLocked: "", insertionOrder: "rowid", least: "MIN")
    static let postgres = SQLDialect(lockRow: " FOR UPDATE", lockSkippingLocked: " FOR UPDATE SKIP LOCKED", insertionOrder: "step_order",
                                     least: "LEAST")
}

/// Every statement the repositories run, with its arguments, written once for both backends.
enum StoreStatements {
    // MARK: runs and steps

    static func runExists(_ runID: String) -> SQLStatement {
        SQLStatement("SELECT 1 AS found FROM agent_runs WHERE run_id = ?", [.text(runID)])
    }

    static func insertRun(_ run: AgentRun) -> SQLStatement {
        SQLStatement("""
            INSERT INTO agent_runs (run_id, kind, trigger, subsystem, status, started_at, ended_at,
                playbooks_executed, verifications_passed, verifications_failed, body, node_id, trace_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, runArguments(run))
    }

    private static func runArguments(_ run: AgentRun) -> [SQLValue] {
        [.text(run.runID), .text(run.kind), .text(run.trigger.rawValue), .text(run.subsystem), .text(run.status.rawValue),
         .text(run.startedAt), SQLValue(run.endedAt), SQLValue(run.playbooksExecuted), SQLValue(run.verificationsPassed),
         SQLValue(run.verificationsFailed), SQLValue(run.body?.jsonText), SQLValue(run.nodeID), SQLValue(run.traceID)]
    }

    /// Inserts a trace's run, or merges one batch's view of it into the stored row in the same
    /// statement (atomic on both backends, however many nodes write the trace at once): the run
    /// starts at its earliest span; the batch holding the root span sets status, end, subsystem and body.
    static func upsertTraceRun(_ run: AgentRun, hasRoot: Bool, _ dialect: SQLDialect) -> SQLStatement {
        let merge = hasRoot
            ? "status = excluded.status, ended_at = excluded.ended_at, subsystem = excluded.subsystem, body = excluded.body, "
            : ""
        return SQLStatement(insertRun(run).sql + """

            ON CONFLICT(run_id) DO UPDATE SET \(merge)started_at = \(dialect.least)(agent_runs.started_at, excluded.started_at)
            WHERE agent_runs.trace_id = excluded.trace_id
            """, runArguments(run))
    }

    /// Inserts a span's step, or replaces it with the span sent again (an exporter's retry).
    static func upsertSpanStep(_ step: TimelineStep) -> SQLStatement {
        let insert = insertStep(step)
        return SQLStatement(insert.sql + """

            ON CONFLICT(step_id) DO UPDATE SET timestamp = excluded.timestamp, step_type = excluded.step_type,
                subsystem = excluded.subsystem, description = excluded.description, status = excluded.status,
                duration_ms = excluded.duration_ms, details = excluded.details, updated_at = excluded.updated_at,
                ended_at = excluded.ended_at, parent_span_id = excluded.parent_span_id
            WHERE agent_steps.run_id = excluded.run_id
            """, insert.arguments)
    }

    static func selectRun(_ runID: String, _ dialect: SQLDialect, locking: Bool = false) -> SQLStatement {
        SQLStatement("SELECT * FROM agent_runs WHERE run_id = ?" + (locking ? dialect.lockRow : ""), [.text(runID)])
    }

    /// The `WHERE` clause of a run query (empty without filters) and its arguments.
    private static func runFilter(_ query: RunQuery) -> (sql: String, arguments: [SQLValue]) {
        var clauses: [String] = []
        var arguments: [SQLValue] = []
        if let status = query.status { clauses.append("status = ?"); arguments.append(.text(status.rawValue)) }
        if let kind = query.kind { clauses.append("kind = ?"); arguments.append(.text(kind)) }
        if let subsystem = query.subsystem { clauses.append("subsystem = ?"); arguments.append(.text(subsystem)) }
        if let node = query.node { clauses.append("node_id = ?"); arguments.append(.text(node)) }
        if let endedAfter = query.endedAfter { clauses.append("ended_at >= ?"); arguments.append(.text(endedAfter)) }
        if let startedAfter = query.startedAfter { clauses.append("started_at >= ?"); arguments.append(.text(startedAfter)) }
        if let traceID = query.traceID { clauses.append("trace_id = ?"); arguments.append(.text(traceID)) }
        if let trigger = query.trigger { clauses.append("trigger = ?"); arguments.append(.text(trigger.rawValue)) }
        if let startedBefore = query.startedBefore { clauses.append("started_at < ?"); arguments.append(.text(startedBefore)) }
        if let after = query.after {
            clauses.append("(started_at < ? OR (started_at = ? AND run_id > ?))")
            arguments += [.text(after.startedAt), .text(after.startedAt), .text(after.runID)]
        }
        if let text = query.text {
            // LOWER on both sides: SQLite's LIKE ignores ASCII case and PostgreSQL's does not.
            let pattern = SQLValue.text("%" + likeEscaped(text.lowercased()) + "%")
            clauses.append("""
                (LOWER(run_id) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(body, '')) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM agent_steps s \
                WHERE s.run_id = agent_runs.run_id AND (LOWER(s.description) LIKE ? ESCAPE '\\' OR LOWER(COALESCE(s.details, '')) LIKE ? ESCAPE '\\')))
                """)
            arguments += [pattern, pattern, pattern, pattern]
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    /// `text` with LIKE's wildcards and the escape character each escaped by a backslash.
    static func likeEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    static func selectRuns(_ query: RunQuery) -> SQLStatement {
        let (filter, arguments) = runFilter(query)
        // Timestamps are fixed-width text, so text order is time order on both backends.
        let order = query.endedAfter == nil ? "started_at DESC, run_id" : "ended_at, run_id"
        return SQLStatement("SELECT * FROM agent_runs \(filter) ORDER BY \(order) LIMIT ? OFFSET ?",
                            arguments + [SQLValue(max(0, query.limit)), SQLValue(max(0, query.offset))])
    }

    /// How many runs match `query` (its limit and offset aside), counted by the database.
    static func countRuns(_ query: RunQuery) -> SQLStatement {
        let (filter, arguments) = runFilter(query)
        return SQLStatement("SELECT COUNT(*) AS n FROM agent_runs \(filter)", arguments)
    }

    static func completeRun(_ run: AgentRun) -> SQLStatement {
        SQLStatement("UPDATE agent_runs SET status = ?, ended_at = ? WHERE run_id = ?",
                     [.text(run.status.rawValue), SQLValue(run.endedAt), .text(run.runID)])
    }

    static func recordOutcome(runID: String, playbooksExecuted: Int, verificationsPassed: Int, verificationsFailed: Int) -> SQLStatement {
        SQLStatement("""
            UPDATE agent_runs SET playbooks_executed = playbooks_executed + ?,
                verifications_passed = verifications_passed + ?, verifications_failed = verifications_failed + ?
            WHERE run_id = ?
            """, [SQLValue(playbooksExecuted), SQLValue(verificationsPassed), SQLValue(verificationsFailed), .text(runID)])
    }

    /// Records an event id; a conflict does nothing (zero rows changed): the event was applied before.
    static func insertEvent(_ event: AgentEvent) -> SQLStatement {
        SQLStatement("""
            INSERT INTO agent_events (event_id, event_type, run_id, received_at) VALUES (?, ?, ?, ?)
            ON CONFLICT(event_id) DO NOTHING
            """, [.text(event.eventID), .text(event.type), .text(event.runID), .text(Timestamp.now())])
    }

    static func stepExists(_ stepID: String) -> SQLStatement {
        SQLStatement("SELECT 1 AS found FROM agent_steps WHERE step_id = ?", [.text(stepID)])
    }

    static func insertStep(_ step: TimelineStep) -> SQLStatement {
        SQLStatement("""
            INSERT INTO agent_steps (step_id, run_id, timestamp, step_type, subsystem, description, status,
                duration_ms, details, playbook_id, verification_id, updated_at, ended_at, span_id, parent_span_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(step.stepID), .text(step.runID), .text(step.timestamp), .text(step.stepType), .text(step.subsystem),
                  .text(step.description), .text(step.status.rawValue), SQLValue(step.durationMS), SQLValue(step.details?.jsonText),
                  SQLValue(step.playbookID), SQLValue(step.verificationID), .text(Timestamp.now()), SQLValue(step.endedAt),
                  SQLValue(step.spanID), SQLValue(step.parentSpanID)])
    }

    static func selectStep(runID: String, stepID: String, _ dialect: SQLDialect) -> SQLStatement {
        SQLStatement("SELECT * FROM agent_steps WHERE step_id = ? AND run_id = ?" + dialect.lockRow, [.text(stepID), .text(runID)])
    }

    static func updateStep(_ step: TimelineStep) -> SQLStatement {
        SQLStatement("""
            UPDATE agent_steps SET status = ?, duration_ms = ?, details = ?, description = ?, updated_at = ?, ended_at = ?
            WHERE step_id = ?
            """, [.text(step.status.rawValue), SQLValue(step.durationMS), SQLValue(step.details?.jsonText), .text(step.description),
                  .text(Timestamp.now()), SQLValue(step.endedAt), .text(step.stepID)])
    }

    static func selectSteps(runID: String, _ dialect: SQLDialect) -> SQLStatement {
        SQLStatement("SELECT \(TimelineStep.selection) FROM agent_steps WHERE run_id = ? ORDER BY timestamp, \(dialect.insertionOrder)", [.text(runID)])
    }

    // MARK: approvals

    static func insertApproval(_ request: ApprovalRequest) -> SQLStatement {
        SQLStatement("""
            INSERT INTO approval_requests (event_id, status, requested_by, reason, playbook_id, pattern_id, run_id,
                decision_by, decision_claimed_by, decision_reason, created_at, decided_at, details, node_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(request.eventID), .text(request.status.rawValue), .text(request.requestedBy), .text(request.reason),
                  SQLValue(request.playbookID), SQLValue(request.patternID), SQLValue(request.runID), SQLValue(request.decisionBy),
                  SQLValue(request.decisionClaimedBy), SQLValue(request.decisionReason), .text(request.createdAt), SQLValue(request.decidedAt),
                  SQLValue(request.details?.jsonText), SQLValue(request.nodeID)])
    }

    static func selectApproval(_ id: String, _ dialect: SQLDialect, locking: Bool = false) -> SQLStatement {
        SQLStatement("SELECT * FROM approval_requests WHERE event_id = ?" + (locking ? dialect.lockRow : ""), [.text(id)])
    }

    private static func approvalFilter(status: ApprovalRequest.Status?, node: String?) -> (sql: String, arguments: [SQLValue]) {
        var clauses: [String] = []
        var arguments: [SQLValue] = []
        if let status { clauses.append("status = ?"); arguments.append(.text(status.rawValue)) }
        if let node { clauses.append("node_id = ?"); arguments.append(.text(node)) }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }

    static func selectApprovals(status: ApprovalRequest.Status?, node: String? = nil, limit: Int) -> SQLStatement {
        let (filter, arguments) = approvalFilter(status: status, node: node)
        return SQLStatement("SELECT * FROM approval_requests \(filter) ORDER BY created_at DESC, id DESC LIMIT ?",
                            arguments + [SQLValue(max(0, limit))])
    }

    static func countApprovals(status: ApprovalRequest.Status?, node: String?) -> SQLStatement {
        let (filter, arguments) = approvalFilter(status: status, node: node)
        return SQLStatement("SELECT COUNT(*) AS n FROM approval_requests \(filter)", arguments)
    }

    static func decideApproval(_ request: ApprovalRequest) -> SQLStatement {
        SQLStatement("""
            UPDATE approval_requests SET status = ?, decision_by = ?, decision_claimed_by = ?, decision_reason = ?, decided_at = ?
            WHERE event_id = ? AND status = 'pending'
            """, [.text(request.status.rawValue), SQLValue(request.decisionBy), SQLValue(request.decisionClaimedBy),
                  SQLValue(request.decisionReason),
                  SQLValue(request.decidedAt), .text(request.eventID)])
    }

    /// Moves approved -> executed; affects one row for exactly one caller, however many race.
    static func markExecuted(_ id: String) -> SQLStatement {
        SQLStatement("UPDATE approval_requests SET status = 'executed' WHERE event_id = ? AND status = 'approved'", [.text(id)])
    }

    /// Pending requests created before `cutoff`: the ones to expire.
    static func expirableApprovals(createdBefore cutoff: String, _ dialect: SQLDialect) -> SQLStatement {
        SQLStatement("SELECT * FROM approval_requests WHERE status = 'pending' AND created_at < ? ORDER BY created_at, id" + dialect.lockRow,
                     [.text(cutoff)])
    }

    /// Ends a claimed (`executed`) request with its playbook's outcome and the details that link it.
    static func finishApproval(_ request: ApprovalRequest) -> SQLStatement {
        SQLStatement("UPDATE approval_requests SET status = ?, details = ? WHERE event_id = ? AND status = 'executed'",
                     [.text(request.status.rawValue), SQLValue(request.details?.jsonText), .text(request.eventID)])
    }

    /// The oldest approved, unexecuted request a node owns, locked so no other poller takes it too.
    static func claimableApproval(node: String, _ dialect: SQLDialect) -> SQLStatement {
        SQLStatement("""
            SELECT * FROM approval_requests WHERE status = 'approved' AND node_id = ?
            ORDER BY decided_at, id LIMIT 1
            """ + dialect.lockSkippingLocked, [.text(node)])
    }

    // MARK: audit

    static let auditHead = SQLStatement("SELECT sequence, entry_hash FROM immutable_log ORDER BY sequence DESC LIMIT 1")

    static func insertAudit(_ entry: AuditEntry) -> SQLStatement {
        SQLStatement("""
            INSERT INTO immutable_log (sequence, timestamp, actor, action, resource, subsystem, payload, result,
                previous_hash, entry_hash, node_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.integer(entry.sequence), .text(entry.timestamp), .text(entry.actor), .text(entry.action), .text(entry.resource),
                  .text(entry.subsystem), .text(entry.payload), .text(entry.result), .text(entry.previousHash), .text(entry.entryHash),
                  SQLValue(entry.nodeID)])
    }

    static func auditTail(before sequence: Int64?, limit: Int, mentioning text: String? = nil) -> SQLStatement {
        var clauses: [String] = []
        var arguments: [SQLValue] = []
        if let sequence { clauses.append("sequence < ?"); arguments.append(SQLValue(sequence)) }
        if let text {
            // LOWER on both sides: SQLite's LIKE ignores ASCII case and PostgreSQL's does not.
            let pattern = SQLValue.text("%" + likeEscaped(text.lowercased()) + "%")
            clauses.append("(LOWER(resource) LIKE ? ESCAPE '\\' OR LOWER(payload) LIKE ? ESCAPE '\\')")
            arguments += [pattern, pattern]
        }
        let filter = clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")
        return SQLStatement("SELECT * FROM immutable_log\(filter) ORDER BY sequence DESC LIMIT ?", arguments + [SQLValue(max(0, limit))])
    }

    static let auditChain = SQLStatement("SELECT * FROM immutable_log ORDER BY sequence")

    // MARK: metrics

    static func insertSnapshot(_ snapshot: MetricSnapshot) -> SQLStatement {
        SQLStatement("""
            INSERT INTO metrics_snapshots (snapshot_id, metric_id, resource_scope, resource_id, window_start, window_end,
                stats_json, bands_json, latest_band, derived_actions_json, created_at, node_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(snapshot.snapshotID), .text(snapshot.metricID), .text(snapshot.resourceScope), .text(snapshot.resourceID),
                  .text(snapshot.windowStart), .text(snapshot.windowEnd), .text(snapshot.stats.jsonText), .text(snapshot.bands.jsonText),
                  .text(snapshot.latestBand.rawValue), .text(snapshot.derivedActions.jsonText), .text(snapshot.createdAt),
                  SQLValue(snapshot.nodeID)])
    }

    /// The newest snapshot of each metric on each node.
    static let latestSnapshots = SQLStatement("""
        SELECT * FROM metrics_snapshots AS s
        WHERE s.id = (SELECT id FROM metrics_snapshots AS o
                      WHERE o.metric_id = s.metric_id AND o.node_id IS NOT DISTINCT FROM s.node_id
                      ORDER BY window_end DESC, id DESC LIMIT 1)
        ORDER BY s.metric_id, s.node_id
        """)

    static func recentSnapshots(limit: Int) -> SQLStatement {
        SQLStatement("SELECT * FROM metrics_snapshots ORDER BY window_end DESC, id DESC LIMIT ?", [SQLValue(max(0, limit))])
    }

    // MARK: verifications and playbooks

    static func insertVerification(_ event: VerificationEvent) -> SQLStatement {
        SQLStatement("""
            INSERT INTO verification_events (verification_id, verification_type, target_component, verification_method,
                result, passed, confidence, details, verified_by, run_id, playbook_id, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(event.verificationID), .text(event.verificationType), .text(event.targetComponent),
                  .text(event.verificationMethod), .text(event.result), SQLValue(event.passed), SQLValue(event.confidence),
                  SQLValue(event.details?.jsonText), .text(event.verifiedBy), SQLValue(event.runID), SQLValue(event.playbookID),
                  .text(event.createdAt)])
    }

    static func recentVerifications(limit: Int) -> SQLStatement {
        SQLStatement("SELECT * FROM verification_events ORDER BY created_at DESC, id DESC LIMIT ?", [SQLValue(max(0, limit))])
    }

    static func upsertPlaybook(_ playbook: PlaybookRecord) -> SQLStatement {
        SQLStatement("""
            INSERT INTO playbooks (id, name, description, service, severity, risk_level, autonomy_tier, preconditions,
                parameters_schema, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET name = excluded.name, description = excluded.description,
                service = excluded.service, severity = excluded.severity, risk_level = excluded.risk_level,
                autonomy_tier = excluded.autonomy_tier, preconditions = excluded.preconditions,
                parameters_schema = excluded.parameters_schema
            """, [.text(playbook.id), .text(playbook.name), .text(playbook.description), .text(playbook.service),
                  .text(playbook.severity), .text(playbook.riskLevel.rawValue), .text(playbook.autonomyTier.description),
                  SQLValue(playbook.preconditions?.jsonText), SQLValue(playbook.parametersSchema?.jsonText), .text(playbook.createdAt)])
    }

    static let selectPlaybooks = SQLStatement("SELECT * FROM playbooks ORDER BY id")

    static func upsertPlaybookRun(_ run: PlaybookRun) -> SQLStatement {
        SQLStatement("""
            INSERT INTO playbook_runs (id, playbook_id, pattern_id, run_id, status, decision, started_at, ended_at, details)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, details = excluded.details
            """, [.text(run.id), .text(run.playbookID), SQLValue(run.patternID), SQLValue(run.runID), .text(run.status.rawValue),
                  .text(run.decision), .text(run.startedAt), SQLValue(run.endedAt), SQLValue(run.details?.jsonText)])
    }

    static func playbookRuns(since timestamp: String?, limit: Int) -> SQLStatement {
        SQLStatement("SELECT * FROM playbook_runs WHERE started_at >= ? ORDER BY started_at DESC LIMIT ?",
                     [.text(timestamp ?? ""), SQLValue(max(0, limit))])
    }

    /// Playbook runs started at or after `timestamp` whose status is not one of `excluded`.
    static func countPlaybookRuns(since timestamp: String, excluding excluded: [PlaybookRun.Status]) -> SQLStatement {
        let exclusion = excluded.isEmpty ? "" : " AND status NOT IN (" + excluded.map { _ in "?" }.joined(separator: ", ") + ")"
        return SQLStatement("SELECT COUNT(*) AS n FROM playbook_runs WHERE started_at >= ?" + exclusion,
                            [.text(timestamp)] + excluded.map { .text($0.rawValue) })
    }

    static func playbookExecutions(playbookID: String, patternID: String, since timestamp: String) -> SQLStatement {
        SQLStatement("""
            SELECT * FROM playbook_runs WHERE playbook_id = ? AND pattern_id = ? AND decision = 'execute' AND started_at >= ?
            ORDER BY started_at, id
            """, [.text(playbookID), .text(patternID), .text(timestamp)])
    }

    static func recordAttempt(playbookID: String, patternID: String, succeeded: Bool, at timestamp: String) -> SQLStatement {
        SQLStatement("""
            INSERT INTO playbook_stats (playbook_id, pattern_id, attempts, successes, last_run_at) VALUES (?, ?, 1, ?, ?)
            ON CONFLICT(playbook_id, pattern_id) DO UPDATE SET attempts = playbook_stats.attempts + 1,
                successes = playbook_stats.successes + excluded.successes, last_run_at = excluded.last_run_at
            """, [.text(playbookID), .text(patternID), SQLValue(succeeded), .text(timestamp)])
    }

    static let selectStats = SQLStatement("SELECT * FROM playbook_stats ORDER BY pattern_id, playbook_id")
}
