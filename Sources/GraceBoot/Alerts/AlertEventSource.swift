import Foundation
import GraceCore
import GraceStore

/// Finds what is worth an alert in the store, each with a key that is the same on every pass and
/// every node: pending approvals, failed or partial boots, crash loops, failed fixes, a broken audit
/// chain and new failure clusters. It only reads; which were already alerted is the deliveries' business.
public struct AlertEventSource: Sendable {
    let repositories: GraceRepositories
    /// Events older than this many hours are history (pending approvals are alerted while they wait).
    let lookbackHours: Int

    public init(repositories: GraceRepositories, lookbackHours: Int) {
        self.repositories = repositories
        self.lookbackHours = lookbackHours
    }

    /// How many of each source one pass reads at most.
    static let limit = 200
    /// Audit entries read for crash loops (the newest).
    static let auditWindow = 2000

    /// Every current event; a source that cannot be read is named in `failures` and the others still count.
    public func events(now: Date, verifyAudit: Bool) async -> (events: [AlertEvent], failures: [String]) {
        let cutoff = Timestamp.string(from: now.addingTimeInterval(-Double(lookbackHours) * 3600))
        var events: [AlertEvent] = []
        var failures: [String] = []
        func collect(_ source: String, _ read: () async throws -> [AlertEvent]) async {
            do { events += try await read() } catch { failures.append("\(source): \(error)") }
        }
        await collect("approvals") { try await approvalsWaiting() }
        await collect("boots") { try await failedBoots(since: cutoff) }
        await collect("crash loops") { try await crashLoops(since: cutoff) }
        await collect("fixes") { try await failedFixes(since: cutoff) }
        if verifyAudit { await collect("audit chain") { try await brokenAuditChain() } }
        await collect("failure clusters") { try await newClusters(since: cutoff) }
        return (events, failures)
    }

    func approvalsWaiting() async throws -> [AlertEvent] {
        try await repositories.approvals.approvals(status: .pending, limit: Self.limit).map { approval in
            let what = approval.playbookID.map { "playbook \($0)" } ?? "a fix"
            let pattern = approval.patternID.map { " for \($0)" } ?? ""
            return AlertEvent(kind: .approvalWaiting, id: approval.eventID,
                              title: "Approval \(approval.eventID) waits: \(what)\(pattern) (grace approvals approve \(approval.eventID))",
                              occurredAt: approval.createdAt, node: approval.nodeID,
                              details: ["approval_id": .string(approval.eventID), "playbook_id": JSONValue(approval.playbookID),
                                        "pattern_id": JSONValue(approval.patternID), "run_id": JSONValue(approval.runID),
                                        "reason": .string(approval.reason)])
        }
    }

    func failedBoots(since cutoff: String) async throws -> [AlertEvent] {
        var events: [AlertEvent] = []
        for status in [AgentRun.Status.failed, .partial] {
            for run in try await repositories.runs.runs(matching: RunQuery(status: status, kind: "boot", startedAfter: cutoff, limit: Self.limit)) {
                let failed = try await repositories.runs.steps(runID: run.runID).filter { $0.status == .failed }
                let stages = failed.prefix(5).map { $0.description.isEmpty ? $0.stepType : $0.description }
                let which = stages.isEmpty ? "" : ": " + stages.joined(separator: "; ")
                events.append(AlertEvent(kind: .bootFailed, id: run.runID, title: "Boot \(run.runID) \(status.rawValue)\(which)",
                                         occurredAt: run.endedAt ?? run.startedAt, node: run.nodeID,
                                         details: ["run_id": .string(run.runID), "status": .string(status.rawValue),
                                                   "failed_stages": .array(stages.map(JSONValue.string))]))
            }
        }
        return events
    }

    func crashLoops(since cutoff: String) async throws -> [AlertEvent] {
        try await repositories.audit.tail(limit: Self.auditWindow).filter { $0.action == "target.crash_loop" && $0.timestamp >= cutoff }.map { entry in
            let payload = JSONValue(jsonText: entry.payload) ?? .null
            let detail = payload["detail"]?.stringValue ?? "restarted too often"
            return AlertEvent(kind: .crashLoop, id: String(entry.entryHash.prefix(16)),
                              title: "The supervised service is in a crash loop and was given up: \(detail)",
                              occurredAt: entry.timestamp, node: entry.nodeID,
                              details: ["audit_sequence": .number(Double(entry.sequence)), "payload": payload])
        }
    }

    func failedFixes(since cutoff: String) async throws -> [AlertEvent] {
        try await repositories.playbooks.runs(since: cutoff, limit: Self.limit).filter { $0.status == .failed || $0.status == .rolledBack }.map { run in
            let pattern = run.patternID.map { " for \($0)" } ?? ""
            return AlertEvent(kind: .fixFailed, id: run.id, title: "Fix \(run.playbookID)\(pattern) \(run.status == .failed ? "failed" : "was rolled back")",
                              occurredAt: run.endedAt ?? run.startedAt,
                              details: ["playbook_run_id": .string(run.id), "playbook_id": .string(run.playbookID),
                                        "pattern_id": JSONValue(run.patternID), "run_id": JSONValue(run.runID),
                                        "status": .string(run.status.rawValue), "details": run.details ?? .null])
        }
    }

    func brokenAuditChain() async throws -> [AlertEvent] {
        let verification = try await repositories.audit.verify()
        guard let sequence = verification.firstBadSequence else { return [] }
        return [AlertEvent(kind: .auditChainBroken, id: "seq_\(sequence)",
                           title: "The audit chain is broken at entry \(sequence): \(verification.reason ?? "it does not verify")",
                           occurredAt: Timestamp.now(),
                           details: ["first_bad_sequence": .number(Double(sequence)), "reason": JSONValue(verification.reason),
                                     "entries_checked": .number(Double(verification.entriesChecked))])]
    }

    func newClusters(since cutoff: String) async throws -> [AlertEvent] {
        try await repositories.minedClusters.clusters(limit: Self.limit).filter { $0.firstSeen >= cutoff && $0.promotedPatternID == nil }.map { cluster in
            AlertEvent(kind: .failureCluster, id: cluster.clusterID,
                       title: "A new kind of failure no pattern knows: \(cluster.template) (\(cluster.count)x; grace patterns suggest)",
                       occurredAt: cluster.firstSeen,
                       details: ["cluster_id": .string(cluster.clusterID), "template": .string(cluster.template),
                                 "count": .number(Double(cluster.count)), "sources": .array(cluster.sources.map(JSONValue.string)),
                                 "example": JSONValue(cluster.examples.first?.line)])
        }
    }
}

private extension JSONValue {
    init(_ text: String?) { self = text.map(JSONValue.string) ?? .null }
}
