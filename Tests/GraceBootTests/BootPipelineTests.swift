import Foundation
@testable import GraceBoot
import GraceCore
import GraceStore
import Testing

@Suite struct BootPipelineTests {
    @Test(arguments: [GraceSettings.BootProfileName.production, .basic])
    func aCleanBootSucceedsAndIsRecorded(profile: GraceSettings.BootProfileName) async throws {
        let home = try BootFixture()
        home.overrides["GRACE_BOOT_PROFILE"] = profile.rawValue
        let (report, context) = try await home.boot()
        #expect(report.status == .success, "\(report.text)")
        #expect(report.stages.count == (profile == .basic ? 8 : 7))
        #expect(report.stages.allSatisfy { $0.status.isSuccess })
        #expect(report.snapshotID != nil)

        // Reports and the training record.
        let json = try #require(home.bytes(home.layout.lastBootReportJSON))
        let decoded = try JSONDecoder().decode(BootReport.self, from: json)
        #expect(decoded.runID == report.runID && decoded.status == .success)
        #expect(try String(contentsOfFile: home.layout.lastBootReportText, encoding: .utf8).contains("Status:    SUCCESS"))
        let records = try FileManager.default.contentsOfDirectory(atPath: home.layout.trainingDirectory).filter { $0.hasPrefix("boot_") }
        #expect(records.count == 1)
        let record = try JSONSerialization.jsonObject(with: try #require(home.bytes(home.layout.trainingDirectory + "/" + records[0]))) as! [String: Any]
        #expect((record["summary"] as? [String: Any])?["success"] as? Bool == true)
        #expect(record["boot_timestamp"] != nil && record["stages"] != nil && record["fixes_applied"] != nil)

        // The boot is a run with a step per stage.
        let store = try SQLiteStore(layout: home.layout)
        let run = try #require(try await store.repositories.runs.run(id: report.runID))
        #expect(run.kind == "boot" && run.status == .success)
        let steps = try await store.repositories.runs.steps(runID: report.runID)
        #expect(steps.map(\.description) == report.stages.map(\.name))
        #expect(steps.allSatisfy { $0.durationMS != nil })
        #expect(try await store.repositories.audit.verify().isIntact)
        #expect(try await store.repositories.metrics.latestPerMetric().count == MetricCatalog.builtIn.count)
        #expect(context.playbooks.contains { $0.id == "restore_database_snapshot" })

        // Every boot log line carries the boot's run id.
        let boot = try home.logLines().filter { ($0["subsystem"] as? String) == "boot_pipeline" }
        #expect(boot.count >= report.stages.count)
        #expect(boot.allSatisfy { ($0["run_id"] as? String) == report.runID })
    }

    @Test func aCriticalFailureRollsBackToTheExactPreBootBytes() async throws {
        let home = try BootFixture()
        _ = try await home.boot()
        let graceBefore = try #require(home.bytes(home.layout.graceDatabase))
        let metricsBefore = try #require(home.bytes(home.layout.metricsDatabase))

        let pipeline = BootPipeline(profile: "test", stages: [
            ScriptedStage(name: "writes", critical: true, status: .passed) { context in
                let store = try await context.openStore()
                for index in 0..<50 {
                    _ = try await store.repositories.runs.create(AgentRun(trigger: .manual, subsystem: "junk\(index)"))
                }
                try await store.repositories.metrics.record([MetricSnapshot(metricID: "junk", windowStart: "a", windowEnd: "b",
                                                                            stats: [:], bands: [:], latestBand: .critical)])
            },
            ScriptedStage(name: "breaks", critical: true, status: .failed),
            ScriptedStage(name: "never", critical: false, status: .passed),
        ], healer: BuiltInHealer())
        let (report, _) = try await home.boot(pipeline)
        #expect(report.status == .failed && report.rolledBack)
        #expect(report.stages.map(\.status) == [.passed, .failed, .skipped])
        #expect(home.bytes(home.layout.graceDatabase) == graceBefore)
        #expect(home.bytes(home.layout.metricsDatabase) == metricsBefore)
        #expect(!FileManager.default.fileExists(atPath: home.layout.graceDatabase + "-wal")
                || (home.bytes(home.layout.graceDatabase + "-wal")?.isEmpty ?? true))
        #expect(try JSONDecoder().decode(BootReport.self, from: try #require(home.bytes(home.layout.lastBootReportJSON))).status == .failed)
        #expect(try String(contentsOfFile: home.layout.lastBootReportText, encoding: .utf8).contains("Rollback:"))

        // The next boot replays the failed one into the timeline and the audit log.
        let (next, _) = try await home.boot()
        #expect(next.status == .success)
        let store = try SQLiteStore(layout: home.layout)
        let failed = try #require(try await store.repositories.runs.run(id: report.runID))
        #expect(failed.status == .failed && failed.kind == "boot")
        let actions = try await store.repositories.audit.tail(limit: 50).map(\.action)
        #expect(actions.contains("boot.rollback") && actions.contains("boot.failed"))
        // Each boot's entry keeps the health score the dashboard shows right after it (the chart over time).
        let entry = try #require(try await store.repositories.audit.tail(limit: 50).first { $0.resource == "boot/\(next.runID)" })
        let recorded = try #require(JSONValue(jsonText: entry.payload)?["health_score"])
        let shown = Learning.healthScore(recentBootStatuses: LearningSummary.recentTrainingRecords(home.layout, limit: 10).map(\.outcome),
                                         metricBands: try await store.repositories.metrics.latestPerMetric().map(\.latestBand),
                                         pendingApprovals: try await store.repositories.approvals.count(status: .pending))
        #expect(recorded == .number(Double(shown)) && shown < 100, "\(entry.payload)")
        #expect(try await store.repositories.runs.runs(matching: RunQuery(subsystem: "junk0")).isEmpty)
    }

