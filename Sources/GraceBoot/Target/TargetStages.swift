import Foundation
import GraceCore
import GraceStore

/// The supervised service's boot, after Grace's own stages (DESIGN.md section 3): preflight
/// (folder, env file, secrets), migrations, a safe-mode start with a health smoke test, then the
/// full bring-up under the supervisor.
enum TargetStages {
    static let service = "target"

    static func stages() -> [any BootStage] {
        [
            TargetStage("target_preflight", check: TargetPreflightCheck()),
            TargetStage("target_migrations", check: TargetMigrationsCheck()),
            TargetStage("target_safe_mode_start", check: TargetSafeModeCheck()),
            TargetStage("target_bring_up", check: TargetBringUpCheck()),
        ]
    }
}

/// A check of the supervised service, run by its ``TargetStage`` with the stage's healer (so the
/// knowledge base is read and compiled once per stage, not once per check round).
protocol TargetCheck: Sendable {
    func run(in context: BootContext, target: TargetSettings, healer: TargetHealer) async throws -> StageResult
}

/// A stage of the supervised service. It heals its own failures with the ``TargetHealer`` (fixes
/// go to the service, not to Grace's home), re-running its check after each successful fix, and
/// verifies the recovery. Not critical for Grace: a failure skips the service's later stages and
/// rolls back its files, and Grace serves on with a partial boot.
struct TargetStage: BootStage {
    let name: String
    let check: any TargetCheck
    let critical = false
    var service: String? { TargetStages.service }
    var healsItself: Bool { true }
    /// Fix rounds per stage: a service can fail in more than one way in a row.
    static let maxRounds = 3

    init(_ name: String, check: any TargetCheck) {
        self.name = name
        self.check = check
    }

    func run(in context: BootContext) async throws -> StageResult {
        guard let target = context.target else { return .passed }
        let healer = try TargetHealer(settings: context.settings, target: target, repositories: context.store?.repositories,
                                      logger: context.logger, restart: { "the stage starts the service again" })
        var fixed: [FailureKey: SelfHealer.AppliedFix] = [:]
        do {
            let result = try await run(in: context, target: target, healer: healer, fixed: &fixed)
            // A fix whose stage still failed, without its failure recurring, did not bring the stage back.
            await settle(fixed.values, healer: healer, in: context, result: "\(name) still failed after the fix")
            return result
        } catch {
            await settle(fixed.values, healer: healer, in: context, result: "\(name) could not be checked again after the fix: \(error)")
            throw error
        }
    }

    private func settle(_ fixes: some Sequence<SelfHealer.AppliedFix>, healer: TargetHealer, in context: BootContext, result: String) async {
        for fix in fixes {
            await healer.recordRecovery(of: fix, runID: context.runID, passed: false, result: "\(result) (\(fix.playbookID))")
        }
    }

    /// Checks, heals what the check found, and checks again, up to ``maxRounds`` fixes; `fixed`
    /// holds the fixes whose recovery is not settled yet.
    private func run(in context: BootContext, target: TargetSettings, healer: TargetHealer,
                     fixed: inout [FailureKey: SelfHealer.AppliedFix]) async throws -> StageResult {
        var healing: [HealingAttempt] = []
        var handled = Set<FailureKey>()
        for round in 0...Self.maxRounds {
            let result = try await check.run(in: context, target: target, healer: healer)
            let text = result.findings.map { [$0.message, $0.evidence].filter { !$0.isEmpty }.joined(separator: "\n") }.joined(separator: "\n")
            let matches = result.status == .failed ? healer.matches(in: text) : []
            for (key, fix) in fixed {
                let recurred = matches.contains { healer.failureKey($0) == key }
                if result.status != .failed || recurred {
                    await healer.recordRecovery(
                        of: fix, runID: context.runID, passed: !recurred,
                        result: recurred ? "\(fix.patternID) recurred after \(fix.playbookID)"
                            : "\(name) passed after \(fix.playbookID); \(fix.patternID) did not recur")
                    fixed[key] = nil
                }
            }
            if result.status != .failed {
                return StageResult(status: healing.contains(where: \.succeeded) ? .passedAfterHeal : result.status,
                                   findings: result.findings, healing: healing)
            }
            if context.stopRequested { return StageResult(status: .failed, findings: result.findings, healing: healing) }
            // One fix per failure (pattern and target): a failure usually prints several matching
            // lines, and what they capture (a codec, a name) may differ every time.
            let fresh = matches.filter { handled.insert(healer.failureKey($0)).inserted }
            guard round < Self.maxRounds, !fresh.isEmpty else {
                return StageResult(status: .failed, findings: result.findings, healing: healing)
            }
            var anyFixed = false
            for match in fresh {
                let outcome = await healer.handle(match, runID: context.runID)
                healing.append(outcome.attempt)
                if let applied = outcome.applied {
                    fixed[healer.failureKey(match)] = applied
                    anyFixed = true
                }
            }
            if !anyFixed { return StageResult(status: .failed, findings: result.findings, healing: healing) }
        }
        return StageResult(status: .failed, findings: [Finding(message: "\(name) still fails after \(Self.maxRounds) fixes")], healing: healing)
    }
}

