import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GraceCore
import GraceLog
import GraceStore
import Hummingbird
import Logging
import ServiceLifecycle
import Testing
@testable import GraceServer

/// A real Grace server on a loopback port over a real store in a temporary home, for one test.
final class TestServer: Sendable {
    struct Reply: Sendable {
        var status: Int
        var headers: [String: String]
        var body: Data

        /// The body as a JSON object (fails the test when it is not one).
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }
        var jsonArray: [[String: Any]] {
            (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] ?? []
        }
        var text: String { String(decoding: body, as: UTF8.self) }
        /// `error.code` of a JSON error body.
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }
    }

    let home: URL
    let layout: GraceHomeLayout
    let store: SQLiteStore
    let sink: LogFileSink
    let port: Int
    let token: String?
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var repositories: GraceRepositories { store.repositories }
    var base: String { "http://127.0.0.1:\(port)" }

    private init(home: URL, store: SQLiteStore, sink: LogFileSink, port: Int, token: String?, group: ServiceGroup, task: Task<Void, any Error>) {
        self.home = home
        self.layout = GraceHomeLayout(root: home.path)
        self.store = store
        self.sink = sink
        self.port = port
        self.token = token
        self.group = group
        self.task = task
    }

    /// Starts a server, runs `body` against it, and shuts it down (also when `body` throws).
    /// `settings` adds environment values (`GRACE_ALLOWED_HOSTS`, ...) to the test's own.
    static func with(token: String? = nil, settings extra: [String: String] = [:], prepare: (GraceHomeLayout) throws -> Void = { _ in },
                     _ body: (TestServer) async throws -> Void) async throws {
        let server = try await start(token: token, settings: extra, prepare: prepare)
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func start(token: String?, settings extra: [String: String] = [:], prepare: (GraceHomeLayout) throws -> Void) async throws -> TestServer {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("grace-server-\(UUID().uuidString)")
        let layout = GraceHomeLayout(root: home.path)
        for directory in layout.directories { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try prepare(layout)
        var values = ["GRACE_HOME": home.path, "GRACE_PORT": "0", "GRACE_HOST": "127.0.0.1"]
        if let token { values["GRACE_API_TOKEN"] = token }
        values.merge(extra) { $1 }
        let settings = try GraceSettings(values: values.mapValues { SettingValue(value: $0, origin: "test") })
        let store = try SQLiteStore(layout: layout)
        let sink = try LogFileSink(configuration: LogFileConfiguration(path: layout.logFile))
        let logger = Logger(label: "grace.http") { label in
            GraceLogHandler(label: label, sink: sink, console: nil, redactor: SecretRedactor(secrets: settings.secretValues), level: .debug)
        }
        let (listening, continuation) = AsyncStream<Int>.makeStream()
        let application = try GraceHTTPServer.makeApplication(
            dependencies: ServerDependencies(repositories: store.repositories, settings: settings, version: "test",
                                             layout: layout, logSink: sink),
            logger: logger
        ) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [.init(service: application)], logger: Logger(label: "test.group")))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = listening.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw TestFailure("the server stopped before it listened")
        }
        return TestServer(home: home, store: store, sink: sink, port: port, token: token, group: group, task: task)
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
        try? store.close()
        sink.close()
        try? FileManager.default.removeItem(at: home)
    }

    /// Sends a request; `body` is sent as is (JSON text, usually). `authorized` adds the server's token.
    func send(_ method: String, _ path: String, body: String? = nil, bodyData: Data? = nil, headers: [String: String] = [:],
              authorized: Bool = true) async throws -> Reply {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.timeoutInterval = 30
        if let data = bodyData ?? body.map({ Data($0.utf8) }) {
            request.httpBody = data
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if authorized, let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields[String(describing: name)] = String(describing: value) }
        return Reply(status: http.statusCode, headers: fields, body: data)
    }

    func get(_ path: String) async throws -> Reply { try await send("GET", path) }

    /// Sends a request over a plain socket with exactly the given head fields: URL libraries set
    /// `Host` themselves, and DNS-rebinding tests must choose it. `host` nil sends no Host at all.
    /// The server's token is added unless `authorized` is false.
    func raw(_ method: String, _ target: String, host: String?, headers: [(String, String)] = [], body: String? = nil,
             authorized: Bool = true) async throws -> Reply {
        var head = "\(method) \(target) HTTP/1.1\r\nConnection: close\r\n"
        if let host { head += "Host: \(host)\r\n" }
        if authorized, let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let payload = Data((body ?? "").utf8)
        head += "Content-Length: \(payload.count)\r\n\r\n"
        let request = Data(head.utf8) + payload
        let port = port
        // A blocking exchange, on a thread of its own: the cooperative pool has two threads here.
        let response: Result<Data, any Error> = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: Result { try RawSocket.exchange(request, port: port) }) }
        }
        return try RawSocket.parse(try response.get())
    }

    /// Creates a run through the original query-parameter form and returns its id.
    func createRun(subsystem: String = "planner", trigger: String = "manual") async throws -> String {
        let reply = try await send("POST", "/api/agent/runs?trigger=\(trigger)&subsystem=\(subsystem)")
        #expect(reply.status == 200, "\(reply.text)")
        return try #require(reply.json["run_id"] as? String)
    }

    /// The JSON lines of the home's log file, after flushing the sink.
    func logLines() throws -> [[String: Any]] {
        sink.flush()
        let text = (try? String(contentsOfFile: layout.logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One HTTP/1.1 exchange over a loopback socket, byte for byte.
enum RawSocket {
    static func exchange(_ request: Data, port: Int) throws -> Data {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.init(rawValue: errno) ?? .ECONNREFUSED) }
        try request.withUnsafeBytes { buffer in
            var sent = 0
            while sent < buffer.count {
                let n = Glibc.send(socket, buffer.baseAddress! + sent, buffer.count - sent, Int32(MSG_NOSIGNAL))
                guard n > 0 else { throw POSIXError(.init(rawValue: errno) ?? .EPIPE) }
                sent += n
            }
        }
        var response = Data()
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(socket, &chunk, chunk.count, 0)
            if n <= 0 { break }
            response.append(contentsOf: chunk[0..<n])
        }
        return response
    }

    /// Status, headers and body of a `Connection: close` answer (Grace's bodies are never chunked
    /// except streamed ones, which these tests do not read).
    static func parse(_ response: Data) throws -> TestServer.Reply {
        guard let end = response.range(of: Data("\r\n\r\n".utf8)) else { throw TestFailure("no HTTP head in \(response.count) bytes") }
        let lines = String(decoding: response[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2, let status = Int(parts[1]) else { throw TestFailure("bad status line: \(lines.first ?? "")") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return TestServer.Reply(status: status, headers: headers, body: Data(response[end.upperBound...]))
    }
}
