/// One span of an OpenTelemetry trace, mapped to what Grace stores: its trace becomes a run
/// (``runID(traceID:)``), the span a step of it (``stepID(traceID:spanID:)``) nested by parent.
///
/// Both ids are derived from the trace's, so every node that receives a span of a trace, in any
/// order and in any request, writes the same run and the same step: no lookup, no race.
public struct TraceSpan: Sendable, Equatable {
    /// 32 lowercase hex digits.
    public var traceID: String
    /// 16 lowercase hex digits.
    public var spanID: String
    /// Nil for the trace's root span.
    public var parentSpanID: String?
    /// The resource's `service.name`: the run's and the step's subsystem.
    public var serviceName: String
    /// The step: `step_type` from the span's kind, `description` its name, times, status and details.
    public var step: TimelineStep

    /// `step`'s run, step and span ids are set here, from the trace's and the span's.
    public init(traceID: String, spanID: String, parentSpanID: String?, serviceName: String, step: TimelineStep) {
        self.traceID = traceID
        self.spanID = spanID
        self.parentSpanID = parentSpanID
        self.serviceName = serviceName
        var step = step
        step.runID = Self.runID(traceID: traceID)
        step.stepID = Self.stepID(traceID: traceID, spanID: spanID)
        step.spanID = spanID
        step.parentSpanID = parentSpanID
        self.step = step
    }

    public var isRoot: Bool { parentSpanID == nil }

    /// The run of a trace: `trace_` and its id.
    public static func runID(traceID: String) -> String { "trace_" + traceID }

    /// The step of a span: `span_`, the trace's id and the span's (span ids are unique only within a trace).
    public static func stepID(traceID: String, spanID: String) -> String { "span_" + traceID + "_" + spanID }

    /// Whether `text` is an OTLP id of `bytes` bytes as Grace stores it: lowercase hex, not all zero.
    public static func isID(_ text: some StringProtocol, bytes: Int) -> Bool {
        text.utf8.count == bytes * 2 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
            && text.utf8.contains { $0 != 0x30 }
    }

    /// The run a trace's spans make of it, from one batch: started at its earliest span; once its
    /// root span is in, ended with it, `failed` when the root failed, `success` when it ended
    /// otherwise, and described by it. Without the root (its children came first) the run stays `active`.
    public static func run(of spans: [TraceSpan]) -> AgentRun? {
        guard let first = spans.first else { return nil }
        let root = spans.first(where: \.isRoot)
        let start = spans.map(\.step.timestamp).min() ?? first.step.timestamp
        var body: [String: JSONValue] = ["source": "otlp"]
        if let root {
            body["agent"] = .string(root.step.description)
            body["root_span_id"] = .string(root.spanID)
        }
        return AgentRun(runID: runID(traceID: first.traceID), kind: "agent", trigger: .event, subsystem: (root ?? first).serviceName,
                        status: root.map { Self.runStatus(of: $0.step) } ?? .active, startedAt: start,
                        endedAt: root.flatMap { $0.step.status.isFinal ? $0.step.endedAt ?? $0.step.timestamp : nil },
                        body: .object(body), traceID: first.traceID)
    }

    /// A root span still open (sent without an end) leaves its run active.
    static func runStatus(of root: TimelineStep) -> AgentRun.Status {
        switch root.status {
        case .failed: .failed
        case .success: .success
        case .pending, .running: .active
        }
    }
}
