import CompressNIO
import Foundation
import GraceCore
import NIOCore
import SwiftProtobuf
import Testing
@testable import GraceServer
@testable import GraceTelemetry

@Suite("OTLP/HTTP trace ingestion")
struct OTLPRoutesTests {
    typealias Span = Opentelemetry_Proto_Trace_V1_Span
    static let trace = "0af7651916cd43dd8448eb211c80319c"
    static let t0: UInt64 = 1_764_650_000_000_000_000

    static func span(_ id: String, parent: String?, name: String, offsetMS: UInt64, kind: (String, String)) -> Span {
        var span = Span()
        span.traceID = Data([UInt8](hexString: trace) ?? [])
        span.spanID = Data([UInt8](hexString: id) ?? [])
        if let parent { span.parentSpanID = Data([UInt8](hexString: parent) ?? []) }
        span.name = name
        span.startTimeUnixNano = t0 + offsetMS * 1_000_000
        span.endTimeUnixNano = span.startTimeUnixNano + 50_000_000
        var attribute = Opentelemetry_Proto_Common_V1_KeyValue()
        attribute.key = kind.0
        attribute.value.stringValue = kind.1
        span.attributes = [attribute]
        return span
    }

    static let root = span("b7ad6b7169203331", parent: nil, name: "invoke_agent travel", offsetMS: 0, kind: ("gen_ai.operation.name", "invoke_agent"))
    static let chat = span("b7ad6b7169203332", parent: "b7ad6b7169203331", name: "chat", offsetMS: 10, kind: ("openinference.span.kind", "LLM"))
    static let tool = span("b7ad6b7169203333", parent: "b7ad6b7169203332", name: "get_weather", offsetMS: 20, kind: ("gen_ai.operation.name", "execute_tool"))

    static func protobuf(_ spans: [Span], service: String = "travel-agent") throws -> Data {
        var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
        var name = Opentelemetry_Proto_Common_V1_KeyValue()
        name.key = "service.name"
        name.value.stringValue = service
        resourceSpans.resource.attributes = [name]
        var scope = Opentelemetry_Proto_Trace_V1_ScopeSpans()
        scope.spans = spans
        resourceSpans.scopeSpans = [scope]
        var request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest()
        request.resourceSpans = [resourceSpans]
        return try request.serializedBytes()
    }

    static func gzip(_ data: Data) throws -> Data {
        var buffer = ByteBuffer(bytes: data)
        let compressed = try buffer.compress(with: .gzip())
        return Data(compressed.readableBytesView)
    }

    static func post(_ server: TestServer, _ body: Data, type: String = "application/x-protobuf", gzip: Bool = false,
                     authorized: Bool = true) async throws -> TestServer.Reply {
        var headers = ["Content-Type": type]
        if gzip { headers["Content-Encoding"] = "gzip" }
        return try await server.send("POST", "/v1/traces", bodyData: gzip ? try Self.gzip(body) : body, headers: headers, authorized: authorized)
    }

    @Test("Spans sent in several requests, a child before its parent, protobuf and gzip, make one nested run")
    func outOfOrderProtobufAndGzip() async throws {
        try await TestServer.with(token: "t0ken") { server in
            let first = try await Self.post(server, try Self.protobuf([Self.tool]), gzip: true)
            #expect(first.status == 200, "\(first.text)")
            #expect(first.header("Content-Type") == "application/x-protobuf")
            let answer = try Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse(serializedBytes: first.body)
            #expect(!answer.hasPartialSuccess)
            let active = try await server.get("/api/agent/runs?trace_id=\(Self.trace.uppercased())")
            #expect((active.json["runs"] as? [[String: Any]])?.first?["status"] as? String == "active")

            #expect(try await Self.post(server, try Self.protobuf([Self.chat, Self.root])).status == 200)
            let page = try await server.get("/api/agent/runs?trace_id=\(Self.trace)")
            let run = try #require((page.json["runs"] as? [[String: Any]])?.first)
            #expect(run["run_id"] as? String == "trace_\(Self.trace)" && run["trace_id"] as? String == Self.trace)
            #expect(run["status"] as? String == "success" && run["subsystem"] as? String == "travel-agent")
            #expect(run["started_at"] as? String == "2025-12-02T04:33:20.000000Z" && run["ended_at"] as? String == "2025-12-02T04:33:20.050000Z")
            let timeline = try await server.get("/api/agent/runs/trace_\(Self.trace)/timeline")
            #expect(timeline.status == 200)
            let steps = try #require(timeline.json["steps"] as? [[String: Any]])
            #expect(steps.map { $0["step_type"] as? String } == ["agent", "llm", "tool"])
            #expect(steps.map { $0["span_id"] as? String } == ["b7ad6b7169203331", "b7ad6b7169203332", "b7ad6b7169203333"])
            #expect(steps.map { $0["parent_span_id"] as? String } == [nil, "b7ad6b7169203331", "b7ad6b7169203332"])
            #expect(steps.map { $0["duration_ms"] as? Double } == [50, 50, 50])
            #expect(try await Self.post(server, try Self.protobuf([Self.root]), authorized: false).status == 401)
            let wrong = try await server.get("/api/agent/runs?trace_id=xyz")
            #expect(wrong.status == 422)
        }
    }