    @Test func aMissingRequiredSecretFailsTheGuardrailAndUndoesTheMigrations() async throws {
        let home = try BootFixture()
        home.overrides["GRACE_REQUIRED_SECRETS"] = "GRACE_TEST_SECRET_THAT_IS_NOT_SET"
        let (report, _) = try await home.boot()
        #expect(report.status == .failed)
        let guardrail = try #require(report.stages.first { $0.name == "schema_and_secrets_guardrail" })
        #expect(guardrail.status == .failed)
        #expect(guardrail.findings.contains { $0.code == "missing_secret" && $0.message.contains("GRACE_TEST_SECRET_THAT_IS_NOT_SET") })
        // The home had no databases before this boot: the rollback leaves none.
        #expect(!FileManager.default.fileExists(atPath: home.layout.graceDatabase))
        #expect(!FileManager.default.fileExists(atPath: home.layout.metricsDatabase))
        #expect(FileManager.default.fileExists(atPath: home.layout.lastBootReportText))
    }

    @Test func anObserveOnlyBootWithFailuresLeavesTheProcessEnvironmentAsItWas() async throws {
        let home = try BootFixture()
        // A failure to heal (observed, never fixed) and an unclean shutdown; the locale check runs too.
        home.overrides["GRACE_REQUIRED_SECRETS"] = "GRACE_TEST_OBSERVED_SECRET"
        try Data("GRACE_TEST_OBSERVED_SECRET=would-be-written\n".utf8).write(to: URL(fileURLWithPath: home.layout.path("env.defaults")))
        let before = ProcessInfo.processInfo.environment
        let (report, _) = try await home.boot(uncleanShutdown: true)
        #expect(report.status == .failed, "\(report.text)")
        #expect(ProcessInfo.processInfo.environment == before, "a check or a fix changed Grace's own environment")
        let envFile = (try? String(contentsOfFile: home.layout.envFile, encoding: .utf8)) ?? ""  // no file: nothing written
        #expect(!envFile.contains("GRACE_TEST_OBSERVED_SECRET"), "observe-only wrote the env file")
    }

    @Test func aMissingSecretWithAConfiguredDefaultIsHealedDuringBoot() async throws {
        let home = try BootFixture()
        home.overrides["GRACE_REQUIRED_SECRETS"] = "SERVICE_TOKEN"
        home.overrides["SELF_HEAL_OBSERVE_ONLY"] = "false"
        home.overrides["SELF_HEAL_EXECUTE"] = "true"
        try Data("SERVICE_TOKEN=local-dev-token\n".utf8).write(to: URL(fileURLWithPath: home.layout.path("env.defaults")))
        let (report, _) = try await home.boot()
        #expect(report.status == .success, "\(report.text)")
        let guardrail = try #require(report.stages.first { $0.name == "schema_and_secrets_guardrail" })
        #expect(guardrail.status == .passedAfterHeal)
        #expect(guardrail.healing.contains { $0.playbookID == "create_default_env" && $0.patternID == "missing_env_secrets" && $0.succeeded })
        #expect(try String(contentsOfFile: home.layout.envFile, encoding: .utf8).contains("SERVICE_TOKEN="))
        #expect(!(try String(contentsOfFile: home.layout.lastBootReportText, encoding: .utf8)).contains("local-dev-token"))
        let store = try SQLiteStore(layout: home.layout)
        #expect(try await store.repositories.verifications.recent(limit: 5).first?.passed == true)
        #expect(try await store.repositories.audit.tail(limit: 50).contains { $0.action == "playbook.execute" && $0.payload.contains("create_default_env") })
    }

    @Test func aNonCriticalFailureGivesPartial() async throws {
        let home = try BootFixture()
        try Data("{ this is not json".utf8).write(to: URL(fileURLWithPath: home.layout.playbooksDirectory + "/broken.json"))
        let (report, _) = try await home.boot()
        #expect(report.status == .partial, "\(report.text)")
        let stage = try #require(report.stages.first { $0.name == "playbook_verification" })
        #expect(stage.status == .failed && stage.findings.contains { $0.evidence.contains("broken.json") })
        #expect(!report.rolledBack)
        #expect(FileManager.default.fileExists(atPath: home.layout.lastBootReportJSON))
    }

    @Test func aPlaybookWithoutRiskFieldsLoadsWithTheSafestValues() async throws {
        let home = try BootFixture()
        try Data(#"{"id": "my_fix", "steps": [{"action": "checkpoint_wal"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: home.layout.playbooksDirectory + "/mine.json"))
        let (report, context) = try await home.boot()
        #expect(report.status == .success)
        let mine = try #require(context.playbooks.first { $0.id == "my_fix" })
        #expect(mine.riskLevel == .critical && mine.autonomyTier == .tier0)
        #expect(report.stages.contains { $0.findings.contains { $0.code == "playbook_missing_risk_fields" } })
    }

    @Test func snapshotsAreKeptToTheConfiguredNumber() async throws {
        let home = try BootFixture()
        home.overrides["GRACE_SNAPSHOT_KEEP"] = "2"
        for _ in 0..<4 { _ = try await home.boot() }
        let snapshots = SnapshotStore(layout: home.layout).list()
        #expect(snapshots.count == 2)
        for snapshot in snapshots {
            #expect(try SnapshotStore(layout: home.layout).verify(id: snapshot.snapshotID).isEmpty)
            #expect(snapshot.files.contains { $0.name == "grace.db" && $0.state == .copied && $0.sha256?.count == 64 })
        }
    }
}
