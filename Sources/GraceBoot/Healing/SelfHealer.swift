import Foundation
import GraceCore
import GraceLog
import GraceStore
import Logging

/// Turns a recognised failure into a governed fix: picks the playbook (learning), decides
/// (governance and the circuit breaker), runs it or asks for approval, verifies, and records
/// everything: audit log, playbook runs, verification events, learning counters.
///
/// The one healing path: Grace's own stages (``KnowledgeBaseHealer``), the supervised service's
/// stages and its supervisor (``TargetHealer``) and approved fixes (``ApprovalExecutor``) all go
/// through ``handle(_:runID:approvedID:verifiesRecovery:)``, and every fix's outcome is counted by
/// one function once it is verified.
public struct SelfHealer: Sendable {
    public let knowledgeBase: KnowledgeBase
    public let playbooks: [Playbook]
    public let policy: GovernancePolicy
    public let environment: HealingEnvironment
    public let repositories: GraceRepositories?
    public let knowledgeFile: KnowledgeBaseStore?
    public let logger: Logger
    /// This node (`GRACE_NODE_ID`): the breaker counts its fixes, and its pending approvals are reused.
    public let nodeID: String?

    public init(knowledgeBase: KnowledgeBase, playbooks: [Playbook], policy: GovernancePolicy, environment: HealingEnvironment,
                repositories: GraceRepositories?, knowledgeFile: KnowledgeBaseStore?, logger: Logger, nodeID: String? = nil) {
        self.knowledgeBase = knowledgeBase
        self.playbooks = playbooks
        self.policy = policy
        self.environment = environment
        self.repositories = repositories
        self.knowledgeFile = knowledgeFile
        self.logger = logger
        self.nodeID = nodeID
    }

    /// A self-healer for Grace's own home: the knowledge base prepared and loaded, the built-in
    /// and user playbooks, governance from the settings, fixes aimed at the home.
    public static func forHome(settings: GraceSettings, repositories: GraceRepositories?, logger: Logger,
                               playbooks: [Playbook]? = nil) throws -> SelfHealer {
        let layout = GraceHomeLayout(root: settings.home)
        let knowledgeFile = KnowledgeBaseStore(layout: layout)
        try knowledgeFile.prepare()
        return SelfHealer(knowledgeBase: try knowledgeFile.load(), playbooks: playbooks ?? PlaybookCatalogLoader(layout: layout).load().playbooks,
                          policy: GovernancePolicy(settings: settings), environment: .graceHome(layout), repositories: repositories,
                          knowledgeFile: knowledgeFile, logger: logger, nodeID: settings.nodeID)
    }

    /// A fix whose actions ran and whose post-fix check passed, while the recovery of what it fixed
    /// is still to be verified (the supervised service healthy again, the stage passing). It is
    /// counted, as a success or a failure, by ``settle(_:passed:result:verificationID:)``.
    public struct AppliedFix: Sendable, Equatable {
        /// The `playbook_runs` row, `running` until settled.
        public var playbookRunID: String
        public var patternID: String
        public var playbookID: String
        /// The run the fix was applied in.
        public var runID: String?
        public var approvalID: String?
        public var startedAt: String
        public var detail: String
    }

    /// The result of handling one match.
    public struct Outcome: Sendable {
        public var attempt: HealingAttempt
        public var decision: GovernanceDecision
        public var verification: VerificationEvent?
        public var approvalID: String?
        /// Set when the fix ran and its outcome waits for a recovery verification.
        public var applied: AppliedFix?
        /// Whether the circuit breaker turned this match into an approval.
        public var breakerOpen = false
        /// The `playbook_runs` row of an executed fix.
        public var playbookRunID: String?
        /// The request in which a person confirms a fix only they can complete (``awaitConfirmation``).
        public var confirmationID: String?
    }

    /// What a caller knows about one match that the playbook does not say: a risk it must be
    /// treated as at least (a restore that would discard rows), the breaker's state when the
    /// store cannot count it, the concrete plan, and how the operator can approve it by hand.
    public struct Conditions: Sendable {
        public var minimumRisk: RiskLevel?
        public var breaker: FixBreaker.State?
        public var plan: String?
        public var approvalHint: String?

        public init(minimumRisk: RiskLevel? = nil, breaker: FixBreaker.State? = nil, plan: String? = nil, approvalHint: String? = nil) {
            self.minimumRisk = minimumRisk
            self.breaker = breaker
            self.plan = plan
            self.approvalHint = approvalHint
        }
    }

