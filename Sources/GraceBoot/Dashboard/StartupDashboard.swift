import Foundation
import GraceCore
import GraceStore

/// What the startup dashboard shows: the web page's `GET /api/startup/dashboard` and the
/// terminal `grace dashboard` read the same value.
///
/// The first fields keep the original system's names and meaning (`boot_status` ...
/// `recommendations`); the rest are Grace's additions. Optional fields are always encoded,
/// as `null` when unknown, so clients see one stable shape.
public struct StartupDashboard: Sendable, Equatable, Codable {
    /// The newest verification result (`last_verification`).
    public struct Verification: Sendable, Equatable, Codable {
        public var type: String
        public var result: String
        public var passed: Bool
        public var timestamp: String

        public init(type: String, result: String, passed: Bool, timestamp: String) {
            self.type = type
            self.result = result
            self.passed = passed
            self.timestamp = timestamp
        }
    }

    /// A metric whose newest snapshot is in the critical band.
    public struct CriticalMetric: Sendable, Equatable, Codable {
        public var metricID: String
        public var band: MetricBand
        /// The snapshot's `stats_json.value`, when it has one.
        public var value: Double?
        public var windowEnd: String

        public init(metricID: String, band: MetricBand, value: Double?, windowEnd: String) {
            self.metricID = metricID
            self.band = band
            self.value = value
            self.windowEnd = windowEnd
        }

        enum CodingKeys: String, CodingKey {
            case metricID = "metric_id", band, value, windowEnd = "window_end"
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(metricID, forKey: .metricID)
            try container.encode(band, forKey: .band)
            try container.encode(value, forKey: .value)
            try container.encode(windowEnd, forKey: .windowEnd)
        }
    }

    /// How many metrics sit in each band, by their newest snapshot.
    public struct BandCounts: Sendable, Equatable, Codable {
        public var good: Int
        public var warning: Int
        public var critical: Int

        public init(good: Int = 0, warning: Int = 0, critical: Int = 0) {
            self.good = good
            self.warning = warning
            self.critical = critical
        }
    }

    /// One stage of the last boot, enough to draw it on a time axis.
    public struct Stage: Sendable, Equatable, Codable {
        public var name: String
        public var critical: Bool
        public var status: StageStatus
        public var durationMS: Double
        public var findings: [String]

        public init(name: String, critical: Bool, status: StageStatus, durationMS: Double, findings: [String]) {
            self.name = name
            self.critical = critical
            self.status = status
            self.durationMS = durationMS
            self.findings = findings
        }

        enum CodingKeys: String, CodingKey {
            case name, critical, status, durationMS = "duration_ms", findings
        }
    }

    /// The last boot report in brief (`logs/last_boot_report.json`).
    public struct BootSummary: Sendable, Equatable, Codable {
        public var runID: String
        public var profile: String
        public var status: BootStatus
        public var startedAt: String
        public var endedAt: String
        public var durationMS: Double
        public var stagesPassed: Int
        public var stagesFailed: Int
        public var rolledBack: Bool
        public var snapshotID: String?
        public var uncleanShutdownDetected: Bool
        public var stages: [Stage]

        public init(report: BootReport) {
            runID = report.runID
            profile = report.profile
            status = report.status
            startedAt = report.startedAt
            endedAt = report.endedAt
            durationMS = report.durationMS
            stagesPassed = report.stagesPassed
            stagesFailed = report.stagesFailed
            rolledBack = report.rolledBack
            snapshotID = report.snapshotID
            uncleanShutdownDetected = report.uncleanShutdownDetected
            stages = report.stages.map {
                Stage(name: $0.name, critical: $0.critical, status: $0.status, durationMS: $0.durationMS, findings: $0.findings.map(\.message))
            }
        }

