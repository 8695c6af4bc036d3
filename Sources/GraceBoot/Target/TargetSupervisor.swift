import Foundation
import GraceCore
import GraceLog
import GraceStore
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the user's service running under `grace up`: runs it as a child process, logs and
/// matches its output as it arrives, heals recognised failures under governance, restarts it
/// with exponential backoff up to a crash-loop limit, probes its health, executes approved
/// fixes, and stops it cleanly on shutdown (SIGTERM, then SIGKILL).
///
/// A ServiceLifecycle service: it waits in the group until the boot's bring-up stage calls
/// ``activate(repositories:bootRunID:)``, so a boot that never gets that far starts nothing.
public final class TargetSupervisor: Service, Sendable {
    /// What the supervisor is doing, for `/health`, the dashboard and the bring-up stage.
    public struct Status: Sendable, Equatable {
        public enum Phase: String, Sendable { case waiting, starting, running, healthy, backingOff = "backing_off", crashLoop = "crash_loop", stopped }
        public var phase: Phase = .waiting
        public var pid: Int32?
        public var runID: String?
        public var restarts = 0
        public var lastExit: String?
        public var detail = "not started"
        public var recentOutput: [String] = []
        public var healthy: Bool { phase == .healthy }
    }

    struct Activation: Sendable {
        var repositories: GraceRepositories
        var bootRunID: String
    }

    /// A fix applied to the service whose recovery the next healthy run verifies.
    struct PendingFix: Sendable {
        var fix: SelfHealer.AppliedFix
        /// The run of the service the fix was applied in (a later run verifies it).
        var runID: String
        var patternID: String { fix.patternID }
    }

    private struct State {
        var status = Status()
        var stopRequested = false
        var stopCurrent: (@Sendable () -> Void)?
        var restartForFix = false
        var pendingFixes: [PendingFix] = []
        /// Whether the current run has been healthy.
        var runHealthy = false
        /// Failures (pattern and target, ``FailureKey``) already handled in the current run.
        var handledThisRun: Set<FailureKey> = []
        /// Failures whose fix waits for a human: not handled again until the approval runs.
        var awaitingApproval: Set<FailureKey> = []
        /// The healer, once supervision started.
        var healer: TargetHealer?
    }

    let settings: GraceSettings
    let target: TargetSettings
    let guardExecutable: String?
    let logger: Logger
    private let state = Mutex(State())
    private let activations: AsyncStream<Activation>
    private let activationContinuation: AsyncStream<Activation>.Continuation

