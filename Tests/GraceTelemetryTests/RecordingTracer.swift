import Synchronization
import Tracing

/// A span as the recording tracer saw it: enough to check what a real tracer would have sent.
struct RecordedSpan: Sendable, Equatable {
    var id: Int
    var parentID: Int?
    var name: String
    var start: UInt64
    var end: UInt64?
    var attributes: SpanAttributes
    var status: SpanStatus?

    func string(_ key: String) -> String? {
        if case .string(let value) = attributes.get(key) { return value }
        return nil
    }
}

/// A `Tracer` that keeps every span in memory. A test seam: the product uses swift-otel's tracer.
struct RecordingTracer: Tracer {
    private let state = Recorder()

    /// The spans started so far, in start order.
    var spans: [RecordedSpan] { state.spans.withLock { $0 } }
    /// The spans that are roots of a trace.
    var roots: [RecordedSpan] { spans.filter { $0.parentID == nil } }

    func children(of root: RecordedSpan) -> [RecordedSpan] { spans.filter { $0.parentID == root.id } }

    func startSpan<Instant: TracerInstant>(_ operationName: String, context: @autoclosure () -> InstrumentationContext,
                                           ofKind kind: SpanKind, at instant: @autoclosure () -> Instant,
                                           function: String, file fileID: String, line: UInt) -> Span {
        let parent = context()
        let id = state.spans.withLock { spans in
            let id = spans.count
            spans.append(RecordedSpan(id: id, parentID: parent[SpanIDKey.self], name: operationName,
                                      start: instant().nanosecondsSinceEpoch, end: nil, attributes: [:], status: nil))
            return id
        }
        var own = parent
        own[SpanIDKey.self] = id
        return Span(id: id, context: own, recorder: state)
    }

    func forceFlush() {}
    func inject<Carrier, Inject: Injector>(_ context: InstrumentationContext, into carrier: inout Carrier, using injector: Inject)
    where Inject.Carrier == Carrier {}
    func extract<Carrier, Extract: Extractor>(_ carrier: Carrier, into context: inout InstrumentationContext, using extractor: Extract)
    where Extract.Carrier == Carrier {}

    final class Recorder: Sendable {
        let spans = Mutex<[RecordedSpan]>([])
    }

    enum SpanIDKey: InstrumentationContextKey {
        typealias Value = Int
    }

    struct Span: Tracing.Span {
        let id: Int
        let context: InstrumentationContext
        let recorder: Recorder

        var operationName: String {
            get { recorder.spans.withLock { $0[id].name } }
            nonmutating set { recorder.spans.withLock { $0[id].name = newValue } }
        }

        var attributes: SpanAttributes {
            get { recorder.spans.withLock { $0[id].attributes } }
            nonmutating set { recorder.spans.withLock { $0[id].attributes = newValue } }
        }

        var isRecording: Bool { recorder.spans.withLock { $0[id].end == nil } }

        func setStatus(_ status: SpanStatus) { recorder.spans.withLock { $0[id].status = status } }
        func addEvent(_ event: SpanEvent) {}
        func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {}
        func addLink(_ link: SpanLink) {}
        func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
            let end = instant().nanosecondsSinceEpoch
            recorder.spans.withLock { $0[id].end = end }
        }
    }
}
