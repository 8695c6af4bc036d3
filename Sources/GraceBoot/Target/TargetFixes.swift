import GraceCore
import GraceStore
import Logging
import Synchronization

/// The healing side of supervising the service: which recognised failures are handled (once per
/// run, not while their fix waits for approval or verification), what is recorded on the run's
/// timeline, and how an applied fix is verified by the service's next healthy run, or failed when
/// that never comes. The process itself is the ``TargetSupervisor``'s; this only asks it to
/// restart for a fix.
final class TargetFixes: Sendable {
    /// A fix applied to the service whose recovery the next healthy run verifies.
    struct PendingFix: Sendable {
        var fix: SelfHealer.AppliedFix
        /// The run of the service the fix was applied in (a later run verifies it).
        var runID: String
        var patternID: String { fix.patternID }
    }

    private struct State {
        var pending: [PendingFix] = []
        /// Failures (pattern and target, ``FailureKey``) already handled in the current run.
        var handledThisRun: Set<FailureKey> = []
        /// Failures whose fix waits for a human: not handled again until the approval runs.
        var awaitingApproval: Set<FailureKey> = []
    }

    let healer: TargetHealer
    let logger: Logger
    /// Stops the running process so the loop starts it again at once with the fix.
    private let restartForFix: @Sendable () -> Void
    private let state = Mutex(State())

    init(healer: TargetHealer, logger: Logger, restartForFix: @Sendable @escaping () -> Void) {
        self.healer = healer
        self.logger = logger
        self.restartForFix = restartForFix
    }

    /// A new run of the service starts: every failure may be handled once in it.
    func beginRun() {
        state.withLock { $0.handledThisRun = [] }
    }

    /// Whether a known failure showed in the current run (which makes the run `failed`).
    var failureSeenThisRun: Bool { state.withLock { !$0.handledThisRun.isEmpty } }

    /// Heals one recognised failure (its pattern, aimed at the service, whatever the line
    /// captured): once per run, and not while its fix awaits approval or verification. How often
    /// it may be fixed unattended is the circuit breaker's call (``SelfHealer``).
    func handle(_ match: SignatureMatch, runID: String, timeline: TargetTimeline) async {
        let key = healer.failureKey(match)
        let shouldHandle = state.withLock { state -> Bool in
            state.handledThisRun.insert(key).inserted && !state.awaitingApproval.contains(key)
                && !state.pending.contains(where: { $0.patternID == key.patternID })
        }
        guard shouldHandle else { return }
        logger.warning("detected \(match.patternID): \(match.line.prefix(200))", metadata: [
            "subsystem": "target", "event_type": "pattern_detected", "pattern_id": "\(match.patternID)"])
        await timeline.step("failure_detected", "recognised \(match.patternID)", status: .failed,
                            details: ["pattern_id": .string(match.patternID), "line": .string(match.line)])
        let outcome = await healer.handle(match, runID: runID)
        if outcome.approvalID != nil && outcome.applied == nil && !outcome.attempt.succeeded {
            state.withLock { _ = $0.awaitingApproval.insert(key) }
        }
        await record(outcome, match: match, runID: runID, timeline: timeline)
    }

    /// Puts a decision on the run's timeline; a fix that was applied waits for the next healthy
    /// run, and the service restarts to pick it up (a fresh process is the only sure way).
    func record(_ outcome: SelfHealer.Outcome, match: SignatureMatch, runID: String, timeline: TargetTimeline) async {
        await timeline.step("playbook_execution", "\(outcome.decision.rawValue) \(outcome.attempt.playbookID): \(outcome.attempt.detail)",
                            status: outcome.attempt.succeeded ? .success : outcome.decision == .execute && outcome.approvalID == nil ? .failed : .pending,
                            details: ["pattern_id": .string(match.patternID), "decision": .string(outcome.decision.rawValue),
                                      "approval_id": outcome.approvalID.map(JSONValue.string) ?? .null,
                                      "breaker": .string(outcome.breakerOpen ? "open" : "closed")],
                            playbookID: outcome.attempt.playbookID, verificationID: outcome.verification?.verificationID)
        guard let applied = outcome.applied else { return }
        state.withLock { $0.pending.append(PendingFix(fix: applied, runID: runID)) }
        restartForFix()
    }

    /// An approved fix ran: its failure may be handled again.
    func approvalRan(for match: SignatureMatch) {
        state.withLock { _ = $0.awaitingApproval.remove(healer.failureKey(match)) }
    }

    /// After the settle time, a pending fix of an earlier run whose failure did not recur in this
    /// run is verified; one that recurred failed.
    func verifyPending(healthyRun runID: String, recurred: @Sendable () -> Set<String>, settleSeconds: Int, timeline: TargetTimeline) async {
        let due = state.withLock { state in state.pending.filter { $0.runID != runID } }
        guard !due.isEmpty else { return }
        try? await Task.sleep(for: .seconds(settleSeconds))  // cancelled: the run ended first, and failUnverified settles them
        if Task.isCancelled { return }
        let seen = recurred()
        for pendingFix in due {
            let fix = pendingFix.fix
            let passed = !seen.contains(fix.patternID)
            let event = await healer.recordRecovery(
                of: fix, runID: runID, passed: passed,
                result: passed ? "the service is healthy and \(fix.patternID) did not recur for \(settleSeconds) s after \(fix.playbookID)"
                    : "\(fix.patternID) recurred after \(fix.playbookID)")
            await timeline.step("verification", event.result, status: passed ? .success : .failed, playbookID: fix.playbookID,
                                verificationID: event.verificationID)
        }
        state.withLock { state in
            state.pending.removeAll { fix in due.contains { $0.fix.playbookRunID == fix.fix.playbookRunID } }
        }
    }

    /// A run that ended without becoming healthy fails the fixes it was meant to verify.
    func failUnverified(endedRun runID: String, healthy: Bool) async {
        guard !healthy else { return }
        let due = state.withLock { state -> [PendingFix] in
            let due = state.pending.filter { $0.runID != runID }
            state.pending.removeAll { $0.runID != runID }
            return due
        }
        for pendingFix in due {
            await healer.recordRecovery(of: pendingFix.fix, runID: runID, passed: false,
                                        result: "the service ended before it was healthy again after \(pendingFix.fix.playbookID)")
        }
    }

    /// Supervision gives up: every fix still waiting for its verification failed.
    func failAll(runID: String?, result: String) async {
        let due = state.withLock { state -> [PendingFix] in
            defer { state.pending = [] }
            return state.pending
        }
        for pendingFix in due {
            await healer.recordRecovery(of: pendingFix.fix, runID: runID, passed: false, result: result)
        }
    }
}

/// Adds steps to one run of the service in the timeline; a store error is logged, never fatal.
struct TargetTimeline: Sendable {
    let runs: any RunRepository
    let runID: String
    let logger: Logger

    func step(_ type: String, _ description: String, status: TimelineStep.Status, details: JSONValue? = nil,
              playbookID: String? = nil, verificationID: String? = nil) async {
        do {
            _ = try await runs.addStep(TimelineStep(runID: runID, stepType: type, subsystem: "target", description: description, status: status,
                                                    details: details, playbookID: playbookID, verificationID: verificationID))
        } catch {
            logger.error("could not record a step of the service's run", metadata: [
                "subsystem": "target", "event_type": "store_error", "run_id": "\(runID)", "step_type": "\(type)", "error": "\(error)"])
        }
    }
}