    /// This healer writing its records to `repositories` (a store opened after it was made).
    public func recording(to repositories: GraceRepositories?) -> SelfHealer {
        SelfHealer(knowledgeBase: knowledgeBase, playbooks: playbooks, policy: policy, environment: environment, repositories: repositories,
                   knowledgeFile: knowledgeFile, logger: logger, nodeID: nodeID)
    }

    /// A pattern of the knowledge base, or one Grace's own stages find (``StageFailurePatterns``).
    public func pattern(_ id: String) -> FailurePattern? {
        knowledgeBase.pattern(id) ?? StageFailurePatterns.pattern(id)
    }

    /// The key a match is counted and de-duplicated under: its pattern and this healer's target.
    public func failureKey(_ match: SignatureMatch) -> FailureKey {
        FailureKey(patternID: match.patternID, target: environment.scope)
    }

    /// The playbook learning recommends for `pattern` now.
    public func chosenPlaybook(for pattern: FailurePattern) async -> Playbook? {
        let stats = (try? await repositories?.playbooks.stats()) ?? []
        let best = Learning.bestFix(for: pattern, stats: stats)
        return playbooks.first { $0.id == best } ?? playbooks.first { $0.id == pattern.playbookID }
    }

    /// What governance would decide for the pattern's chosen playbook (no side effects).
    public func decision(for pattern: FailurePattern) async -> (Playbook?, GovernanceDecision) {
        guard let playbook = await chosenPlaybook(for: pattern) else { return (nil, .awaitApproval) }
        return (playbook, policy.decide(risk: playbook.riskLevel, tier: playbook.autonomyTier))
    }

    /// The circuit breaker of one pattern and playbook now, from the unattended executions this
    /// node recorded in `playbook_runs` within the window (so it survives a restart of Grace).
    /// Without a store there is nothing to count: closed.
    public func breakerState(patternID: String, playbookID: String, now: Date = Date()) async throws -> FixBreaker.State {
        guard let repositories else { return .closed(used: 0) }
        let since = Timestamp.string(from: policy.breaker.windowStart(at: now))
        let runs = try await repositories.playbooks.executions(playbookID: playbookID, patternID: patternID, since: since)
        let unattended = runs.filter { run in
            let approved = run.details?["approval_id"]?.stringValue != nil || run.details?["detail"]?.stringValue?.hasPrefix("approved (") == true
            let node = run.details?["node_id"]?.stringValue
            return !approved && (nodeID == nil || node == nil || node == nodeID)
        }
        return policy.breaker.state(unattendedFixesAt: unattended.compactMap { Timestamp.date(from: $0.startedAt) }, now: now)
    }

    /// Handles a match: observe, ask for approval, or execute and verify. `approvedID` marks a
    /// run that a human approved (the approval is already marked executed by the caller).
    /// `verifiesRecovery` says the caller verifies the recovery afterwards and settles the fix
    /// (``Outcome/applied``); otherwise the post-fix verification decides its outcome at once.
    public func handle(_ match: SignatureMatch, runID: String?, approvedID: String? = nil, verifiesRecovery: Bool = false,
                       conditions: Conditions = Conditions()) async -> Outcome {
        guard let pattern = pattern(match.patternID) else {
            return Outcome(attempt: HealingAttempt(playbookID: "-", patternID: match.patternID, decision: "observe", succeeded: false,
                                                   detail: "unknown pattern \(match.patternID)"), decision: .observe)
        }
        guard let playbook = await chosenPlaybook(for: pattern) else {
            let attempt = HealingAttempt(playbookID: pattern.playbookID, patternID: pattern.id, decision: GovernanceDecision.observe.rawValue,
                                         succeeded: false, detail: "playbook \(pattern.playbookID) is not defined; nothing can run")
            await record(attempt, pattern: pattern, runID: runID)
            return Outcome(attempt: attempt, decision: .observe)
        }
        // An approval runs what it approved, and only while execution is enabled at all.
        let approved = approvedID != nil
        let risk = max(playbook.riskLevel, conditions.minimumRisk ?? .low)
        var decision = policy.decide(risk: risk, tier: playbook.autonomyTier, approved: approved)
        var breakerNote: String?
        if decision == .execute && !approved {
            do {
                let state: FixBreaker.State
                if let given = conditions.breaker { state = given } else { state = try await breakerState(patternID: pattern.id, playbookID: playbook.id) }
                decision = policy.decide(risk: risk, tier: playbook.autonomyTier, breaker: state)
                if state.isOpen { breakerNote = policy.breaker.explanation(state, patternID: pattern.id, playbookID: playbook.id) }
            } catch {
                decision = .awaitApproval
                breakerNote = "circuit breaker state unknown (playbook_runs could not be read: \(error)); \(playbook.id) does not run unattended"
            }
        }

        let request = HealingRequest(pattern: pattern, match: match, playbook: playbook, runID: runID, environment: environment)
        let (decided, note) = (decision, breakerNote)
        return await withPlaybook(playbook.id) {
            switch decided {
            case .observe:
                let steps = playbook.steps.map(\.action.rawValue).joined(separator: ", ")
                let would = conditions.plan.map { "would \($0) (\(playbook.id): \(steps))" } ?? "would run \(playbook.id) (\(steps)) for \(pattern.id)"
                let attempt = HealingAttempt(playbookID: playbook.id, patternID: pattern.id, decision: decided.rawValue, succeeded: false,
                                             detail: "observe only (SELF_HEAL_OBSERVE_ONLY / SELF_HEAL_EXECUTE): " + would)
                await record(attempt, pattern: pattern, runID: runID)
                return Outcome(attempt: attempt, decision: decided)
            case .awaitApproval:
                return await requestApproval(request, risk: risk, breakerNote: note, conditions: conditions)
            case .execute:
                return await execute(request, approvedID: approvedID, verifiesRecovery: verifiesRecovery)
            }
        }
    }