        enum CodingKeys: String, CodingKey {
            case runID = "run_id", profile, status, startedAt = "started_at", endedAt = "ended_at", durationMS = "duration_ms"
            case stagesPassed = "stages_passed", stagesFailed = "stages_failed", rolledBack = "rolled_back"
            case snapshotID = "snapshot_id", uncleanShutdownDetected = "unclean_shutdown_detected", stages
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(runID, forKey: .runID)
            try container.encode(profile, forKey: .profile)
            try container.encode(status, forKey: .status)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(endedAt, forKey: .endedAt)
            try container.encode(durationMS, forKey: .durationMS)
            try container.encode(stagesPassed, forKey: .stagesPassed)
            try container.encode(stagesFailed, forKey: .stagesFailed)
            try container.encode(rolledBack, forKey: .rolledBack)
            try container.encode(snapshotID, forKey: .snapshotID)
            try container.encode(uncleanShutdownDetected, forKey: .uncleanShutdownDetected)
            try container.encode(stages, forKey: .stages)
        }
    }

    /// A link to a related page or endpoint.
    /// The supervised service's newest run (``TargetSupervisor``), from the timeline.
    public struct ServiceSummary: Sendable, Equatable, Codable {
        public var runID: String
        /// `active` while it runs; `success` when stopped (or restarted for a fix) with no failure
        /// seen, `failed` when it crashed or a known failure showed in it.
        public var status: AgentRun.Status
        /// What to tell a person: `running`, `running with errors (PATTERN)`, `stopped`, `failed`, `aborted`.
        public var state: String
        public var startedAt: String
        public var endedAt: String?
        /// Runs of the service in the last 24 hours (each start is one).
        public var startsToday: Int
        public var verificationsPassed: Int
        public var verificationsFailed: Int

        public init(runID: String, status: AgentRun.Status, state: String? = nil, startedAt: String, endedAt: String?, startsToday: Int,
                    verificationsPassed: Int, verificationsFailed: Int) {
            self.runID = runID
            self.status = status
            self.state = state ?? (status == .active ? "running" : status == .success ? "stopped" : status.rawValue)
            self.startedAt = startedAt
            self.endedAt = endedAt
            self.startsToday = startsToday
            self.verificationsPassed = verificationsPassed
            self.verificationsFailed = verificationsFailed
        }

        enum CodingKeys: String, CodingKey {
            case runID = "run_id", status, state, startedAt = "started_at", endedAt = "ended_at", startsToday = "starts_today"
            case verificationsPassed = "verifications_passed", verificationsFailed = "verifications_failed"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            self.init(runID: try container.decode(String.self, forKey: .runID), status: try container.decode(AgentRun.Status.self, forKey: .status),
                      state: try container.decodeIfPresent(String.self, forKey: .state),
                      startedAt: try container.decode(String.self, forKey: .startedAt), endedAt: try container.decodeIfPresent(String.self, forKey: .endedAt),
                      startsToday: try container.decode(Int.self, forKey: .startsToday),
                      verificationsPassed: try container.decode(Int.self, forKey: .verificationsPassed),
                      verificationsFailed: try container.decode(Int.self, forKey: .verificationsFailed))
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(runID, forKey: .runID)
            try container.encode(status, forKey: .status)
            try container.encode(state, forKey: .state)
            try container.encode(startedAt, forKey: .startedAt)
            try container.encode(endedAt, forKey: .endedAt)
            try container.encode(startsToday, forKey: .startsToday)
            try container.encode(verificationsPassed, forKey: .verificationsPassed)
            try container.encode(verificationsFailed, forKey: .verificationsFailed)
        }
    }

    public struct Link: Sendable, Equatable, Codable {
        public var title: String
        public var href: String

        public init(title: String, href: String) {
            self.title = title
            self.href = href
        }
    }

    /// `success`, `partial` or `failed` from the last boot report; `unknown` before the first boot.
    public var bootStatus: String
    public var bootTimestamp: String?
    public var bootDurationMS: Double?
    public var activeRuns: Int
    public var pendingApprovals: Int
    /// The worst band among the newest snapshot of each metric (`good`, `warning`, `critical`),
    /// or `unknown` before the monitor's first pass.
    public var metricsHealth: String
    public var criticalMetrics: [CriticalMetric]
    public var playbooksAvailable: Int
    public var playbooksExecutedToday: Int
    public var lastVerification: Verification?
    public var issues: [String]
    public var recommendations: [String]
    public var lastBoot: BootSummary?
    public var metricsByBand: BandCounts
    public var quickLinks: [Link]
    public var generatedAt: String
    /// 0 (bad) to 100 (good): recent boots, metric bands and pending approvals (``Learning/healthScore``).
    public var healthScore: Int
    /// Failures likely at the next boot, most likely first (``Learning/predictFailures``).
    public var predictedFailures: [Learning.Prediction]
    /// The supervised service, when Grace has run one.
    public var service: ServiceSummary?

