import Foundation
import GraceCore
import GraceStore
import Logging
import Testing
@testable import GraceServer

@Suite("OpenAPI document, docs page and dashboard page")
struct DocumentTests {
    static let methods = ["get", "post", "put", "patch", "delete"]

    /// Every route the router registers, from the table kept beside it.
    static func registeredRoutes() throws -> Set<APIRoute> {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("grace-routes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: home) }
        let layout = GraceHomeLayout(root: home.path)
        let store = try SQLiteStore(layout: layout)
        defer { try? store.close() }
        let settings = try GraceSettings(values: ["GRACE_HOME": SettingValue(value: home.path, origin: "test")])
        let (_, table) = GraceHTTPServer.makeRouter(
            dependencies: ServerDependencies(repositories: store.repositories, settings: settings, version: "test"),
            logger: Logger(label: "test"))
        return Set(table.all)
    }

    @Test("/openapi.json is OpenAPI 3 and documents exactly the routes the router has")
    func documentMatchesRoutes() async throws {
        try await TestServer.with { server in
            let reply = try await server.get("/openapi.json")
            #expect(reply.status == 200)
            let document = reply.json
            #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented = Set<APIRoute>()
            for (path, item) in paths {
                for method in Self.methods where item[method] != nil { documented.insert(APIRoute(method: method.uppercased(), path: path)) }
            }
            let registered = try Self.registeredRoutes()
            #expect(registered.count >= 25)
            #expect(registered.subtracting(documented).isEmpty, "registered but not documented: \(registered.subtracting(documented).sorted())")
            #expect(documented.subtracting(registered).isEmpty, "documented but not registered: \(documented.subtracting(registered).sorted())")
        }
    }

    @Test("every operation has an id, responses with schemas, and every $ref resolves")
    func documentIsConsistent() throws {
        let document = OpenAPIDocument.make(version: "test")
        let text = document.jsonText
        let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let components = try #require(json["components"] as? [String: [String: Any]])
        let refs = text.matches(of: /"\$ref":"#\/components\/(schemas|responses)\/([A-Za-z]+)"/)
        #expect(!refs.isEmpty)
        for ref in refs {
            #expect(components[String(ref.1)]?[String(ref.2)] != nil, "unresolved \(ref.0)")
        }
        var operationIDs = Set<String>()
        for (path, item) in try #require(json["paths"] as? [String: [String: Any]]) {
            for method in Self.methods {
                guard let operation = item[method] as? [String: Any] else { continue }
                let id = try #require(operation["operationId"] as? String, "\(method) \(path)")
                #expect(operationIDs.insert(id).inserted, "duplicate operationId \(id)")
                let responses = try #require(operation["responses"] as? [String: Any])
                #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(method) \(path) has no success response")
                for name in path.matches(of: /\{([a-z_]+)\}/).map({ String($0.1) }) {
                    let parameters = operation["parameters"] as? [[String: Any]] ?? []
                    #expect(parameters.contains { $0["name"] as? String == name && $0["in"] as? String == "path" }, "\(method) \(path) lacks \(name)")
                }
                if ["post", "put", "patch"].contains(method) {
                    #expect(responses["401"] != nil, "\(method) \(path) must document 401")
                }
            }
        }
    }

    @Test("/docs and / are HTML with no external URLs")
    func pagesAreSelfContained() async throws {
        try await TestServer.with { server in
            for path in ["/docs", "/"] {
                let reply = try await server.get(path)
                #expect(reply.status == 200)
                #expect(reply.header("Content-Type")?.hasPrefix("text/html") == true)
                let html = reply.text
                #expect(html.hasPrefix("<!doctype html>"))
                let external = html.firstMatch(of: /https?:\/\/[^\s"']*/).map { String($0.0) }
                #expect(external == nil, "\(path) links outside: \(external ?? "")")
                #expect(!html.contains("//cdn"), "\(path)")
            }
            let docs = try await server.get("/docs").text
            for route in try Self.registeredRoutes() {
                #expect(docs.contains(DocsPage.escape(route.path)), "/docs does not show \(route)")
            }
            #expect(docs.contains("id=\"schema-AgentRun\""))
            let dashboard = try await server.get("/").text
            #expect(dashboard.contains("/api/startup/dashboard"))
        }
    }
}
