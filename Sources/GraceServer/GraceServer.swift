import Foundation
import GraceBoot
import GraceCore
import GraceLog
import GraceStore
import Hummingbird
import Logging
import NIOCore

/// What the HTTP server needs from the rest of Grace.
public struct ServerDependencies: Sendable {
    public var repositories: GraceRepositories
    public var settings: GraceSettings
    public var version: String
    public var startedAt: Date
    /// Where the boot reports, training records and log files are read from.
    public var layout: GraceHomeLayout
    /// The sink writing the home's log file, flushed before the log files are read so that
    /// timelines count every line logged so far (nil when logs go elsewhere).
    public var logSink: LogFileSink?
    /// The supervised service's supervisor, whose status `/health` reports (nil without a target).
    public var targetSupervisor: TargetSupervisor?
    /// Where each run's log lines are, kept for the life of the server.
    public let runLogIndex = RunLogIndex()
    /// Timelines already rendered, reused while their run and log lines are unchanged.
    let timelineCache = TimelineCache()

    /// `layout` defaults to the layout of `settings.home`.
    public init(repositories: GraceRepositories, settings: GraceSettings, version: String, startedAt: Date = Date(),
                layout: GraceHomeLayout? = nil, logSink: LogFileSink? = nil, targetSupervisor: TargetSupervisor? = nil) {
        self.repositories = repositories
        self.settings = settings
        self.version = version
        self.startedAt = startedAt
        self.layout = layout ?? GraceHomeLayout(root: settings.home)
        self.logSink = logSink
        self.targetSupervisor = targetSupervisor
    }
}

/// Errors that stop the server from starting.
public enum ServerConfigurationError: Error, CustomStringConvertible {
    case tokenRequiredBeyondLoopback(host: String)

    public var description: String {
        switch self {
        case .tokenRequiredBeyondLoopback(let host):
            "refusing to listen on \(host) without GRACE_API_TOKEN: set a token, or use GRACE_HOST=127.0.0.1"
        }
    }
}

/// Builds Grace's Hummingbird application (composed with Grace's other services by the `grace` executable).
public enum GraceHTTPServer {
    /// Whether `host` only accepts connections from this machine.
    public static func isLoopback(_ host: String) -> Bool {
        HostName.normalized(host).map(HostName.isLoopback) ?? false
    }

    /// The application serving Grace's API; `onListening` receives the bound port (useful with port 0).
    public static func makeApplication(
        dependencies: ServerDependencies,
        logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let settings = dependencies.settings
        guard isLoopback(settings.host) || settings.apiToken != nil else {
            throw ServerConfigurationError.tokenRequiredBeyondLoopback(host: settings.host)
        }
        let (router, _) = makeRouter(dependencies: dependencies, logger: logger)
        return Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "grace"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? settings.port) },
            logger: logger)
    }

    /// The address a client of this machine reaches the server at: a wildcard address (0.0.0.0, ::)
    /// through loopback, since it is no Host the server answers to.
    public static func reachableURL(host: String, port: Int) -> URL {
        let address = HostName.normalized(host) ?? host
        let reachable = HostOriginMiddleware.wildcards.contains(address) ? (address.contains(":") ? "::1" : "127.0.0.1") : host
        let bracketed = reachable.contains(":") ? "[\(reachable)]" : reachable
        return URL(string: "http://\(bracketed):\(port)")!
    }

    /// Why the application could not listen on `host:port`, in words an operator can act on (NIO
    /// says `bind(descriptor:ptr:bytes:): … (errno: 98)`).
    public static func listenFailure(_ error: any Error, host: String, port: Int) -> String {
        let address = "cannot listen on \(host):\(port)"
        switch (error as? IOError)?.errnoCode {
        case EADDRINUSE?:
            return "\(address): the address is already in use (another process listens on port \(port); stop it, or set GRACE_PORT "
                + "to a free port, 0 for any)"
        case EACCES?:
            return "\(address): permission denied (ports below 1024 need privileges; set GRACE_PORT)"
        case EADDRNOTAVAIL?:
            return "\(address): \(host) is not an address of this machine (GRACE_HOST)"
        default:
            return "\(address): \(error)"
        }
    }

    /// The router with every middleware and route, and the table of the routes it registered.
    static func makeRouter(dependencies: ServerDependencies, logger: Logger) -> (Router<GraceRequestContext>, RouteTable) {
        let router = Router(context: GraceRequestContext.self)
        let table = RouteTable()
        let metrics = HTTPMetrics()
        // Outermost first; middleware applies only to routes added after it, so these come first.
        router.add(middleware: RequestIDMiddleware())
        router.add(middleware: AccessLogMiddleware(logger: logger, metrics: metrics))
        router.add(middleware: ErrorMiddleware(logger: logger, routes: table))
        router.add(middleware: HostOriginMiddleware(settings: dependencies.settings))
        router.add(middleware: AuthMiddleware(token: dependencies.settings.apiToken, metricsPublic: dependencies.settings.metricsPublic))

        let api = APIRouter(router: router, table: table)
        HealthRoutes(dependencies: dependencies).register(on: api)
        RunRoutes(dependencies: dependencies, logger: logger).register(on: api)
        OTLPRoutes(dependencies: dependencies, logger: logger).register(on: api)
        EventRoutes(dependencies: dependencies, logger: logger).register(on: api)
        LiveEventRoutes(dependencies: dependencies, logger: logger).register(on: api)
        ApprovalRoutes(dependencies: dependencies, logger: logger).register(on: api)
        PlaybookRoutes(dependencies: dependencies).register(on: api)
        PatternRoutes(dependencies: dependencies).register(on: api)
        BootReportRoutes(layout: dependencies.layout).register(on: api)
        AuditRoutes(dependencies: dependencies).register(on: api)
        HistoryRoutes(dependencies: dependencies).register(on: api)
        MetricRoutes(dependencies: dependencies, metrics: metrics).register(on: api)
        StartupRoutes(dependencies: dependencies).register(on: api)
        DocumentRoutes(version: dependencies.version).register(on: api)
        return (router, table)
    }
}
