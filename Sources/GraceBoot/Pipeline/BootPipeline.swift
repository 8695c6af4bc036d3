import Foundation
import GraceCore
import GraceLog
import GraceStore
import Logging

/// Runs an ordered list of stages with pre-boot snapshot, healing, critical gating and rollback
/// (DESIGN.md section 3). The two profiles are two stage lists for this one engine.
public struct BootPipeline: Sendable {
    public let profile: String
    public let stages: [any BootStage]
    public let healer: any StageHealer

    public init(profile: String, stages: [any BootStage], healer: any StageHealer) {
        self.profile = profile
        self.stages = stages
        self.healer = healer
    }

    /// Runs the boot. `progress` is called as each stage finishes (for the live console line).
    public func run(in context: BootContext, progress: @Sendable (Int, Int, StageOutcome) -> Void = { _, _, _ in }) async -> BootReport {
        await withRun(context.runID) {
            await execute(in: context, progress: progress)
        }
    }

    private func execute(in context: BootContext, progress: @Sendable (Int, Int, StageOutcome) -> Void) async -> BootReport {
        let logger = context.logger
        let started = Date()
        let clock = ContinuousClock()
        let bootStart = clock.now
        logger.info("boot started", metadata: ["subsystem": "boot_pipeline", "event_type": "boot_start", "profile": "\(profile)",
                                               "mode": "\(context.mode.rawValue)"])
        let recorder = BootRecorder(runID: context.runID, profile: profile, startedAt: Timestamp.string(from: started))
        takeSnapshot(in: context)

        var outcomes: [StageOutcome] = []
        var stoppedAt: Int?
        var failedServices: [String: String] = [:]
        for (index, stage) in stages.enumerated() {
            var skipReason: String?
            if context.stopRequested {
                skipReason = "Grace was asked to stop during the boot"
            } else if let service = stage.service, let failedStage = failedServices[service] {
                skipReason = "\(service) stage \(failedStage) failed"
            }
            if let skipReason {
                let skipped = StageOutcome(name: stage.name, critical: stage.critical, status: .skipped,
                                           findings: [Finding(message: "not run: " + skipReason)], durationMS: 0,
                                           startedAt: Timestamp.now())
                outcomes.append(skipped)
                await recorder.record(skipped, in: context)
                progress(index + 1, stages.count, skipped)
                continue
            }
            let outcome = await runStage(stage, in: context, recorder: recorder)
            outcomes.append(outcome)
            if outcome.status == .warning {
                context.earlierFindings += outcome.findings
            }
            await recorder.record(outcome, in: context)
            await context.settleDeferredFixes()
            progress(index + 1, stages.count, outcome)
            if let service = stage.service, outcome.status == .failed, !context.stopRequested {
                failedServices[service] = stage.name
                await rollBackService(service, in: context, after: stage.name)
            }
            if stage.critical && outcome.status == .failed {
                stoppedAt = index
                break
            }
        }
        if let stoppedAt {
            for stage in stages[(stoppedAt + 1)...] {
                let skipped = StageOutcome(name: stage.name, critical: stage.critical, status: .skipped,
                                           findings: [Finding(message: "not run: critical stage \(stages[stoppedAt].name) failed")], durationMS: 0,
                                           startedAt: Timestamp.now())
                outcomes.append(skipped)
                progress(outcomes.count, stages.count, skipped)
            }
        }

        await context.settleDeferredFixes(force: true)
        var status = BootStatus.of(outcomes)
        var rollback: (restored: Bool, detail: String)?
        if context.stopRequested {
            // A stage that failed because Grace was stopping (its server went down) is no reason to
            // rewind the data; the boot simply did not finish.
            status = .partial
            context.logger.warning("boot stopped on request", metadata: ["subsystem": "boot_pipeline", "event_type": "boot_stopped"])
        } else if status == .failed {
            rollback = await rollBack(in: context, after: stages[stoppedAt ?? 0].name)
        }
        if rollback?.restored != true { await mineUnmatched(outcomes, in: context) }
        let duration = (clock.now - bootStart).milliseconds
        let built = BootReport(runID: context.runID, profile: profile, status: status, startedAt: Timestamp.string(from: started),
                                endedAt: Timestamp.now(), durationMS: duration, stages: outcomes,
                                snapshotID: context.snapshot?.snapshotID, snapshotProblem: context.snapshotProblem,
                                rolledBack: rollback?.restored ?? false, rollbackDetail: rollback?.detail,
                                uncleanShutdownDetected: context.uncleanShutdown)
        let report = await recorder.finish(built, in: context, restoredStore: rollback?.restored ?? false)
        logger.log(level: status == .failed ? .error : status == .partial ? .warning : .info, "boot finished",
                   metadata: ["subsystem": "boot_pipeline", "event_type": "boot_complete", "boot_status": "\(status.rawValue)",
                              "duration_ms": "\(duration)"])
        return report
    }