    public init(bootStatus: String, bootTimestamp: String?, bootDurationMS: Double?, activeRuns: Int, pendingApprovals: Int,
                metricsHealth: String, criticalMetrics: [CriticalMetric], playbooksAvailable: Int, playbooksExecutedToday: Int,
                lastVerification: Verification?, issues: [String], recommendations: [String], lastBoot: BootSummary?,
                metricsByBand: BandCounts, quickLinks: [Link], generatedAt: String, healthScore: Int,
                predictedFailures: [Learning.Prediction], service: ServiceSummary? = nil) {
        self.bootStatus = bootStatus
        self.bootTimestamp = bootTimestamp
        self.bootDurationMS = bootDurationMS
        self.activeRuns = activeRuns
        self.pendingApprovals = pendingApprovals
        self.metricsHealth = metricsHealth
        self.criticalMetrics = criticalMetrics
        self.playbooksAvailable = playbooksAvailable
        self.playbooksExecutedToday = playbooksExecutedToday
        self.lastVerification = lastVerification
        self.issues = issues
        self.recommendations = recommendations
        self.lastBoot = lastBoot
        self.metricsByBand = metricsByBand
        self.quickLinks = quickLinks
        self.generatedAt = generatedAt
        self.healthScore = healthScore
        self.predictedFailures = predictedFailures
        self.service = service
    }

    enum CodingKeys: String, CodingKey {
        case bootStatus = "boot_status", bootTimestamp = "boot_timestamp", bootDurationMS = "boot_duration_ms"
        case activeRuns = "active_runs", pendingApprovals = "pending_approvals", metricsHealth = "metrics_health"
        case criticalMetrics = "critical_metrics", playbooksAvailable = "playbooks_available"
        case playbooksExecutedToday = "playbooks_executed_today", lastVerification = "last_verification", issues, recommendations
        case lastBoot = "last_boot", metricsByBand = "metrics_by_band", quickLinks = "quick_links", generatedAt = "generated_at"
        case healthScore = "health_score", predictedFailures = "predicted_failures", service
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(bootStatus, forKey: .bootStatus)
        try container.encode(bootTimestamp, forKey: .bootTimestamp)
        try container.encode(bootDurationMS, forKey: .bootDurationMS)
        try container.encode(activeRuns, forKey: .activeRuns)
        try container.encode(pendingApprovals, forKey: .pendingApprovals)
        try container.encode(metricsHealth, forKey: .metricsHealth)
        try container.encode(criticalMetrics, forKey: .criticalMetrics)
        try container.encode(playbooksAvailable, forKey: .playbooksAvailable)
        try container.encode(playbooksExecutedToday, forKey: .playbooksExecutedToday)
        try container.encode(lastVerification, forKey: .lastVerification)
        try container.encode(issues, forKey: .issues)
        try container.encode(recommendations, forKey: .recommendations)
        try container.encode(lastBoot, forKey: .lastBoot)
        try container.encode(metricsByBand, forKey: .metricsByBand)
        try container.encode(quickLinks, forKey: .quickLinks)
        try container.encode(generatedAt, forKey: .generatedAt)
        try container.encode(healthScore, forKey: .healthScore)
        try container.encode(predictedFailures, forKey: .predictedFailures)
        try container.encode(service, forKey: .service)
    }
}

