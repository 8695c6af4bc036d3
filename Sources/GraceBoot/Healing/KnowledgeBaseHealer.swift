import Foundation
import GraceCore
import GraceStore

/// Matches a failed stage's findings against the knowledge base and hands each recognised
/// failure to the ``SelfHealer``.
public struct KnowledgeBaseHealer: StageHealer {
    public init() {}

    public func heal(stage: String, findings: [Finding], in context: BootContext) async -> [HealingAttempt] {
        await heal(findings, in: context, verifiedByRerun: false).attempts
    }

    public func healVerifiedByRerun(stage: String, findings: [Finding], in context: BootContext) async -> StageHealing {
        await heal(findings, in: context, verifiedByRerun: true)
    }

    private func heal(_ findings: [Finding], in context: BootContext, verifiedByRerun: Bool) async -> StageHealing {
        let text = findings.map { [$0.message, $0.evidence].filter { !$0.isEmpty }.joined(separator: "\n") }.joined(separator: "\n")
        guard !text.isEmpty else { return StageHealing(attempts: []) }
        let healer: SelfHealer
        let matcher: SignatureMatcher
        do {
            healer = try Self.makeHealer(for: context)
            matcher = try SignatureMatcher(knowledgeBase: healer.knowledgeBase)
        } catch {
            // The stage stays failed as it is; the knowledge-base check names the same error.
            context.logger.error("no healing for the failed stage: the knowledge base cannot be used",
                                 metadata: ["error": "\(error)"])
            return StageHealing(attempts: [])
        }
        var healing = StageHealing(attempts: [])
        // One fix per failure (pattern and target), however many lines or captured values it printed.
        var handled = Set<FailureKey>()
        for match in matcher.matches(in: text) where handled.insert(healer.failureKey(match)).inserted {
            let outcome = await healer.handle(match, runID: context.runID, verifiesRecovery: verifiedByRerun)
            healing.attempts.append(outcome.attempt)
            if let applied = outcome.applied { healing.pending.append(PendingStageFix(healer: healer, fix: applied)) }
        }
        return healing
    }

    static func makeHealer(for context: BootContext) throws -> SelfHealer {
        try SelfHealer.forHome(settings: context.settings, repositories: context.store?.repositories, logger: context.logger,
                               playbooks: context.playbooks.isEmpty ? nil : context.playbooks)
    }
}

/// Autonomy load: the knowledge base is in place and every pattern compiles.
struct KnowledgeBaseCheck: BootCheck {
    func run(in context: BootContext) async throws -> StageResult {
        let store = KnowledgeBaseStore(layout: context.layout)
        do {
            let added = try store.prepare()
            let knowledgeBase = try store.load()
            _ = try SignatureMatcher(patterns: knowledgeBase.patterns)
            let unknownPlaybooks = knowledgeBase.patterns.filter { pattern in
                !context.playbooks.isEmpty && !context.playbooks.contains { $0.id == pattern.playbookID }
            }
            let findings = unknownPlaybooks.map {
                Finding(message: "pattern \($0.id) names playbook \($0.playbookID), which is not defined", code: "playbook_unknown", resource: $0.id)
            }
            if !added.isEmpty && added.count < knowledgeBase.patterns.count {
                context.logger.info("knowledge base merged", metadata: ["subsystem": "knowledge_base", "added": .array(added.map { .string($0) })])
            }
            return .from(findings, otherwise: .warning)
        } catch {
            return StageResult(status: .failed, findings: [Finding(message: "the knowledge base cannot be used", evidence: "\(error)",
                                                                   code: "knowledge_base_invalid", resource: store.path)])
        }
    }
}