    /// Failed stages' findings that no knowledge-base pattern names are mined into the store's
    /// mined clusters (source `boot`, with this run's id), so a failure that keeps coming back
    /// becomes a suggestion (`grace patterns suggest`). Skipped when the store was restored.
    private func mineUnmatched(_ outcomes: [StageOutcome], in context: BootContext) async {
        guard let store = context.store else { return }
        let messages = outcomes.filter { $0.status == .failed }.flatMap(\.findings).map(\.message)
            .filter { !$0.hasPrefix("not run: ") && !$0.isEmpty }
        guard !messages.isEmpty else { return }
        do {
            let matcher = try SignatureMatcher(knowledgeBase: try KnowledgeBaseStore(layout: context.layout).load())
            let unmatched = messages.filter { matcher.matches(in: $0).isEmpty }
            guard !unmatched.isEmpty else { return }
            try await UnmatchedFailures.record(unmatched, source: "boot", runID: context.runID, into: store.repositories)
            context.logger.info("unmatched boot findings mined", metadata: [
                "subsystem": "boot_pipeline", "event_type": "findings_mined", "lines": "\(unmatched.count)"])
        } catch {
            context.logger.warning("mining unmatched boot findings failed: \(error)", metadata: [
                "subsystem": "boot_pipeline", "event_type": "findings_mining_failed"])
        }
    }

    private func takeSnapshot(in context: BootContext) {
        guard context.settings.autoSnapshotBeforeBoot else { return }
        let snapshots = context.snapshots
        do {
            let manifest = try snapshots.create(bootID: context.runID, gitSHA: GitInfo.headSHA(), platform: GitInfo.platform)
            context.snapshot = manifest
            context.logger.info("pre-boot snapshot taken", metadata: [
                "subsystem": "boot_pipeline", "event_type": "snapshot_created", "snapshot_id": "\(manifest.snapshotID)",
                "files": "\(manifest.files.filter { $0.state != .absent }.count)"])
        } catch {
            context.snapshotProblem = "\(error)"
            context.logger.error("pre-boot snapshot failed; rollback will not be possible", metadata: [
                "subsystem": "boot_pipeline", "event_type": "snapshot_failed", "error": "\(error)"])
        }
        let pruned = snapshots.prune(keep: context.settings.snapshotKeep)
        for problem in pruned.problems {
            context.logger.warning("snapshot retention: \(problem)", metadata: ["subsystem": "boot_pipeline", "event_type": "snapshot_prune_failed"])
        }
        if !pruned.keptForHealthyCopy.isEmpty {
            context.logger.info("kept beyond GRACE_SNAPSHOT_KEEP: the newest healthy copy of a database", metadata: [
                "subsystem": "boot_pipeline", "event_type": "snapshot_retained",
                "snapshots": .array(pruned.keptForHealthyCopy.map { .string($0) })])
        }
    }

