import Foundation
import GraceCore
import GraceLog
import GraceStore
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps the user's service running under `grace up`, as a child process: starts it, streams its
/// output to the log and the matcher, probes its health, starts it again when it ends (the
/// ``RestartPolicy`` says when, or that it crash-loops), and stops it cleanly on shutdown (SIGTERM,
/// then SIGKILL). What is recognised in its output is healed by ``TargetFixes``.
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

    private struct State {
        var status = Status()
        var stopRequested = false
        var stopCurrent: (@Sendable () -> Void)?
        var restartForFix = false
        /// Whether the current run has been healthy.
        var runHealthy = false
        /// The healing of what the service prints, once supervision started.
        var fixes: TargetFixes?
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
        let fixes = TargetFixes(healer: healer, logger: logger, restartForFix: { [weak self] in _ = self?.restartForFix() })
        state.withLock { $0.fixes = fixes }
        await supervise(activation: activation, fixes: fixes)
    }

    private var shouldStop: Bool {
        Task.isCancelled || Task.isShuttingDownGracefully || state.withLock { $0.stopRequested }
    }

    private func update(_ change: (inout Status) -> Void) {
        state.withLock { change(&$0.status) }
    }

    private func supervise(activation: Activation, fixes: TargetFixes) async {
        let repositories = activation.repositories
        let clock = ContinuousClock()
        var policy = RestartPolicy(target: target)
        var first = true
        while !shouldStop {
            let run = AgentRun(kind: "target", trigger: first ? .boot : .autonomous, subsystem: "target",
                               body: ["command": .string(target.command), "boot_run_id": .string(activation.bootRunID)])
            first = false
            do {
                _ = try await repositories.runs.create(run)
            } catch {
                logger.error("could not record the service's run", metadata: ["subsystem": "target", "event_type": "store_error", "error": "\(error)"])
            }
            let timeline = TargetTimeline(runs: repositories.runs, runID: run.runID, logger: logger)
            update { $0.phase = .starting; $0.runID = run.runID; $0.detail = "starting" }
            let ending = await withRun(run.runID) {
                await runOnce(runID: run.runID, fixes: fixes, timeline: timeline)
            }
            let restartForFix = state.withLock { state in
                defer { state.restartForFix = false; state.stopCurrent = nil }
                return state.restartForFix
            }
            let stopping = shouldStop
            let crashed = !stopping && !restartForFix
            // A run in which a known failure showed failed, even when a fix then healed it (the
            // fix and its verification are on its timeline, and the next run shows the recovery).
            let failureSeen = fixes.failureSeenThisRun
            let reason = stopping ? "Grace is stopping" : restartForFix ? "restart for a fix" : "unexpected exit"
            withRun(run.runID) {
                logger.log(level: crashed ? .error : .info, "target \(ending.exit.map(\.description) ?? "ended") (\(reason))", metadata: [
                    "subsystem": "target", "event_type": "target_exit", "exit": "\(ending.exit.map(\.description) ?? "unknown")"])
            }
            await timeline.step("process_exit", "the service \(ending.exit.map(\.description) ?? "ended")",
                                status: crashed ? .failed : .success, details: ["restart_for_fix": .bool(restartForFix)])
            do {
                _ = try await repositories.runs.complete(runID: run.runID, status: crashed || failureSeen ? .failed : .success, at: Timestamp.now())
            } catch {
                logger.error("could not complete the service's run", metadata: ["subsystem": "target", "event_type": "store_error", "error": "\(error)"])
            }
            await fixes.failUnverified(endedRun: run.runID, healthy: ending.becameHealthy)
            do {
                try await UnmatchedFailures.record(ending.unmatchedFailures, source: "target", runID: run.runID, into: repositories)
            } catch {
                logger.warning("mining the service's unknown failures failed: \(error)", metadata: [
                    "subsystem": "target", "event_type": "findings_mining_failed"])
            }
            await repositories.audit(AuditEvent(
                actor: "grace", action: "target.exit", resource: "target", subsystem: "target",
                payload: ["run_id": .string(run.runID), "exit": .string(ending.exit.map(\.description) ?? "unknown"),
                          "restart_for_fix": .bool(restartForFix)],
                result: crashed ? "crashed" : "stopped"), logger: logger)
            update { $0.pid = nil; $0.lastExit = ending.exit?.description }
            if stopping { break }
            switch policy.decide(afterExitAt: clock.now, forFix: restartForFix) {
            case .crashLoop(let detail, let exits, let forFixes):
                update { $0.phase = .crashLoop; $0.detail = detail; $0.recentOutput = ending.recentOutput }
                logger.error("target \(detail)", metadata: ["subsystem": "target", "event_type": "target_crash_loop",
                                                            "exits": "\(exits)", "fix_restarts": "\(forFixes)"])
                await repositories.audit(AuditEvent(
                    actor: "grace", action: "target.crash_loop", resource: "target", subsystem: "target",
                    payload: ["detail": .string(detail), "exits": .number(Double(exits)), "fix_restarts": .number(Double(forFixes)),
                              "limit": .number(Double(target.maxRestarts)), "window_seconds": .number(Double(target.restartWindowSeconds)),
                              "run_id": .string(run.runID)],
                    result: "gave_up"), logger: logger)
                await fixes.failAll(runID: run.runID, result: "the service was not restarted to verify the fix: \(detail)")
                try? await gracefulShutdown()  // throws only when Grace is already shutting down
                return await finish(fixes)
            case .restartNow:
                update { $0.restarts += 1; $0.detail = "restarting after a fix" }
            case .backOff(let delay):
                update { $0.phase = .backingOff; $0.restarts += 1; $0.recentOutput = ending.recentOutput
                    $0.detail = "the service \(ending.exit.map(\.description) ?? "ended"); restarting in \(delay.milliseconds) ms" }
                logger.warning("target \(ending.exit.map(\.description) ?? "ended"); restarting in \(delay.milliseconds) ms", metadata: [
                    "subsystem": "target", "event_type": "target_restart", "restarts": "\(status.restarts)"])
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: delay) }
                } catch {
                    return await finish(fixes)
                }
            }
        }
        await finish(fixes)
    }

    /// Supervision ends: fixes still waiting for a healthy run failed.
    private func finish(_ fixes: TargetFixes) async {
        await fixes.failAll(runID: status.runID, result: "supervision stopped before the fix could be verified")
        update { $0.phase = .stopped; $0.pid = nil; $0.detail = "stopped" }
    }

    /// How one run of the service ended.
    struct Ending: Sendable {
        var exit: TargetExit?
        var becameHealthy: Bool
        var recentOutput: [String]
        /// Failure lines no pattern matched, to mine (``UnmatchedFailures``).
        var unmatchedFailures: [String]
    }

    private enum Event: Sendable {
        case exited(TargetExit?)
        case shutdown
    }

    /// Runs the service once, with its output watcher, health probe and approval poller beside it.
    private func runOnce(runID: String, fixes: TargetFixes, timeline: TargetTimeline) async -> Ending {
        let output = TargetOutput(logger: logger, healer: fixes.healer, runID: runID)
        let process = TargetProcess(target: target, guardExecutable: guardExecutable)
        state.withLock { $0.runHealthy = false }
        fixes.beginRun()
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
                            await fixes.handle(match, runID: runID, timeline: timeline)
                        }
                    })
                    return .exited(exit)
                } catch {
                    self.logger.error("target could not be started", metadata: ["subsystem": "target", "error": "\(error)"])
                    return .exited(nil)
                }
            }
            group.addTask { [self] in
                await watchHealth(runID: runID, output: output, fixes: fixes, timeline: timeline)
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
        return Ending(exit: exit, becameHealthy: state.withLock { $0.runHealthy }, recentOutput: output.recentLines.suffix(20),
                      unmatchedFailures: output.unmatchedFailures)
    }

    /// The `restart_target` action and every applied fix: stop the running process; the loop
    /// starts it again at once, without counting a crash. Asked again while it restarts, it does
    /// nothing more.
    private func restartForFix() -> String {
        let (stop, pid) = state.withLock { state -> ((@Sendable () -> Void)?, Int32?) in
            defer { state.restartForFix = true }
            return (state.restartForFix ? nil : state.stopCurrent, state.status.pid)
        }
        stop?()
        return pid.map { "restarting the service (pid \($0))" } ?? "the service starts again with the fix"
    }

    /// Probes health; the first healthy answer settles pending fixes (verified when their failure
    /// does not recur within the settle time); repeated failures after that restart the service.
    private func watchHealth(runID: String, output: TargetOutput, fixes: TargetFixes, timeline: TargetTimeline) async {
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
                    await fixes.verifyPending(healthyRun: runID, recurred: { Set(output.matches.map(\.patternID)) },
                                              settleSeconds: target.settleSeconds, timeline: timeline)
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

    /// Applies an approved fix for the service (claimed exactly once by this node's
    /// ``ApprovalExecutor``): with the service supervised, it is restarted and its recovery
    /// verified; otherwise the fix reaches its files and the next boot starts it with them.
    public func applyApproved(_ approval: ApprovalRequest, match: SignatureMatch, repositories: GraceRepositories) async -> SelfHealer.Outcome? {
        let (current, runID) = state.withLock { ($0.fixes, $0.status.runID) }
        let healer: TargetHealer
        if let current {
            healer = current.healer
        } else {
            do {
                healer = try TargetHealer(settings: settings, target: target, repositories: repositories, logger: logger,
                                          restart: { [weak self] in self?.restartForFix() ?? "the supervisor has stopped" })
            } catch {
                logger.error("cannot apply an approved fix: the knowledge base cannot be loaded", metadata: [
                    "subsystem": "target", "approval_id": "\(approval.eventID)", "error": "\(error)"])
                return nil
            }
        }
        logger.notice("applying approved fix \(approval.eventID)", metadata: ["subsystem": "target", "approval_id": "\(approval.eventID)"])
        // Supervised, the next healthy run verifies the fix; otherwise the post-fix check decides.
        let outcome = await healer.handle(match, runID: runID ?? approval.runID, approvedID: approval.eventID,
                                          verifiesRecovery: current != nil && runID != nil)
        if let current, let runID {
            current.approvalRan(for: match)
            await current.record(outcome, match: match, runID: runID, timeline: TargetTimeline(runs: repositories.runs, runID: runID, logger: logger))
        }
        return outcome
    }
}
