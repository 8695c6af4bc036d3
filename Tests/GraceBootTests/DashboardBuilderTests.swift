import Foundation
import GraceBoot
import GraceCore
import GraceStore
import Testing

@Suite("Startup dashboard builder")
struct DashboardBuilderTests {
    static func report(_ status: BootStatus, rolledBack: Bool = false) -> BootReport {
        BootReport(runID: "run_0000000000b1", profile: "production", status: status, startedAt: "2025-11-09T18:30:00.000000Z",
                   endedAt: "2025-11-09T18:30:02.000000Z", durationMS: 2000,
                   stages: [
                       StageOutcome(name: "schema", critical: true, status: status == .failed ? .failed : .passed,
                                    findings: status == .failed ? [Finding(message: "database is damaged")] : [], durationMS: 900),
                       StageOutcome(name: "secrets", critical: false, status: .warning, findings: [Finding(message: "GITHUB_TOKEN unset")],
                                    durationMS: 100),
                   ],
                   snapshotID: nil, rolledBack: rolledBack, rollbackDetail: rolledBack ? "restored snap_1" : nil)
    }

    @Test("an empty home: unknown boot, zero counts, a full health score, advice to boot")
    func emptyHome() async throws {
        let fixture = try BootFixture()
        let store = try SQLiteStore(layout: fixture.layout)
        defer { try? store.close() }
        let dashboard = try await StartupDashboardBuilder(repositories: store.repositories, layout: fixture.layout).build()
        #expect(dashboard.bootStatus == "unknown")
        #expect(dashboard.bootTimestamp == nil)
        #expect(dashboard.lastBoot == nil)
        #expect(dashboard.activeRuns == 0)
        #expect(dashboard.metricsHealth == "unknown")
        #expect(dashboard.metricsByBand == .init())
        #expect(dashboard.healthScore == 100)
        #expect(dashboard.issues == ["no boot report yet"])
        #expect(dashboard.recommendations.first?.contains("grace boot") == true)
        #expect(dashboard.quickLinks.contains { $0.href == "/docs" })
    }

    @Test("reads the last boot report, approvals, metrics by band, today's playbook runs and the last verification")
    func populatedHome() async throws {
        let fixture = try BootFixture()
        let layout = fixture.layout
        try JSONEncoder().encode(Self.report(.failed, rolledBack: true)).write(to: URL(fileURLWithPath: layout.lastBootReportJSON))
        let store = try SQLiteStore(layout: layout)
        defer { try? store.close() }
        let repositories = store.repositories
        _ = try await repositories.runs.create(AgentRun(trigger: .manual, subsystem: "planner"))
        _ = try await repositories.approvals.create(ApprovalRequest(requestedBy: "healer", reason: "r", playbookID: "unlock_database"))
        try await repositories.playbooks.upsert(PlaybookRecord(id: "unlock_database", name: "Unlock"))
        let now = Date()
        try await repositories.playbooks.record(PlaybookRun(playbookID: "unlock_database", status: .succeeded, decision: "execute",
                                                            startedAt: Timestamp.string(from: now)))
        try await repositories.playbooks.record(PlaybookRun(playbookID: "unlock_database", status: .observed, decision: "observe",
                                                            startedAt: Timestamp.string(from: now)))
        try await repositories.playbooks.record(PlaybookRun(playbookID: "unlock_database", status: .succeeded, decision: "execute",
                                                            startedAt: "2020-01-01T00:00:00.000000Z"))
        try await repositories.verifications.record(VerificationEvent(verificationType: "post_fix", targetComponent: "database",
                                                                      verificationMethod: "quick_check", result: "still locked", passed: false))
        try await repositories.metrics.record([
            MetricSnapshot(metricID: "disk_free_bytes", windowStart: "2025-11-09T18:00:00.000000Z", windowEnd: "2025-11-09T18:01:00.000000Z",
                           stats: ["value": 5], bands: .object([:]), latestBand: .critical),
            MetricSnapshot(metricID: "pending_approvals", windowStart: "2025-11-09T18:00:00.000000Z", windowEnd: "2025-11-09T18:01:00.000000Z",
                           stats: ["value": 6], bands: .object([:]), latestBand: .warning),
            MetricSnapshot(metricID: "database_bytes", windowStart: "2025-11-09T18:00:00.000000Z", windowEnd: "2025-11-09T18:01:00.000000Z",
                           stats: ["value": 1], bands: .object([:]), latestBand: .good),
        ])

        let dashboard = try await StartupDashboardBuilder(repositories: repositories, layout: layout).build(now: now)
        #expect(dashboard.bootStatus == "failed")
        #expect(dashboard.bootTimestamp == "2025-11-09T18:30:00.000000Z")
        #expect(dashboard.bootDurationMS == 2000)
        #expect(dashboard.activeRuns == 1)
        #expect(dashboard.pendingApprovals == 1)
        #expect(dashboard.playbooksAvailable == 1)
        #expect(dashboard.playbooksExecutedToday == 1, "observed runs and older days do not count")
        #expect(dashboard.metricsHealth == "critical")
        #expect(dashboard.metricsByBand == .init(good: 1, warning: 1, critical: 1))
        #expect(dashboard.criticalMetrics == [.init(metricID: "disk_free_bytes", band: .critical, value: 5, windowEnd: "2025-11-09T18:01:00.000000Z")])
        #expect(dashboard.lastVerification == .init(type: "post_fix", result: "still locked", passed: false,
                                                    timestamp: dashboard.lastVerification?.timestamp ?? ""))
        #expect(dashboard.lastBoot?.stages.map(\.name) == ["schema", "secrets"])
        #expect(dashboard.lastBoot?.stagesFailed == 1)
        let issues = dashboard.issues.joined(separator: "\n")
        #expect(issues.contains("boot stage schema failed: database is damaged"))
        #expect(issues.contains("boot stage secrets passed with warnings"))
        #expect(issues.contains("rolled back"))
        #expect(issues.contains("1 playbook approval waiting"))
        #expect(issues.contains("metric disk_free_bytes is critical"))
        #expect(issues.contains("last verification"))
        #expect(dashboard.recommendations.count >= 4)
        #expect(dashboard.healthScore < 100)
    }

    @Test("encodes the original's field names, with null for unknown values")
    func encoding() async throws {
        let fixture = try BootFixture()
        let store = try SQLiteStore(layout: fixture.layout)
        defer { try? store.close() }
        let dashboard = try await StartupDashboardBuilder(repositories: store.repositories, layout: fixture.layout).build()
        let object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(dashboard)) as? [String: Any])
        for key in ["boot_status", "boot_timestamp", "boot_duration_ms", "active_runs", "pending_approvals", "metrics_health",
                    "critical_metrics", "playbooks_available", "playbooks_executed_today", "last_verification", "issues",
                    "recommendations", "last_boot", "metrics_by_band", "quick_links", "generated_at", "health_score", "predicted_failures"] {
            #expect(object.keys.contains(key), "\(key)")
        }
        #expect(object["boot_timestamp"] is NSNull)
        #expect(object["last_verification"] is NSNull)
        let decoded = try JSONDecoder().decode(StartupDashboard.self, from: JSONEncoder().encode(dashboard))
        #expect(decoded == dashboard)
    }
}
