import ArgumentParser
import Foundation
import GraceBoot
import GraceCore

struct BootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "Run the boot pipeline alone and exit with its verdict.",
        discussion: """
            Takes a pre-boot snapshot (AUTO_SNAPSHOT_BEFORE_BOOT), runs every stage of the profile, heals
            what it can under governance, and rolls back to the snapshot when a critical stage fails.
            Writes logs/last_boot_report.txt and .json and a training record in every case.

            Exit codes:
              0  success: every stage passed (or passed after healing)
              1  failed: a critical stage failed; the pre-boot snapshot was restored
              2  invalid settings or arguments
              4  another Grace is running on this home
              5  partial: a non-critical stage failed
            """)

    @OptionGroup var options: GlobalOptions

    @Option(help: "Stage list to run: production (7 stages) or basic (8 stages). Default: GRACE_BOOT_PROFILE.")
    var profile: GraceSettings.BootProfileName?

    @Flag(help: "Stop after the safe-mode stage.")
    var safeMode = false

    func run() async throws {
        let runtime = try Runtime.start(options, label: "grace.boot", home: .create)
        let lock = try runtime.lockHome()
        defer { lock.release() }
        let context = BootContext(settings: runtime.settings, values: runtime.loaded.values, mode: .boot, logger: runtime.logger,
                                  uncleanShutdown: lock.previousRunWasUnclean, logSink: runtime.sink,
                                  guardExecutable: Runtime.executablePath)
        let stopSignals = StopSignals(stopping: context)
        let report = await runtime.boot(context, profile: profile, safeMode: safeMode)
        withExtendedLifetime(stopSignals) {}
        await context.closeStore()
        runtime.sink.flush()
        switch report.status {
        case .success: return
        case .partial: throw ExitCode(5)
        case .failed: throw GraceExit.failure
        }
    }
}

extension GraceSettings.BootProfileName: ExpressibleByArgument {}

extension Runtime {
    /// Takes the home's instance lock, or exits 4 naming the running Grace.
    func lockHome() throws -> InstanceLock {
        do {
            return try InstanceLock(path: layout.pidFile)
        } catch {
            printError("\(error)")
            throw GraceExit.alreadyRunning
        }
    }

    /// Runs the pipeline of `profile` (default: the setting) with live console lines.
    func boot(_ context: BootContext, profile: GraceSettings.BootProfileName?, safeMode: Bool) async -> BootReport {
        var pipeline = BootProfiles.pipeline(profile ?? settings.bootProfile, target: settings.target)
        if safeMode, let index = pipeline.stages.firstIndex(where: { $0.name.contains("safe_mode") || $0.name == "core_services_isolation" }) {
            pipeline = BootPipeline(profile: pipeline.profile + " (safe mode)", stages: Array(pipeline.stages[...index]), healer: pipeline.healer)
        }
        say("Grace boot: profile \(pipeline.profile), home \(layout.root)")
        let report = await pipeline.run(in: context) { index, total, outcome in
            say(BootConsole.stageLine(index, total, outcome))
        }
        say(BootConsole.verdict(report, home: layout))
        return report
    }
}
