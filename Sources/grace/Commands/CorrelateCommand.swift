import ArgumentParser
import Foundation
import GraceCore
import GraceLog
import GraceStore

struct CorrelateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correlate",
        abstract: "Join a run's timeline (from the store) with its log lines and report what does not add up.",
        discussion: """
            A step is recorded as it ends, so it ran during [timestamp - duration_ms, timestamp]. The run's lines
            are those with run_id = RUN_ID, plus lines without a run_id that carry one of its steps' playbook or
            verification ids. Each line counts for exactly one step: the step whose playbook_id or
            verification_id it carries, else the step whose window is nearest its timestamp (inside: distance
            0; the earlier step on a tie) when that distance is at most the slack. Other lines are outside every
            step's window.

            Reported: each step with its log count; steps with no log lines; the run's lines outside every
            step's window (marked when they also fall outside the run's lifetime, started_at - slack to
            ended_at + slack); run ids named anywhere in the log that the store does not know; lines of the
            run logged out of time order.

            Exit codes:
              0  consistent
              1  inconsistent: a step without log lines, a run line outside the run's lifetime, or an unknown run id
              2  no such run (or invalid settings or arguments)
              3  the store cannot be opened
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("The run to check.", valueName: "run-id")) var runID: String

    @Flag(help: "Print the report as one JSON object.") var json = false

    @Option(name: .customLong("slack-ms"), help: "How far (ms) a line may lie outside a step's window and still count for it; also widens the run's lifetime.")
    var slackMS: Double = LogCorrelator.defaultSlack * 1000

    @Option(name: .customLong("log"),
            help: ArgumentHelp("A JSON-lines file to read instead of the home's logs (repeatable).", valueName: "file"))
    var logFiles: [String] = []

    func validate() throws {
        guard slackMS >= 0, slackMS.isFinite else {
            printError("--slack-ms must be 0 or more, got \(slackMS)")
            throw GraceExit.configuration
        }
    }

    func run() async throws {
        let runtime = try Runtime.start(options, label: "grace.correlate", home: .existing)
        let store = try await runtime.openStore()
        let runs = store.repositories.runs
        guard let run = try await runs.run(id: runID) else {
            printError("no run \(runID) in \(runtime.layout.graceDatabase)")
            throw GraceExit.configuration
        }
        let steps = try await runs.steps(runID: runID)
        runtime.sink.flush()
        let paths = logFiles.isEmpty ? LogReader.files(forLog: runtime.layout.logFile) : logFiles
        let logs: CorrelationLogs
        do {
            logs = try LogReader(paths: paths).correlationLogs(
                runID: runID, playbookIDs: Set(steps.compactMap(\.playbookID)), verificationIDs: Set(steps.compactMap(\.verificationID)))
        } catch {
            printError("\(error)")
            throw GraceExit.failure
        }
        var known: Set<String> = [runID]
        for id in logs.runIDs.keys where id != runID {
            if try await runs.run(id: id) != nil { known.insert(id) }
        }
        let report = LogCorrelator.correlate(run: run, steps: steps, logs: logs, knownRunIDs: known, slack: slackMS / 1000)
        if json {
            print(String(decoding: try JSONEncoder.graceCompact.encode(report), as: UTF8.self))
        } else {
            print(CorrelationText.render(report, colored: isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil))
        }
        if logs.malformed > 0 {
            printError("skipped \(logs.malformed) malformed line\(logs.malformed == 1 ? "" : "s") (not a JSON object)")
        }
        if !report.isConsistent { throw GraceExit.failure }
    }
}
