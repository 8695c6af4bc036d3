import Foundation
import GraceCore
import GraceStore

/// Records a boot as a run (kind `boot`) with one step per stage, `running` from the stage's start
/// and settled when it ends, and writes the reports and training record at the end.
///
/// After a rollback the databases hold exactly their pre-boot bytes, so the failed boot cannot be
/// written into them; it is parked in `storage/unrecorded_boots/` and replayed into the timeline
/// and audit log by the next boot that opens the store.
actor BootRecorder {
    let runID: String
    let profile: String
    let startedAt: String
    private var runCreated = false
    private var pendingSteps: [TimelineStep] = []
    /// Stages whose running step is stored: their step ids, by stage name.
    private var runningSteps: [String: String] = [:]

    init(runID: String, profile: String, startedAt: String) {
        self.runID = runID
        self.profile = profile
        self.startedAt = startedAt
    }

    /// Stores the stage as a running step from `startedAt`, when the store is open (the stages
    /// before it opens are stored, whole, once they end).
    func begin(_ stage: any BootStage, at startedAt: String, in context: BootContext) async {
        guard let store = await prepared(context) else { return }
        let step = TimelineStep(runID: runID, timestamp: startedAt, stepType: "boot_stage", subsystem: "boot_pipeline", description: stage.name,
                                status: .running, details: ["critical": .bool(stage.critical)])
        do {
            _ = try await store.repositories.runs.addStep(step)
            runningSteps[stage.name] = step.stepID
        } catch {
            context.logger.warning("could not record a boot stage's start", metadata: [
                "subsystem": "boot_pipeline", "stage": "\(stage.name)", "error": "\(error)"])
        }
    }

    func record(_ outcome: StageOutcome, in context: BootContext) async {
        let step = Self.step(for: outcome, runID: runID)
        if let stepID = runningSteps.removeValue(forKey: outcome.name), let store = context.store {
            do {
                _ = try await store.repositories.runs.updateStep(runID: runID, stepID: stepID, StepUpdate(
                    status: step.status, durationMS: step.durationMS, details: step.details, endedAt: step.endedAt))
                return
            } catch {
                context.logger.warning("could not record a boot stage's end", metadata: [
                    "subsystem": "boot_pipeline", "stage": "\(outcome.name)", "error": "\(error)"])
                return
            }
        }
        pendingSteps.append(step)
        guard let store = await prepared(context) else { return }
        await flush(to: store, context: context)
    }

    /// The open store with this boot's run created in it (and earlier boots replayed), or nil.
    private func prepared(_ context: BootContext) async -> (any GraceStoreBackend)? {
        guard let store = context.store else { return nil }
        if !runCreated {
            await BootReplayer.replayUnrecorded(in: context, store: store)
            await flush(to: store, context: context)
        }
        return runCreated ? store : nil
    }

    private func flush(to store: any GraceStoreBackend, context: BootContext) async {
        do {
            if !runCreated {
                _ = try await store.repositories.runs.create(AgentRun(runID: runID, kind: "boot", trigger: .boot, subsystem: "boot_pipeline",
                                                                      startedAt: startedAt, body: ["profile": .string(profile)]))
                runCreated = true
            }
            while let step = pendingSteps.first {
                _ = try await store.repositories.runs.addStep(step)
                pendingSteps.removeFirst()
            }
        } catch {
            context.logger.warning("could not record boot steps", metadata: ["subsystem": "boot_pipeline", "error": "\(error)"])
        }
    }

    /// Completes the run, audits the outcome, and writes the report files and training record.
    /// Returns the report as written (with the audit entries lost, when the store was open).
    func finish(_ report: BootReport, in context: BootContext, restoredStore: Bool) async -> BootReport {
        var report = report
        if restoredStore {
            BootReplayer.park(report, in: context)
        } else if let store = context.store {
            await flush(to: store, context: context)
            await BootReplayer.complete(report, store: store, context: context)
            let lost = store.repositories.auditFailures.summary
            report.auditEntriesLost = lost.count
            report.auditLastFailure = lost.last
        } else {
            // The store never opened (damaged database left as it was): keep the boot for a later replay.
            BootReplayer.park(report, in: context)
        }
        BootReportWriter(layout: context.layout, secrets: context.settings.secretValues).write(report, logger: context.logger)
        return report
    }

    static func step(for outcome: StageOutcome, runID: String) -> TimelineStep {
        let status: TimelineStep.Status = outcome.status == .failed ? .failed : outcome.status == .skipped ? .pending : .success
        var details: [String: JSONValue] = ["stage_status": .string(outcome.status.rawValue), "critical": .bool(outcome.critical)]
        if !outcome.findings.isEmpty { details["findings"] = .array(outcome.findings.map { .string($0.message) }) }
        if !outcome.healing.isEmpty {
            details["healing"] = .array(outcome.healing.map {
                ["playbook_id": .string($0.playbookID), "decision": .string($0.decision), "succeeded": .bool($0.succeeded)]
            })
        }
        let startedAt = outcome.startedAt ?? Timestamp.now()
        return TimelineStep(runID: runID, timestamp: startedAt, endedAt: status.isFinal ? outcome.endedAt ?? startedAt : nil, stepType: "boot_stage",
                            subsystem: "boot_pipeline", description: outcome.name, status: status,
                            durationMS: (outcome.durationMS * 1000).rounded() / 1000, details: .object(details),
                            playbookID: outcome.healing.first?.playbookID)
    }
}

