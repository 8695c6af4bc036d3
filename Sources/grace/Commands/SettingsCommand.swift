import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceTelemetry

struct SettingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings",
        abstract: "Validate and show the effective settings and where each came from (secrets masked).",
        discussion: "Exit 2 when a setting is invalid, or when the GRACE_HOME folder does not exist (`grace up` or `grace boot` creates it).")

    @OptionGroup var options: GlobalOptions

    func run() throws {
        let loaded = try options.loadSettings()
        for warning in loaded.warnings { printError("warning: " + warning) }
        let settings = loaded.settings
        let rows: [(String, String)] = [
            ("GRACE_HOME", settings.home), ("GRACE_HOST", settings.host), ("GRACE_PORT", String(settings.port)),
            ("GRACE_API_TOKEN", settings.apiToken == nil ? "(not set)" : "(set, masked)"),
            ("GRACE_ALLOWED_HOSTS", settings.allowedHosts.isEmpty ? "(loopback only)" : settings.allowedHosts.joined(separator: ",")),
            ("GRACE_METRICS_PUBLIC", String(settings.metricsPublic)),
            ("GRACE_LOG_LEVEL", settings.logLevel.rawValue), ("GRACE_LOG_MAX_BYTES", String(settings.logMaxBytes)),
            ("GRACE_LOG_MAX_FILES", String(settings.logMaxFiles)), ("STRUCTURED_LOGGING", String(settings.structuredLogging)),
            ("AUTO_SNAPSHOT_BEFORE_BOOT", String(settings.autoSnapshotBeforeBoot)),
            ("GRACE_SNAPSHOT_KEEP", String(settings.snapshotKeep)),
            ("GRACE_DATABASE_WAIT_SECONDS", String(settings.databaseWaitSeconds)),
            ("SELF_HEAL_OBSERVE_ONLY", String(settings.selfHealObserveOnly)), ("SELF_HEAL_EXECUTE", String(settings.selfHealExecute)),
            ("GRACE_MAX_UNATTENDED_TIER", settings.maxUnattendedTier.description),
            ("GRACE_MAX_UNATTENDED_FIXES_PER_HOUR", String(settings.maxUnattendedFixesPerHour)), ("GRACE_BOOT_PROFILE", settings.bootProfile.rawValue),
            ("GRACE_REQUIRED_SECRETS", settings.requiredSecrets.joined(separator: ",")),
            ("GRACE_MONITOR_INTERVAL", String(settings.monitorIntervalSeconds)),
            ("GRACE_DATABASE_URL", settings.databaseURL.map { "\($0.displayURL) (password masked)" } ?? "(not set: SQLite in the home)"),
            ("GRACE_NODE_ID", settings.nodeID),
        ] + retentionRows(settings.retention) + targetRows(settings.target) + alertRows(settings.alerts)
        // Trace export follows the OpenTelemetry variables of the process environment, not Grace's settings.
        let telemetry = ("OTLP traces", TraceExport.summary(environment: ProcessInfo.processInfo.environment))
        let width = (rows + [telemetry]).map(\.0.count).max() ?? 0
        for (key, value) in rows {
            let origin = loaded.values[key]?.origin ?? "default"
            print(key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value + "  (" + origin + ")")
        }
        print(telemetry.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + telemetry.1 + "  (OTEL_* environment)")
        // The values are shown either way (they say where GRACE_HOME came from); a home folder that is not
        // there is exit 2. An empty folder is a home before its first boot: settings reads, it creates nothing.
        try GlobalOptions.requireHome(loaded, folderOnly: true)
    }

    private func retentionRows(_ retention: RetentionSettings) -> [(String, String)] {
        func days(_ value: Double?) -> String { value.map { "\($0.formatted()) days" } ?? "forever" }
        return [("GRACE_RETENTION_DAYS", days(retention.days.flatMap { $0 > 0 ? $0 : nil }))]
            + RetentionSettings.Group.allCases.map { ($0.key, days(retention.days(for: $0))) }
            + [("GRACE_RETENTION_INTERVAL", String(retention.intervalSeconds))]
    }

    /// Webhooks by their id: a webhook URL often holds its credential.
    private func alertRows(_ alerts: AlertSettings) -> [(String, String)] {
        [
            ("GRACE_ALERT_WEBHOOKS", alerts.sinks.isEmpty ? "(not set: no alerts)" : alerts.sinks.map(\.id).joined(separator: ",")),
            ("GRACE_ALERT_SECRET", alerts.secret == nil ? "(not set)" : "(set, masked)"),
            ("GRACE_ALERT_MAX_ATTEMPTS", String(alerts.maxAttempts)), ("GRACE_ALERT_BACKOFF_SECONDS", String(alerts.backoffSeconds)),
            ("GRACE_ALERT_BACKOFF_MAX_SECONDS", String(alerts.backoffMaxSeconds)), ("GRACE_ALERT_INTERVAL", String(alerts.intervalSeconds)),
            ("GRACE_ALERT_TIMEOUT_SECONDS", String(alerts.timeoutSeconds)), ("GRACE_ALERT_LOOKBACK_HOURS", String(alerts.lookbackHours)),
        ]
    }

    private func targetRows(_ target: TargetSettings?) -> [(String, String)] {
        guard let target else { return [("GRACE_TARGET_COMMAND", "(not set: no service is supervised)")] }
        return [
            ("GRACE_TARGET_COMMAND", target.command), ("GRACE_TARGET_DIR", target.workingDirectory),
            ("GRACE_TARGET_ENV_FILE", target.envFile), ("GRACE_TARGET_HEALTH_URL", target.healthURL ?? "(not set)"),
            ("GRACE_TARGET_DATABASES", target.databases.joined(separator: ",")),
            ("GRACE_TARGET_MIGRATIONS", target.migrationsDirectory ?? "(not set)"),
            ("GRACE_TARGET_REQUIRED_SECRETS", target.requiredSecrets.joined(separator: ",")),
            ("GRACE_TARGET_SAFE_MODE_VAR", target.safeModeVariable),
            ("GRACE_TARGET_START_TIMEOUT", String(target.startTimeoutSeconds)), ("GRACE_TARGET_STOP_TIMEOUT", String(target.stopTimeoutSeconds)),
            ("GRACE_TARGET_MAX_RESTARTS", String(target.maxRestarts)), ("GRACE_TARGET_RESTART_WINDOW", String(target.restartWindowSeconds)),
            ("GRACE_TARGET_BACKOFF_MS", String(target.backoffMilliseconds)), ("GRACE_TARGET_BACKOFF_MAX_MS", String(target.backoffMaxMilliseconds)),
            ("GRACE_TARGET_HEALTH_INTERVAL", String(target.healthIntervalSeconds)),
            ("GRACE_TARGET_SETTLE_SECONDS", String(target.settleSeconds)),
        ]
    }
}