    /// Asks a human, once per failure: while an approval for the same pattern and target is
    /// pending (or approved and not yet run), a new match points at it instead of adding another.
    private func requestApproval(_ request: HealingRequest, risk: RiskLevel, breakerNote: String?, conditions: Conditions) async -> Outcome {
        let pattern = request.pattern, playbook = request.playbook, match = request.match
        let key = FailureKey(patternID: pattern.id, target: environment.scope)
        var approvalID: String?
        var detail: String
        if let repositories {
            do {
                if let existing = try await openApproval(for: key, in: repositories) {
                    approvalID = existing.eventID
                    detail = "already waiting for approval \(existing.eventID) (\(key))"
                } else {
                    let question = breakerNote.map { "\(pattern.title): \($0). Run \(playbook.id) once more?" }
                        ?? "\(pattern.title): run \(playbook.id) (\(risk.rawValue) risk, \(playbook.autonomyTier))?"
                            + (conditions.plan.map { " It would " + $0 + "." } ?? "")
                    let stored = try await repositories.approvals.create(ApprovalRequest(
                        requestedBy: "grace", reason: question, playbookID: playbook.id, patternID: pattern.id, runID: request.runID,
                        details: ["match": matchJSON(match), "scope": .string(environment.scope),
                                  "breaker": breakerNote.map(JSONValue.string) ?? .null]))
                    approvalID = stored.eventID
                    detail = "waiting for approval \(stored.eventID)"
                }
            } catch {
                detail = "approval needed, but it could not be stored: \(error)"
                logger.error("could not store an approval request", metadata: [
                    "subsystem": "self_heal", "event_type": "store_error", "pattern_id": "\(pattern.id)", "error": "\(error)"])
            }
        } else {
            detail = "approval needed, but the store is unavailable"
        }
        if let breakerNote { detail = breakerNote + "; " + detail }
        if let plan = conditions.plan { detail = "would \(plan); " + detail }
        if let hint = conditions.approvalHint { detail += ";" + hint }
        let attempt = HealingAttempt(playbookID: playbook.id, patternID: pattern.id, decision: GovernanceDecision.awaitApproval.rawValue,
                                     succeeded: false, detail: detail)
        await record(attempt, pattern: pattern, runID: request.runID,
                     audit: ["approval_id": approvalID.map(JSONValue.string) ?? .null,
                             "breaker": .string(breakerNote == nil ? "closed" : "open")])
        return Outcome(attempt: attempt, decision: .awaitApproval, approvalID: approvalID, breakerOpen: breakerNote != nil)
    }

    /// The newest approval for `key` that is pending, or approved and not yet run, on this node.
    func openApproval(for key: FailureKey, in repositories: GraceRepositories) async throws -> ApprovalRequest? {
        for status in [ApprovalRequest.Status.pending, .approved, .executed] {
            let open = try await repositories.approvals.approvals(status: status, node: nil, limit: 1000)
            if let found = open.first(where: { approval in
                approval.patternID == key.patternID && (approval.details?["scope"]?.stringValue ?? "grace") == key.target
                    && (nodeID == nil || approval.nodeID == nil || approval.nodeID == nodeID)
            }) {
                return found
            }
        }
        return nil
    }