/// Writes boots that could not be stored yet, and replays them once the store is usable.
enum BootReplayer {
    static func directory(_ layout: GraceHomeLayout) -> String { layout.path("storage", "unrecorded_boots") }

    static func park(_ report: BootReport, in context: BootContext) {
        let folder = directory(context.layout)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/" + report.runID + ".json"
        guard let data = try? JSONEncoder.gracePretty.encode(report), FileManager.default.createFile(atPath: path, contents: data) else {
            context.logger.error("could not park the boot record for a later replay", metadata: ["subsystem": "boot_pipeline", "path": "\(path)"])
            return
        }
    }

    /// Records the run's end and the audit entries of a finished boot.
    static func complete(_ report: BootReport, store: any GraceStoreBackend, context: BootContext) async {
        let repositories = store.repositories
        do {
            _ = try await repositories.runs.complete(runID: report.runID, status: report.status.runStatus, at: report.endedAt)
            let healed = report.stages.flatMap(\.healing)
            try await repositories.runs.recordOutcome(runID: report.runID, playbooksExecuted: healed.filter { $0.decision == "execute" }.count,
                                                      verificationsPassed: healed.filter(\.succeeded).count,
                                                      verificationsFailed: healed.filter { $0.decision == "execute" && !$0.succeeded }.count)
            let healthScore = await healthScore(after: report, repositories: repositories, context: context)
            try await repositories.audit.append(AuditEvent(
                actor: "grace", action: "boot.\(report.status.rawValue)", resource: "boot/\(report.runID)", subsystem: "boot_pipeline",
                payload: ["profile": .string(report.profile), "snapshot_id": report.snapshotID.map(JSONValue.string) ?? .null,
                          "duration_ms": .number(report.durationMS), "stages_failed": .number(Double(report.stagesFailed)),
                          "health_score": healthScore.map { .number(Double($0)) } ?? .null, "occurred_at": .string(report.endedAt)],
                result: report.status.rawValue))
            if let detail = report.rollbackDetail {
                try await repositories.audit.append(AuditEvent(
                    actor: "grace", action: "boot.rollback", resource: "snapshot/\(report.snapshotID ?? "none")",
                    subsystem: "boot_pipeline", payload: ["detail": .string(detail), "occurred_at": .string(report.endedAt)],
                    result: report.rolledBack ? "restored" : "not_restored"))
            }
        } catch {
            context.logger.warning("could not record the boot outcome", metadata: ["subsystem": "boot_pipeline", "error": "\(error)"])
        }
    }

    /// The score the dashboard would show right after this boot, kept in its audit entry for the chart
    /// over time: this boot and the nine before it (their training records), the metrics' bands and
    /// pending approvals. Nil, with a warning, when the store cannot say; the entry is written anyway.
    static func healthScore(after report: BootReport, repositories: GraceRepositories, context: BootContext) async -> Int? {
        do {
            return Learning.healthScore(
                recentBootStatuses: [report.status] + LearningSummary.recentTrainingRecords(context.layout, limit: 9).map(\.outcome),
                metricBands: try await repositories.metrics.latestPerMetric().map(\.latestBand),
                pendingApprovals: try await repositories.approvals.count(status: .pending))
        } catch {
            context.logger.warning("could not score the boot's health", metadata: ["subsystem": "boot_pipeline", "error": "\(error)"])
            return nil
        }
    }

    /// Stores boots parked by earlier runs (run, steps, audit entries), then removes their files.
    static func replayUnrecorded(in context: BootContext, store: any GraceStoreBackend) async {
        let folder = directory(context.layout)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names.sorted() where name.hasSuffix(".json") {
            let path = folder + "/" + name
            guard let data = FileManager.default.contents(atPath: path),
                  let report = try? JSONDecoder().decode(BootReport.self, from: data) else { continue }
            do {
                if try await store.repositories.runs.run(id: report.runID) == nil {
                    _ = try await store.repositories.runs.create(AgentRun(runID: report.runID, kind: "boot", trigger: .boot,
                                                                          subsystem: "boot_pipeline", startedAt: report.startedAt,
                                                                          body: ["profile": .string(report.profile), "replayed": true]))
                    for outcome in report.stages {
                        var step = BootRecorder.step(for: outcome, runID: report.runID)
                        if outcome.startedAt == nil {  // a report from before stage times were kept
                            step.timestamp = report.startedAt
                            step.endedAt = step.status.isFinal ? report.startedAt : nil
                        }
                        _ = try await store.repositories.runs.addStep(step)
                    }
                    await complete(report, store: store, context: context)
                }
                try FileManager.default.removeItem(atPath: path)
            } catch {
                context.logger.warning("could not replay an unrecorded boot", metadata: [
                    "subsystem": "boot_pipeline", "run": "\(report.runID)", "error": "\(error)"])
            }
        }
    }
}
