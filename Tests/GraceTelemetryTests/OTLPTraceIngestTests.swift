import Foundation
import GraceCore
import SwiftProtobuf
import Testing
@testable import GraceTelemetry

/// Builds OTLP requests with the generated messages, as an SDK's exporter does.
enum OTLPRequests {
    typealias Span = Opentelemetry_Proto_Trace_V1_Span

    static func attribute(_ key: String, _ value: String) -> Opentelemetry_Proto_Common_V1_KeyValue {
        var pair = Opentelemetry_Proto_Common_V1_KeyValue()
        pair.key = key
        pair.value.stringValue = value
        return pair
    }

    static func attribute(_ key: String, _ value: Int64) -> Opentelemetry_Proto_Common_V1_KeyValue {
        var pair = Opentelemetry_Proto_Common_V1_KeyValue()
        pair.key = key
        pair.value.intValue = value
        return pair
    }

    static func span(trace: String, id: String, parent: String? = nil, name: String, start: UInt64, end: UInt64,
                     attributes: [Opentelemetry_Proto_Common_V1_KeyValue] = [], error: Bool = false) -> Span {
        var span = Span()
        span.traceID = Data([UInt8](hexString: trace) ?? [])
        span.spanID = Data([UInt8](hexString: id) ?? [])
        if let parent { span.parentSpanID = Data([UInt8](hexString: parent) ?? []) }
        span.name = name
        span.kind = .internal
        span.startTimeUnixNano = start
        span.endTimeUnixNano = end
        span.attributes = attributes
        if error {
            span.status.code = .error
            span.status.message = "tool crashed"
        }
        return span
    }

    static func request(service: String?, _ spans: [Span]) -> Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest {
        var resourceSpans = Opentelemetry_Proto_Trace_V1_ResourceSpans()
        if let service { resourceSpans.resource.attributes = [attribute("service.name", service)] }
        var scopeSpans = Opentelemetry_Proto_Trace_V1_ScopeSpans()
        scopeSpans.scope.name = "test-agent"
        scopeSpans.spans = spans
        resourceSpans.scopeSpans = [scopeSpans]
        var request = Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceRequest()
        request.resourceSpans = [resourceSpans]
        return request
    }
}

@Suite struct OTLPTraceIngestTests {
    static let trace = "5b8efff798038103d269b633813fc60c"
    static let t0: UInt64 = 1_764_650_000_000_000_000

    static var agentSpans: [OTLPRequests.Span] {
        [
            OTLPRequests.span(trace: trace, id: "eee19b7ec3c1b174", name: "invoke_agent planner", start: t0, end: t0 + 900_000_000,
                              attributes: [OTLPRequests.attribute("gen_ai.operation.name", "invoke_agent"),
                                           OTLPRequests.attribute("gen_ai.agent.name", "planner")]),
            OTLPRequests.span(trace: trace, id: "eee19b7ec3c1b175", parent: "eee19b7ec3c1b174", name: "chat gpt-4o",
                              start: t0 + 100_000_000, end: t0 + 400_000_000,
                              attributes: [OTLPRequests.attribute("openinference.span.kind", "LLM"),
                                           OTLPRequests.attribute("gen_ai.request.model", "gpt-4o"),
                                           OTLPRequests.attribute("gen_ai.usage.input_tokens", 120),
                                           OTLPRequests.attribute("gen_ai.usage.output_tokens", 42)]),
            OTLPRequests.span(trace: trace, id: "eee19b7ec3c1b176", parent: "eee19b7ec3c1b175", name: "execute_tool search",
                              start: t0 + 500_000_000, end: t0 + 800_000_000,
                              attributes: [OTLPRequests.attribute("gen_ai.operation.name", "execute_tool"),
                                           OTLPRequests.attribute("gen_ai.tool.name", "search")], error: true),
        ]
    }

