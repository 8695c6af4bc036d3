import Foundation
import GraceCore
import GraceLog
import GraceStore

/// Turns what Grace's own stages find (a damaged database, an unclean shutdown) into matches of
/// ``StageFailurePatterns`` and hands them to the ``SelfHealer``: the same governance, approvals,
/// playbook actions, verification, audit and learning as every other fix.
///
/// What only this healer knows goes in with the match (``SelfHealer/Conditions``): a restore that
/// would discard rows still readable in the damaged file is high risk; restores are counted from
/// the damaged copies kept beside each database, since the store they would be counted in is the
/// one that is damaged; and the plan names the snapshot and how to approve it by hand.
public struct BuiltInHealer: StageHealer {
    public init() {}

    public func heal(stage: String, findings: [Finding], in context: BootContext) async -> [HealingAttempt] {
        await healVerifiedByRerun(stage: stage, findings: findings, in: context).attempts
    }

    public func healVerifiedByRerun(stage: String, findings: [Finding], in context: BootContext) async -> StageHealing {
        let damaged = findings.filter { $0.code == "database_damaged" }
        let unclean = findings.filter { $0.code == "unclean_shutdown" }
        guard !damaged.isEmpty || !unclean.isEmpty else { return StageHealing(attempts: []) }
        let healer: SelfHealer
        do {
            healer = try KnowledgeBaseHealer.makeHealer(for: context)
        } catch {
            let detail = "cannot heal: the knowledge base cannot be used (\(error))"
            context.logger.error("\(detail)", metadata: ["subsystem": "self_heal", "event_type": "playbook_decision"])
            return StageHealing(attempts: [HealingAttempt(playbookID: "-", decision: GovernanceDecision.observe.rawValue, succeeded: false, detail: detail)])
        }
        var healing = StageHealing(attempts: [])
        func handle(_ match: SignatureMatch, _ conditions: SelfHealer.Conditions) async {
            let outcome = await healer.handle(match, runID: context.runID, verifiesRecovery: true, conditions: conditions)
            healing.attempts.append(outcome.attempt)
            if let applied = outcome.applied { healing.pending.append(PendingStageFix(healer: healer, fix: applied)) }
        }
        if !damaged.isEmpty {
            let paths = damaged.compactMap(\.resource)
            await handle(Self.match("database_damaged", damaged, captures: ["database": paths.map(Self.fileName).joined(separator: ",")]),
                         restoreConditions(for: paths, in: context))
        }
        if !unclean.isEmpty {
            let match = Self.match("unclean_shutdown", unclean, captures: [:])
            let conditions = SelfHealer.Conditions(plan: "checkpoint both write-ahead logs and check both databases' integrity")
            if context.store == nil {
                // Found before the store opens: handled once it has, so its decision, approval
                // and outcome are stored (its own check, not a stage re-run, verifies it).
                context.deferSettling([{ repositories in
                    // The store never opened (a database still damaged or unavailable): its files
                    // are left exactly as they are, evidence included; nothing is checkpointed.
                    guard let repositories else {
                        context.logger.warning("the unclean shutdown is not recovered: the store did not open", metadata: [
                            "subsystem": "self_heal", "event_type": "playbook_decision", "pattern_id": "unclean_shutdown"])
                        return
                    }
                    _ = await healer.recording(to: repositories).handle(match, runID: context.runID, conditions: conditions)
                }])
            } else {
                await handle(match, conditions)
            }
        }
        return healing
    }

    /// The restore's plan, its risk, its breaker and the command that approves it by hand.
    private func restoreConditions(for paths: [String], in context: BootContext) -> SelfHealer.Conditions {
        let restorer = SnapshotRestorer(snapshots: context.snapshots)
        let names = paths.map(Self.fileName).joined(separator: ", ")
        let plan: String
        var planned: [SnapshotRestorer.Candidate] = []
        do {
            planned = try restorer.candidates(for: paths)
            plan = "restore \(names) from the newest healthy snapshot (" + SnapshotRestorer.describe(planned) + ")"
        } catch {
            // Without a healthy copy the plan says so; executing it fails with that error.
            plan = "restore \(names) from the newest healthy snapshot (not possible now: \(error))"
        }
        let discards = planned.contains { $0.plan.discardsReadableData }
        let hint = planned.isEmpty ? "" : " To approve, with Grace stopped: " + planned.map {
            "grace snapshot restore \($0.plan.snapshotID) --only \($0.name)" + ($0.plan.discardsReadableData ? " --discard-newer" : "")
        }.joined(separator: "; ")
        // Bounded like every unattended fix: a file damaged again and again (a failing disk, a bad
        // writer) is restored at most the breaker's number of times an hour, then waits.
        let breaker = GovernancePolicy(settings: context.settings).breaker
        let restores = breaker.state(unattendedFixesAt: restorer.restoreTimes(of: paths), now: Date())
        return SelfHealer.Conditions(minimumRisk: discards ? .high : nil, breaker: restores, plan: plan, approvalHint: hint)
    }

    static func match(_ patternID: String, _ findings: [Finding], captures: [String: String]) -> SignatureMatch {
        SignatureMatch(patternID: patternID, lineNumber: 0,
                       line: findings.map { [$0.message, $0.evidence].filter { !$0.isEmpty }.joined(separator: ": ") }.joined(separator: "; "),
                       captures: captures)
    }

    static func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }
}
