import GraceCore
import Testing
import Tracing
@testable import GraceTelemetry

@Suite struct RunTraceTests {
    /// 2025-11-09T18:30:00Z in nanoseconds since 1970.
    static let base: UInt64 = 1_762_713_000_000_000_000

    static func run(status: AgentRun.Status = .success, endedAt: String? = "2025-11-09T18:30:02.500000Z") -> AgentRun {
        AgentRun(runID: "run_000000000001", kind: "agent", trigger: .manual, subsystem: "demo", status: status,
                 startedAt: "2025-11-09T18:30:00.000000Z", endedAt: endedAt, playbooksExecuted: 2, verificationsPassed: 1,
                 verificationsFailed: 1, nodeID: "web-1")
    }

    static func steps() -> [TimelineStep] {
        [
            TimelineStep(stepID: "step_000000000001", runID: "run_000000000001", timestamp: "2025-11-09T18:30:00.250000Z",
                         stepType: "plan_creation", subsystem: "demo", description: "plan", status: .success, durationMS: 1.5),
            TimelineStep(stepID: "step_000000000002", runID: "run_000000000001", timestamp: "2025-11-09T18:30:01.000001Z",
                         stepType: "playbook_execution", subsystem: "demo", description: "fix the database", status: .failed,
                         playbookID: "pb_fix_db", verificationID: "ver_000000000001"),
        ]
    }

    @Test func runIsTheRootWithItsIdsStatusAndCounters() throws {
        let trace = try RunTrace(run: Self.run(), steps: Self.steps())
        #expect(trace.root.name == "grace.run agent")
        #expect(trace.root.startNanoseconds == Self.base)
        #expect(trace.root.endNanoseconds == Self.base + 2_500_000_000)
        #expect(trace.root.status == SpanStatus(code: .ok))
        let expected: SpanAttributes = [
            "grace.run_id": "run_000000000001", "grace.run.kind": "agent", "grace.run.trigger": "manual",
            "grace.run.status": "success", "grace.subsystem": "demo", "grace.node_id": "web-1",
            "grace.run.playbooks_executed": 2, "grace.run.verifications_passed": 1, "grace.run.verifications_failed": 1,
            "grace.run.steps": 2, "gen_ai.operation.name": "invoke_agent", "openinference.span.kind": "AGENT",
        ]
        #expect(trace.root.attributes == expected)
    }

    @Test func eachStepIsASpanNamedByItsTypeWithItsDuration() throws {
        let trace = try RunTrace(run: Self.run(), steps: Self.steps())
        // "plan" is a name; "fix the database" is a sentence, so the span is named by the type alone.
        #expect(trace.steps.map(\.name) == ["plan_creation plan", "playbook_execution"])
        #expect(trace.steps[0].startNanoseconds == Self.base + 250_000_000)
        #expect(trace.steps[0].endNanoseconds == Self.base + 251_500_000)
        #expect(trace.steps[0].status == SpanStatus(code: .ok))
        #expect(trace.steps[0].attributes.get("grace.step_id") == .string("step_000000000001"))
        #expect(trace.steps[0].attributes.get("grace.step.duration_ms") == .double(1.5))
        #expect(trace.steps[0].attributes.get("grace.playbook_id") == nil)
        #expect(trace.steps[0].attributes.get("grace.verification_id") == nil)
        // No duration: the span is an instant at the step's timestamp.
        #expect(trace.steps[1].startNanoseconds == Self.base + 1_000_001_000)
        #expect(trace.steps[1].endNanoseconds == trace.steps[1].startNanoseconds)
        #expect(trace.steps[1].status == SpanStatus(code: .error, message: "fix the database"))
        let expected: SpanAttributes = [
            "grace.run_id": "run_000000000001", "grace.step_id": "step_000000000002", "grace.step.type": "playbook_execution",
            "grace.step.status": "failed", "grace.step.description": "fix the database", "grace.subsystem": "demo",
            "grace.node_id": "web-1", "grace.playbook_id": "pb_fix_db", "grace.verification_id": "ver_000000000001",
            "gen_ai.operation.name": "execute_tool", "openinference.span.kind": "TOOL",
        ]
        #expect(trace.steps[1].attributes == expected)
    }