/// Builds a ``StartupDashboard`` from the store and the home's last boot report.
public struct StartupDashboardBuilder: Sendable {
    /// The links every dashboard offers.
    public static let quickLinks: [StartupDashboard.Link] = [
        .init(title: "Dashboard", href: "/"),
        .init(title: "API documentation", href: "/docs"),
        .init(title: "OpenAPI document", href: "/openapi.json"),
        .init(title: "Active runs", href: "/api/agent/runs/active"),
        .init(title: "Pending approvals", href: "/api/approvals?status=pending"),
        .init(title: "Last boot report", href: "/api/boot/reports/last"),
        .init(title: "Audit chain verification", href: "/api/audit/verify"),
        .init(title: "Prometheus metrics", href: "/metrics"),
    ]

    public let repositories: GraceRepositories
    public let layout: GraceHomeLayout
    /// Needed for the preconditions behind predicted failures (required secrets); without it,
    /// predictions come from the boot history alone.
    public let settings: GraceSettings?

    public init(repositories: GraceRepositories, layout: GraceHomeLayout, settings: GraceSettings? = nil) {
        self.repositories = repositories
        self.layout = layout
        self.settings = settings
    }

    /// Reads `logs/last_boot_report.json`; nil when there is none yet or it cannot be read.
    public static func lastBootReport(in layout: GraceHomeLayout) -> BootReport? {
        guard let data = FileManager.default.contents(atPath: layout.lastBootReportJSON) else { return nil }
        return try? JSONDecoder().decode(BootReport.self, from: data)
    }

    /// Reads the store and the boot report; store errors are thrown, a missing report is `unknown`.
    public func build(now: Date = Date()) async throws -> StartupDashboard {
        let report = Self.lastBootReport(in: layout)
        let active = try await repositories.runs.count(matching: RunQuery(status: .active))
        let pending = try await repositories.approvals.count(status: .pending)
        let latest = try await repositories.metrics.latestPerMetric()
        let playbooks = try await repositories.playbooks.playbooks()
        // Observed (dry-run) and not yet started runs did not execute anything.
        let executedToday = try await repositories.playbooks.countRuns(since: Self.startOfDay(now), excluding: [.observed, .pending])
        let verification = try await repositories.verifications.recent(limit: 1).first
        let service = try await serviceSummary(now: now)

        var bands = StartupDashboard.BandCounts()
        for snapshot in latest {
            switch snapshot.latestBand {
            case .good: bands.good += 1
            case .warning: bands.warning += 1
            case .critical: bands.critical += 1
            }
        }
        let critical = latest.filter { $0.latestBand == .critical }.map {
            StartupDashboard.CriticalMetric(metricID: $0.metricID, band: $0.latestBand, value: Self.value(of: $0), windowEnd: $0.windowEnd)
        }
        let warnings = latest.filter { $0.latestBand == .warning }.map(\.metricID)
        // The same inputs `grace patterns` scores from: the last ten training records, newest first.
        let records = LearningSummary.recentTrainingRecords(layout, limit: 10)
        let healthScore = Learning.healthScore(recentBootStatuses: records.map(\.outcome), metricBands: latest.map(\.latestBand),
                                               pendingApprovals: pending)
        let predictions = Learning.predictFailures(
            recentBoots: records.map(\.patterns),
            preconditions: settings.map { LearningSummary.currentPreconditions(layout, $0) } ?? Learning.Preconditions())
        let (issues, recommendations) = Self.advice(report: report, pendingApprovals: pending, critical: critical.map(\.metricID),
                                                    warnings: warnings, lastVerification: verification)
        return StartupDashboard(
            bootStatus: report?.status.rawValue ?? "unknown",
            bootTimestamp: report?.startedAt,
            bootDurationMS: report?.durationMS,
            activeRuns: active,
            pendingApprovals: pending,
            metricsHealth: latest.map(\.latestBand).max()?.rawValue ?? "unknown",
            criticalMetrics: critical,
            playbooksAvailable: playbooks.count,
            playbooksExecutedToday: executedToday,
            lastVerification: verification.map {
                .init(type: $0.verificationType, result: $0.result, passed: $0.passed, timestamp: $0.createdAt)
            },
            issues: issues,
            recommendations: recommendations,
            lastBoot: report.map(StartupDashboard.BootSummary.init(report:)),
            metricsByBand: bands,
            quickLinks: Self.quickLinks,
            generatedAt: Timestamp.string(from: now),
            healthScore: healthScore,
            predictedFailures: predictions,
            service: service)
    }

