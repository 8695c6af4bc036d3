import Foundation
import GraceCore
import Testing
@testable import GraceLog

@Suite("Run correlation")
struct ReaderCorrelationTests {
    let directory: TemporaryDirectory
    init() throws { directory = try TemporaryDirectory() }

    /// A run from 18:30:00 to 18:30:10 with three steps recorded as they ended:
    /// s1 18:30:00.0-01.0, s2 18:30:02.0-04.0 (playbook pb_fix), s3 18:30:05.0-06.0 (verification ver_1).
    let run = AgentRun(runID: "run_main", kind: "boot", trigger: .boot, subsystem: "boot_pipeline", status: .success,
                       startedAt: "2025-11-09T18:30:00.000000Z", endedAt: "2025-11-09T18:30:10.000000Z")
    var steps: [TimelineStep] {
        [
            TimelineStep(stepID: "s1", runID: "run_main", timestamp: "2025-11-09T18:30:01.000000Z", stepType: "boot_stage",
                         subsystem: "boot_pipeline", description: "environment", status: .success, durationMS: 1000),
            TimelineStep(stepID: "s2", runID: "run_main", timestamp: "2025-11-09T18:30:04.000000Z", stepType: "boot_stage",
                         subsystem: "boot_pipeline", description: "services", status: .success, durationMS: 2000, playbookID: "pb_fix"),
            TimelineStep(stepID: "s3", runID: "run_main", timestamp: "2025-11-09T18:30:06.000000Z", stepType: "verification",
                         subsystem: "verification", description: "check", status: .success, durationMS: 1000, verificationID: "ver_1"),
        ]
    }

