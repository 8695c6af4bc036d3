import GraceCore
import GraceLog
import GraceStore
import Hummingbird
import Logging

/// Human approvals of playbooks that may not run unattended: list, approve, reject.
/// Every decision is appended to the audit log with who decided, why, and the request id. Who
/// decided is who authenticated (``CallerIdentity``); a `decided_by` the caller sends (body or
/// query) is kept beside it as `claimed_by`, never as the actor.
struct ApprovalRoutes {
    let dependencies: ServerDependencies
    let logger: Logger

    /// An ``ApprovalRequest`` with `null` for unset fields.
    struct Payload: Encodable {
        let approval: ApprovalRequest

        enum CodingKeys: String, CodingKey {
            case eventID = "event_id", status, requestedBy = "requested_by", reason, playbookID = "playbook_id"
            case patternID = "pattern_id", runID = "run_id", decisionBy = "decision_by", decisionClaimedBy = "decision_claimed_by"
            case decisionReason = "decision_reason"
            case createdAt = "created_at", decidedAt = "decided_at", nodeID = "node_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(approval.eventID, forKey: .eventID)
            try container.encode(approval.status, forKey: .status)
            try container.encode(approval.requestedBy, forKey: .requestedBy)
            try container.encode(approval.reason, forKey: .reason)
            try container.encode(approval.playbookID, forKey: .playbookID)
            try container.encode(approval.patternID, forKey: .patternID)
            try container.encode(approval.runID, forKey: .runID)
            try container.encode(approval.decisionBy, forKey: .decisionBy)
            try container.encode(approval.decisionClaimedBy, forKey: .decisionClaimedBy)
            try container.encode(approval.decisionReason, forKey: .decisionReason)
            try container.encode(approval.createdAt, forKey: .createdAt)
            try container.encode(approval.decidedAt, forKey: .decidedAt)
            try container.encode(approval.nodeID, forKey: .nodeID)
        }
    }

    struct List: Encodable {
        var approvals: [Payload]
    }

    /// The optional body of approve and reject.
    struct Decision: Decodable {
        var reason: String?
        var decidedBy: String?

        enum CodingKeys: String, CodingKey { case reason, decidedBy = "decided_by" }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            reason = try container.decodeTextIfPresent(forKey: .reason, maxLength: 2000)
            decidedBy = try container.decodeTextIfPresent(forKey: .decidedBy, maxLength: 200)
        }
    }

    func register(on api: APIRouter) {
        api.get("/api/approvals") { request, _ in
            let query = QueryParameters(request)
            let status = try query.enumeration("status", ApprovalRequest.Status.self)
            let limit = try query.int("limit", default: 100, range: 1...1000)
            let node = try query.string("node", maxLength: 64)
            let found = try await dependencies.repositories.approvals.approvals(status: status, node: node, limit: limit)
            return JSONResponse.make(List(approvals: found.map(Payload.init(approval:))))
        }
        api.post("/api/approvals/{approval_id}/approve") { request, context in try await decide(request, context, approve: true) }
        api.post("/api/approvals/{approval_id}/reject") { request, context in try await decide(request, context, approve: false) }
    }

    func decide(_ request: Request, _ context: GraceRequestContext, approve: Bool) async throws -> Response {
        let id = try PathID.require("approval_id", kind: "approval", in: context)
        let decision = try await BodyReader.decodeIfPresent(Decision.self, from: request)
        let query = QueryParameters(request)
        // The body wins over the query, as the original clients send one or the other.
        let claimed = try decision?.decidedBy ?? query.string("decided_by", maxLength: 200)
        let reason = try decision?.reason ?? query.string("reason", maxLength: 2000)
        let actor = context.identity.rawValue
        let decided = try await dependencies.repositories.approvals.decide(id: id, approve: approve, by: actor, claimedBy: claimed, reason: reason)
        try await dependencies.repositories.audit.append(AuditEvent(
            actor: actor, action: approve ? "approval.approve" : "approval.reject", resource: "approval/\(id)", subsystem: "governance",
            payload: ["reason": reason.map(JSONValue.string) ?? .null, "playbook_id": decided.playbookID.map(JSONValue.string) ?? .null,
                      "claimed_by": claimed.map(JSONValue.string) ?? .null, "request_id": .string(context.requestID)],
            result: decided.status.rawValue))
        logger.notice("approval decided", metadata: ["subsystem": "governance", "event_type": "approval_decided",
                                                     "approval_id": "\(id)", "status": "\(decided.status.rawValue)", "by": "\(actor)",
                                                     "claimed_by": "\(claimed ?? "")"])
        return JSONResponse.make(Payload(approval: decided))
    }
}
