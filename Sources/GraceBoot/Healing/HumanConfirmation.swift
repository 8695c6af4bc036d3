import Foundation
import GraceCore
import GraceStore

/// Fixes only a person can complete or check (break an import cycle, await a coroutine, a
/// pattern verified `manual`): the playbook's automatic part runs, then the fix waits for that
/// person instead of failing. A confirmation request (an approval whose details say
/// `"awaiting": "confirmation"`) holds it; `grace approvals confirm ID` settles it as succeeded,
/// `grace approvals reject ID` as failed, and only then is the attempt counted.
extension SelfHealer {
    /// Whether an approval request waits for a person to confirm a fix rather than to allow one.
    public static func awaitsConfirmation(_ details: JSONValue?) -> Bool {
        details?["awaiting"]?.stringValue == "confirmation"
    }

    /// Leaves `fix` running and asks a person to confirm it: one open request per failure.
    func awaitConfirmation(_ request: HealingRequest, fix: AppliedFix, asking what: String) async -> Outcome {
        let pattern = request.pattern
        var approvalID: String?
        var detail: String
        if let repositories {
            do {
                // The approval that ran this fix (if one did) is not the confirmation it waits for.
                if let existing = try await openApproval(for: failureKey(request.match), in: repositories), existing.eventID != fix.approvalID {
                    approvalID = existing.eventID
                    detail = "already waiting on \(existing.eventID)"
                } else {
                    let stored = try await repositories.approvals.create(ApprovalRequest(
                        requestedBy: "grace", reason: "\(pattern.title): \(what) Once done, confirm it: grace approvals confirm ID (or reject ID).",
                        playbookID: request.playbook.id, patternID: pattern.id, runID: request.runID,
                        details: ["match": matchJSON(request.match), "scope": .string(environment.scope), "awaiting": "confirmation",
                                  "playbook_run_id": .string(fix.playbookRunID), "started_at": .string(fix.startedAt)]))
                    approvalID = stored.eventID
                    detail = "waiting for a person to confirm (\(stored.eventID))"
                }
            } catch {
                detail = "a person must confirm the fix, but the request could not be stored: \(error)"
                logger.error("could not store a confirmation request", metadata: [
                    "subsystem": "self_heal", "event_type": "store_error", "pattern_id": "\(pattern.id)", "error": "\(error)"])
            }
        } else {
            detail = "a person must confirm the fix, but the store is unavailable"
        }
        let attempt = HealingAttempt(playbookID: request.playbook.id, patternID: pattern.id, decision: GovernanceDecision.execute.rawValue,
                                     succeeded: false, detail: "awaiting confirmation: \(what) \(detail)")
        await record(attempt, pattern: pattern, runID: request.runID, playbookRun: playbookRun(fix, status: .running, endedAt: nil),
                     audit: ["approval_id": approvalID.map(JSONValue.string) ?? .null], result: "awaiting_confirmation")
        return Outcome(attempt: attempt, decision: .execute, approvalID: approvalID, playbookRunID: fix.playbookRunID, confirmationID: approvalID)
    }

    /// Settles the fix a confirmation request waits on, once a person confirmed it (`confirmed`)
    /// or rejected it: a `human_confirmation` verification, the playbook run ended, the attempt
    /// counted, and the request (claimed: `executed`) ended `succeeded` or `failed`.
    public func settleConfirmation(_ approval: ApprovalRequest, confirmed: Bool) async {
        let details = approval.details
        let who = approval.decisionBy ?? "a person"
        let why = approval.decisionReason.map { ": " + $0 } ?? ""
        let fix = AppliedFix(playbookRunID: details?["playbook_run_id"]?.stringValue ?? Identifier.make(prefix: "pbr"),
                             patternID: approval.patternID ?? "-", playbookID: approval.playbookID ?? "-", runID: approval.runID,
                             approvalID: approval.eventID, startedAt: details?["started_at"]?.stringValue ?? approval.createdAt,
                             detail: confirmed ? "confirmed by \(who)\(why)" : "rejected by \(who)\(why)")
        await verifyRecovery(of: fix, verificationType: "human_confirmation", component: fix.patternID, method: "manual", runID: approval.runID,
                             passed: confirmed, result: fix.detail)
    }
}
