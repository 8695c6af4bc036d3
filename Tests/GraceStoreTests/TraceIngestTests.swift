import Foundation
import GraceCore
import Testing
@testable import GraceStore

@Suite struct TraceIngestTests {
    static let trace = "4bf92f3577b34da6a3ce929d0e0e4736"

    static func span(_ id: String, parent: String?, name: String, at second: Int, status: TimelineStep.Status = .success,
                     trace: String = trace, service: String = "agent-svc") -> TraceSpan {
        let start = "2025-06-01T10:00:0\(second).000000Z"
        return TraceSpan(traceID: trace, spanID: id, parentSpanID: parent, serviceName: service,
                         step: TimelineStep(runID: "", timestamp: start, endedAt: "2025-06-01T10:00:0\(second).500000Z",
                                            stepType: parent == nil ? "agent" : "tool", subsystem: service, description: name,
                                            status: status, durationMS: 500, details: ["name": .string(name)]))
    }

    static let root = span("00f067aa0ba902b7", parent: nil, name: "agent", at: 1)
    static let llm = span("00f067aa0ba902b8", parent: "00f067aa0ba902b7", name: "chat", at: 2)
    static let tool = span("00f067aa0ba902b9", parent: "00f067aa0ba902b8", name: "search", at: 3, status: .failed)

    @Test(arguments: Backend.available) func childrenBeforeTheirParentMakeOneNestedRun(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "n1")
        let runs = test.repositories.runs
        let runID = TraceSpan.runID(traceID: Self.trace)
        // The tool's span comes first, alone: the run exists, active, started at the tool.
        #expect(try await runs.ingest([Self.tool]) == [runID])
        let early = try #require(try await runs.run(id: runID))
        #expect(early.status == .active && early.traceID == Self.trace && early.startedAt == "2025-06-01T10:00:03.000000Z")
        #expect(early.kind == "agent" && early.trigger == .event && early.nodeID == "n1")
        // Then the root and its child in one request, the child listed first.
        try await runs.ingest([Self.llm, Self.root])
        let run = try #require(try await runs.run(id: runID))
        #expect(run.status == .success && run.startedAt == "2025-06-01T10:00:01.000000Z" && run.endedAt == "2025-06-01T10:00:01.500000Z")
        #expect(run.body?["agent"] == "agent")
        let steps = try await runs.steps(runID: runID)
        #expect(steps.map(\.description) == ["agent", "chat", "search"], "in time order, whatever the arrival")
        #expect(steps.map(\.parentSpanID) == [nil, "00f067aa0ba902b7", "00f067aa0ba902b8"])
        #expect(steps.map(\.spanID) == ["00f067aa0ba902b7", "00f067aa0ba902b8", "00f067aa0ba902b9"])
        #expect(steps[2].status == .failed && steps[2].endedAt == "2025-06-01T10:00:03.500000Z" && steps[2].details?["name"] == "search")
        // A span sent again (an exporter's retry) replaces its step; nothing doubles.
        try await runs.ingest([Self.tool, Self.tool])
        #expect(try await runs.steps(runID: runID).count == 3)
        // A late child after the root: the run keeps its status and end.
        let late = Self.span("00f067aa0ba902ba", parent: "00f067aa0ba902b7", name: "late", at: 4)
        try await runs.ingest([late])
        let after = try #require(try await runs.run(id: runID))
        #expect(after.status == .success && after.endedAt == run.endedAt)
        #expect(try await runs.steps(runID: runID).count == 4)
        #expect(try await runs.runs(matching: RunQuery(traceID: Self.trace)).map(\.runID) == [runID])
        #expect(try await runs.runs(matching: RunQuery(traceID: "0af7651916cd43dd8448eb211c80319c")).isEmpty)
    }

    @Test(arguments: Backend.available) func aRootSpanWithAnErrorFailsTheRun(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let root = Self.span("00f067aa0ba902b7", parent: nil, name: "agent", at: 1, status: .failed)
        try await test.repositories.runs.ingest([root])
        #expect(try await test.repositories.runs.run(id: TraceSpan.runID(traceID: Self.trace))?.status == .failed)
    }

    @Test(arguments: Backend.available) func aBatchIsStoredWholeOrNotAtAll(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let runs = test.repositories.runs
        // A run of another kind already holds the id a second trace would use: that trace is refused, and with it the batch.
        let other = "0af7651916cd43dd8448eb211c80319c"
        _ = try await runs.create(AgentRun(runID: TraceSpan.runID(traceID: other), trigger: .manual, subsystem: "manual"))
        let intruder = Self.span("00f067aa0ba902c1", parent: nil, name: "x", at: 5, trace: other)
        await #expect(throws: StoreError.self) { try await runs.ingest([Self.root, Self.llm, intruder]) }
        #expect(try await runs.run(id: TraceSpan.runID(traceID: Self.trace)) == nil, "nothing of the batch was stored")
        #expect(try await runs.steps(runID: TraceSpan.runID(traceID: other)).isEmpty)
    }

    /// Two nodes (two store connections) ingest the spans of one trace at once, each its half,
    /// many times over: every span ends up stored once, under one run with the trace's times.
    @Test(arguments: Backend.available) func nodesIngestingOneTraceAtOnceAgree(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "n1")
        let second = try await test.reopen(nodeID: "n2")
        let (one, two) = (test.repositories.runs, second.repositories.runs)
        let traces = (0..<20).map { String(format: "%032x", 0xabc000 + $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for trace in traces {
                let spans = (0..<6).map { index in
                    Self.span(String(format: "%016x", 0x100 + index), parent: index == 0 ? nil : String(format: "%016x", 0x100),
                              name: "s\(index)", at: index + 1, trace: trace)
                }
                group.addTask { try await one.ingest(Array(spans[3...])) }
                group.addTask { try await two.ingest(Array(spans[..<3].reversed())) }
            }
            try await group.waitForAll()
        }
        for trace in traces {
            let run = try #require(try await test.repositories.runs.run(id: TraceSpan.runID(traceID: trace)))
            #expect(run.status == .success && run.startedAt == "2025-06-01T10:00:01.000000Z" && run.endedAt == "2025-06-01T10:00:01.500000Z")
            #expect(try await test.repositories.runs.steps(runID: run.runID).map(\.description) == ["s0", "s1", "s2", "s3", "s4", "s5"])
        }
        try await second.shutdown()
    }
}