    @Test("OTLP JSON is answered in JSON, with the spans it refused in partial_success")
    func jsonWithPartialSuccess() async throws {
        try await TestServer.with { server in
            let json = """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"js"}}]},"scopeSpans":[{"spans":[
                  {"traceId":"\(Self.trace)","spanId":"b7ad6b7169203331","name":"agent","startTimeUnixNano":"\(Self.t0)",
                   "endTimeUnixNano":"\(Self.t0 + 1_000_000)","attributes":[{"key":"openinference.span.kind","value":{"stringValue":"AGENT"}}]},
                  {"traceId":"\(Self.trace)","spanId":"0000000000000000","name":"bad","startTimeUnixNano":"\(Self.t0)"}]}]}]}
                """
            let reply = try await Self.post(server, Data(json.utf8), type: "application/json", gzip: true)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.header("Content-Type") == "application/json")
            let partial = try #require(reply.json["partialSuccess"] as? [String: Any])
            #expect(partial["rejectedSpans"] as? String == "1")
            #expect((partial["errorMessage"] as? String)?.contains("spans[1]: spanId is all zero") == true)
            let steps = try await server.repositories.runs.steps(runID: "trace_\(Self.trace)")
            #expect(steps.map(\.stepType) == ["agent"] && steps.first?.subsystem == "js")
        }
    }

    @Test("A malformed body is a 400 that says what is wrong, and stores nothing")
    func malformedBodies() async throws {
        try await TestServer.with { server in
            var truncated = try Self.protobuf([Self.root, Self.chat])
            truncated.removeLast(7)
            let cut = try await Self.post(server, truncated)
            #expect(cut.status == 400 && cut.errorCode == "invalid_otlp", "\(cut.text)")
            #expect(cut.text.contains("not an OTLP ExportTraceServiceRequest in protobuf"))
            let notJSON = try await Self.post(server, Data("{\"resourceSpans\": [".utf8), type: "application/json")
            #expect(notJSON.status == 400 && notJSON.errorCode == "invalid_otlp")
            let notGzip = try await server.send("POST", "/v1/traces", bodyData: try Self.protobuf([Self.root]),
                                                headers: ["Content-Type": "application/x-protobuf", "Content-Encoding": "gzip"])
            #expect(notGzip.status == 400 && notGzip.errorCode == "invalid_gzip")
            let text = try await Self.post(server, Data("hello".utf8), type: "text/plain")
            #expect(text.status == 415 && text.errorCode == "unsupported_media_type")
            let brotli = try await server.send("POST", "/v1/traces", bodyData: Data("x".utf8),
                                               headers: ["Content-Type": "application/json", "Content-Encoding": "br"])
            #expect(brotli.status == 415 && brotli.errorCode == "unsupported_content_encoding")
            #expect(try await server.repositories.runs.runs(matching: .init(traceID: Self.trace)).isEmpty)
        }
    }

    @Test("A gzip body that inflates past the limit (a zip bomb) is a 413, read no further")
    func zipBomb() async throws {
        try await TestServer.with { server in
            // 64 MiB of zeros gzip to about 64 KiB: far under the limit on the wire, far over it inflated.
            let bomb = try Self.gzip(Data(count: 64 << 20))
            #expect(bomb.count < OTLPRoutes.maxBytes)
            let reply = try await server.send("POST", "/v1/traces", bodyData: bomb,
                                              headers: ["Content-Type": "application/x-protobuf", "Content-Encoding": "gzip"])
            #expect(reply.status == 413 && reply.errorCode == "payload_too_large", "\(reply.text)")
            #expect(reply.text.contains("gunzipped"))
            let huge = try await Self.post(server, Data(count: OTLPRoutes.maxBytes + 1))
            #expect(huge.status == 413)
        }
    }
}
