import Foundation
import Synchronization
import Testing

extension EndToEnd {
    /// The OpenTelemetry variables come from the process environment only, in every build.
    @Suite struct TraceExportSettingsTests {
        @Test func otelVariablesInAnEnvFileAreReportedAsIgnored() throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            try Data("OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318\n".utf8).write(to: grace.home.appendingPathComponent(".env"))
            let result = try grace.run(["settings"])
            #expect(result.status == 0)
            #expect(result.stderr.contains("OTEL_EXPORTER_OTLP_ENDPOINT (from ") && result.stderr.contains(".env) is ignored"), "\(result.stderr)")
            #expect(result.stdout.contains("OTLP traces") && result.stdout.contains("off (set OTEL_EXPORTER_OTLP_ENDPOINT"), "\(result.stdout)")
        }
    }
}

#if OTLP

/// A tiny OTLP/HTTP receiver on 127.0.0.1 (a port the kernel picks): it answers every request with
/// an empty JSON export response and keeps what was posted. HTTP/1.1 with keep-alive and
/// Content-Length or chunked bodies: what swift-otel's client sends.
final class OTLPReceiver: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var body: Data
    }

    let port: Int
    private let listener: Int32
    private let received = Mutex<[Request]>([])

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && listen(fd, 16) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// What was posted to `path` so far, each body as text.
    func bodies(path: String = "/v1/traces") -> [String] {
        received.withLock { $0.filter { $0.method == "POST" && $0.path == path }.map { String(decoding: $0.body, as: UTF8.self) } }
    }

    /// Stops accepting; connections already open end with their client.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            Thread { [self] in serve(connection) }.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var reader = Reader(fd: connection)
        while let head = reader.line(), !head.isEmpty {
            let parts = head.split(separator: " ")
            guard parts.count >= 2 else { return }
            var headers: [String: String] = [:]
            while let line = reader.line(), !line.isEmpty {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            var body = Data()
            if headers["transfer-encoding"]?.lowercased() == "chunked" {
                while let sizeLine = reader.line(), let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16), size > 0 {
                    guard let chunk = reader.bytes(size) else { return }
                    body.append(chunk)
                    _ = reader.line()
                }
                _ = reader.line()
            } else if let length = Int(headers["content-length"] ?? "0"), length > 0 {
                guard let bytes = reader.bytes(length) else { return }
                body = bytes
            }
            received.withLock { $0.append(Request(method: String(parts[0]), path: String(parts[1]), body: body)) }
            let reply = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            guard reply.utf8CString.withUnsafeBufferPointer({ send(connection, $0.baseAddress, $0.count - 1, Int32(MSG_NOSIGNAL)) }) > 0 else { return }
        }
    }

    /// Buffered reads of lines and byte counts from a socket.
    struct Reader {
        let fd: Int32
        var buffer = Data()

        mutating func fill() -> Bool {
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = recv(fd, &chunk, chunk.count, 0)
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[0..<count])
            return true
        }

        mutating func line() -> String? {
            while true {
                if let end = buffer.firstRange(of: Data("\r\n".utf8)) {
                    let line = String(decoding: buffer[buffer.startIndex..<end.lowerBound], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex..<end.upperBound)
                    return line
                }
                guard fill() else { return nil }
            }
        }

        mutating func bytes(_ count: Int) -> Data? {
            while buffer.count < count { guard fill() else { return nil } }
            let bytes = buffer.prefix(count)
            buffer.removeFirst(count)
            return Data(bytes)
        }
    }
}

/// One span of an OTLP/JSON export request, as the test reads it.
struct ExportedSpan {
    var name: String
    var spanID: String
    var parentSpanID: String
    var statusCode: Int
    var attributes: [String: String]

    /// The spans of every export request body (OTLP/JSON: resourceSpans → scopeSpans → spans).
    static func all(in bodies: [String]) -> [ExportedSpan] {
        bodies.flatMap { body -> [ExportedSpan] in
            guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return [] }
            let resources = object["resourceSpans"] as? [[String: Any]] ?? []
            let scopes = resources.flatMap { $0["scopeSpans"] as? [[String: Any]] ?? [] }
            return scopes.flatMap { $0["spans"] as? [[String: Any]] ?? [] }.map { span in
                var attributes: [String: String] = [:]
                for attribute in span["attributes"] as? [[String: Any]] ?? [] {
                    guard let key = attribute["key"] as? String, let value = attribute["value"] as? [String: Any] else { continue }
                    attributes[key] = (value["stringValue"] as? String) ?? value.values.first.map { "\($0)" }
                }
                let status = span["status"] as? [String: Any]
                return ExportedSpan(name: span["name"] as? String ?? "", spanID: span["spanId"] as? String ?? "",
                                    parentSpanID: span["parentSpanId"] as? String ?? "",
                                    statusCode: (status?["code"] as? Int) ?? 0, attributes: attributes)
            }
        }
    }
}

extension EndToEnd {
    /// `grace up` built with `--traits OTLP` exports each run, the boot first, to a real OTLP/HTTP endpoint.
    @Suite(.serialized) struct TraceExportTests {
        /// OTLP's status codes: unset 0, ok 1, error 2.
        static let ok = 1, error = 2