@Suite struct AgentEventTests {
    @Test(arguments: Backend.available) func eachEventIsAppliedOnceByItsID(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "n1")
        let runs = test.repositories.runs
        let started = AgentEvent(eventID: "e1", change: .runStarted(AgentRun(runID: "run_batch", trigger: .event, subsystem: "etl")))
        #expect(try await runs.apply(started) == .applied)
        #expect(try await runs.apply(started) == .duplicate, "the same event again changes nothing")
        let step = TimelineStep(stepID: "stp_1", runID: "run_batch", timestamp: "2025-06-01T10:00:00.000000Z", stepType: "tool",
                                subsystem: "etl", description: "load", status: .running)
        #expect(try await runs.apply(AgentEvent(eventID: "e2", change: .step(step))) == .applied)
        var finished = step
        finished.status = .success
        finished.endedAt = "2025-06-01T10:00:02.000000Z"
        finished.durationMS = 2000
        #expect(try await runs.apply(AgentEvent(eventID: "e3", change: .step(finished))) == .applied, "a known step id moves the step on")
        // A step cannot go back: the event is refused, and its id stays free for a corrected retry.
        let back = AgentEvent(eventID: "e4", change: .step(step))
        await #expect(throws: StoreError.self) { try await runs.apply(back) }
        #expect(try await runs.apply(AgentEvent(eventID: "e4", change: .runCompleted(runID: "run_batch", status: .success,
                                                                                     at: "2025-06-01T10:00:03.000000Z"))) == .applied)
        let run = try #require(try await runs.run(id: "run_batch"))
        #expect(run.status == .success && run.nodeID == "n1" && run.endedAt == "2025-06-01T10:00:03.000000Z")
        let stored = try await runs.steps(runID: "run_batch")
        #expect(stored.map(\.status) == [.success] && stored.first?.endedAt == "2025-06-01T10:00:02.000000Z")
        // Another node sees the same ids.
        let other = try await test.reopen(nodeID: "n2")
        #expect(try await other.repositories.runs.apply(started) == .duplicate)
        try await other.shutdown()
    }
}
