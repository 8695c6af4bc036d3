import Foundation
import GraceBoot
import GraceCore
import GraceLog
import GraceTelemetry
import GraceServer
import Logging
import ServiceLifecycle
import Synchronization

/// The composition of `grace up`'s services: starts the HTTP server (GraceServer's application) with
/// the monitor, the log flusher, the approval executor, the alert webhooks, the service supervisor and trace export as one
/// service group during the boot's bring-up stage, and keeps it until shutdown (SIGINT/SIGTERM or ``stop()``).
final class ServerLauncher: ServiceLauncher {
    private struct State {
        var group: ServiceGroup?
        var task: Task<Void, any Error>?
        var port: Int?
    }

    let version: String
    let logSink: LogFileSink?
    let onListening: @Sendable (Int) -> Void
    /// Where the `OTEL_*` variables of trace export come from (the process environment).
    let environment: [String: String]
    /// About when this process started (the launcher is made before the boot): runs that ended
    /// since then, the boot run first, are this process's to export as traces.
    let createdAt = Date()
    private let state = Mutex(State())

    init(version: String, logSink: LogFileSink?, environment: [String: String] = ProcessInfo.processInfo.environment,
                onListening: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.version = version
        self.logSink = logSink
        self.environment = environment
        self.onListening = onListening
    }

    /// The port the server listens on, once it does.
    var port: Int? { state.withLock { $0.port } }

    func start(context: BootContext) async throws -> URL {
        let store = try context.requireStore()
        let settings = context.settings
        let logger = context.logger
        let (listening, continuation) = AsyncStream<Int>.makeStream()
        let application = try GraceHTTPServer.makeApplication(
            dependencies: ServerDependencies(repositories: store.repositories, settings: settings, version: version,
                                             layout: context.layout, logSink: logSink, targetSupervisor: context.targetSupervisor),
            logger: Logger(label: "grace.http")
        ) { port in
            continuation.yield(port)
            continuation.finish()
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: application),
            .init(service: MonitorService(monitor: ContinuousMonitor(layout: context.layout, repositories: store.repositories,
                                                                     logger: Logger(label: "grace.monitor"), store: store,
                                                                     nodeID: settings.nodeID),
                                          interval: .seconds(settings.monitorIntervalSeconds))),
        ]
        if let logSink { services.append(.init(service: LogFlushService(sink: logSink))) }
        if settings.retention.isEnabled {
            services.append(.init(service: RetentionService(
                pruner: RetentionPruner(settings: settings.retention, layout: context.layout, repositories: store.repositories,
                                        alertLookbackHours: settings.alerts.lookbackHours, logger: Logger(label: "grace.retention")),
                interval: .seconds(settings.retention.intervalSeconds))))
        }
        // Approved playbooks this node raised run here, whichever node approved them.
        let approvalLogger = Logger(label: "grace.approvals")
        if let healer = try? SelfHealer.forHome(settings: settings, repositories: store.repositories, logger: approvalLogger) {
            let repositories = store.repositories
            let targetFixes = context.targetSupervisor.map { supervisor in
                { @Sendable (approval: ApprovalRequest, match: SignatureMatch) in
                    await supervisor.applyApproved(approval, match: match, repositories: repositories)
                }
            }
            services.append(.init(service: ApprovalExecutorService(executor: ApprovalExecutor(
                nodeID: settings.nodeID, repositories: repositories, healer: healer, logger: approvalLogger,
                expiryHours: settings.approvalExpiryHours, targetFixes: targetFixes))))
        } else {
            approvalLogger.error("the knowledge base cannot be loaded: approved playbooks will not run on this node",
                                 metadata: ["subsystem": "governance"])
        }
        // Webhook alerts for what the store records, from whichever node leases each first.
        if let dispatcher = AlertDispatcher(settings: settings.alerts, repositories: store.repositories, nodeID: settings.nodeID,
                                            version: version, logger: Logger(label: "grace.alerts")) {
            services.append(.init(service: AlertService(dispatcher: dispatcher, interval: .seconds(settings.alerts.intervalSeconds))))
        }
        // The supervisor ends on its own when the service's boot fails; Grace serves on.
        if let supervisor = context.targetSupervisor { services.append(.init(service: supervisor, successTerminationBehavior: .ignore)) }
        // Trace export goes first: a group stops its services last to first, so the exporter's final
        // poll comes after everything else has ended its runs, and swift-otel's flush after that.
        // An exporter that fails must not take the server down with it. The 2 s before the launcher
        // was made cover a wall clock stepped back a little during the boot (NTP).
        let telemetry = TraceExport.services(environment: environment, nodeID: settings.nodeID, version: version,
                                             runs: store.repositories.runs, since: createdAt.addingTimeInterval(-2),
                                             logger: Logger(label: "grace.telemetry"))
        services.insert(contentsOf: telemetry.map { .init(service: $0, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore) },
                        at: 0)
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        // Detached: the services outlive the boot and must not log under the boot's run id (a task-local).
        let task = Task.detached {
            defer { continuation.finish() }
            try await group.run()
        }
        state.withLock {
            $0.group = group
            $0.task = task
        }
        var iterator = listening.makeAsyncIterator()
        guard let port = await iterator.next() else {
            // The group ended before listening: surface its error (port in use, permission ...), named.
            do {
                try await task.value
            } catch {
                throw LaunchError(GraceHTTPServer.listenFailure(error, host: settings.host, port: settings.port))
            }
            throw LaunchError("the server stopped before it listened on \(settings.host):\(settings.port)")
        }
        state.withLock { $0.port = port }
        onListening(port)
        return GraceHTTPServer.reachableURL(host: settings.host, port: port)
    }

    /// Waits until the service group ends (a signal, or ``stop()``).
    func wait() async throws {
        let task = state.withLock { $0.task }
        try await task?.value
    }

    func stop() async {
        let (group, task) = state.withLock { ($0.group, $0.task) }
        await group?.triggerGracefulShutdown()
        _ = try? await task?.value
    }

    struct LaunchError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
