import Hummingbird

/// When an API token is set, every request but the public ones (``publicPaths``) must carry
/// `Authorization: Bearer <token>`: reads show the service's output, the audit log and the
/// approvals, so they are the operator's as much as the changes are. Sets the caller's
/// ``GraceRequestContext/identity``, the actor of what the request changes.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = GraceRequestContext

    let token: String?
    /// Paths served without the token: `/health` for probes, the dashboard page (and `/metrics` when so set).
    let publicPaths: Set<String>

    /// `metricsPublic` adds `/metrics` (`GRACE_METRICS_PUBLIC`), for a Prometheus without the token.
    init(token: String?, metricsPublic: Bool) {
        self.token = token
        publicPaths = Self.alwaysPublic.union(metricsPublic ? ["/metrics"] : [])
    }

    /// `/` is the dashboard page's shell, with no data in it: a browser gets it without the token,
    /// and it asks for the token, which it then sends on each of its data calls.
    static let alwaysPublic: Set<String> = ["/health", "/"]

    static let mutatingMethods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        guard let token else {
            // Without a token Grace listens on loopback only (GraceHTTPServer refuses otherwise).
            context.identity = .loopback
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization] else {
            guard isPublic(request) else {
                throw APIError.unauthorized("missing_token", "GRACE_API_TOKEN is set: send Authorization: Bearer <GRACE_API_TOKEN>")
            }
            context.identity = .anonymous
            return try await next(request, context)
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix.lowercased(),
              Self.constantTimeEquals(Array(header.utf8.dropFirst(prefix.utf8.count)), Array(token.utf8)) else {
            throw APIError.unauthorized("invalid_token", "the bearer token is not valid")
        }
        context.identity = .apiToken
        return try await next(request, context)
    }

    /// Public paths are public for reads only: a POST to `/health` is no probe.
    func isPublic(_ request: Request) -> Bool {
        (request.method == .get || request.method == .head) && publicPaths.contains(request.uri.path)
    }

    /// Compares without an early exit, so the time taken does not tell how much of a guess was right.
    static func constantTimeEquals(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in expected.indices {
            difference |= expected[index] ^ (index < given.count ? given[index] : ~expected[index])
        }
        return difference == 0
    }
}

/// Who sent a request, as far as Grace can tell: the audit actor of what it changes.
enum CallerIdentity: String, Sendable {
    /// Presented the right `GRACE_API_TOKEN`.
    case apiToken = "api-token"
    /// No token is configured; Grace listens on loopback only, so the caller is on this machine.
    case loopback
    /// A token is configured and the caller sent none (public paths only).
    case anonymous
}
