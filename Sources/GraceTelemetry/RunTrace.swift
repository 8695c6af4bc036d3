import GraceCore
import Tracing

/// One span as it will be emitted: name, interval in nanoseconds since 1970, attributes and status.
public struct SpanPlan: Sendable, Equatable {
    /// `grace.run KIND` for a run; for a step its type, and the stage or step name when the
    /// description is one (`boot_stage environment_and_dependencies`); an ingested span's own name.
    public var name: String
    /// Nanoseconds since 1970.
    public var startNanoseconds: UInt64
    /// Nanoseconds since 1970; never before the start.
    public var endNanoseconds: UInt64
    /// The `grace.*` ids, statuses and counters.
    public var attributes: SpanAttributes
    /// Nil leaves the span's status unset (a run that was aborted, a step still pending or running).
    public var status: SpanStatus?

    /// A span to emit as it is given.
    public init(name: String, startNanoseconds: UInt64, endNanoseconds: UInt64, attributes: SpanAttributes, status: SpanStatus?) {
        self.name = name
        self.startNanoseconds = startNanoseconds
        self.endNanoseconds = endNanoseconds
        self.attributes = attributes
        self.status = status
    }
}

/// Why a run cannot become a trace.
public enum RunTraceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The run has not ended: its root span would have no end.
    case notEnded(runID: String)
    /// One of the run's own timestamps is not a readable instant after 1970.
    case unreadableTimestamp(runID: String, field: String, value: String)

    public var description: String {
        switch self {
        case .notEnded(let runID): "run \(runID) has not ended"
        case .unreadableTimestamp(let runID, let field, let value): "run \(runID) has an unreadable \(field): \(value)"
        }
    }
}

/// A run as an OpenTelemetry trace: a root span for the run and, as its children, one span per
/// timeline step. Built from the stored rows alone, so it is the same whenever and wherever it is built.
public struct RunTrace: Sendable, Equatable {
    /// A step left out of the trace, with the reason.
    public struct SkippedStep: Sendable, Equatable {
        public var stepID: String
        public var reason: String
    }

    /// The run's span: the trace's root.
    public var root: SpanPlan
    /// The steps' spans, in timeline order; each is a child of ``root``.
    public var steps: [SpanPlan]
    /// Steps whose timestamp cannot be read: the rest of the run is still worth exporting.
    public var skippedSteps: [SkippedStep]

    /// Maps `run` and its `steps`. The root spans `started_at`...`ended_at`; a step starts at its
    /// `timestamp` and lasts `duration_ms` (no time when it has no duration).
    public init(run: AgentRun, steps: [TimelineStep]) throws(RunTraceError) {
        guard let endedAt = run.endedAt else { throw .notEnded(runID: run.runID) }
        guard let start = Self.instant(run.startedAt) else {
            throw .unreadableTimestamp(runID: run.runID, field: "started_at", value: run.startedAt)
        }
        guard let end = Self.instant(endedAt) else { throw .unreadableTimestamp(runID: run.runID, field: "ended_at", value: endedAt) }
        var attributes = SpanAttributes()
        attributes.set("grace.run_id", value: .string(run.runID))
        attributes.set("grace.run.kind", value: .string(run.kind))
        attributes.set("grace.run.trigger", value: .string(run.trigger.rawValue))
        attributes.set("grace.run.status", value: .string(run.status.rawValue))
        attributes.set("grace.subsystem", value: .string(run.subsystem))
        attributes.set("grace.node_id", value: run.nodeID.map { .string($0) })
        attributes.set("grace.run.playbooks_executed", value: .int64(Int64(run.playbooksExecuted)))
        attributes.set("grace.run.verifications_passed", value: .int64(Int64(run.verificationsPassed)))
        attributes.set("grace.run.verifications_failed", value: .int64(Int64(run.verificationsFailed)))
        attributes.set("grace.run.steps", value: .int64(Int64(steps.count)))
        Self.setKind(SpanKinds.kind(ofStepType: run.kind == "agent" ? "agent" : "workflow"), on: &attributes)
        // A clock stepped back between start and end must not give a span that ends before it starts.
        root = SpanPlan(name: "grace.run \(run.kind)", startNanoseconds: start, endNanoseconds: max(start, end),
                        attributes: attributes, status: Self.status(of: run.status))
        var spans: [SpanPlan] = []
        var skipped: [SkippedStep] = []
        for step in steps {
            guard let stepStart = Self.instant(step.timestamp) else {
                skipped.append(SkippedStep(stepID: step.stepID, reason: "unreadable timestamp: \(step.timestamp)"))
                continue
            }
            spans.append(SpanPlan(name: Self.name(of: step), startNanoseconds: stepStart,
                                  endNanoseconds: step.endedAt.flatMap(Self.instant).map { max($0, stepStart) }
                                      ?? stepStart.addingClamped(Self.nanoseconds(milliseconds: step.durationMS)),
                                  attributes: Self.attributes(of: step, nodeID: run.nodeID), status: Self.status(of: step)))
        }
        self.steps = spans
        skippedSteps = skipped
    }

