import Foundation
import GraceCore
import Testing
@testable import GraceStore

@Suite struct RunRepositoryTests {
    @Test(arguments: Backend.available) func runLifecycleAndTimeline(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let runs = test.repositories.runs
        let run = try await runs.create(AgentRun(trigger: .manual, subsystem: "planner", body: ["goal": "ship ✓"]))
        let step = try await runs.addStep(TimelineStep(runID: run.runID, stepType: "plan_creation", subsystem: "planner",
                                                       description: "plan", status: .running, details: ["k": 1]))
        let updated = try await runs.updateStep(runID: run.runID, stepID: step.stepID, StepUpdate(status: .success, durationMS: 12.5))
        #expect(updated.status == .success && updated.durationMS == 12.5)
        #expect(try await runs.activeRuns().map(\.runID) == [run.runID])

        let completed = try await runs.complete(runID: run.runID, status: .success, at: Timestamp.now())
        #expect(completed.status == .success && completed.endedAt != nil)
        #expect(try await runs.activeRuns().isEmpty)
        let stored = try #require(try await runs.run(id: run.runID))
        #expect(stored.body == ["goal": "ship ✓"])
        #expect(try await runs.steps(runID: run.runID) == [updated])
    }

    /// The number a rendered timeline is kept by: it must move with every change to the run's
    /// steps, whoever makes it (a step added, updated, a span ingested, concurrent writers on two
    /// nodes), and with nothing else's.
    @Test(arguments: Backend.available) func stepsVersionMovesWithEveryChangeToTheRunsSteps(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "n1")
        let second = try await test.reopen(nodeID: "n2")
        let runs = test.repositories.runs
        func version(_ id: String) async throws -> Int64 { try #require(try await runs.run(id: id)).stepsVersion }

        let run = try await runs.create(AgentRun(trigger: .manual, subsystem: "planner"))
        let other = try await runs.create(AgentRun(trigger: .manual, subsystem: "planner"))
        #expect(try await version(run.runID) == 0)
        let step = try await runs.addStep(TimelineStep(runID: run.runID, stepType: "plan", subsystem: "planner", description: "d", status: .running))
        let afterAdd = try await version(run.runID)
        #expect(afterAdd > 0)
        _ = try await runs.updateStep(runID: run.runID, stepID: step.stepID, StepUpdate(status: .success, durationMS: 3))
        let afterUpdate = try await version(run.runID)
        #expect(afterUpdate > afterAdd)
        #expect(try await version(other.runID) == 0, "another run's steps are not this run's")
        try await runs.recordOutcome(runID: run.runID, playbooksExecuted: 1, verificationsPassed: 0, verificationsFailed: 0)
        #expect(try await version(run.runID) == afterUpdate, "only step changes move it")

        // Two nodes adding steps to one run at once: every step lands, and the number moves by at least that many.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, repository) in [runs, second.repositories.runs, runs, second.repositories.runs].enumerated() {
                group.addTask {
                    for n in 0..<10 {
                        _ = try await repository.addStep(TimelineStep(runID: run.runID, stepType: "s\(index)", subsystem: "planner",
                                                                      description: "\(n)", status: .success))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await runs.steps(runID: run.runID).count == 41)
        #expect(try await version(run.runID) >= afterUpdate + 40)

        // A span ingested into a trace's run moves its number too, and again when the span is sent again.
        let traceRun = try #require(try await runs.ingest([TraceIngestTests.tool]).first)
        let ingested = try await version(traceRun)
        #expect(ingested > 0)
        _ = try await runs.ingest([TraceIngestTests.tool])
        #expect(try await version(traceRun) > ingested)
        try await second.shutdown()
    }

    @Test(arguments: Backend.available) func stepsKeepTheirStartAndEndAndRunsMayBePartial(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let runs = test.repositories.runs
        let run = try await runs.create(AgentRun(kind: "boot", trigger: .boot, subsystem: "boot_pipeline"))
        let running = try await runs.addStep(TimelineStep(runID: run.runID, timestamp: "2025-01-01T00:00:01.000000Z", stepType: "boot_stage",
                                                          subsystem: "boot_pipeline", description: "preflight_gate", status: .running))
        #expect(running.endedAt == nil, "a running step has not ended")
        let ended = try await runs.updateStep(runID: run.runID, stepID: running.stepID,
                                              StepUpdate(status: .failed, durationMS: 1500, endedAt: "2025-01-01T00:00:02.500000Z"))
        #expect(ended.startedAt == "2025-01-01T00:00:01.000000Z" && ended.endedAt == "2025-01-01T00:00:02.500000Z")
        // A step stored already final, with a duration and no end: it ends its duration after its start.
        let whole = try await runs.addStep(TimelineStep(runID: run.runID, timestamp: "2025-01-01T00:00:03.000000Z", stepType: "verification",
                                                        subsystem: "s", description: "", status: .success, durationMS: 250))
        #expect(whole.endedAt == "2025-01-01T00:00:03.250000Z")
        #expect(try await runs.steps(runID: run.runID).map(\.endedAt) == ["2025-01-01T00:00:02.500000Z", "2025-01-01T00:00:03.250000Z"])
        let completed = try await runs.complete(runID: run.runID, status: .partial, at: Timestamp.now())
        #expect(completed.status == .partial)
        #expect(try await runs.run(id: run.runID)?.status == .partial)
        #expect(try await runs.runs(matching: RunQuery(status: .partial)).map(\.runID) == [run.runID])
    }

    @Test(arguments: Backend.available) func anExecutedApprovalEndsWithItsOutcome(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "node-a")
        let approvals = test.repositories.approvals
        let request = try await approvals.create(ApprovalRequest(requestedBy: "grace", reason: "r", playbookID: "p", details: ["scope": "grace"]))
        _ = try await approvals.decide(id: request.eventID, approve: true, by: "cli", claimedBy: nil, reason: nil)
        var claimed = try #require(try await approvals.claimApproved(node: "node-a"))
        #expect(claimed.status == .executed)
        claimed.status = .failed
        claimed.details = ["scope": "grace", "playbook_run_id": "pbr_1", "outcome": "verification failed"]
        try await approvals.finish(claimed)
        let stored = try #require(try await approvals.approval(id: request.eventID))
        #expect(stored.status == .failed && stored.details?["playbook_run_id"]?.stringValue == "pbr_1")
        // Only an executed request can end: a finished one is left as it is.
        claimed.status = .succeeded
        try await approvals.finish(claimed)
        #expect(try await approvals.approval(id: request.eventID)?.status == .failed)
    }

