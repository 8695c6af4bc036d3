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
    /// Applies fixes meant for the supervised service (``SelfHealer/isTargetApproval(_:)``);
    /// nil when this node supervises none.
    let targetFixes: (@Sendable (ApprovalRequest, SignatureMatch) async -> SelfHealer.Outcome?)?

    public init(nodeID: String, repositories: GraceRepositories, healer: SelfHealer, logger: Logger,
                targetFixes: (@Sendable (ApprovalRequest, SignatureMatch) async -> SelfHealer.Outcome?)? = nil) {
        self.nodeID = nodeID
        self.repositories = repositories
        self.healer = healer
        self.logger = logger
        self.targetFixes = targetFixes
    }

    /// Claims and runs every approved request waiting for this node; returns the ids it ran.
    @discardableResult
    public func drain() async throws -> [String] {
        var executed: [String] = []
        while let approval = try await repositories.approvals.claimApproved(node: nodeID) {
            executed.append(approval.eventID)
            await execute(approval)
        }
        return executed
    }

    private func execute(_ approval: ApprovalRequest) async {
        let id = approval.eventID
        var payload: [String: JSONValue] = ["playbook_id": approval.playbookID.map(JSONValue.string) ?? .null]
        let result: String
        if let match = SelfHealer.match(fromApprovalDetails: approval.details) {
            // A fix for the supervised service must reach the service, never Grace's own home.
            let outcome = SelfHealer.isTargetApproval(approval.details)
                ? await targetFixes?(approval, match)
                : await healer.handle(match, runID: approval.runID, approvedID: id)
            payload["detail"] = .string(outcome?.attempt.detail ?? "no supervised service on this node (GRACE_TARGET_COMMAND); nothing ran")
            result = outcome.map { $0.attempt.succeeded ? "succeeded" : "failed" } ?? "nothing_to_run"
        } else {
            result = "nothing_to_run"
        }
        logger.notice("approved playbook executed", metadata: ["subsystem": "governance", "event_type": "approval_executed",
                                                               "approval_id": "\(id)", "result": "\(result)"])
        _ = try? await repositories.audit.append(AuditEvent(actor: "grace", action: "approval.execute", resource: "approval/\(id)",
                                                            subsystem: "governance", payload: .object(payload), result: result))
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