    private func execute(_ request: HealingRequest, approvedID: String?, verifiesRecovery: Bool) async -> Outcome {
        let startedAt = Timestamp.now()
        var changes: [String] = []
        var failure: String?
        let playbookRunID = Identifier.make(prefix: "pbr")
        func applied(_ detail: String) -> AppliedFix {
            AppliedFix(playbookRunID: playbookRunID, patternID: request.pattern.id, playbookID: request.playbook.id, runID: request.runID,
                       approvalID: approvedID, startedAt: startedAt, detail: detail)
        }
        for step in request.playbook.steps {
            do {
                changes.append("\(step.action.rawValue): " + (try await PlaybookActions.handler(for: step.action).perform(step, for: request)))
            } catch let human as HumanActionRequired {
                // What only a person can do is not a failure of the fix: it waits for them.
                return await awaitConfirmation(request, fix: applied((changes + ["human action required"]).joined(separator: "; ")),
                                               asking: "human action required: \(human.description)")
            } catch {
                failure = "\(step.action.rawValue) failed: \(error)"
                break
            }
        }
        let verificationID = Identifier.verification()
        let checked = failure == nil ? Verifier().verify(request) : Verifier.Outcome(passed: false, result: "not verified: the playbook did not complete")
        if checked.awaitsConfirmation {
            return await awaitConfirmation(request, fix: applied(changes.joined(separator: "; ")), asking: checked.result)
        }
        // A check that cannot decide (a missing column with no table named) leaves the verdict to
        // the recovery verification when one follows (the stage re-run, the service healthy
        // without the failure); without one, the fix is not verified.
        let leftToRecovery = checked.inconclusive && verifiesRecovery
        let verification: VerificationEvent? = leftToRecovery ? nil : withVerification(verificationID) {
            let outcome = checked
            logger.log(level: outcome.passed ? .info : .warning, "verification \(outcome.passed ? "passed" : "failed")", metadata: [
                "subsystem": "self_heal", "event_type": "verification", "pattern_id": "\(request.pattern.id)", "result": "\(outcome.result)"])
            return VerificationEvent(verificationID: verificationID, verificationType: "post_fix", targetComponent: request.pattern.id,
                                     verificationMethod: request.pattern.verification.method, result: outcome.result, passed: outcome.passed,
                                     details: ["changes": .array(changes.map(JSONValue.string))], runID: request.runID,
                                     playbookID: request.playbook.id)
        }
        let succeeded = failure == nil && (verification?.passed ?? leftToRecovery)
        var detail = (changes + [failure].compactMap { $0 }).joined(separator: "; ")
        detail += "; verification: " + (verification?.result ?? checked.result + " (the recovery verification decides)")
        if let approvedID { detail = "approved (\(approvedID)); " + detail }
        let deferred = succeeded && verifiesRecovery
        if deferred { detail += "; recovery verification pending" }
        let fix = applied(detail)
        let attempt = HealingAttempt(playbookID: request.playbook.id, patternID: request.pattern.id, decision: GovernanceDecision.execute.rawValue,
                                     succeeded: succeeded, detail: detail)
        await record(attempt, pattern: request.pattern, runID: request.runID, verification: verification,
                     playbookRun: playbookRun(fix, status: deferred ? .running : succeeded ? .succeeded : .failed, endedAt: deferred ? nil : Timestamp.now()),
                     audit: ["approval_id": approvedID.map(JSONValue.string) ?? .null], result: deferred ? "applied" : nil)
        if deferred {
            return Outcome(attempt: attempt, decision: .execute, verification: verification, applied: fix, playbookRunID: fix.playbookRunID)
        }
        await count(fix, passed: succeeded)
        return Outcome(attempt: attempt, decision: .execute, verification: verification, playbookRunID: fix.playbookRunID)
    }

