import GraceCore
import HTTPTypes
import Hummingbird

/// Refuses requests that a web page, rather than the operator, could have sent (DNS rebinding,
/// cross-site forms and fetches):
/// - the `Host` must be a loopback name or address (`localhost`, 127.0.0.0/8, `[::1]`, any port),
///   `GRACE_HOST` itself, or listed in `GRACE_ALLOWED_HOSTS`; a page on `evil.example` whose name
///   was rebound to 127.0.0.1 still sends `Host: evil.example`. Else 403 `host_not_allowed`.
/// - a mutation (POST, PUT, PATCH, DELETE) with an `Origin` must come from the origin it is sent to
///   (`Origin`'s host and port equal the `Host`'s); else 403 `origin_not_allowed`. One a browser
///   marks `Sec-Fetch-Site: cross-site` is 403 `cross_site_request`. Clients that are not browsers
///   (curl, the original agents) send neither header and are unaffected.
struct HostOriginMiddleware: RouterMiddleware {
    typealias Context = GraceRequestContext

    /// Normalised hosts allowed besides loopback.
    let allowedHosts: Set<String>

    init(settings: GraceSettings) {
        var hosts = Set(settings.allowedHosts)
        // Listening on a non-loopback address (a token is required there) lets clients use it; a
        // wildcard (0.0.0.0, ::) is no name a client uses, and browsers take 0.0.0.0 for this machine.
        if let listening = HostName.normalized(settings.host), !Self.wildcards.contains(listening) { hosts.insert(listening) }
        allowedHosts = hosts
    }

    static let wildcards: Set<String> = ["0.0.0.0", "::", "0:0:0:0:0:0:0:0"]

    static let hostField = HTTPField.Name("Host")!
    static let originField = HTTPField.Name("Origin")!
    static let fetchSiteField = HTTPField.Name("Sec-Fetch-Site")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // HTTP/1 puts the first Host header into the authority; a second one is left among the fields.
        guard request.headers[Self.hostField] == nil else {
            throw APIError(status: .badRequest, code: "bad_host", message: "the request has more than one Host header")
        }
        guard let authority = request.head.authority, let host = HostName.authority(authority) else {
            throw Self.hostRefused("the request has no usable Host header")
        }
        guard isAllowed(host.host) else {
            throw Self.hostRefused("Host \(authority.prefix(80)) is not this server: Grace answers to localhost, 127.0.0.1 and [::1]"
                                   + " (and GRACE_HOST); add other names to GRACE_ALLOWED_HOSTS")
        }
        if AuthMiddleware.mutatingMethods.contains(request.method) {
            if let site = request.headers[Self.fetchSiteField], site.lowercased() == "cross-site" {
                throw APIError(status: .forbidden, code: "cross_site_request",
                               message: "the browser marked this request cross-site (Sec-Fetch-Site); changes come from the operator only")
            }
            if let origin = request.headers[Self.originField], !Self.origin(origin, matches: host) {
                throw APIError(status: .forbidden, code: "origin_not_allowed",
                               message: "Origin \(origin.prefix(80)) is not this server (\(authority.prefix(80))); changes come from the operator only")
            }
        }
        return try await next(request, context)
    }

    func isAllowed(_ host: String) -> Bool {
        HostName.isLoopback(host) || allowedHosts.contains(host)
    }

    static func hostRefused(_ message: String) -> APIError {
        APIError(status: .forbidden, code: "host_not_allowed", message: message)
    }

    /// Whether `origin` (`scheme://host[:port]`, or `null`) names the host and port the request was sent to.
    /// A `Host` without a port matches the scheme's default port.
    static func origin(_ origin: String, matches host: (host: String, port: Int?)) -> Bool {
        let lowered = origin.lowercased()
        let scheme: String
        let defaultPort: Int
        if lowered.hasPrefix("http://") { (scheme, defaultPort) = ("http://", 80) }
        else if lowered.hasPrefix("https://") { (scheme, defaultPort) = ("https://", 443) }
        else { return false }
        var rest = Substring(lowered.dropFirst(scheme.count))
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let parsed = HostName.authority(rest) else { return false }
        return parsed.host == host.host && (parsed.port ?? defaultPort) == (host.port ?? defaultPort)
    }
}