        /// Waits, at most `limit` seconds, until `condition` holds; whether it did.
        static func eventually(within limit: TimeInterval = 60, _ condition: () -> Bool) async throws -> Bool {
            let deadline = Date().addingTimeInterval(limit)
            while Date() < deadline {
                if condition() { return true }
                try await Task.sleep(for: .milliseconds(100))
            }
            return condition()
        }

        @Test func upExportsTheBootAndEachRunAsATraceOverOTLPHTTP() async throws {
            let receiver = try OTLPReceiver()
            defer { receiver.stop() }
            let grace = try GraceBinary()
            defer { grace.remove() }
            let server = try RunningGrace(grace, extraEnvironment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(receiver.port)", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
            ])
            let client = LoopbackClient(port: server.port)
            let run = try await client.createRun(subsystem: "otlp")
            for (index, status) in ["success", "failed"].enumerated() {
                let reply = try await client.send("POST", "/api/agent/runs/\(run)/steps", json: [
                    "step_id": "step_otlp_\(index)", "step_type": index == 0 ? "plan_creation" : "verification",
                    "description": "step \(index)", "status": status, "duration_ms": 12.5])
                #expect(reply.status == 200, "\(reply.text)")
            }
            #expect(try await client.send("PUT", "/api/agent/runs/\(run)/complete?status=failed").status == 200)

            let arrived = try await Self.eventually {
                ExportedSpan.all(in: receiver.bodies()).contains { $0.attributes["grace.run_id"] == run && $0.parentSpanID.isEmpty }
            }
            #expect(arrived, "no trace of \(run) reached the receiver; grace printed: \(server.printedOutput())")
            let spans = ExportedSpan.all(in: receiver.bodies())
            let root = try #require(spans.first { $0.attributes["grace.run_id"] == run && $0.parentSpanID.isEmpty })
            #expect(root.name == "grace.run agent")
            #expect(root.statusCode == Self.error)
            #expect(root.attributes["grace.run.status"] == "failed")
            #expect(root.attributes["grace.subsystem"] == "otlp")
            let steps = spans.filter { $0.parentSpanID == root.spanID }.sorted { $0.name < $1.name }
            #expect(steps.map(\.name) == ["plan_creation", "verification"])
            #expect(steps.map { $0.attributes["grace.step_id"] } == ["step_otlp_0", "step_otlp_1"])
            #expect(steps.map { $0.attributes["grace.step.status"] } == ["success", "failed"])
            #expect(steps.map(\.statusCode) == [Self.ok, Self.error])
            #expect(steps.allSatisfy { $0.attributes["grace.run_id"] == run })

            // The boot of this `grace up` is a run too, with a span per stage.
            let boot = try #require(spans.first { $0.name == "grace.run boot" && $0.parentSpanID.isEmpty }, "the boot run was not exported")
            #expect(boot.attributes["grace.run.kind"] == "boot")
            let stages = spans.filter { $0.parentSpanID == boot.spanID }
            #expect(stages.allSatisfy { $0.name.hasPrefix("boot_stage ") && $0.attributes["openinference.span.kind"] == "CHAIN" })
            #expect(stages.contains { $0.name == "boot_stage environment_and_dependencies" })
            #expect(stages.contains { $0.attributes["grace.step.description"] == "environment_and_dependencies" })

            let stop = try grace.run(["stop"])
            #expect(stop.status == 0, "\(stop.stderr)")
            #expect(server.stop() == 0)
        }

        @Test func stopIsCleanWhenTheCollectorIsDown() async throws {
            // A port nobody listens on: the receiver is stopped before Grace starts.
            let receiver = try OTLPReceiver()
            receiver.stop()
            let grace = try GraceBinary()
            defer { grace.remove() }
            let server = try RunningGrace(grace, extraEnvironment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(receiver.port)"])
            let client = LoopbackClient(port: server.port)
            let run = try await client.createRun(subsystem: "otlp")
            #expect(try await client.send("PUT", "/api/agent/runs/\(run)/complete?status=success").status == 200)
            let stop = try grace.run(["stop"])
            #expect(stop.status == 0, "\(stop.stderr)")
            #expect(server.stop() == 0)
        }
    }
}
#else
extension EndToEnd {
    /// Without the `OTLP` trait, asking for export changes nothing but a warning that says how to get it.
    @Suite struct TraceExportWithoutTraitTests {
        @Test func upWarnsThatTraceExportIsNotBuiltInAndServes() async throws {
            let grace = try GraceBinary()
            defer { grace.remove() }
            let environment = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"]
            let settings = try grace.run(["settings"], extraEnvironment: environment)
            #expect(settings.status == 0)
            #expect(settings.stdout.contains("built without OTLP export (swift build --traits OTLP)"))
            let server = try RunningGrace(grace, extraEnvironment: environment)
            let (status, _) = try await server.get("/health")
            #expect(status == 200)
            #expect(server.stop() == 0)
            #expect(server.printedOutput().contains("built without OTLP export; build with `swift build --traits OTLP`"))
        }
    }
}
#endif