    /// Records the verification that decides an applied fix (the service recovered, the stage
    /// passed when run again) as a verification event, adds it to the run's counters, logs it,
    /// and settles the fix with it.
    @discardableResult
    public func verifyRecovery(of fix: AppliedFix, verificationType: String, component: String, method: String, runID: String?,
                               passed: Bool, result: String) async -> VerificationEvent {
        let event = VerificationEvent(verificationType: verificationType, targetComponent: component, verificationMethod: method,
                                      result: result, passed: passed, details: ["pattern_id": .string(fix.patternID)], runID: runID,
                                      playbookID: fix.playbookID)
        withVerification(event.verificationID) {
            logger.log(level: passed ? .info : .warning, "\(component) recovery \(passed ? "verified" : "not verified")", metadata: [
                "subsystem": "\(environment.scope == "target" ? "target" : "self_heal")", "event_type": "verification",
                "pattern_id": "\(fix.patternID)", "result": "\(result)"])
        }
        await store("the recovery verification") { try await repositories?.verifications.record(event) }
        if let runID {
            await store("the run's counters") {
                try await repositories?.runs.recordOutcome(runID: runID, playbooksExecuted: 0, verificationsPassed: passed ? 1 : 0,
                                                           verificationsFailed: passed ? 0 : 1)
            }
        }
        await settle(fix, passed: passed, result: result, verificationID: event.verificationID)
        return event
    }

    /// Settles a fix once its recovery is verified (or known to have failed): the playbook run
    /// ends `succeeded` or `failed`, `playbook_stats` and the knowledge base count one attempt
    /// and a success only when `passed`, and the audit log says how the fix ended.
    public func settle(_ fix: AppliedFix, passed: Bool, result: String, verificationID: String?) async {
        await store("the playbook run") {
            try await repositories?.playbooks.record(playbookRun(fix, status: passed ? .succeeded : .failed, endedAt: Timestamp.now(),
                                                                 result: result))
        }
        await count(fix, passed: passed)
        if let approvalID = fix.approvalID {
            await finishApproval(approvalID, succeeded: passed, playbookRunID: fix.playbookRunID, detail: result)
        }
        await store("the audit entry") {
            _ = try await repositories?.audit.append(AuditEvent(
                actor: "grace", action: "playbook.recovery", resource: "playbook/\(fix.playbookID)", subsystem: "self_heal",
                payload: ["pattern_id": .string(fix.patternID), "playbook_id": .string(fix.playbookID), "run_id": fix.runID.map(JSONValue.string) ?? .null,
                          "scope": .string(environment.scope), "detail": .string(result),
                          "verification_id": verificationID.map(JSONValue.string) ?? .null],
                result: passed ? "verified" : "failed"))
        }
    }

    /// Ends an executed approval with the outcome of what it approved, linking the playbook run.
    public func finishApproval(_ id: String, succeeded: Bool, playbookRunID: String?, detail: String) async {
        guard let repositories else { return }
        await store("the approval's outcome") {
            guard var approval = try await repositories.approvals.approval(id: id), approval.status == .executed else { return }
            var details: [String: JSONValue] = [:]
            if case .object(let existing)? = approval.details { details = existing }
            details["playbook_run_id"] = playbookRunID.map(JSONValue.string) ?? .null
            details["outcome"] = .string(detail)
            approval.details = .object(details)
            approval.status = succeeded ? .succeeded : .failed
            try await repositories.approvals.finish(approval)
        }
    }

    /// The one place a fix's outcome is counted: one attempt, and a success only when verified.
    private func count(_ fix: AppliedFix, passed: Bool) async {
        do {
            try knowledgeFile?.recordOutcome(patternID: fix.patternID, occurrences: 0, attempted: 1, succeeded: passed ? 1 : 0)
        } catch {
            logger.warning("could not update the knowledge base's counters", metadata: [
                "subsystem": "self_heal", "pattern_id": "\(fix.patternID)", "error": "\(error)"])
        }
        await store("playbook_stats") {
            try await repositories?.playbooks.recordAttempt(playbookID: fix.playbookID, patternID: fix.patternID, succeeded: passed,
                                                            at: Timestamp.now())
        }
    }

    func playbookRun(_ fix: AppliedFix, status: PlaybookRun.Status, endedAt: String?, result: String? = nil) -> PlaybookRun {
        var details: [String: JSONValue] = ["detail": .string(fix.detail), "scope": .string(environment.scope),
                                            "approval_id": fix.approvalID.map(JSONValue.string) ?? .null,
                                            "node_id": nodeID.map(JSONValue.string) ?? .null]
        if let result { details["recovery"] = .string(result) }
        return PlaybookRun(id: fix.playbookRunID, playbookID: fix.playbookID, patternID: fix.patternID, runID: fix.runID, status: status,
                           decision: GovernanceDecision.execute.rawValue, startedAt: fix.startedAt, endedAt: endedAt, details: .object(details))
    }

