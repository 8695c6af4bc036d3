import GraceCore
import Hummingbird
import Logging

/// Turns everything thrown below it into a JSON error response (``APIError``), so no client
/// ever sees a bare status or a dropped connection. Unexpected errors are logged: a 5xx is a bug.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = GraceRequestContext

    let logger: Logger
    let routes: RouteTable

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            var apiError = APIError.from(error)
            if apiError.status == .notFound, error is HTTPError {
                apiError = unmatched(request)
            }
            if apiError.status.kind == .serverError {
                logger.error("request failed", metadata: [
                    "subsystem": "http", "event_type": "http_error", "method": "\(request.method)", "path": "\(request.uri.path)",
                    "error": "\(error)",
                ])
            }
            return try apiError.response(from: request, context: context)
        }
    }

    /// The router found no route: a 405 naming the allowed methods when the path exists, else a 404.
    func unmatched(_ request: Request) -> APIError {
        let allowed = routes.methods(matching: request.uri.path)
        guard !allowed.isEmpty else {
            return APIError(status: .notFound, code: "not_found", message: "no endpoint at \(request.uri.path); see /docs")
        }
        let list = allowed.joined(separator: ", ")
        return APIError(status: .methodNotAllowed, code: "method_not_allowed",
                        message: "\(request.method) is not allowed on \(request.uri.path) (allowed: \(list))",
                        headers: [.allow: list])
    }
}