    func logLine(_ time: String, _ message: String, run: String? = "run_main", playbook: String? = nil,
                 verification: String? = nil) -> String {
        var text = #"{"timestamp":"2025-11-09T18:30:\#(time)Z","level":"INFO","subsystem":"boot_pipeline","event_type":"log","message":"\#(message)""#
        if let run { text += #","run_id":"\#(run)""# }
        if let playbook { text += #","playbook_id":"\#(playbook)""# }
        if let verification { text += #","verification_id":"\#(verification)""# }
        return text + "}"
    }

    func correlate(_ lines: [String], known: Set<String> = ["run_main"], slack: TimeInterval = 0.5) throws -> RunCorrelation {
        let path = try writeLog(lines, to: directory)
        let logs = try LogReader(paths: [path]).correlationLogs(runID: "run_main", playbookIDs: ["pb_fix"], verificationIDs: ["ver_1"])
        return LogCorrelator.correlate(run: run, steps: steps, logs: logs, knownRunIDs: known, slack: slack)
    }

    @Test func consistentRun() throws {
        let report = try correlate([
            logLine("00.100000", "s1 working"),
            logLine("03.000000", "s2 working"),
            logLine("05.500000", "s3 working"),
        ])
        #expect(report.steps.map(\.logLines) == [1, 1, 1])
        #expect(report.stepsWithoutLogs.isEmpty && report.linesOutsideSteps.isEmpty && report.unknownRuns.isEmpty)
        #expect(report.isConsistent)
        #expect(report.steps[0].windowStart == "2025-11-09T18:30:00.000000Z" && report.steps[0].windowEnd == "2025-11-09T18:30:01.000000Z")
    }

    @Test func stepWithoutLogs() throws {
        let report = try correlate([logLine("00.100000", "s1"), logLine("05.500000", "s3")])
        #expect(report.stepsWithoutLogs == ["s2"])
        #expect(report.steps.map(\.logLines) == [1, 0, 1])
        #expect(!report.isConsistent && report.inconsistencies == 1)
    }

    @Test func linesOutsideEveryStep() throws {
        let report = try correlate([
            logLine("00.100000", "s1"), logLine("03.000000", "s2"), logLine("05.500000", "s3"),
            logLine("08.000000", "between steps, inside the run"),
            logLine("20.000000", "after the run ended"),
        ])
        #expect(report.linesOutsideSteps.map(\.message) == ["between steps, inside the run", "after the run ended"])
        #expect(report.linesOutsideSteps.map(\.withinRun) == [true, false])
        // Only the line outside the run's lifetime is an inconsistency.
        #expect(report.inconsistencies == 1)
    }

    @Test func eachLineCountsForTheNearestStepOnly() throws {
        // Fast steps close together: with a large slack every window would hold every line.
        let report = try correlate([
            logLine("00.950000", "end of s1"), logLine("01.100000", "just after s1"), logLine("01.900000", "just before s2"),
            logLine("04.000000", "end of s2"), logLine("04.600000", "between s2 and s3, nearer s3"),
        ], slack: 5)
        #expect(report.steps.map(\.logLines) == [2, 2, 1])
        #expect(report.logLines == 5 && report.linesOutsideSteps.isEmpty)
    }

    @Test func slackWidensWindows() throws {
        let lines = [logLine("00.100000", "s1"), logLine("03.000000", "s2"), logLine("05.500000", "s3"),
                     logLine("06.400000", "just after s3 was recorded")]
        #expect(try correlate(lines, slack: 0.5).linesOutsideSteps.isEmpty)
        #expect(try correlate(lines, slack: 0.1).linesOutsideSteps.map(\.message) == ["just after s3 was recorded"])
    }

    @Test func linesCountForStepsByPlaybookAndVerificationID() throws {
        let report = try correlate([
            logLine("00.100000", "s1"),
            logLine("07.000000", "playbook line outside s2's window", playbook: "pb_fix"),
            logLine("07.500000", "verification line without a run id", run: nil, verification: "ver_1"),
            logLine("07.600000", "another run's verification line", run: "run_other", verification: "ver_1"),
        ], known: ["run_main", "run_other"])
        #expect(report.steps.map(\.logLines) == [1, 1, 1])
        #expect(report.logLines == 3)
        #expect(report.isConsistent)
    }

    @Test func unknownRunIDsAcrossTheLog() throws {
        let report = try correlate([
            logLine("00.100000", "s1"), logLine("03.000000", "s2"), logLine("05.500000", "s3"),
            logLine("01.000000", "ghost", run: "run_ghost"),
            logLine("02.000000", "ghost again", run: "run_ghost"),
            logLine("03.000000", "known other", run: "run_known"),
            #"{"timestamp":"2025-11-09T18:30:04Z","message":"nested ids do not count","detail":{"run_id":"run_nested"}}"#,
        ], known: ["run_main", "run_known"])
        #expect(report.unknownRuns == [UnknownRunReference(runID: "run_ghost", lines: 2, firstTimestamp: "2025-11-09T18:30:01.000000Z")])
        #expect(report.inconsistencies == 1)
    }

    @Test func outOfOrderAndUntimedLines() throws {
        let report = try correlate([
            logLine("05.500000", "s3 first"),
            logLine("00.100000", "s1 later in the file"),
            logLine("03.000000", "s2"),
            #"{"timestamp":"garbage","level":"INFO","message":"no time","run_id":"run_main"}"#,
        ])
        #expect(report.outOfOrderLines == 2)  // both lines after the first are earlier than it
        #expect(report.untimedLines == 1)
        #expect(report.isConsistent)
    }

    @Test func runWithoutStepsOrLines() throws {
        let logs = CorrelationLogs()
        let report = LogCorrelator.correlate(run: run, steps: [], logs: logs, knownRunIDs: ["run_main"])
        #expect(report.isConsistent && report.steps.isEmpty && report.logLines == 0)
        let text = CorrelationText.render(report)
        #expect(text.contains("timeline (0 steps)") && text.hasSuffix("consistent"))
    }

    @Test func textAndJSONRendering() throws {
        let report = try correlate([logLine("00.100000", "s1"), logLine("20.000000", "late"), logLine("01.000000", "g", run: "run_ghost")])
        let text = CorrelationText.render(report)
        let expected = """
            run run_main (success) started 2025-11-09T18:30:00.000000Z, ended 2025-11-09T18:30:10.000000Z
            2 log lines for the run; slack 500 ms

            timeline (3 steps):
              #   recorded at                     duration  step                                    status     logs
              1   2025-11-09T18:30:01.000000Z       1.00 s  boot_stage environment                  success       1
              2   2025-11-09T18:30:04.000000Z       2.00 s  boot_stage services                     success       0
              3   2025-11-09T18:30:06.000000Z       1.00 s  verification check                      success       0

            steps without log lines: 2
              - s2 boot_stage services
              - s3 verification check
            run lines outside every step's window: 1 (1 outside the run's lifetime, 0 between steps)
              2025-11-09T18:30:20.000000Z INFO     boot_pipeline late  [outside the run]
            run ids in the log unknown to the store: 1
              - run_ghost: 1 line, first at 2025-11-09T18:30:01.000000Z

            INCONSISTENT: 4 findings
            """
        #expect(text == expected)
        let json = try JSONEncoder().encode(report)
        let object = try JSONSerialization.jsonObject(with: json) as? [String: Any]
        #expect(object?["run_id"] as? String == "run_main")
        #expect((object?["steps_without_logs"] as? [String]) == ["s2", "s3"])
        #expect((object?["unknown_runs"] as? [[String: Any]])?.first?["run_id"] as? String == "run_ghost")
        #expect(try JSONDecoder().decode(RunCorrelation.self, from: json) == report)
    }
}
