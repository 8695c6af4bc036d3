import Foundation
import GraceCore
import Hummingbird
import Logging

/// One log line per request (subsystem `http`: method, path, status, duration_ms) and the
/// request counters and durations of `/metrics`.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = GraceRequestContext

    let logger: Logger
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = start.duration(to: .now)
        // The route template, not the path: ids in paths would make one series per run.
        let route = context.endpointPath.flatMap { $0 == "NotFound" ? nil : $0 } ?? "unmatched"
        metrics.record(route: route, method: request.method.rawValue, status: response.status.code, duration: elapsed)
        let milliseconds = elapsed.milliseconds
        logger.info("\(request.method) \(request.uri.path) \(response.status.code)", metadata: [
            "subsystem": "http", "event_type": "http_request", "method": "\(request.method)", "path": "\(request.uri.path)",
            "route": "\(route)", "status": "\(response.status.code)", "duration_ms": "\((milliseconds * 1000).rounded() / 1000)",
        ])
        return response
    }
}
