import Hummingbird
import Synchronization

/// One endpoint: an HTTP method and a path template (`/api/agent/runs/{run_id}`).
struct APIRoute: Hashable, Sendable, Comparable, CustomStringConvertible {
    var method: String
    var path: String

    var description: String { "\(method) \(path)" }

    static func < (lhs: APIRoute, rhs: APIRoute) -> Bool { (lhs.path, lhs.method) < (rhs.path, rhs.method) }

    /// Whether a concrete request path fits this template (each `{name}` takes one segment).
    func matches(path requestPath: String) -> Bool {
        let template = path.split(separator: "/", omittingEmptySubsequences: true)
        let actual = requestPath.split(separator: "/", omittingEmptySubsequences: true)
        guard template.count == actual.count else { return false }
        return zip(template, actual).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}

/// Every route the server registers, recorded as it is registered: the OpenAPI test compares
/// this list with the document, so a route added without documentation fails the tests, and the
/// error middleware answers 405 (not 404) for a known path with the wrong method.
final class RouteTable: Sendable {
    private let storage = Mutex<[APIRoute]>([])

    var all: [APIRoute] { storage.withLock { $0.sorted() } }

    func add(_ route: APIRoute) { storage.withLock { $0.append(route) } }

    /// The methods registered for templates that fit `path`.
    func methods(matching path: String) -> [String] {
        Array(Set(all.filter { $0.matches(path: path) }.map(\.method))).sorted()
    }
}

/// Registers handlers on the router and records each route in a ``RouteTable``.
struct APIRouter {
    typealias Context = GraceRequestContext
    typealias Handler = @Sendable (Request, Context) async throws -> Response

    let router: Router<Context>
    let table: RouteTable

    func get(_ path: String, _ handler: @escaping Handler) { add(.get, path, handler) }
    func post(_ path: String, _ handler: @escaping Handler) { add(.post, path, handler) }
    func put(_ path: String, _ handler: @escaping Handler) { add(.put, path, handler) }
    func patch(_ path: String, _ handler: @escaping Handler) { add(.patch, path, handler) }

    private func add(_ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        table.add(APIRoute(method: method.rawValue, path: path))
        router.on(RouterPath(path), method: method, use: handler)
    }
}