    /// The newest run of the supervised service and how often it started in the last day.
    func serviceSummary(now: Date) async throws -> StartupDashboard.ServiceSummary? {
        let recent = try await repositories.runs.runs(matching: RunQuery(kind: "target", limit: 200))
        guard let newest = recent.first else { return nil }
        let dayAgo = Timestamp.string(from: now.addingTimeInterval(-86_400))
        var state: String?
        if newest.status == .active {
            // Running is not healthy when it prints a known failure: say which.
            let detected = try await repositories.runs.steps(runID: newest.runID).filter { $0.stepType == "failure_detected" }
            let patterns = detected.compactMap { $0.details?["pattern_id"]?.stringValue }
            if !detected.isEmpty { state = "running with errors (" + (patterns.isEmpty ? "a failure" : Set(patterns).sorted().joined(separator: ", ")) + ")" }
        }
        return StartupDashboard.ServiceSummary(
            runID: newest.runID, status: newest.status, state: state, startedAt: newest.startedAt, endedAt: newest.endedAt,
            startsToday: recent.filter { $0.startedAt >= dayAgo }.count,
            verificationsPassed: newest.verificationsPassed, verificationsFailed: newest.verificationsFailed)
    }

    /// Midnight UTC of `date`, in the stored timestamp form.
    static func startOfDay(_ date: Date) -> String {
        String(Timestamp.string(from: date).prefix(10)) + "T00:00:00.000000Z"
    }

    static func value(of snapshot: MetricSnapshot) -> Double? {
        if case .number(let value) = snapshot.stats["value"] ?? .null { return value }
        return nil
    }

    /// What needs attention, and what to do about it, in the order an operator should act.
    static func advice(report: BootReport?, pendingApprovals: Int, critical: [String], warnings: [String],
                       lastVerification: VerificationEvent?) -> (issues: [String], recommendations: [String]) {
        var issues: [String] = []
        var recommendations: [String] = []
        if let report {
            for stage in report.stages where stage.status == .failed {
                let detail = stage.findings.first.map { ": \($0.message)" } ?? ""
                issues.append("boot stage \(stage.name) failed\(detail)")
            }
            for stage in report.stages where stage.status == .warning {
                let detail = stage.findings.first.map { ": \($0.message)" } ?? ""
                issues.append("boot stage \(stage.name) passed with warnings\(detail)")
            }
            if report.rolledBack { issues.append("the last boot was rolled back: \(report.rollbackDetail ?? "pre-boot snapshot restored")") }
            if report.uncleanShutdownDetected { issues.append("the run before the last boot did not shut down cleanly") }
            switch report.status {
            case .failed: recommendations.append("Read the last boot report (grace boot, or GET /api/boot/reports/last) and fix the failed critical stage before serving.")
            case .partial: recommendations.append("Review the failed optional stages in the last boot report.")
            case .success: break
            }
        } else {
            issues.append("no boot report yet")
            recommendations.append("Run `grace boot` or `grace up` to produce a boot report.")
        }
        if pendingApprovals > 0 {
            issues.append("\(pendingApprovals) playbook approval\(pendingApprovals == 1 ? "" : "s") waiting")
            recommendations.append("Approve or reject the pending playbooks (GET /api/approvals?status=pending).")
        }
        for metric in critical {
            issues.append("metric \(metric) is critical")
        }
        if !critical.isEmpty { recommendations.append("Act on the critical metrics first: \(critical.joined(separator: ", ")).") }
        if !warnings.isEmpty { recommendations.append("Watch the metrics in the warning band: \(warnings.joined(separator: ", ")).") }
        if let lastVerification, !lastVerification.passed {
            issues.append("the last verification (\(lastVerification.verificationType) of \(lastVerification.targetComponent)) failed")
            recommendations.append("Check the component the last failed verification names before retrying its playbook.")
        }
        return (issues, recommendations)
    }
}
