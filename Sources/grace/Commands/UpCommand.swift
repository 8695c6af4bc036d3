import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceServer
import GraceStore
import Logging

struct UpCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "up",
        abstract: "Boot (production profile by default), then serve the HTTP API until SIGINT or SIGTERM.",
        discussion: "Exit codes as for `grace boot`, except that a partial boot serves (no exit 5); a boot that fails a critical stage, or a server that cannot listen, does not serve (exit 1).")

    @OptionGroup var options: GlobalOptions

    @Option(help: "Stage list: production or basic. Default: GRACE_BOOT_PROFILE.")
    var profile: GraceSettings.BootProfileName?

    func run() async throws {
        let runtime = try Runtime.start(options, label: "grace.up", home: .create)
        let lock = try runtime.lockHome()
        defer { lock.release() }
        let settings = runtime.settings
        let launcher = ServerLauncher(version: Grace.version, logSink: runtime.sink)
        let supervisor = settings.target.map {
            TargetSupervisor(settings: settings, target: $0, guardExecutable: Runtime.executablePath, logger: Logger(label: "grace.target"))
        }
        let context = BootContext(settings: settings, values: runtime.loaded.values, mode: .up, logger: runtime.logger,
                                  launcher: launcher, uncleanShutdown: lock.previousRunWasUnclean, logSink: runtime.sink,
                                  targetSupervisor: supervisor, guardExecutable: Runtime.executablePath)
        let stopSignals = StopSignals(stopping: context)
        let report = await runtime.boot(context, profile: profile, safeMode: false)
        if context.stopRequested {
            await context.targetSupervisor?.stop()
            await launcher.stop()
            await context.closeStore()
            runtime.sink.flush()
            say("Grace was asked to stop during the boot; stopped.")
            return
        }
        guard report.status != .failed, let port = launcher.port else {
            // Said on stderr as well as in the stage's line: why nothing serves (port in use, no token ...).
            if let failure = report.stages.lazy.flatMap(\.findings).first(where: { $0.code == "server_start_failed" }) {
                printError("not serving: \(failure.message): \(failure.evidence)")
            }
            await launcher.stop()
            await context.closeStore()
            runtime.sink.flush()
            throw GraceExit.failure
        }
        // The port goes into grace.pid only once the boot has passed: clients that wait for it get a booted server.
        lock.write(pid: getpid(), port: port)
        if let store = context.store {
            await store.repositories.audit(AuditEvent(
                actor: "grace", action: "server.start", resource: "grace", subsystem: "lifecycle",
                payload: ["pid": .number(Double(getpid())), "port": .number(Double(port)), "boot_run_id": .string(report.runID)],
                result: report.status.rawValue), logger: runtime.logger)
        }
        say("Grace is serving on http://\(settings.host):\(port) (home \(settings.home)); Ctrl-C stops it.")
        runtime.logger.info("serving", metadata: ["subsystem": "http", "event_type": "server_listening", "port": "\(port)"])
        do {
            try await launcher.wait()
        } catch {
            runtime.logger.error("server stopped with an error", metadata: ["subsystem": "http", "error": "\(error)"])
            printError("server stopped: \(error)")
        }
        if let store = context.store {
            await store.repositories.audit(AuditEvent(actor: "grace", action: "server.stop", resource: "grace", subsystem: "lifecycle",
                                                      result: "ok"), logger: runtime.logger)
        }
        await context.closeStore()
        withExtendedLifetime(stopSignals) {}
        runtime.logger.info("stopped", metadata: ["subsystem": "lifecycle", "event_type": "server_stopped"])
        runtime.sink.flush()
    }
}