/// The service's folder and env file are usable and its required secrets are set.
struct TargetPreflightCheck: TargetCheck {
    func run(in context: BootContext, target: TargetSettings, healer: TargetHealer) async throws -> StageResult {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: target.workingDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return StageResult(status: .failed, findings: [Finding(
                message: "the target's working directory \(target.workingDirectory) does not exist (GRACE_TARGET_DIR)",
                code: "target_directory_missing", resource: target.workingDirectory)])
        }
        var env: [String: String] = [:]
        if let data = FileManager.default.contents(atPath: target.envFile) {
            guard let text = String(data: data, encoding: .utf8) else {
                return StageResult(status: .failed, findings: [Finding(message: "\(target.envFile) is not valid UTF-8 text",
                                                                       code: "target_env_invalid", resource: target.envFile)])
            }
            do {
                env = try DotEnv.parse(text, source: target.envFile)
            } catch {
                return StageResult(status: .failed, findings: [Finding(message: "\(error)", code: "target_env_invalid", resource: target.envFile)])
            }
        }
        let missing = target.requiredSecrets.filter { key in
            (env[key] ?? ProcessInfo.processInfo.environment[key] ?? "").isEmpty
        }
        let findings = missing.map {
            Finding(message: "required secret \($0) is not set for the target service (\(target.envFile))", code: "target_secret_missing",
                    resource: $0)
        }
        return .from(findings, otherwise: .failed)
    }
}

/// Applies the service's pending `.sql` migrations in name order, recording each.
struct TargetMigrationsCheck: TargetCheck {
    func run(in context: BootContext, target: TargetSettings, healer: TargetHealer) async throws -> StageResult {
        guard let directory = target.migrationsDirectory else { return .passed }
        guard let database = target.databases.first else {
            return StageResult(status: .failed, findings: [Finding(
                message: "GRACE_TARGET_MIGRATIONS is set but GRACE_TARGET_DATABASES names no database to apply them to",
                code: "target_migrations_without_database")])
        }
        do {
            let applied = try SQLiteMaintenance.applySQLMigrations(database, directory: directory)
            if !applied.isEmpty, let store = context.store {
                try await store.repositories.audit.append(AuditEvent(
                    actor: "grace", action: "target.migrations_applied", resource: "target/\(URL(fileURLWithPath: database).lastPathComponent)",
                    subsystem: "target", payload: ["migrations": .array(applied.map(JSONValue.string)), "run_id": .string(context.runID)],
                    result: "applied"))
            }
            context.logger.info("target migrations: \(applied.isEmpty ? "none pending" : applied.joined(separator: ", "))", metadata: [
                "subsystem": "target", "event_type": "target_migrations", "applied": .array(applied.map { .string($0) })])
            return .passed
        } catch {
            return StageResult(status: .failed, findings: [Finding(message: "applying the target's migrations failed", evidence: "\(error)",
                                                                   code: "target_migrations_failed", resource: directory)])
        }
    }
}

/// Starts the service with the safe-mode flag set, requires it healthy (its health URL, or
/// running) with no known failure in its output, then stops it.
struct TargetSafeModeCheck: TargetCheck {
    func run(in context: BootContext, target: TargetSettings, healer: TargetHealer) async throws -> StageResult {
        let output = TargetOutput(logger: context.logger, healer: healer, runID: context.runID)
        let trial = TargetTrialRun(process: TargetProcess(target: target, guardExecutable: context.guardExecutable), output: output,
                                   probe: TargetHealthProbe(url: target.healthURL), target: target)
        let outcome = await trial.run(safeMode: true, runID: context.runID) { context.stopRequested }
        if outcome.healthy { return .passed }
        let evidence = output.matches.map(\.line) + output.recentLines.suffix(20)
        return StageResult(status: .failed, findings: [Finding(message: outcome.detail, evidence: evidence.joined(separator: "\n"),
                                                               code: "target_start_failed", resource: target.command)])
    }
}

/// Under `grace up`, hands the service to the supervisor and waits until it is healthy.
struct TargetBringUpCheck: TargetCheck {
    func run(in context: BootContext, target: TargetSettings, healer: TargetHealer) async throws -> StageResult {
        guard let supervisor = context.targetSupervisor, let store = context.store else {
            return StageResult(status: .passed, findings: [Finding(
                message: "`grace boot` checks the service in safe mode only; `grace up` keeps it running under supervision")])
        }
        supervisor.activate(repositories: store.repositories, bootRunID: context.runID)
        let status = await supervisor.waitUntilHealthy()
        if status.healthy { return .passed }
        return StageResult(status: .failed, findings: [Finding(message: "the service did not come up under supervision: \(status.detail)",
                                                               evidence: status.recentOutput.joined(separator: "\n"), code: "target_bring_up_failed")])
    }
}
