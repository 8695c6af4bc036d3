import Foundation
import GraceCore
import GraceLog
import GraceStore
import Logging

/// Turns a recognised failure into a governed fix: picks the playbook (learning), decides
/// (governance), runs it or asks for approval, verifies, and records everything: audit log,
/// playbook runs, verification events, learning counters.
public struct SelfHealer: Sendable {
    public let knowledgeBase: KnowledgeBase
    public let playbooks: [Playbook]
    public let policy: GovernancePolicy
    public let environment: HealingEnvironment
    public let repositories: GraceRepositories?
    public let knowledgeFile: KnowledgeBaseStore?
    public let logger: Logger

    public init(knowledgeBase: KnowledgeBase, playbooks: [Playbook], policy: GovernancePolicy, environment: HealingEnvironment,
                repositories: GraceRepositories?, knowledgeFile: KnowledgeBaseStore?, logger: Logger) {
        self.knowledgeBase = knowledgeBase
        self.playbooks = playbooks
        self.policy = policy
        self.environment = environment
        self.repositories = repositories
        self.knowledgeFile = knowledgeFile
        self.logger = logger
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
                          knowledgeFile: knowledgeFile, logger: logger)
    }

    /// The result of handling one match.
    public struct Outcome: Sendable {
        public var attempt: HealingAttempt
        public var decision: GovernanceDecision
        public var verification: VerificationEvent?
        public var approvalID: String?
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

    /// Handles a match: observe, ask for approval, or execute and verify. `approvedID` marks a
    /// run that a human approved (the approval is already marked executed by the caller).
    public func handle(_ match: SignatureMatch, runID: String?, approvedID: String? = nil) async -> Outcome {
        guard let pattern = knowledgeBase.pattern(match.patternID) else {
            return Outcome(attempt: HealingAttempt(playbookID: "-", patternID: match.patternID, decision: "observe", succeeded: false,
                                                   detail: "unknown pattern \(match.patternID)"), decision: .observe)
        }
        guard let playbook = await chosenPlaybook(for: pattern) else {
            let attempt = HealingAttempt(playbookID: pattern.playbookID, patternID: pattern.id, decision: GovernanceDecision.observe.rawValue,
                                         succeeded: false, detail: "playbook \(pattern.playbookID) is not defined; nothing can run")
            await record(attempt, pattern: pattern, runID: runID, verification: nil)
            return Outcome(attempt: attempt, decision: .observe)
        }
        let decision = approvedID != nil && !policy.observeOnly ? .execute
            : policy.decide(risk: playbook.riskLevel, tier: playbook.autonomyTier)
        let request = HealingRequest(pattern: pattern, match: match, playbook: playbook, runID: runID, environment: environment)
        return await withPlaybook(playbook.id) {
            switch decision {
            case .observe:
                let steps = playbook.steps.map(\.action.rawValue).joined(separator: ", ")
                let attempt = HealingAttempt(playbookID: playbook.id, patternID: pattern.id, decision: decision.rawValue, succeeded: false,
                                             detail: "observe only: would run \(playbook.id) (\(steps)) for \(pattern.id)")
                await record(attempt, pattern: pattern, runID: runID, verification: nil)
                return Outcome(attempt: attempt, decision: decision)
            case .awaitApproval:
                let approval = ApprovalRequest(
                    requestedBy: "grace", reason: "\(pattern.title): run \(playbook.id) (\(playbook.riskLevel.rawValue) risk, \(playbook.autonomyTier))?",
                    playbookID: playbook.id, patternID: pattern.id, runID: runID,
                    details: ["match": matchJSON(match), "scope": .string(environment.scope)])
                let stored = try? await repositories?.approvals.create(approval)
                let attempt = HealingAttempt(playbookID: playbook.id, patternID: pattern.id, decision: decision.rawValue, succeeded: false,
                                             detail: stored != nil ? "waiting for approval \(approval.eventID)" : "approval needed, but the store is unavailable")
                await record(attempt, pattern: pattern, runID: runID, verification: nil)
                return Outcome(attempt: attempt, decision: decision, approvalID: stored?.eventID)
            case .execute:
                return await execute(request, approvedID: approvedID)
            }
        }
    }

    private func execute(_ request: HealingRequest, approvedID: String?) async -> Outcome {
        var changes: [String] = []
        var failure: String?
        for step in request.playbook.steps {
            do {
                changes.append("\(step.action.rawValue): " + (try await PlaybookActions.handler(for: step.action).perform(step, for: request)))
            } catch let human as HumanActionRequired {
                failure = "human action required: \(human.description)"
                break
            } catch {
                failure = "\(step.action.rawValue) failed: \(error)"
                break
            }
        }
        let verificationID = Identifier.verification()
        let verification: VerificationEvent = withVerification(verificationID) {
            let outcome = failure == nil ? Verifier().verify(request) : Verifier.Outcome(passed: false, result: "not verified: the playbook did not complete")
            logger.log(level: outcome.passed ? .info : .warning, "verification \(outcome.passed ? "passed" : "failed")", metadata: [
                "subsystem": "self_heal", "event_type": "verification", "pattern_id": "\(request.pattern.id)", "result": "\(outcome.result)"])
            return VerificationEvent(verificationID: verificationID, verificationType: "post_fix", targetComponent: request.pattern.id,
                                     verificationMethod: request.pattern.verification.method, result: outcome.result, passed: outcome.passed,
                                     details: ["changes": .array(changes.map(JSONValue.string))], runID: request.runID,
                                     playbookID: request.playbook.id)
        }
        let succeeded = failure == nil && verification.passed
        var detail = (changes + [failure].compactMap { $0 }).joined(separator: "; ")
        detail += "; verification: " + verification.result
        if let approvedID { detail = "approved (\(approvedID)); " + detail }
        let attempt = HealingAttempt(playbookID: request.playbook.id, patternID: request.pattern.id, decision: GovernanceDecision.execute.rawValue,
                                     succeeded: succeeded, detail: detail)
        await record(attempt, pattern: request.pattern, runID: request.runID, verification: verification)
        return Outcome(attempt: attempt, decision: .execute, verification: verification)
    }

    /// Audit entry, playbook run, verification event, learning counters, and a log line.
    private func record(_ attempt: HealingAttempt, pattern: FailurePattern, runID: String?, verification: VerificationEvent?) async {
        let executed = attempt.decision == GovernanceDecision.execute.rawValue
        logger.notice("healing \(attempt.decision) \(attempt.playbookID) for \(pattern.id)", metadata: [
            "subsystem": "self_heal", "event_type": "playbook_decision", "pattern_id": "\(pattern.id)", "decision": "\(attempt.decision)",
            "succeeded": "\(attempt.succeeded)", "detail": "\(attempt.detail)"])
        try? knowledgeFile?.recordOutcome(patternID: pattern.id, occurrences: 1, attempted: executed ? 1 : 0,
                                          succeeded: executed && attempt.succeeded ? 1 : 0)
        guard let repositories else { return }
        let status: PlaybookRun.Status = !executed ? .observed : attempt.succeeded ? .succeeded : .failed
        try? await repositories.playbooks.record(PlaybookRun(playbookID: attempt.playbookID, patternID: pattern.id, runID: runID, status: status,
                                                             decision: attempt.decision, endedAt: Timestamp.now(),
                                                             details: ["detail": .string(attempt.detail)]))
        if executed {
            try? await repositories.playbooks.recordAttempt(playbookID: attempt.playbookID, patternID: pattern.id,
                                                            succeeded: attempt.succeeded, at: Timestamp.now())
        }
        if let verification { try? await repositories.verifications.record(verification) }
        if let runID, executed {
            try? await repositories.runs.recordOutcome(runID: runID, playbooksExecuted: 1, verificationsPassed: verification?.passed == true ? 1 : 0,
                                                      verificationsFailed: verification?.passed == false ? 1 : 0)
        }
        _ = try? await repositories.audit.append(AuditEvent(
            actor: "grace", action: "playbook.\(attempt.decision)", resource: "playbook/\(attempt.playbookID)", subsystem: "self_heal",
            payload: ["pattern_id": .string(pattern.id), "playbook_id": .string(attempt.playbookID), "run_id": runID.map(JSONValue.string) ?? .null,
                      "detail": .string(attempt.detail), "verification_id": verification.map { .string($0.verificationID) } ?? .null],
            result: executed ? (attempt.succeeded ? "succeeded" : "failed") : attempt.decision))
    }

    private func matchJSON(_ match: SignatureMatch) -> JSONValue {
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
