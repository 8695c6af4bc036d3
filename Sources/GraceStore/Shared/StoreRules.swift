import GraceCore

/// The state rules every backend enforces inside its transaction: each takes what the backend
/// read (nil when the row does not exist) and returns the value to write, or throws the error the
/// caller sees. Backends only fetch and write; the decisions live here, once.
enum StoreRules {
    static func completing(_ run: AgentRun?, runID: String, status: AgentRun.Status, at timestamp: String) throws -> AgentRun {
        guard status.isFinal else {
            throw StoreError.invalid("a run is completed with " + AgentRun.Status.finals.map(\.rawValue).joined(separator: ", ") + ", not \(status.rawValue)")
        }
        guard var run else { throw StoreError.notFound(kind: "run", id: runID) }
        guard run.status == .active else {
            throw StoreError.conflict("run \(runID) is already completed (status \(run.status.rawValue))")
        }
        run.status = status
        run.endedAt = timestamp
        return run
    }

    /// The step to insert into `run`: refused once the run is completed; a final step gets its end time.
    static func adding(_ step: TimelineStep, to run: AgentRun?) throws -> TimelineStep {
        guard let run else { throw StoreError.notFound(kind: "run", id: step.runID) }
        guard run.status == .active else {
            throw StoreError.conflict("run \(step.runID) is completed (status \(run.status.rawValue)); steps cannot be added")
        }
        var step = step
        step.settleEnd()
        return step
    }

    static func applying(_ update: StepUpdate, to step: TimelineStep?, stepID: String) throws -> TimelineStep {
        guard var step else { throw StoreError.notFound(kind: "step", id: stepID) }
        if let status = update.status {
            guard step.status.canMove(to: status) else {
                throw StoreError.conflict("step \(stepID) cannot go from \(step.status.rawValue) to \(status.rawValue)")
            }
            step.status = status
        }
        if let duration = update.durationMS { step.durationMS = duration }
        if let details = update.details { step.details = details }
        if let description = update.description { step.description = description }
        if let endedAt = update.endedAt { step.endedAt = endedAt }
        step.settleEnd()
        return step
    }

    /// What ingesting `spans` writes, trace by trace in run-id order and step by step in step-id
    /// order: two nodes writing overlapping batches take their row locks in one order, so neither
    /// waits on the other in a deadlock. A span sent twice in one batch counts once (the last).
    static func ingesting(_ spans: [TraceSpan]) -> [(run: AgentRun, hasRoot: Bool, steps: [TimelineStep])] {
        Dictionary(grouping: spans, by: \TraceSpan.traceID).sorted { $0.key < $1.key }.compactMap { _, spans in
            guard let run = TraceSpan.run(of: spans) else { return nil }
            var steps: [String: TimelineStep] = [:]
            for span in spans { steps[span.step.stepID] = span.step }
            return (run, spans.contains(where: \.isRoot), steps.values.sorted { $0.stepID < $1.stepID })
        }
    }

    /// The change a step event makes to the step stored under its id: everything it carries.
    static func update(moving stored: TimelineStep, to sent: TimelineStep) -> StepUpdate {
        StepUpdate(status: sent.status, durationMS: sent.durationMS, details: sent.details, description: sent.description,
                   endedAt: sent.endedAt)
    }

    static func deciding(_ request: ApprovalRequest?, id: String, approve: Bool, by: String, claimedBy: String?, reason: String?,
                         at timestamp: String) throws -> ApprovalRequest {
        guard var request else { throw StoreError.notFound(kind: "approval", id: id) }
        guard request.status == .pending else {
            throw StoreError.conflict("approval \(id) was already decided (status \(request.status.rawValue))")
        }
        request.status = approve ? .approved : .rejected
        request.decisionBy = by
        request.decisionClaimedBy = claimedBy
        request.decisionReason = reason
        request.decidedAt = timestamp
        return request
    }

    /// A pending request nobody decided within `hours`: expired, by Grace.
    static func expiring(_ request: ApprovalRequest, hours: Int, at timestamp: String) -> ApprovalRequest {
        var request = request
        request.status = .expired
        request.decisionBy = "grace"
        request.decisionReason = "no decision within \(hours) h (GRACE_APPROVAL_EXPIRY_HOURS); the next occurrence asks again"
        request.decidedAt = timestamp
        return request
    }

    /// The entry to append after `head` (the newest entry's sequence and hash, nil for an empty log).
    static func sealing(_ event: AuditEvent, after head: (sequence: Int64, hash: String)?, nodeID: String?) -> AuditEntry {
        AuditChain.seal(event, sequence: (head?.sequence ?? 0) + 1, previousHash: head?.hash ?? AuditEntry.genesisHash,
                        timestamp: Timestamp.now(), nodeID: nodeID)
    }
}
