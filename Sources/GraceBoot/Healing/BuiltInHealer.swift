import Foundation
import GraceCore
import GraceLog
import GraceStore

/// Heals what Grace's own stages find (a damaged database, an unclean shutdown), under governance.
///
/// Every decision is audited (when the store is usable) and recorded as a playbook run.
public struct BuiltInHealer: StageHealer {
    public init() {}

    public func heal(stage: String, findings: [Finding], in context: BootContext) async -> [HealingAttempt] {
        var attempts: [HealingAttempt] = []
        let damaged = findings.filter { $0.code == "database_damaged" }
        if !damaged.isEmpty {
            let restorer = SnapshotRestorer(snapshots: context.snapshots)
            let names = damaged.compactMap(\.resource).map(Self.fileName).joined(separator: ", ")
            // Worked out before governance: a restore that would discard rows still readable in the
            // damaged file is high risk, and waits for the operator whatever the playbook says.
            let candidates = Result { try restorer.candidates(for: damaged.compactMap(\.resource)) }
            // Without a healthy copy the plan says so, whatever governance decides; executing it fails with that error.
            let planned = try? candidates.get()
            let discards = planned?.contains { $0.plan.discardsReadableData } ?? false
            let plan: String
            switch candidates {
            case .success(let found): plan = "restore \(names) from the newest healthy snapshot (" + SnapshotRestorer.describe(found) + ")"
            case .failure(let error): plan = "restore \(names) from the newest healthy snapshot (not possible now: \(error))"
            }
            let approval = " To approve, with Grace stopped: " + (planned ?? []).map {
                "grace snapshot restore \($0.plan.snapshotID) --only \($0.name)" + ($0.plan.discardsReadableData ? " --discard-newer" : "")
            }.joined(separator: "; ")
            // Bounded like every unattended fix: a file damaged again and again (a failing disk, a
            // bad writer) is restored at most the breaker's number of times an hour, then waits.
            let breaker = GovernancePolicy(settings: context.settings).breaker
            let restores = breaker.state(unattendedFixesAt: restorer.restoreTimes(of: damaged.compactMap(\.resource)), now: Date())
            attempts.append(await govern(playbookID: "restore_database_snapshot", in: context, plan: plan,
                                         escalation: discards ? .high : nil, breaker: (restores, "database_damaged"), approvalHint: approval) {
                await context.closeStore()
                return try restorer.restore(candidates.get())
            })
        }
        if findings.contains(where: { $0.code == "unclean_shutdown" }) {
            attempts.append(await govern(playbookID: "recover_after_unclean_shutdown", in: context,
                                         plan: "checkpoint both write-ahead logs and re-check integrity") {
                let health = try await context.requireStore().health()
                guard health.allSatisfy(\.isHealthy) else { throw HealingError("integrity check failed after recovery: \(health)") }
                return "databases checked: " + health.map { "\(Self.fileName($0.path)) \($0.integrity)" }.joined(separator: ", ")
            })
        }
        return attempts
    }

    struct HealingError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    static func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    /// Applies governance to one playbook, runs `action` when allowed, and records everything.
    ///
    /// `escalation` raises the playbook's risk for this one decision (a restore that would discard
    /// newer data); `approvalHint` tells the operator how to approve it.
    private func govern(playbookID: String, in context: BootContext, plan: String, escalation: RiskLevel? = nil,
                        breaker: (state: FixBreaker.State, patternID: String)? = nil, approvalHint: String = "",
                        action: () async throws -> String) async -> HealingAttempt {
        let playbook = context.playbooks.first { $0.id == playbookID } ?? (try? BuiltInPlaybooks.load())?.first { $0.id == playbookID }
        let risk = max(playbook?.riskLevel ?? .critical, escalation ?? .low)
        let tier = playbook?.autonomyTier ?? .tier0
        let policy = GovernancePolicy(settings: context.settings)
        let decision = breaker.map { policy.decide(risk: risk, tier: tier, breaker: $0.state) } ?? policy.decide(risk: risk, tier: tier)
        let breakerNote = breaker.flatMap { breaker in
            breaker.state.isOpen ? " " + policy.breaker.explanation(breaker.state, patternID: breaker.patternID, playbookID: playbookID) + "." : nil
        } ?? ""
        var attempt = HealingAttempt(playbookID: playbookID, decision: decision.rawValue, succeeded: false, detail: plan)
        await withPlaybook(playbookID) {
            switch decision {
            case .observe:
                attempt.detail = "observe only (SELF_HEAL_OBSERVE_ONLY / SELF_HEAL_EXECUTE): would \(plan)"
            case .awaitApproval:
                attempt.detail = "approval required (\(risk.rawValue) risk, \(tier)): would \(plan)." + breakerNote + approvalHint
                if let store = context.store {
                    _ = try? await store.repositories.approvals.create(ApprovalRequest(
                        requestedBy: "grace", reason: attempt.detail, playbookID: playbookID, runID: context.runID))
                }
            case .execute:
                do {
                    attempt.detail = try await action()
                    attempt.succeeded = true
                } catch {
                    attempt.detail = "\(plan) failed: \(error)"
                }
            }
            context.logger.notice("healing decision", metadata: [
                "subsystem": "self_heal", "event_type": "playbook_decision", "decision": "\(decision.rawValue)",
                "succeeded": "\(attempt.succeeded)", "detail": "\(attempt.detail)"])
            await record(attempt, in: context)
        }
        return attempt
    }

    private func record(_ attempt: HealingAttempt, in context: BootContext) async {
        guard let store = context.store else { return }
        let repositories = store.repositories
        let status: PlaybookRun.Status = attempt.decision != GovernanceDecision.execute.rawValue ? .observed : attempt.succeeded ? .succeeded : .failed
        try? await repositories.playbooks.record(PlaybookRun(playbookID: attempt.playbookID, runID: context.runID, status: status,
                                                             decision: attempt.decision, endedAt: Timestamp.now(),
                                                             details: ["detail": .string(attempt.detail)]))
        _ = try? await repositories.audit.append(AuditEvent(
            actor: "grace", action: "playbook.\(attempt.decision)", resource: "playbook/\(attempt.playbookID)", subsystem: "self_heal",
            payload: ["run_id": .string(context.runID), "detail": .string(attempt.detail)],
            result: attempt.decision == "execute" ? (attempt.succeeded ? "succeeded" : "failed") : attempt.decision))
    }

}