    @Test(arguments: Backend.available) func endedAfterListsEndedRunsOldestEndFirst(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "node-a")
        let runs = test.repositories.runs
        for (name, end) in [("late", "2025-01-01T00:00:03.000000Z"), ("tieB", "2025-01-01T00:00:02.000000Z"),
                            ("tieA", "2025-01-01T00:00:02.000000Z"), ("early", "2025-01-01T00:00:01.000000Z")] {
            let run = try await runs.create(AgentRun(runID: "run_\(name)", trigger: .manual, subsystem: "s"))
            _ = try await runs.complete(runID: run.runID, status: .success, at: end)
        }
        _ = try await runs.create(AgentRun(trigger: .manual, subsystem: "s"))  // still active: never listed
        _ = try await runs.create(AgentRun(trigger: .manual, subsystem: "s", status: .success,
                                           endedAt: "2025-01-01T00:00:04.000000Z", nodeID: "node-b"))
        let listed = try await runs.runs(matching: RunQuery(node: "node-a", endedAfter: "2025-01-01T00:00:02.000000Z"))
        #expect(listed.map(\.runID) == ["run_tieA", "run_tieB", "run_late"])
        let page = try await runs.runs(matching: RunQuery(node: "node-a", endedAfter: "2025-01-01T00:00:00Z", limit: 2, offset: 1))
        #expect(page.map(\.runID) == ["run_tieA", "run_tieB"])
        #expect(try await runs.runs(matching: RunQuery(endedAfter: "2025-01-01T00:00:04.000000Z")).count == 1)
    }

    @Test(arguments: Backend.available) func illegalChangesAreRefused(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let runs = test.repositories.runs
        let run = try await runs.create(AgentRun(trigger: .event, subsystem: "s"))
        let step = try await runs.addStep(TimelineStep(runID: run.runID, stepType: "verification", subsystem: "s",
                                                       description: "", status: .success))
        await #expect(throws: StoreError.conflict("step \(step.stepID) cannot go from success to running")) {
            try await runs.updateStep(runID: run.runID, stepID: step.stepID, StepUpdate(status: .running))
        }
        await #expect(throws: StoreError.notFound(kind: "run", id: "run_missing")) {
            try await runs.addStep(TimelineStep(runID: "run_missing", stepType: "x", subsystem: "s", description: "", status: .pending))
        }
        _ = try await runs.complete(runID: run.runID, status: .failed, at: Timestamp.now())
        await #expect(throws: StoreError.self) {
            try await runs.complete(runID: run.runID, status: .success, at: Timestamp.now())
        }
        await #expect(throws: StoreError.self) {
            try await runs.addStep(TimelineStep(runID: run.runID, stepType: "x", subsystem: "s", description: "", status: .pending))
        }
    }

    @Test(arguments: Backend.available) func eightConcurrentWritersSeeNoLockErrors(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let store = test.store
        let second = try await test.reopen()
        let run = try await store.repositories.runs.create(AgentRun(trigger: .autonomous, subsystem: "load"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                let repositories = writer.isMultiple(of: 2) ? store.repositories : second.repositories
                group.addTask {
                    for index in 0..<100 {
                        _ = try await repositories.runs.addStep(TimelineStep(runID: run.runID, stepType: "kernel_selection",
                                                                             subsystem: "w\(writer)", description: "\(index)",
                                                                             status: .success, durationMS: 1))
                        try await repositories.metrics.record([MetricSnapshot(metricID: "m\(writer)", windowStart: Timestamp.now(),
                                                                              windowEnd: Timestamp.now(), stats: ["v": 1],
                                                                              bands: [:], latestBand: .good)])
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.repositories.runs.steps(runID: run.runID).count == 800)
        #expect(try await store.repositories.metrics.latestPerMetric().count == 8)
    }

    @Test(arguments: Backend.available) func approvalsAreDecidedAndExecutedOnce(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let approvals = test.repositories.approvals
        let request = try await approvals.create(ApprovalRequest(requestedBy: "grace", reason: "tier_3 playbook", playbookID: "pb"))
        #expect(try await approvals.approvals(status: .pending, limit: 10).map(\.eventID) == [request.eventID])
        #expect(try await approvals.markExecuted(id: request.eventID) == false)
        let decided = try await approvals.decide(id: request.eventID, approve: true, by: "ops", reason: "ok")
        #expect(decided.status == .approved && decided.decisionBy == "ops")
        await #expect(throws: StoreError.self) { try await approvals.decide(id: request.eventID, approve: false, by: "x", reason: nil) }
        #expect(try await approvals.markExecuted(id: request.eventID) == true)
        #expect(try await approvals.markExecuted(id: request.eventID) == false)
    }

    @Test(arguments: Backend.available) func playbookStatsAccumulate(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let playbooks = test.repositories.playbooks
        try await playbooks.upsert(PlaybookRecord(id: "unlock_database", name: "unlock_database", riskLevel: .low, autonomyTier: .tier1))
        try await playbooks.recordAttempt(playbookID: "unlock_database", patternID: "database_locked", succeeded: true, at: Timestamp.now())
        try await playbooks.recordAttempt(playbookID: "unlock_database", patternID: "database_locked", succeeded: false, at: Timestamp.now())
        #expect(try await playbooks.stats().map { [$0.attempts, $0.successes] } == [[2, 1]])
        #expect(try await playbooks.playbooks().first?.autonomyTier == .tier1)
    }

    @Test(arguments: Backend.available) func executionsOfOnePairSinceATime(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let playbooks = test.repositories.playbooks
        let times = ["2026-01-01T10:00:00.000000Z", "2026-01-01T10:30:00.000000Z", "2026-01-01T11:15:00.000000Z"]
        for (index, time) in times.enumerated() {
            try await playbooks.record(PlaybookRun(id: "pbr_\(index)", playbookID: "fix_unicode_logging", patternID: "unicode_logging_crash",
                                                   status: .failed, decision: "execute", startedAt: time))
        }
        // Not counted: another decision, another pattern, another playbook.
        try await playbooks.record(PlaybookRun(playbookID: "fix_unicode_logging", patternID: "unicode_logging_crash", status: .observed,
                                               decision: "await_approval", startedAt: times[2]))
        try await playbooks.record(PlaybookRun(playbookID: "fix_unicode_logging", patternID: "other", status: .succeeded,
                                               decision: "execute", startedAt: times[2]))
        try await playbooks.record(PlaybookRun(playbookID: "other", patternID: "unicode_logging_crash", status: .succeeded,
                                               decision: "execute", startedAt: times[2]))
        let found = try await playbooks.executions(playbookID: "fix_unicode_logging", patternID: "unicode_logging_crash",
                                                   since: "2026-01-01T10:15:00.000000Z")
        #expect(found.map(\.id) == ["pbr_1", "pbr_2"])
    }
}

/// The runs explorer's filters: trigger, a time range, text in a run or its steps, and cursor paging.
@Suite struct RunSearchTests {
    @Test(arguments: Backend.available) func filtersAndCursorPagingFindEachRunOnce(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let runs = test.repositories.runs
        var made: [AgentRun] = []
        for n in 0..<7 {
            // Two runs share each start time, so the cursor must order by id within one.
            let started = Timestamp.string(from: Date(timeIntervalSince1970: 1_800_000_000 + Double(n / 2)))
            made.append(try await runs.create(AgentRun(trigger: n == 3 ? .scheduled : .manual, subsystem: "planner", startedAt: started,
                                                       body: ["agent": .string(n == 5 ? "Researcher_1" : "writer")])))
        }
        _ = try await runs.addStep(TimelineStep(runID: made[2].runID, stepType: "tool", subsystem: "planner", description: "fetch page",
                                                status: .failed, details: ["error": "Timeout after 2.3s (100% of budget)"]))

        var seen: [String] = []
        var cursor: RunCursor?
        repeat {
            let page = try await runs.runs(matching: RunQuery(after: cursor, limit: 3))
            seen += page.map(\.runID)
            cursor = page.count == 3 ? RunCursor(startedAt: page[2].startedAt, runID: page[2].runID) : nil
        } while cursor != nil
        #expect(seen.count == 7 && Set(seen) == Set(made.map(\.runID)), "every run once: \(seen)")
        #expect(seen == (try await runs.runs(matching: RunQuery(limit: 10))).map(\.runID), "the same order as one page")

        func ids(_ query: RunQuery) async throws -> Set<String> { Set(try await runs.runs(matching: query).map(\.runID)) }
        #expect(try await ids(RunQuery(trigger: .scheduled)) == [made[3].runID])
        #expect(try await ids(RunQuery(text: "timeout AFTER")) == [made[2].runID], "a step's details, ASCII case ignored")
        #expect(try await ids(RunQuery(text: "fetch")) == [made[2].runID], "a step's description")
        #expect(try await ids(RunQuery(text: "researcher_")) == [made[5].runID], "the body (the agent)")
        #expect(try await ids(RunQuery(text: "100%")) == [made[2].runID])
        #expect(try await ids(RunQuery(text: "1_0")).isEmpty, "_ is a character, not a wildcard")
        #expect(try await ids(RunQuery(text: made[6].runID)) == [made[6].runID], "the run id")
        let from = made[2].startedAt, until = made[4].startedAt
        #expect(try await ids(RunQuery(startedAfter: from, startedBefore: until)) == Set(made[2...3].map(\.runID)))
        #expect(try await runs.count(matching: RunQuery(text: "writer")) == 6)
    }
}
