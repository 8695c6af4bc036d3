import Foundation
import GraceBoot
import GraceCore
import Testing

@Suite("Startup dashboard text")
struct DashboardTextTests {
    /// What a fresh home's builder returns (no boot report, nothing in the store).
    static let empty = StartupDashboard(
        bootStatus: "unknown", bootTimestamp: nil, bootDurationMS: nil, activeRuns: 0, pendingApprovals: 0, metricsHealth: "unknown",
        criticalMetrics: [], playbooksAvailable: 0, playbooksExecutedToday: 0, lastVerification: nil, issues: [], recommendations: [],
        lastBoot: nil, metricsByBand: .init(), quickLinks: [], generatedAt: "2025-11-09T18:30:05.000000Z", healthScore: 100,
        predictedFailures: [])

    static func populated() throws -> StartupDashboard {
        let report = BootReport(
            runID: "run_0000000000b1", profile: "production", status: .partial, startedAt: "2025-11-09T18:30:00.000000Z",
            endedAt: "2025-11-09T18:30:02.000000Z", durationMS: 2345.6,
            stages: [
                StageOutcome(name: "environment_and_dependencies", critical: true, status: .passed, findings: [], durationMS: 412.25),
                StageOutcome(name: "schema_and_secrets_guardrail", critical: true, status: .passedAfterHeal,
                             findings: [Finding(message: "pending migrations applied")], durationMS: 1200),
                StageOutcome(name: "playbook_verification", critical: false, status: .failed,
                             findings: [Finding(message: "playbook restart_worker has no risk level")], durationMS: 33.3),
                StageOutcome(name: "smoke_tests", critical: true, status: .warning,
                             findings: [Finding(message: "GET /health took 950 ms")], durationMS: 700),
                StageOutcome(name: "continuous_oversight", critical: false, status: .skipped, findings: [], durationMS: 0),
            ],
            snapshotID: "pre_boot_20251109_183000", rolledBack: false, rollbackDetail: nil, uncleanShutdownDetected: true)
        let predictions = try JSONDecoder().decode([Learning.Prediction].self, from: Data(#"""
            [{"pattern_id": "missing_secret", "likelihood": 0.75,
              "reason": "GITHUB_TOKEN is required but unset; the last three boots failed on it and nothing has changed since then"},
             {"pattern_id": "locale_not_utf8", "likelihood": 0.2, "reason": "LANG=C"}]
            """#.utf8))
        return StartupDashboard(
            bootStatus: "partial", bootTimestamp: report.startedAt, bootDurationMS: report.durationMS, activeRuns: 2, pendingApprovals: 3,
            metricsHealth: "critical",
            criticalMetrics: [
                .init(metricID: "disk_free_ratio", band: .critical, value: 0.042, windowEnd: "2025-11-09T18:29:00.000000Z"),
                .init(metricID: "error_rate", band: .critical, value: nil, windowEnd: "2025-11-09T18:29:30.000000Z"),
            ],
            playbooksAvailable: 8, playbooksExecutedToday: 5,
            lastVerification: .init(type: "health_check", result: "port 8000 refused the connection", passed: false,
                                    timestamp: "2025-11-09T18:20:00.000000Z"),
            issues: ["boot stage playbook_verification failed: playbook restart_worker has no risk level", "3 playbook approvals waiting",
                     "metric disk_free_ratio is critical", "metric error_rate is critical"],
            recommendations: ["Review the failed optional stages in the last boot report.",
                              "Approve or reject the pending playbooks (GET /api/approvals?status=pending).",
                              "Act on the critical metrics first: disk_free_ratio, error_rate."],
            lastBoot: StartupDashboard.BootSummary(report: report), metricsByBand: .init(good: 4, warning: 1, critical: 2),
            quickLinks: Array(StartupDashboardBuilder.quickLinks.prefix(3)), generatedAt: "2025-11-09T18:30:05.000000Z",
            healthScore: 42, predictedFailures: predictions)
    }

    static let emptySnapshot = #"""
            Grace startup dashboard
            generated 2025-11-09T18:30:05.000000Z

            ┌─ Boot ───────────────────────────────────────────────────┐
            │ status    UNKNOWN                                        │
            │ no boot report yet                                       │
            └──────────────────────────────────────────────────────────┘

            ┌─ Health ─────────────────────────────────────────────────┐
            │ health score  100/100  ████████████████████              │
            │ active runs   0                                          │
            │ approvals     0 pending                                  │
            │ playbooks     0 available, 0 executed today              │
            └──────────────────────────────────────────────────────────┘

            ┌─ Metrics ────────────────────────────────────────────────┐
            │ overall   unknown                                        │
            │ bands     0 good, 0 warning, 0 critical                  │
            └──────────────────────────────────────────────────────────┘

            ┌─ Last verification ──────────────────────────────────────┐
            │ none yet                                                 │
            └──────────────────────────────────────────────────────────┘

            ┌─ Issues (0) ─────────────────────────────────────────────┐
            │ none                                                     │
            └──────────────────────────────────────────────────────────┘

            ┌─ Recommendations ────────────────────────────────────────┐
            │ none                                                     │
            └──────────────────────────────────────────────────────────┘

            ┌─ Predicted failures ─────────────────────────────────────┐
            │ none                                                     │
            └──────────────────────────────────────────────────────────┘

            ┌─ Quick links ────────────────────────────────────────────┐
            │ none                                                     │
            └──────────────────────────────────────────────────────────┘
            """#

    static let populatedSnapshot = #"""
            Grace startup dashboard            generated 2025-11-09T18:30:05.000000Z

            ┌─ Boot ───────────────────────────────────────────────────────────────┐
            │ status    PARTIAL  at 2025-11-09T18:30:00.000000Z  in 2.35 s         │
            │ run       run_0000000000b1  profile production                       │
            │ stages    3 passed, 1 failed                                         │
            │ snapshot  pre_boot_20251109_183000                                   │
            │ shutdown  the run before did not shut down cleanly                   │
            │                                                                      │
            │ ✓ environment_and_dependencies  412.2 ms  passed (critical)          │
            │ ✓ schema_and_secrets_guardrail    1.20 s  healed (critical)          │
            │     pending migrations applied                                       │
            │ ✗ playbook_verification          33.3 ms  failed                     │
            │     playbook restart_worker has no risk level                        │
            │ ! smoke_tests                   700.0 ms  warning (critical)         │
            │     GET /health took 950 ms                                          │
            │ - continuous_oversight            0.0 ms  skipped                    │
            └──────────────────────────────────────────────────────────────────────┘

            ┌─ Health ─────────────────────────────────────────────────────────────┐
            │ health score   42/100  ████████░░░░░░░░░░░░                          │
            │ active runs   2                                                      │
            │ approvals     3 pending                                              │
            │ playbooks     8 available, 5 executed today                          │
            └──────────────────────────────────────────────────────────────────────┘

            ┌─ Metrics ────────────────────────────────────────────────────────────┐
            │ overall   critical                                                   │
            │ bands     4 good, 1 warning, 2 critical                              │
            │ critical:                                                            │
            │   ✗ disk_free_ratio = 0.042  at 2025-11-09T18:29:00.000000Z          │
            │   ✗ error_rate  at 2025-11-09T18:29:30.000000Z                       │
            └──────────────────────────────────────────────────────────────────────┘

            ┌─ Last verification ──────────────────────────────────────────────────┐
            │ ✗ failed  health_check  at 2025-11-09T18:20:00.000000Z               │
            │   port 8000 refused the connection                                   │
            └──────────────────────────────────────────────────────────────────────┘

            ┌─ Issues (4) ─────────────────────────────────────────────────────────┐
            │ ! boot stage playbook_verification failed: playbook restart_worker   │
            │   has no risk level                                                  │
            │ ! 3 playbook approvals waiting                                       │
            │ ! metric disk_free_ratio is critical                                 │
            │ ! metric error_rate is critical                                      │
            └──────────────────────────────────────────────────────────────────────┘

            ┌─ Recommendations ────────────────────────────────────────────────────┐
            │ → Review the failed optional stages in the last boot report.         │
            │ → Approve or reject the pending playbooks (GET                       │
            │   /api/approvals?status=pending).                                    │
            │ → Act on the critical metrics first: disk_free_ratio, error_rate.    │
            └──────────────────────────────────────────────────────────────────────┘

            ┌─ Predicted failures ─────────────────────────────────────────────────┐
            │  75% missing_secret                                                  │
            │      GITHUB_TOKEN is required but unset; the last three boots failed │
            │      on it and nothing has changed since then                        │
            │  20% locale_not_utf8                                                 │
            │      LANG=C                                                          │
            └──────────────────────────────────────────────────────────────────────┘

            ┌─ Quick links ────────────────────────────────────────────────────────┐
            │ Dashboard          http://127.0.0.1:8000/                            │
            │ API documentation  http://127.0.0.1:8000/docs                        │
            │ OpenAPI document   http://127.0.0.1:8000/openapi.json                │
            └──────────────────────────────────────────────────────────────────────┘
            """#

    @Test("a fresh home: unknown boot, zero counts, 'none' in every list")
    func emptySnapshot() {
        let text = DashboardText.render(Self.empty, width: 60)
        #expect(text == Self.emptySnapshot)
    }

    @Test("a populated dashboard: every section, wrapped issues, critical metrics, predictions and full links")
    func populatedSnapshot() throws {
        let text = DashboardText.render(try Self.populated(), width: 72, baseURL: "http://127.0.0.1:8000/")
        #expect(text == Self.populatedSnapshot)
    }

    @Test("no ANSI escapes without colour; colour adds escapes but no visible width", arguments: [32, 40, 60, 80, 120])
    func plainAndWidths(width: Int) throws {
        for dashboard in [Self.empty, try Self.populated()] {
            let plain = DashboardText.render(dashboard, width: width)
            #expect(!plain.contains("\u{1B}"))
            for line in plain.split(separator: "\n", omittingEmptySubsequences: false) {
                #expect(line.count <= width, "\(line.count) > \(width): \(line)")
            }
            let colored = DashboardText.render(dashboard, width: width, colored: true)
            #expect(colored.contains("\u{1B}["))
            let stripped = colored.replacing(/\x{1B}\[[0-9;]*m/, with: "")
            #expect(stripped == plain)
        }
    }

    @Test("long text is cut to the width, and narrow widths are drawn at the minimum")
    func longText() throws {
        var dashboard = try Self.populated()
        let long = String(repeating: "x", count: 500)
        dashboard.issues = [long, String(repeating: "word ", count: 200)]
        dashboard.criticalMetrics[0].metricID = long
        dashboard.lastBoot?.stages[0].name = long
        dashboard.quickLinks = [.init(title: long, href: "/" + long)]
        let text = DashboardText.render(dashboard, width: 50)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 50 })
        #expect(text.contains("…"))
        // Wrapped items stop after a few lines.
        #expect(lines.filter { $0.contains("word word") }.count == 4)

        let narrow = DashboardText.render(dashboard, width: 5)
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= DashboardText.minimumWidth })
    }
}
