import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP answer as a test sees it.
struct HTTPReply: Sendable {
    var status: Int
    var body: Data

    var text: String { String(decoding: body, as: UTF8.self) }

    func object() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
            throw NSError(domain: "grace-e2e", code: 2, userInfo: [NSLocalizedDescriptionKey: "not a JSON object: \(text)"])
        }
        return object
    }
}

/// An async client for a server on 127.0.0.1, with as many connections as the test has clients,
/// so dozens of concurrent writers really are concurrent on the wire.
struct LoopbackClient: Sendable {
    let port: Int
    let token: String?
    private let session: URLSession

    init(port: Int, token: String? = nil, connections: Int = 8) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = connections
        configuration.timeoutIntervalForRequest = 120
        configuration.urlCache = nil
        self.port = port
        self.token = token
        session = URLSession(configuration: configuration)
    }

    /// `json` is serialised as the body; the bearer token is sent when the client has one.
    func send(_ method: String, _ path: String, json: Any? = nil) async throws -> HTTPReply {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let json {
            request.httpBody = try JSONSerialization.data(withJSONObject: json)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await session.data(for: request)
        return HTTPReply(status: (response as! HTTPURLResponse).statusCode, body: data)
    }

    /// A new agent run; returns its id.
    func createRun(subsystem: String) async throws -> String {
        let reply = try await send("POST", "/api/agent/runs?trigger=manual&subsystem=\(subsystem)")
        guard reply.status == 200, let id = try reply.object()["run_id"] as? String else {
            throw NSError(domain: "grace-e2e", code: 3, userInfo: [NSLocalizedDescriptionKey: "create run: \(reply.status) \(reply.text)"])
        }
        return id
    }

    /// The step ids of a run's timeline, in order.
    func stepIDs(run: String) async throws -> [String] {
        let reply = try await send("GET", "/api/agent/runs/\(run)/timeline")
        let steps = try reply.object()["steps"] as? [[String: Any]] ?? []
        return steps.compactMap { $0["step_id"] as? String }
    }
}

/// A blocking HTTP/1.1 exchange over a plain socket that sends the request target byte for byte:
/// URL libraries normalise `..` segments and percent-escapes away, and traversal tests must not.
enum RawHTTP {
    /// `host` is the Host header (default `127.0.0.1:PORT`), for DNS-rebinding tests.
    static func send(port: Int, method: String, target: String, host: String? = nil, headers: [String: String] = [:],
                     body: Data = Data()) throws -> HTTPReply {
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
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host ?? "127.0.0.1:\(port)")\r\nConnection: close\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let request = Data((head + "\r\n").utf8) + body
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
        return try parse(response)
    }

    /// Status line and body of a `Connection: close` response (chunked bodies are de-chunked).
    private static func parse(_ response: Data) throws -> HTTPReply {
        let separator = Data("\r\n\r\n".utf8)
        guard let end = response.range(of: separator) else {
            throw NSError(domain: "grace-e2e", code: 4, userInfo: [NSLocalizedDescriptionKey: "no HTTP head in \(response.count) bytes"])
        }
        let head = String(decoding: response[..<end.lowerBound], as: UTF8.self)
        let statusLine = head.split(separator: "\r\n").first ?? ""
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw NSError(domain: "grace-e2e", code: 5, userInfo: [NSLocalizedDescriptionKey: "bad status line: \(statusLine)"])
        }
        var body = Data(response[end.upperBound...])
        if head.lowercased().contains("transfer-encoding: chunked") { body = dechunk(body) }
        return HTTPReply(status: status, body: body)
    }

    private static func dechunk(_ data: Data) -> Data {
        var out = Data()
        var index = data.startIndex
        let crlf = Data("\r\n".utf8)
        while let line = data.range(of: crlf, in: index..<data.endIndex) {
            let sizeText = String(decoding: data[index..<line.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = line.upperBound
            let stop = min(start + size, data.endIndex)
            out.append(data[start..<stop])
            index = min(stop + 2, data.endIndex)
        }
        return out
    }
}
