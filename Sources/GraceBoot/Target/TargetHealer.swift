import Foundation
import GraceCore
import GraceLog
import GraceStore
import Logging
import Synchronization

/// Grace's self-healing aimed at the supervised service: the same knowledge base, playbooks and
/// governance as for Grace's own stages, with fixes applied to the service's env file,
/// databases and migrations, and its recovery verified afterwards.
public struct TargetHealer: Sendable {
    public let healer: SelfHealer
    let matcher: SignatureMatcher

    /// Builds the healer from Grace's home (knowledge base, playbooks, governance settings).
    public init(settings: GraceSettings, target: TargetSettings, repositories: GraceRepositories?, logger: Logger,
                restart: (@Sendable () async throws -> String)?) throws {
        let home = try SelfHealer.forHome(settings: settings, repositories: repositories, logger: logger)
        healer = SelfHealer(knowledgeBase: home.knowledgeBase, playbooks: home.playbooks, policy: home.policy,
                            environment: .target(target, layout: GraceHomeLayout(root: settings.home), restart: restart),
                            repositories: repositories, knowledgeFile: home.knowledgeFile, logger: logger, nodeID: home.nodeID)
        matcher = try SignatureMatcher(knowledgeBase: home.knowledgeBase)
    }

    /// The recognised failures in `text` (one or more lines).
    public func matches(in text: String) -> [SignatureMatch] {
        matcher.matches(in: text)
    }

    /// Decides and, where governance allows, applies the fix for one recognised failure. A fix
    /// that ran comes back as ``SelfHealer/Outcome/applied`` when `verifiesRecovery` (the default:
    /// the stage or the supervisor watches the service next); pass ``recordRecovery(of:runID:passed:result:)``
    /// how that went.
    public func handle(_ match: SignatureMatch, runID: String?, approvedID: String? = nil, verifiesRecovery: Bool = true) async -> SelfHealer.Outcome {
        await healer.handle(match, runID: runID, approvedID: approvedID, verifiesRecovery: verifiesRecovery)
    }

    /// The key a match of the service's output is counted under: its pattern, aimed at the service.
    public func failureKey(_ match: SignatureMatch) -> FailureKey {
        healer.failureKey(match)
    }

    /// Records whether the service recovered after a fix: it came up healthy and the failure
    /// did not recur. Stored as a `target_recovery` verification event and logged, and the fix is
    /// settled with this outcome (``SelfHealer/verifyRecovery(of:verificationType:component:method:runID:passed:result:)``).
    @discardableResult
    public func recordRecovery(of fix: SelfHealer.AppliedFix, runID: String?, passed: Bool, result: String) async -> VerificationEvent {
        await healer.verifyRecovery(of: fix, verificationType: "target_recovery", component: "target", method: "health_and_recurrence",
                                    runID: runID, passed: passed, result: result)
    }
}

/// Logs the service's output into Grace's log (subsystem `target`, with the current run id) and
/// matches every line against the knowledge base as it arrives.
final class TargetOutput: Sendable {
    private struct State {
        var recent: [String] = []
        var matches: [SignatureMatch] = []
        var unmatched: [String] = []
    }

    let logger: Logger
    let healer: TargetHealer
    let runID: String
    private let state = Mutex(State())
    static let recentLimit = 200

    init(logger: Logger, healer: TargetHealer, runID: String) {
        self.logger = logger
        self.healer = healer
        self.runID = runID
    }

    /// Logs the line; returns what it matched.
    func consume(_ line: TargetLine, pid: Int32?) -> [SignatureMatch] {
        let found = healer.matches(in: line.text)
        withRun(runID) {
            // A known failure is ERROR (so `grace logs --errors` shows it), other stderr WARNING, stdout INFO.
            logger.log(level: !found.isEmpty ? .error : line.stream == .stderr ? .warning : .info, "\(line.text)", metadata: [
                "subsystem": "target", "event_type": "target_output", "stream": "\(line.stream.rawValue)",
                "target_pid": "\(pid.map(String.init) ?? "-")"])
        }
        state.withLock { state in
            state.recent.append(line.text)
            if state.recent.count > Self.recentLimit { state.recent.removeFirst(state.recent.count - Self.recentLimit) }
            state.matches += found
            if found.isEmpty && line.stream == .stderr && state.unmatched.count < Self.recentLimit && UnmatchedFailures.looksLikeFailure(line.text) {
                state.unmatched.append(line.text)
            }
        }
        return found
    }

    /// Failure lines of its error output that no pattern matched (at most ``recentLimit`` a run).
    var unmatchedFailures: [String] { state.withLock { $0.unmatched } }

    /// The last lines, for a finding's evidence.
    var recentLines: [String] { state.withLock { $0.recent } }
    /// Everything matched so far.
    var matches: [SignatureMatch] { state.withLock { $0.matches } }
}
