import Foundation
import GraceCore
import GraceStore
import Logging
import ServiceLifecycle

/// Runs the playbooks of approved requests this node raised, each exactly once.
///
/// An approval may be given on any node (API or CLI); the node that raised it owns the playbook's
/// target, so only it runs it. ``ApprovalRepository/claimApproved(node:)`` hands a request to one
/// claimer only, however many pollers race (PostgreSQL: `FOR UPDATE SKIP LOCKED`).
public struct ApprovalExecutor: Sendable {
    let nodeID: String
    let repositories: GraceRepositories
    let healer: SelfHealer
    let logger: Logger
    /// Pending requests older than this expire (`GRACE_APPROVAL_EXPIRY_HOURS`).
    let expiryHours: Int
    /// Applies fixes meant for the supervised service (``SelfHealer/isTargetApproval(_:)``);
    /// nil when this node supervises none.
    let targetFixes: (@Sendable (ApprovalRequest, SignatureMatch) async -> SelfHealer.Outcome?)?

    public init(nodeID: String, repositories: GraceRepositories, healer: SelfHealer, logger: Logger, expiryHours: Int = 72,
                targetFixes: (@Sendable (ApprovalRequest, SignatureMatch) async -> SelfHealer.Outcome?)? = nil) {
        self.expiryHours = expiryHours
        self.nodeID = nodeID
        self.repositories = repositories
        self.healer = healer
        self.logger = logger
        self.targetFixes = targetFixes
    }

    /// Claims and runs every approved request waiting for this node; returns the ids it ran.
    /// While execution is disabled (observe-only, `SELF_HEAL_EXECUTE=false`) nothing is claimed:
    /// approved requests wait, approved, until it is enabled.
    @discardableResult
    public func drain() async throws -> [String] {
        try await expireStale()
        guard healer.policy.mayExecute else { return [] }
        var executed: [String] = []
        while let approval = try await repositories.approvals.claimApproved(node: nodeID) {
            executed.append(approval.eventID)
            await execute(approval)
        }
        return executed
    }

    /// Expires the pending requests nobody decided within ``expiryHours``, auditing each; a
    /// confirmation nobody gave leaves its fix unverified: it counts as failed.
    @discardableResult
    public func expireStale(now: Date = Date()) async throws -> [ApprovalRequest] {
        let cutoff = Timestamp.string(from: now.addingTimeInterval(-Double(expiryHours) * 3600))
        let expired = try await repositories.approvals.expire(createdBefore: cutoff, hours: expiryHours)
        for approval in expired {
            logger.notice("approval \(approval.eventID) expired: \(approval.decisionReason ?? "")", metadata: [
                "subsystem": "governance", "event_type": "approval_expired", "approval_id": "\(approval.eventID)",
                "playbook_id": "\(approval.playbookID ?? "-")"])
            await repositories.audit(AuditEvent(actor: "grace", action: "approval.expire", resource: "approval/\(approval.eventID)",
                                                subsystem: "governance", payload: ["playbook_id": approval.playbookID.map(JSONValue.string) ?? .null,
                                                                                   "created_at": .string(approval.createdAt)],
                                                result: "expired"), logger: logger)
            if SelfHealer.awaitsConfirmation(approval.details) { await healer.settleConfirmation(approval, confirmed: false) }
        }
        return expired
    }

    private func execute(_ approval: ApprovalRequest) async {
        let id = approval.eventID
        var payload: [String: JSONValue] = ["playbook_id": approval.playbookID.map(JSONValue.string) ?? .null]
        let result: String
        if SelfHealer.awaitsConfirmation(approval.details) {
            // Approving a confirmation request (the API's approve) confirms the fix a person made: nothing runs again.
            await healer.settleConfirmation(approval, confirmed: true)
            payload["detail"] = .string("confirmed by \(approval.decisionBy ?? "a person")")
            result = "confirmed"
        } else if let match = SelfHealer.match(fromApprovalDetails: approval.details) {
            // A fix for the supervised service must reach the service, never Grace's own home.
            let outcome = SelfHealer.isTargetApproval(approval.details)
                ? await targetFixes?(approval, match)
                : await healer.handle(match, runID: approval.runID, approvedID: id)
            let detail = outcome?.attempt.detail ?? "no supervised service on this node (GRACE_TARGET_COMMAND); nothing ran"
            payload["detail"] = .string(detail)
            payload["playbook_run_id"] = outcome?.playbookRunID.map(JSONValue.string) ?? .null
            if let outcome, outcome.applied != nil {
                // Applied; the approval ends when the recovery is verified (``SelfHealer/settle``).
                result = "applied"
            } else if let outcome, let confirmation = outcome.confirmationID {
                // What was approved ran; the fix's outcome is the person's to confirm in `confirmation`.
                result = "awaiting_confirmation"
                await healer.finishApproval(id, succeeded: true, playbookRunID: outcome.playbookRunID,
                                            detail: "ran; a person confirms the fix in \(confirmation)")
            } else {
                let succeeded = outcome?.attempt.succeeded ?? false
                result = succeeded ? "succeeded" : "failed"
                await healer.finishApproval(id, succeeded: succeeded, playbookRunID: outcome?.playbookRunID, detail: detail)
            }
        } else {
            // Nothing says what to run: the approval fails rather than claiming a fix ran.
            let detail = "the approval records no failure to fix (no match in its details); nothing ran"
            payload["detail"] = .string(detail)
            result = "failed"
            await healer.finishApproval(id, succeeded: false, playbookRunID: nil, detail: detail)
        }
        logger.notice("approved playbook executed", metadata: ["subsystem": "governance", "event_type": "approval_executed",
                                                               "approval_id": "\(id)", "result": "\(result)"])
        do {
            _ = try await repositories.audit.append(AuditEvent(actor: "grace", action: "approval.execute", resource: "approval/\(id)",
                                                               subsystem: "governance", payload: .object(payload), result: result))
        } catch {
            logger.error("could not audit an executed approval", metadata: [
                "subsystem": "governance", "event_type": "store_error", "approval_id": "\(id)", "error": "\(error)"])
        }
    }
}

/// Polls for approved requests while Grace serves.
public struct ApprovalExecutorService: Service {
    let executor: ApprovalExecutor
    let interval: Duration

    public init(executor: ApprovalExecutor, interval: Duration = .seconds(1)) {
        self.executor = executor
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await executor.drain()
            } catch {
                executor.logger.warning("approval poll failed", metadata: ["subsystem": "governance", "error": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}
