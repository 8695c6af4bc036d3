import Hummingbird

/// When an API token is set, every mutating request (POST, PUT, PATCH, DELETE) must carry
/// `Authorization: Bearer <token>`; reads stay open so probes and dashboards need no secret.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = GraceRequestContext

    let token: String?

    static let mutatingMethods: Set<HTTPRequest.Method> = [.post, .put, .patch, .delete]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token, Self.mutatingMethods.contains(request.method) else { return try await next(request, context) }
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("missing_token", "this request changes state: send Authorization: Bearer <GRACE_API_TOKEN>")
        }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.prefix(prefix.count).lowercased() == prefix.lowercased(),
              Self.constantTimeEquals(Array(header.utf8.dropFirst(prefix.utf8.count)), Array(token.utf8)) else {
            throw APIError.unauthorized("invalid_token", "the bearer token is not valid")
        }
        return try await next(request, context)
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