    @Test func failedRunIsAnErrorAndAbortedRunIsUnset() throws {
        #expect(try RunTrace(run: Self.run(status: .failed), steps: []).root.status == SpanStatus(code: .error, message: "run failed"))
        #expect(try RunTrace(run: Self.run(status: .aborted), steps: []).root.status == nil)
        var running = Self.steps()[0]
        running.status = .running
        #expect(try RunTrace(run: Self.run(), steps: [running]).steps[0].status == nil)
    }

    @Test func unreadableTimestampsAreRefusedOrSkippedNotFatal() throws {
        #expect(throws: RunTraceError.notEnded(runID: "run_000000000001")) { try RunTrace(run: Self.run(status: .active, endedAt: nil), steps: []) }
        #expect(throws: RunTraceError.unreadableTimestamp(runID: "run_000000000001", field: "ended_at", value: "soon")) {
            try RunTrace(run: Self.run(endedAt: "soon"), steps: [])
        }
        var before1970 = Self.run()
        before1970.startedAt = "1969-12-31T23:59:59Z"
        #expect(throws: RunTraceError.self) { try RunTrace(run: before1970, steps: []) }
        var steps = Self.steps()
        steps[0].timestamp = "garbage"
        let trace = try RunTrace(run: Self.run(), steps: steps)
        #expect(trace.steps.map(\.name) == ["playbook_execution"])
        #expect(trace.skippedSteps.map(\.stepID) == ["step_000000000001"])
    }

    @Test func oddDurationsAndClocksGiveWellFormedSpans() throws {
        var steps = Self.steps()
        steps[0].durationMS = -5
        steps[1].durationMS = .infinity
        let trace = try RunTrace(run: Self.run(endedAt: "2025-11-09T18:29:59.000000Z"), steps: steps)
        #expect(trace.root.endNanoseconds == trace.root.startNanoseconds)
        #expect(trace.steps.allSatisfy { $0.endNanoseconds == $0.startNanoseconds })
    }

    @Test func emitsTheRootAndStepsAsChildrenAtThePlannedInstants() throws {
        let tracer = RecordingTracer()
        let trace = try RunTrace(run: Self.run(status: .failed), steps: Self.steps())
        trace.emit(to: tracer)
        let root = try #require(tracer.roots.first)
        #expect(tracer.roots.count == 1)
        #expect(root.name == "grace.run agent")
        #expect(root.start == Self.base && root.end == Self.base + 2_500_000_000)
        #expect(root.status?.code == .error)
        #expect(root.string("grace.run_id") == "run_000000000001")
        let children = tracer.children(of: root)
        #expect(children.map(\.name) == ["plan_creation plan", "playbook_execution"])
        #expect(children.map(\.start) == trace.steps.map(\.startNanoseconds))
        #expect(children.map(\.end) == trace.steps.map(\.endNanoseconds))
        #expect(children.map { $0.string("grace.step.status") } == ["success", "failed"])
        #expect(children.map(\.attributes) == trace.steps.map(\.attributes))
    }

    @Test func bootStagesAreNamedByTheStageAndEverySpanCarriesBothKinds() throws {
        var boot = Self.run()
        boot.kind = "boot"
        let stage = TimelineStep(runID: boot.runID, timestamp: "2025-11-09T18:30:00.100000Z", endedAt: "2025-11-09T18:30:00.300000Z",
                                 stepType: "boot_stage", subsystem: "boot_pipeline", description: "environment_and_dependencies",
                                 status: .success)
        let ingested = TimelineStep(runID: boot.runID, timestamp: "2025-11-09T18:30:00.200000Z", stepType: "llm", subsystem: "a",
                                    description: "chat gpt-4o", status: .success, spanID: "00f067aa0ba902b7")
        let trace = try RunTrace(run: boot, steps: [stage, ingested])
        #expect(trace.steps.map(\.name) == ["boot_stage environment_and_dependencies", "chat gpt-4o"])
        #expect(trace.steps[0].startNanoseconds == Self.base + 100_000_000 && trace.steps[0].endNanoseconds == Self.base + 300_000_000,
                "the stage's own start and end")
        #expect(trace.root.attributes.get("openinference.span.kind") == "CHAIN")
        #expect(trace.root.attributes.get("gen_ai.operation.name") == "invoke_workflow")
        #expect(trace.steps.map { $0.attributes.get("openinference.span.kind") } == ["CHAIN", "LLM"])
        #expect(trace.steps.map { $0.attributes.get("gen_ai.operation.name") } == [nil, "chat"])
    }
}