    @Test func protobufSpansBecomeStepsOfTheTracesRun() throws {
        let body = try OTLPRequests.request(service: "planner-svc", Self.agentSpans).serializedBytes() as Data
        let batch = try OTLPTraceIngest.decode(body, as: .protobuf)
        #expect(batch.rejections.isEmpty)
        #expect(batch.spans.map(\.step.stepType) == ["agent", "llm", "tool"])
        #expect(batch.spans.map(\.parentSpanID) == [nil, "eee19b7ec3c1b174", "eee19b7ec3c1b175"])
        #expect(batch.spans.map(\.step.status) == [.success, .success, .failed])
        let llm = batch.spans[1].step
        #expect(llm.runID == "trace_\(Self.trace)" && llm.stepID == "span_\(Self.trace)_eee19b7ec3c1b175")
        #expect(llm.subsystem == "planner-svc" && llm.description == "chat gpt-4o")
        #expect(llm.timestamp == "2025-12-02T04:33:20.100000Z" && llm.endedAt == "2025-12-02T04:33:20.400000Z" && llm.durationMS == 300)
        #expect(llm.details?["model"] == "gpt-4o" && llm.details?["input_tokens"] == 120 && llm.details?["output_tokens"] == 42)
        #expect(batch.spans[2].step.details?["tool_name"] == "search" && batch.spans[2].step.details?["status_message"] == "tool crashed")
        let run = try #require(TraceSpan.run(of: batch.spans))
        #expect(run.traceID == Self.trace && run.subsystem == "planner-svc" && run.startedAt == "2025-12-02T04:33:20.000000Z"
                && run.endedAt == "2025-12-02T04:33:20.900000Z" && run.status == .success)
    }

    @Test func otlpJSONHasHexIDsCamelCaseNamesAndInt64Strings() throws {
        let json = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"js-agent"}}]},
              "scopeSpans":[{"scope":{"name":"s"},"spans":[
                {"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"eee19b7ec3c1b174","parentSpanId":"","name":"agent",
                 "kind":1,"startTimeUnixNano":"1764650000000000000","endTimeUnixNano":"1764650000250000000",
                 "attributes":[{"key":"openinference.span.kind","value":{"stringValue":"AGENT"}},
                               {"key":"llm.token_count.total","value":{"intValue":"77"}}],
                 "status":{"code":2,"message":"boom"},"futureField":true}]}]}]}
            """
        let batch = try OTLPTraceIngest.decode(Data(json.utf8), as: .json)
        #expect(batch.rejections.isEmpty)
        let span = try #require(batch.spans.first)
        #expect(span.traceID == Self.trace && span.spanID == "eee19b7ec3c1b174" && span.isRoot)
        #expect(span.step.stepType == "agent" && span.step.status == .failed && span.step.durationMS == 250)
        #expect(span.step.details?["total_tokens"] == 77 && span.serviceName == "js-agent")
    }

    @Test func invalidSpansAreRejectedByNameAndTheRestKept() throws {
        var zeroTrace = OTLPRequests.span(trace: String(repeating: "0", count: 32), id: "0000000000000001", name: "zero", start: Self.t0, end: Self.t0)
        zeroTrace.kind = .client
        let backwards = OTLPRequests.span(trace: Self.trace, id: "0000000000000002", name: "backwards", start: Self.t0, end: Self.t0 - 1)
        var shortID = OTLPRequests.span(trace: Self.trace, id: "0000000000000003", name: "short", start: Self.t0, end: Self.t0)
        shortID.spanID = Data([1, 2, 3])
        let body = try OTLPRequests.request(service: nil, [zeroTrace, Self.agentSpans[0], backwards, shortID]).serializedBytes() as Data
        let batch = try OTLPTraceIngest.decode(body, as: .protobuf)
        #expect(batch.spans.map(\.spanID) == ["eee19b7ec3c1b174"])
        #expect(batch.spans[0].serviceName == OTLPTraceIngest.unknownService)
        #expect(batch.rejections == [
            "resourceSpans[0].scopeSpans[0].spans[0]: trace_id is all zero (an invalid id)",
            "resourceSpans[0].scopeSpans[0].spans[2]: end_time_unix_nano is before start_time_unix_nano",
            "resourceSpans[0].scopeSpans[0].spans[3]: span_id is 3 bytes, not 8",
        ])
        let answer = try Opentelemetry_Proto_Collector_Trace_V1_ExportTraceServiceResponse(
            serializedBytes: OTLPTraceIngest.response(for: batch, as: .protobuf))
        #expect(answer.partialSuccess.rejectedSpans == 3 && answer.partialSuccess.errorMessage.hasPrefix("3 spans rejected: "))
        let json = String(decoding: OTLPTraceIngest.response(for: batch, as: .json), as: UTF8.self)
        #expect(json.contains(#""rejectedSpans":"3""#))
        #expect(String(decoding: OTLPTraceIngest.response(for: OTLPTraceBatch(spans: [], rejections: []), as: .json), as: UTF8.self) == "{}")
    }

    @Test func aBodyThatIsNoRequestIsAnErrorSayingSo() throws {
        #expect(throws: OTLPDecodingError.self) { try OTLPTraceIngest.decode(Data([0x0A, 0xFF, 0x01]), as: .protobuf) }
        do {
            _ = try OTLPTraceIngest.decode(Data(#"{"resourceSpans": "nope"}"#.utf8), as: .json)
            Issue.record("a string where a list belongs was accepted")
        } catch {
            #expect(error.description.hasPrefix("the body is not an OTLP ExportTraceServiceRequest in OTLP JSON"))
        }
        let badHex = #"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"zz8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","startTimeUnixNano":"1"}]}]}]}"#
        let batch = try OTLPTraceIngest.decode(Data(badHex.utf8), as: .json)
        #expect(batch.spans.isEmpty && batch.rejections == ["resourceSpans[0].scopeSpans[0].spans[0]: traceId is not 32 hex digits"])
    }

    @Test func theKindTableMapsBothConventionsAndBack() {
        #expect(SpanKinds.stepType(genAIOperation: "chat", openInferenceKind: "TOOL") == "llm", "GenAI first")
        #expect(SpanKinds.stepType(genAIOperation: nil, openInferenceKind: "retriever") == "retrieval")
        #expect(SpanKinds.stepType(genAIOperation: "embeddings", openInferenceKind: nil) == "embedding")
        #expect(SpanKinds.stepType(genAIOperation: "dance", openInferenceKind: nil) == "span")
        for type in TimelineStep.traceTypes where type != SpanKinds.unknownStepType {
            let kind = SpanKinds.kind(ofStepType: type)
            #expect(SpanKinds.stepType(genAIOperation: kind.genAIOperation, openInferenceKind: kind.openInferenceKind) == type)
        }
        #expect(SpanKinds.kind(ofStepType: "boot_stage").openInferenceKind == "CHAIN")
    }
}