    /// Audit entry, playbook run, verification event, run counters and a log line for one decision.
    /// (The fix's outcome is counted by ``count(_:passed:)``, once it is known.)
    func record(_ attempt: HealingAttempt, pattern: FailurePattern, runID: String?, verification: VerificationEvent? = nil,
                        playbookRun: PlaybookRun? = nil, audit extra: [String: JSONValue] = [:], result: String? = nil) async {
        let executed = attempt.decision == GovernanceDecision.execute.rawValue
        logger.notice("healing \(attempt.decision) \(attempt.playbookID) for \(pattern.id)", metadata: [
            "subsystem": "self_heal", "event_type": "playbook_decision", "pattern_id": "\(pattern.id)", "decision": "\(attempt.decision)",
            "succeeded": "\(attempt.succeeded)", "detail": "\(attempt.detail)"])
        do {
            try knowledgeFile?.recordOutcome(patternID: pattern.id, occurrences: 1, attempted: 0, succeeded: 0)
        } catch {
            logger.warning("could not update the knowledge base's counters", metadata: [
                "subsystem": "self_heal", "pattern_id": "\(pattern.id)", "error": "\(error)"])
        }
        guard let repositories else { return }
        let run = playbookRun ?? PlaybookRun(playbookID: attempt.playbookID, patternID: pattern.id, runID: runID, status: .observed,
                                             decision: attempt.decision, endedAt: Timestamp.now(),
                                             details: ["detail": .string(attempt.detail), "scope": .string(environment.scope),
                                                       "node_id": nodeID.map(JSONValue.string) ?? .null])
        await store("the playbook run") { try await repositories.playbooks.record(run) }
        if let verification { await store("the verification event") { try await repositories.verifications.record(verification) } }
        if let runID, executed {
            await store("the run's counters") {
                try await repositories.runs.recordOutcome(runID: runID, playbooksExecuted: 1, verificationsPassed: verification?.passed == true ? 1 : 0,
                                                          verificationsFailed: verification?.passed == false ? 1 : 0)
            }
        }
        var payload: [String: JSONValue] = [
            "pattern_id": .string(pattern.id), "playbook_id": .string(attempt.playbookID), "run_id": runID.map(JSONValue.string) ?? .null,
            "scope": .string(environment.scope), "detail": .string(attempt.detail),
            "verification_id": verification.map { .string($0.verificationID) } ?? .null]
        payload.merge(extra) { $1 }
        await store("the audit entry") {
            _ = try await repositories.audit.append(AuditEvent(
                actor: "grace", action: "playbook.\(attempt.decision)", resource: "playbook/\(attempt.playbookID)", subsystem: "self_heal",
                payload: .object(payload), result: result ?? (executed ? (attempt.succeeded ? "succeeded" : "failed") : attempt.decision)))
        }
    }

    /// Runs one store write; a failure is logged at error level (the record it would have made is lost).
    func store(_ what: String, _ write: () async throws -> Void) async {
        do {
            try await write()
        } catch {
            logger.error("could not record \(what)", metadata: ["subsystem": "self_heal", "event_type": "store_error", "error": "\(error)"])
        }
    }

    func matchJSON(_ match: SignatureMatch) -> JSONValue {
        ["pattern_id": .string(match.patternID), "line_number": .number(Double(match.lineNumber)), "line": .string(match.line),
         "captures": .object(match.captures.mapValues(JSONValue.string))]
    }

    /// Whether an approval was created for the supervised service (rather than Grace's own home).
    public static func isTargetApproval(_ details: JSONValue?) -> Bool {
        details?["scope"]?.stringValue == "target"
    }

    /// Rebuilds the match an approval was created for.
    public static func match(fromApprovalDetails details: JSONValue?) -> SignatureMatch? {
        guard let match = details?["match"], let patternID = match["pattern_id"]?.stringValue else { return nil }
        var captures: [String: String] = [:]
        if case .object(let object)? = match["captures"] { captures = object.compactMapValues(\.stringValue) }
        var lineNumber = 0
        if case .number(let number)? = match["line_number"] { lineNumber = Int(number) }
        return SignatureMatch(patternID: patternID, lineNumber: lineNumber, line: match["line"]?.stringValue ?? "", captures: captures)
    }
}
