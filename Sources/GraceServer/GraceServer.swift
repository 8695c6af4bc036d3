import Foundation
import GraceCore
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

    public init(repositories: GraceRepositories, settings: GraceSettings, version: String, startedAt: Date = Date()) {
        self.repositories = repositories
        self.settings = settings
        self.version = version
        self.startedAt = startedAt
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

/// Builds Grace's Hummingbird application.
public enum GraceHTTPServer {
    /// Whether `host` only accepts connections from this machine.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
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
        let router = Router()
        HealthRoutes(dependencies: dependencies).register(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "grace"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? settings.port) },
            logger: logger)
    }
}