    public init(settings: GraceSettings, target: TargetSettings, guardExecutable: String?, logger: Logger) {
        self.settings = settings
        self.target = target
        self.guardExecutable = guardExecutable
        self.logger = logger
        (activations, activationContinuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// The current status.
    public var status: Status { state.withLock { $0.status } }

    /// Starts supervising (from the bring-up stage).
    public func activate(repositories: GraceRepositories, bootRunID: String) {
        activationContinuation.yield(Activation(repositories: repositories, bootRunID: bootRunID))
    }

    /// Waits until the service is healthy, gives up (crash loop, stopped) or the start timeout
    /// passes (with room for the restarts the backoff allows).
    public func waitUntilHealthy() async -> Status {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(target.startTimeoutSeconds) * 2
        while clock.now < deadline {
            let status = self.status
            if status.healthy || status.phase == .crashLoop || status.phase == .stopped { return status }
            try? await Task.sleep(for: .milliseconds(100))
        }
        var status = self.status
        status.detail = "not healthy within \(target.startTimeoutSeconds * 2) s (\(status.detail))"
        return status
    }

    /// Stops the service and supervision (a rollback replaces the service's files next).
    public func stop() async {
        let stopCurrent = state.withLock { state -> (@Sendable () -> Void)? in
            state.stopRequested = true
            return state.stopCurrent
        }
        activationContinuation.finish()
        stopCurrent?()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(target.stopTimeoutSeconds + 3)
        while clock.now < deadline, status.pid != nil {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    public func run() async throws {
        let activation = await cancelWhenGracefulShutdown { [activations] () -> Activation? in
            for await activation in activations { return activation }
            return nil
        }
        guard let activation else { return }
        let healer: TargetHealer
        do {
            healer = try TargetHealer(settings: settings, target: target, repositories: activation.repositories, logger: logger,
                                      restart: { [weak self] in self?.restartForFix() ?? "the supervisor has stopped" })
        } catch {
            update { $0.phase = .stopped; $0.detail = "the knowledge base cannot be loaded: \(error)" }
            logger.error("target supervision cannot start", metadata: ["subsystem": "target", "error": "\(error)"])
            return
        }
        state.withLock { $0.healer = healer }
        await supervise(activation: activation, healer: healer)
    }

    private var shouldStop: Bool {
        Task.isCancelled || Task.isShuttingDownGracefully || state.withLock { $0.stopRequested }
    }

    private func update(_ change: (inout Status) -> Void) {
        state.withLock { change(&$0.status) }
    }

    private func supervise(activation: Activation, healer: TargetHealer) async {
        let repositories = activation.repositories
        let clock = ContinuousClock()
        // Every exit within the restart window, crashes and restarts for fixes alike: a fix that
        // does not hold must not restart the service for ever.
        var exits: [(at: ContinuousClock.Instant, forFix: Bool)] = []
        var first = true
        while !shouldStop {
            let run = AgentRun(kind: "target", trigger: first ? .boot : .autonomous, subsystem: "target",
                               body: ["command": .string(target.command), "boot_run_id": .string(activation.bootRunID)])
            first = false
            _ = try? await repositories.runs.create(run)
            let timeline = TargetTimeline(runs: repositories.runs, runID: run.runID)
            update { $0.phase = .starting; $0.runID = run.runID; $0.detail = "starting" }
            let ending = await withRun(run.runID) {
                await runOnce(runID: run.runID, healer: healer, repositories: repositories, timeline: timeline)
            }
            let restartForFix = state.withLock { state in
                defer { state.restartForFix = false; state.stopCurrent = nil }
                return state.restartForFix
            }
            let stopping = shouldStop
            let crashed = !stopping && !restartForFix
            // A run in which a known failure showed failed, even when a fix then healed it (the
            // fix and its verification are on its timeline, and the next run shows the recovery).
            let failureSeen = state.withLock { !$0.handledThisRun.isEmpty }
            let reason = stopping ? "Grace is stopping" : restartForFix ? "restart for a fix" : "unexpected exit"
            withRun(run.runID) {
                logger.log(level: crashed ? .error : .info, "target \(ending.exit.map(\.description) ?? "ended") (\(reason))", metadata: [
                    "subsystem": "target", "event_type": "target_exit", "exit": "\(ending.exit.map(\.description) ?? "unknown")"])
            }
            await timeline.step("process_exit", "the service \(ending.exit.map(\.description) ?? "ended")",
                                status: crashed ? .failed : .success, details: ["restart_for_fix": .bool(restartForFix)])
            _ = try? await repositories.runs.complete(runID: run.runID, status: crashed || failureSeen ? .failed : .success, at: Timestamp.now())
            await failUnverifiedFixes(startedBy: run.runID, healer: healer, healthy: ending.becameHealthy)
            await repositories.audit(AuditEvent(
                actor: "grace", action: "target.exit", resource: "target", subsystem: "target",
                payload: ["run_id": .string(run.runID), "exit": .string(ending.exit.map(\.description) ?? "unknown"),
                          "restart_for_fix": .bool(restartForFix)],
                result: crashed ? "crashed" : "stopped"), logger: logger)
            update { $0.pid = nil; $0.lastExit = ending.exit?.description }
            if stopping { break }
            let now = clock.now
            exits = exits.filter { now - $0.at < .seconds(target.restartWindowSeconds) } + [(now, restartForFix)]
            if exits.count > target.maxRestarts {
                let forFixes = exits.filter { $0.forFix }.count
                let detail = "crash loop: \(exits.count) exits within \(target.restartWindowSeconds) s, \(forFixes) of them restarts for fixes "
                    + "(limit \(target.maxRestarts), GRACE_TARGET_MAX_RESTARTS); not restarting"
                update { $0.phase = .crashLoop; $0.detail = detail; $0.recentOutput = ending.recentOutput }
                logger.error("target \(detail)", metadata: ["subsystem": "target", "event_type": "target_crash_loop",
                                                            "exits": "\(exits.count)", "fix_restarts": "\(forFixes)"])
                do {
                    try await repositories.audit.append(AuditEvent(
                        actor: "grace", action: "target.crash_loop", resource: "target", subsystem: "target",
                        payload: ["detail": .string(detail), "exits": .number(Double(exits.count)), "fix_restarts": .number(Double(forFixes)),
                                  "limit": .number(Double(target.maxRestarts)), "window_seconds": .number(Double(target.restartWindowSeconds)),
                                  "run_id": .string(run.runID)],
                        result: "gave_up"))
                } catch {
                    logger.error("could not audit the crash loop", metadata: ["subsystem": "target", "event_type": "store_error", "error": "\(error)"])
                }
                await failPendingFixes(healer: healer, runID: run.runID, result: "the service was not restarted to verify the fix: \(detail)")
                try? await gracefulShutdown()
                break
            }
            if restartForFix {
                update { $0.restarts += 1; $0.detail = "restarting after a fix" }
                continue
            }
            let delay = target.backoff(beforeRestart: exits.count)
            update { $0.phase = .backingOff; $0.restarts += 1; $0.recentOutput = ending.recentOutput
                $0.detail = "the service \(ending.exit.map(\.description) ?? "ended"); restarting in \(delay.milliseconds) ms" }
            logger.warning("target \(ending.exit.map(\.description) ?? "ended"); restarting in \(delay.milliseconds) ms", metadata: [
                "subsystem": "target", "event_type": "target_restart", "restarts": "\(exits.count)"])
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
            } catch {
                break
            }
        }
        await failPendingFixes(healer: healer, runID: status.runID, result: "supervision stopped before the fix could be verified")
        update { $0.phase = .stopped; $0.pid = nil; $0.detail = "stopped" }
    }

    /// How one run of the service ended.
    struct Ending: Sendable {
        var exit: TargetExit?
        var becameHealthy: Bool
        var recentOutput: [String]
    }

    private enum Event: Sendable {
        case exited(TargetExit?)
        case shutdown
    }

    /// Runs the service once, with its output watcher, health probe and approval poller beside it.
    private func runOnce(runID: String, healer: TargetHealer, repositories: GraceRepositories, timeline: TargetTimeline) async -> Ending {
        let output = TargetOutput(logger: logger, healer: healer, runID: runID)
        let process = TargetProcess(target: target, guardExecutable: guardExecutable)
        state.withLock { state in
            state.runHealthy = false
            state.handledThisRun = []
        }
        let exit: TargetExit? = await withTaskGroup(of: Event?.self) { group in
            group.addTask {
                do {
                    let exit = try await process.run(safeMode: false, runID: runID, started: { [self] pid, stop in
                        state.withLock { state in
                            state.status.pid = pid
                            state.status.phase = .running
                            state.stopCurrent = stop
                            if state.stopRequested { stop() }
                        }
                        logger.info("target started (pid \(pid))", metadata: ["subsystem": "target", "event_type": "target_start", "target_pid": "\(pid)"])
                    }, line: { [self] line in
                        for match in output.consume(line, pid: status.pid) {
                            await handle(match, runID: runID, healer: healer, timeline: timeline)
                        }
                    })
                    return .exited(exit)
                } catch {
                    self.logger.error("target could not be started", metadata: ["subsystem": "target", "error": "\(error)"])
                    return .exited(nil)
                }
            }
            group.addTask { [self] in
                await watchHealth(runID: runID, output: output, healer: healer, timeline: timeline)
                return nil
            }
            group.addTask {
                do { try await gracefulShutdown() } catch { return nil }
                return .shutdown
            }
            var exit: TargetExit?
            while let event = await group.next() {
                switch event {
                case .exited(let ended)?:
                    exit = ended
                    group.cancelAll()
                case .shutdown?:
                    // Cancelling the process task tears the service down (SIGTERM, then SIGKILL).
                    group.cancelAll()
                case nil:
                    continue
                }
            }
            return exit
        }
        return Ending(exit: exit, becameHealthy: state.withLock { $0.runHealthy }, recentOutput: output.recentLines.suffix(20))
    }

    /// Heals one recognised failure (its pattern, aimed at the service, whatever the line
    /// captured): once per run, and not while its fix awaits approval or verification. How often
    /// it may be fixed unattended is the circuit breaker's call (``SelfHealer``).
    private func handle(_ match: SignatureMatch, runID: String, healer: TargetHealer, timeline: TargetTimeline) async {
        let key = healer.failureKey(match)
        let shouldHandle = state.withLock { state -> Bool in
            state.handledThisRun.insert(key).inserted && !state.awaitingApproval.contains(key)
                && !state.pendingFixes.contains(where: { $0.patternID == key.patternID })
        }
        guard shouldHandle else { return }
        logger.warning("detected \(match.patternID): \(match.line.prefix(200))", metadata: ["subsystem": "target", "event_type": "pattern_detected", "pattern_id": "\(match.patternID)"])
        await timeline.step("failure_detected", "recognised \(match.patternID)", status: .failed,
                            details: ["pattern_id": .string(match.patternID), "line": .string(match.line)])
        let outcome = await healer.handle(match, runID: runID)
        if outcome.decision == .awaitApproval && outcome.approvalID != nil {
            state.withLock { _ = $0.awaitingApproval.insert(key) }
        }
        await record(outcome, match: match, runID: runID, timeline: timeline)
    }

    private func record(_ outcome: SelfHealer.Outcome, match: SignatureMatch, runID: String, timeline: TargetTimeline) async {
        await timeline.step("playbook_execution", "\(outcome.decision.rawValue) \(outcome.attempt.playbookID): \(outcome.attempt.detail)",
                            status: outcome.attempt.succeeded ? .success : outcome.decision == .execute ? .failed : .pending,
                            details: ["pattern_id": .string(match.patternID), "decision": .string(outcome.decision.rawValue),
                                      "approval_id": outcome.approvalID.map(JSONValue.string) ?? .null,
                                      "breaker": .string(outcome.breakerOpen ? "open" : "closed")],
                            playbookID: outcome.attempt.playbookID, verificationID: outcome.verification?.verificationID)
        guard let applied = outcome.applied else { return }
        let fix = PendingFix(fix: applied, runID: runID)
        let alreadyRestarting = state.withLock { state -> Bool in
            state.pendingFixes.append(fix)
            return state.restartForFix
        }
        // A fresh process is the only sure way the fix (environment, schema) is picked up.
        if !alreadyRestarting { _ = restartForFix() }
    }

    /// The `restart_target` action and every successful fix: stop the running process; the loop
    /// starts it again at once, without counting a crash.
    private func restartForFix() -> String {
        let (stop, pid) = state.withLock { state -> ((@Sendable () -> Void)?, Int32?) in
            state.restartForFix = true
            return (state.stopCurrent, state.status.pid)
        }
        stop?()
        return pid.map { "restarting the service (pid \($0))" } ?? "the service starts again with the fix"
    }

    /// Probes health; the first healthy answer settles pending fixes (verified when their failure
    /// does not recur within the settle time); repeated failures after that restart the service.
    private func watchHealth(runID: String, output: TargetOutput, healer: TargetHealer, timeline: TargetTimeline) async {
        let probe = TargetHealthProbe(url: target.healthURL)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(target.startTimeoutSeconds)
        var failures = 0
        var isHealthy = false
        while !Task.isCancelled {
            let pause: Duration = isHealthy ? .seconds(target.healthIntervalSeconds) : .milliseconds(200)
            if target.healthURL == nil && !isHealthy {
                try? await Task.sleep(for: .seconds(max(target.settleSeconds, 1)))
            }
            let result = await probe.probe()
            if Task.isCancelled { return }
            if result.healthy {
                failures = 0
                if !isHealthy {
                    isHealthy = true
                    state.withLock { state in
                        state.runHealthy = true
                        state.status.phase = .healthy
                        state.status.detail = result.detail
                    }
                    logger.info("target healthy", metadata: ["subsystem": "target", "event_type": "target_healthy", "detail": "\(result.detail)"])
                    await timeline.step("healthy", "the service is healthy: \(result.detail)", status: .success)
                    await verifyPendingFixes(runID: runID, output: output, healer: healer, timeline: timeline)
                }
            } else if isHealthy {
                failures += 1
                logger.warning("target health check failed (\(failures))", metadata: ["subsystem": "target", "detail": "\(result.detail)"])
                if failures >= 3 {
                    await timeline.step("health_failed", "3 health checks failed: \(result.detail); restarting", status: .failed)
                    state.withLock { $0.stopCurrent }?()
                    return
                }
            } else if clock.now >= deadline {
                update { $0.detail = "not healthy within \(target.startTimeoutSeconds) s: \(result.detail)" }
                await timeline.step("health_failed", "not healthy within \(target.startTimeoutSeconds) s: \(result.detail)", status: .failed)
                state.withLock { $0.stopCurrent }?()
                return
            }
            try? await Task.sleep(for: pause)
        }
    }

    /// After the settle time, a pending fix whose failure did not recur in this run is verified.
    private func verifyPendingFixes(runID: String, output: TargetOutput, healer: TargetHealer, timeline: TargetTimeline) async {
        let pending = state.withLock { state in state.pendingFixes.filter { $0.runID != runID } }
        guard !pending.isEmpty else { return }
        try? await Task.sleep(for: .seconds(target.settleSeconds))
        if Task.isCancelled { return }
        let recurred = Set(output.matches.map(\.patternID))
        for pendingFix in pending {
            let fix = pendingFix.fix
            let passed = !recurred.contains(fix.patternID)
            let event = await healer.recordRecovery(
                of: fix, runID: runID, passed: passed,
                result: passed ? "the service is healthy and \(fix.patternID) did not recur for \(target.settleSeconds) s after \(fix.playbookID)"
                    : "\(fix.patternID) recurred after \(fix.playbookID)")
            await timeline.step("verification", event.result, status: passed ? .success : .failed, playbookID: fix.playbookID,
                                verificationID: event.verificationID)
        }
        state.withLock { state in
            state.pendingFixes.removeAll { fix in pending.contains { $0.fix.playbookRunID == fix.fix.playbookRunID } }
        }
    }

    /// A run that ended without becoming healthy fails the fixes it was meant to verify.
    private func failUnverifiedFixes(startedBy runID: String, healer: TargetHealer, healthy: Bool) async {
        guard !healthy else { return }
        let pending = state.withLock { state -> [PendingFix] in
            let due = state.pendingFixes.filter { $0.runID != runID }
            state.pendingFixes.removeAll { $0.runID != runID }
            return due
        }
        for pendingFix in pending {
            await healer.recordRecovery(of: pendingFix.fix, runID: runID, passed: false,
                                        result: "the service ended before it was healthy again after \(pendingFix.fix.playbookID)")
        }
    }

    /// Supervision gives up: every fix still waiting for its verification failed.
    private func failPendingFixes(healer: TargetHealer, runID: String?, result: String) async {
        let pending = state.withLock { state -> [PendingFix] in
            defer { state.pendingFixes = [] }
            return state.pendingFixes
        }
        for pendingFix in pending {
            await healer.recordRecovery(of: pendingFix.fix, runID: runID, passed: false, result: result)
        }
    }

    /// Applies an approved fix for the service (claimed exactly once by this node's
    /// ``ApprovalExecutor``): with the service supervised, it is restarted and its recovery
    /// verified; otherwise the fix reaches its files and the next boot starts it with them.
    public func applyApproved(_ approval: ApprovalRequest, match: SignatureMatch, repositories: GraceRepositories) async -> SelfHealer.Outcome? {
        let (current, runID) = state.withLock { ($0.healer, $0.status.runID) }
        guard let healer = current ?? (try? TargetHealer(settings: settings, target: target, repositories: repositories, logger: logger,
                                                         restart: { [weak self] in self?.restartForFix() ?? "the supervisor has stopped" }))
        else { return nil }
        logger.notice("applying approved fix \(approval.eventID)", metadata: ["subsystem": "target", "approval_id": "\(approval.eventID)"])
        // Supervised, the next healthy run verifies the fix; otherwise the post-fix check decides.
        let outcome = await healer.handle(match, runID: runID ?? approval.runID, approvedID: approval.eventID,
                                          verifiesRecovery: current != nil && runID != nil)
        state.withLock { _ = $0.awaitingApproval.remove(healer.failureKey(match)) }
        if current != nil, let runID {
            await record(outcome, match: match, runID: runID, timeline: TargetTimeline(runs: repositories.runs, runID: runID))
        }
        return outcome
    }
}

/// Adds steps to one run of the service in the timeline; a store error is logged, never fatal.
struct TargetTimeline: Sendable {
    let runs: any RunRepository
    let runID: String

    func step(_ type: String, _ description: String, status: TimelineStep.Status, details: JSONValue? = nil,
              playbookID: String? = nil, verificationID: String? = nil) async {
        _ = try? await runs.addStep(TimelineStep(runID: runID, stepType: type, subsystem: "target", description: description, status: status,
                                                 details: details, playbookID: playbookID, verificationID: verificationID))
    }
}
