import GraceCore
import GraceLog
import HTTPTypes
import Hummingbird

/// Gives every request an id: the caller's `X-Request-ID` when it is sane, else a new
/// `req_` + 12 hex. The id is echoed in the response and set in the log context, so every
/// line logged while serving the request carries `request_id`.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = GraceRequestContext

    static let header = HTTPField.Name("X-Request-ID")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = request.headers[Self.header].flatMap(Self.sanitized) ?? Identifier.request()
        var context = context
        context.requestID = id
        var response = try await withRequest(id) { try await next(request, context) }
        response.headers[Self.header] = id
        return response
    }

    /// A caller's id is kept only when it is short and plain (it lands in log lines and headers).
    static func sanitized(_ value: String) -> String? {
        PathID.isValid(value) ? value : nil
    }
}