    static func attributes(of step: TimelineStep, nodeID: String?) -> SpanAttributes {
        var attributes = SpanAttributes()
        attributes.set("grace.run_id", value: .string(step.runID))
        attributes.set("grace.step_id", value: .string(step.stepID))
        attributes.set("grace.step.type", value: .string(step.stepType))
        attributes.set("grace.step.status", value: .string(step.status.rawValue))
        attributes.set("grace.step.description", value: .string(step.description))
        attributes.set("grace.subsystem", value: .string(step.subsystem))
        attributes.set("grace.node_id", value: nodeID.map { .string($0) })
        attributes.set("grace.step.duration_ms", value: step.durationMS.map { .double($0) })
        attributes.set("grace.playbook_id", value: step.playbookID.map { .string($0) })
        attributes.set("grace.verification_id", value: step.verificationID.map { .string($0) })
        setKind(SpanKinds.kind(ofStepType: step.stepType), on: &attributes)
        return attributes
    }

    /// The GenAI and OpenInference kind attributes, so tools that read either show the span's kind.
    static func setKind(_ kind: SpanKinds.Kind, on attributes: inout SpanAttributes) {
        attributes.set(SpanKinds.genAIOperationKey, value: kind.genAIOperation.map { .string($0) })
        attributes.set(SpanKinds.openInferenceKindKey, value: .string(kind.openInferenceKind))
    }

    /// A span's name: an ingested span keeps its own; a step whose description is a name (no
    /// white space, at most 64 characters: a boot stage's) is named `TYPE NAME`; else its type.
    static func name(of step: TimelineStep) -> String {
        if step.spanID != nil, !step.description.isEmpty { return step.description }
        let isName = !step.description.isEmpty && step.description.utf8.count <= 64
            && !step.description.contains(where: { $0.isWhitespace })
        return isName ? "\(step.stepType) \(step.description)" : step.stepType
    }

    /// Success is ok; failure, and a partial boot (a stage failed), an error; an aborted run was
    /// stopped, not broken, so its status stays unset.
    static func status(of status: AgentRun.Status) -> SpanStatus? {
        switch status {
        case .success: SpanStatus(code: .ok)
        case .failed: SpanStatus(code: .error, message: "run failed")
        case .partial: SpanStatus(code: .error, message: "partial: a stage failed")
        case .active, .aborted: nil
        }
    }

    static func status(of step: TimelineStep) -> SpanStatus? {
        switch step.status {
        case .success: SpanStatus(code: .ok)
        case .failed: SpanStatus(code: .error, message: step.description.isEmpty ? "step failed" : step.description)
        case .pending, .running: nil
        }
    }

    /// Nanoseconds since 1970 of a stored timestamp; nil when unreadable or before 1970 (spans cannot start there).
    static func instant(_ text: String) -> UInt64? {
        guard let nanoseconds = Timestamp.nanosecondsSinceEpoch(from: text), nanoseconds >= 0 else { return nil }
        return UInt64(nanoseconds)
    }

    /// A step's duration in nanoseconds; a missing, negative or non-finite one counts as none.
    static func nanoseconds(milliseconds: Double?) -> UInt64 {
        guard let milliseconds, milliseconds.isFinite, milliseconds > 0 else { return 0 }
        let nanoseconds = (milliseconds * 1_000_000).rounded()
        return nanoseconds >= Double(UInt64.max) ? UInt64.max : UInt64(nanoseconds)
    }
}

extension RunTrace {
    /// Starts and ends every span on `tracer` at its planned instants: the root as a new trace (not
    /// under whatever span the calling task is in), each step as the root's child.
    public func emit<T: Tracer>(to tracer: T) {
        let rootSpan = tracer.startSpan(root.name, context: .topLevel, ofKind: .internal,
                                        at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: root.startNanoseconds))
        Self.describe(rootSpan, as: root)
        for step in steps {
            let span = tracer.startSpan(step.name, context: rootSpan.context, ofKind: .internal,
                                        at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: step.startNanoseconds))
            Self.describe(span, as: step)
            span.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: step.endNanoseconds))
        }
        rootSpan.end(at: DefaultTracerClock.Timestamp(nanosecondsSinceEpoch: root.endNanoseconds))
    }

    private static func describe(_ span: some Span, as plan: SpanPlan) {
        span.attributes = plan.attributes
        if let status = plan.status { span.setStatus(status) }
    }
}

extension UInt64 {
    fileprivate func addingClamped(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
