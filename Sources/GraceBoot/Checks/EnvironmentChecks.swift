import Foundation
import GraceCore
import GraceStore

/// The home folder exists, is writable, and its file system has room.
struct HomeWritableCheck: BootCheck {
    /// Below this much free space the boot fails: SQLite and the logs would fail mid-write.
    static let minimumFreeBytes: Int64 = 50 << 20
    static let warningFreeBytes: Int64 = 1 << 30

    func run(in context: BootContext) async throws -> StageResult {
        let probe = context.layout.path(".write-probe-\(getpid())")
        guard FileManager.default.createFile(atPath: probe, contents: Data("ok".utf8)) else {
            return StageResult(status: .failed, findings: [Finding(message: "\(context.layout.root) is not writable",
                                                                   code: "home_not_writable", resource: context.layout.root)])
        }
        try? FileManager.default.removeItem(atPath: probe)
        guard let free = DiskSpace.freeBytes(at: context.layout.root) else { return .passed }
        if free < Self.minimumFreeBytes {
            return StageResult(status: .failed, findings: [Finding(message: "only \(free >> 20) MiB free under \(context.layout.root)",
                                                                   evidence: "free bytes: \(free)", code: "disk_full", resource: context.layout.root)])
        }
        if free < Self.warningFreeBytes {
            return StageResult(status: .warning, findings: [Finding(message: "low disk space: \(free >> 20) MiB free",
                                                                    evidence: "free bytes: \(free)", code: "disk_low", resource: context.layout.root)])
        }
        return .passed
    }
}

/// Both databases readable, `quick_check` clean, schema version known (nothing is opened for writing).
///
/// A database that cannot be read for a reason that is not damage (another process holds a lock,
/// no permission, an I/O error) is waited for with backoff up to `GRACE_DATABASE_WAIT_SECONDS`,
/// then the stage fails naming the file, the error and its holder: such a file is never "healed".
struct DatabaseHealthCheck: BootCheck {
    func run(in context: BootContext) async throws -> StageResult {
        var inspections = DatabaseInspection.inspectAll(context.layout)
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(context.settings.databaseWaitSeconds)
        var delay = Duration.milliseconds(250)
        var waited = false
        while inspections.contains(where: { $0.state == .unavailable }) && clock.now < deadline && !context.stopRequested {
            if !waited {
                for inspection in inspections where inspection.state == .unavailable {
                    context.logger.warning("\(inspection.name) is unavailable; waiting up to \(context.settings.databaseWaitSeconds) s", metadata: [
                        "subsystem": "boot_pipeline", "event_type": "database_wait", "path": "\(inspection.path)",
                        "error": "\(inspection.detail)"])
                }
                waited = true
            }
            try await Task.sleep(for: min(delay, deadline - clock.now))
            delay = min(delay * 2, .seconds(4))
            inspections = DatabaseInspection.inspectAll(context.layout)
        }
        var findings: [Finding] = []
        for inspection in inspections {
            switch inspection.state {
            case .ok, .absent, .pendingMigrations:
                continue
            case .damaged:
                findings.append(Finding(message: "\(inspection.name) is damaged", evidence: inspection.detail,
                                        code: "database_damaged", resource: inspection.path))
            case .unavailable:
                findings.append(Finding(
                    message: "\(inspection.name) is unavailable (not damaged): \(inspection.detail)",
                    evidence: inspection.detail + (waited ? " (waited \(context.settings.databaseWaitSeconds) s with backoff)" : ""),
                    code: "database_unavailable", resource: inspection.path))
            case .newerSchema:
                findings.append(Finding(message: "\(inspection.name) was written by a newer Grace", evidence: inspection.detail,
                                        code: "schema_newer", resource: inspection.path))
            }
        }
        return .from(findings, otherwise: .failed)
    }
}

/// The previous server did not stop cleanly (its lock file was left behind).
struct UncleanShutdownCheck: BootCheck {
    func run(in context: BootContext) async throws -> StageResult {
        guard context.uncleanShutdown else { return .passed }
        return StageResult(status: .warning, findings: [Finding(
            message: "the previous Grace run did not shut down cleanly", evidence: "stale \(context.layout.pidFile)",
            code: "unclean_shutdown", resource: context.layout.pidFile)])
    }
}

/// Text output and child processes use UTF-8 whatever the inherited locale says.
struct UTF8LocaleCheck: BootCheck {
    func run(in context: BootContext) async throws -> StageResult {
        let environment = ProcessInfo.processInfo.environment
        let locale = LocaleEnvironment.current(environment)
        var findings: [Finding] = []
        // A check changes nothing (observe-only included): a service that needs UTF-8 gets it from
        // its env file, which `fix_unicode_logging` writes.
        if !LocaleEnvironment.isUTF8(environment) {
            findings.append(Finding(message: "locale is not UTF-8: children that print non-ASCII text may fail (fix_unicode_logging writes LC_ALL=C.UTF-8 to the service's env file)",
                                    evidence: "locale: \(locale.isEmpty ? "(unset)" : locale)", code: "locale_not_utf8"))
        }
        return .from(findings, otherwise: .warning)
    }
}

/// Runs pending migrations by opening the store.
struct SchemaMigrationCheck: BootCheck {
    func run(in context: BootContext) async throws -> StageResult {
        do {
            try await context.openStore()
            return .passed
        } catch let error as StoreError {
            return StageResult(status: .failed, findings: [Finding(message: "cannot open the store", evidence: error.description,
                                                                   code: BootPipeline.code(for: error))])
        }
    }
}

/// Every secret named in `GRACE_REQUIRED_SECRETS` has a value (the value itself is never reported).
struct RequiredSecretsCheck: BootCheck {
    func run(in context: BootContext) async throws -> StageResult {
        // The home's .env is read again: a fix made during this boot must count when the stage re-runs.
        let missing = context.settings.requiredSecrets.filter {
            (context.value(of: $0) ?? EnvFile.value(of: $0, in: context.layout.envFile) ?? "").isEmpty
        }
        let findings = missing.map { key in
            Finding(message: "required secret \(key) is not set",
                    evidence: "\(key) is missing from the environment, ./.env and \(context.layout.envFile)",
                    code: "missing_secret", resource: key)
        }
        return .from(findings, otherwise: .failed)
    }
}

enum DiskSpace {
    static func freeBytes(at path: String) -> Int64? {
        var stats = statvfs()
        guard statvfs(path, &stats) == 0 else { return nil }
        return Int64(stats.f_bavail) * Int64(stats.f_frsize)
    }
}