    /// Runs one stage; on failure hands the findings to the healer and re-runs once if anything was fixed.
    private func runStage(_ stage: any BootStage, in context: BootContext, recorder: BootRecorder) async -> StageOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let startedAt = Timestamp.now()
        await recorder.begin(stage, at: startedAt, in: context)
        context.logger.debug("stage started", metadata: ["subsystem": "boot_pipeline", "event_type": "stage_start", "stage": "\(stage.name)"])
        var result = await attempt(stage, in: context)
        var healing = result.healing
        var status = result.status
        var findings = result.findings
        // A failed stage is healed; so is a warning that names a failure Grace's own stages find
        // (an unclean shutdown): it does not fail the boot, but it has a fix.
        let toHeal = result.status == .failed ? result.findings : result.status == .warning
            ? result.findings.filter { $0.code.flatMap(StageFailurePatterns.pattern) != nil } : []
        if !toHeal.isEmpty && !stage.healsItself {
            let round = await healer.healVerifiedByRerun(stage: stage.name, findings: toHeal, in: context)
            healing = round.attempts
            if healing.contains(where: \.succeeded) {
                result = await attempt(stage, in: context)
                status = result.status == .failed ? .failed : result.status == .warning && status == .warning ? .warning : .passedAfterHeal
                findings += result.status == .failed ? result.findings : []
            }
            // The re-run is the fixes' verification: it decides how they count. Fixes made before
            // the store opened are settled once it has (``settleDeferredFixes``), so they are recorded.
            let passed = result.status != .failed
            if context.store == nil {
                context.deferSettling(round.pending.map { pending in { repositories in
                    await pending.settle(stage: stage.name, rerunPassed: passed, runID: context.runID, repositories: repositories)
                } })
            } else {
                for pending in round.pending { await pending.settle(stage: stage.name, rerunPassed: passed, runID: context.runID) }
            }
        }
        let milliseconds = (clock.now - start).milliseconds
        let outcome = StageOutcome(name: stage.name, critical: stage.critical, status: status, findings: findings,
                                   healing: healing, durationMS: milliseconds, startedAt: startedAt, endedAt: Timestamp.now())
        let level: Logger.Level = status == .failed ? (stage.critical ? .error : .warning) : status == .warning ? .warning : .info
        context.logger.log(level: level, "stage \(stage.name) \(status.rawValue)", metadata: [
            "subsystem": "boot_pipeline", "event_type": "stage_complete", "stage": "\(stage.name)", "status": "\(status.rawValue)",
            "duration_ms": "\(milliseconds)", "findings": .array(findings.map { .string($0.message) })])
        return outcome
    }

    private func attempt(_ stage: any BootStage, in context: BootContext) async -> StageResult {
        do {
            return try await stage.run(in: context)
        } catch {
            return StageResult(status: .failed, findings: [Finding(message: "stage error: \(error)", evidence: "\(error)",
                                                                   code: (error as? StoreError).map(Self.code(for:)))])
        }
    }

    static func code(for error: StoreError) -> String {
        switch error {
        case .damaged: "database_damaged"
        case .locked, .cannotOpen: "database_unavailable"
        case .newerSchema: "schema_newer"
        default: "store_error"
        }
    }

    /// Puts a supervised service's files (its databases and env file) back as they were before the
    /// boot, after one of its stages failed; Grace's own files are left alone. What it replaces is
    /// kept aside (`*.rolled-back-*`).
    private func rollBackService(_ service: String, in context: BootContext, after stage: String) async {
        await context.targetSupervisor?.stop()
        guard let snapshot = context.snapshot else { return }
        let names = Set(context.targetFiles.map(\.name))
        guard !names.isEmpty else { return }
        do {
            let result = try context.snapshots.restore(id: snapshot.snapshotID, names: names, asideLabel: "rolled-back", discardNewer: true)
            context.logger.warning("rolled back the \(service) service's files to the pre-boot snapshot", metadata: [
                "subsystem": "boot_pipeline", "event_type": "rollback", "snapshot_id": "\(snapshot.snapshotID)", "stage": "\(stage)",
                "files": .array(result.restored.map { .string($0) }), "detail": "\(result.summary)"])
        } catch {
            context.logger.error("rolling back the \(service) service's files failed", metadata: [
                "subsystem": "boot_pipeline", "event_type": "rollback_failed", "stage": "\(stage)", "error": "\(error)"])
        }
    }

    /// Restores the pre-boot snapshot after a critical failure; returns whether it did, and what
    /// happened. The files it replaces (the failed boot's writes) are kept aside, never deleted; a
    /// database another process has open is not replaced at all.
    private func rollBack(in context: BootContext, after stage: String) async -> (restored: Bool, detail: String) {
        guard let snapshot = context.snapshot else {
            context.logger.error("critical stage failed and no pre-boot snapshot exists; nothing to roll back",
                                 metadata: ["subsystem": "boot_pipeline", "event_type": "rollback_unavailable"])
            return (false, "critical stage \(stage) failed; no pre-boot snapshot ("
                + (context.snapshotProblem ?? "AUTO_SNAPSHOT_BEFORE_BOOT is off") + "); nothing restored")
        }
        await context.targetSupervisor?.stop()
        await context.launcher?.stop()
        await context.closeStore()
        do {
            let result = try context.snapshots.restore(id: snapshot.snapshotID, asideLabel: "rolled-back", discardNewer: true)
            context.logger.warning("rolled back to the pre-boot snapshot", metadata: [
                "subsystem": "boot_pipeline", "event_type": "rollback", "snapshot_id": "\(snapshot.snapshotID)", "stage": "\(stage)",
                "detail": "\(result.summary)"])
            return (true, "critical stage \(stage) failed; " + result.summary)
        } catch {
            context.logger.critical("rollback failed", metadata: ["subsystem": "boot_pipeline", "event_type": "rollback_failed",
                                                                  "error": "\(error)"])
            return (false, "critical stage \(stage) failed; restoring snapshot \(snapshot.snapshotID) FAILED: \(error)")
        }
    }
}
