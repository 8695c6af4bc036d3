import Foundation
import GraceCore

/// The log side of `grace correlate`: the lines that concern one run, and every run id the log names.
public struct CorrelationLogs: Sendable, Equatable {
    /// Lines with `run_id` = the run, plus lines without a `run_id` that carry one of the run's
    /// playbook or verification ids, in file order.
    public var runLines: [LogEntry]
    /// For each `run_id` found anywhere in the log: how many lines name it, and the first timestamp.
    public var runIDs: [String: RunIDUsage]
    /// Lines that were not JSON objects.
    public var malformed: Int

    public init(runLines: [LogEntry] = [], runIDs: [String: RunIDUsage] = [:], malformed: Int = 0) {
        self.runLines = runLines
        self.runIDs = runIDs
        self.malformed = malformed
    }
}

/// How often a run id appears in the log.
public struct RunIDUsage: Sendable, Equatable, Codable {
    public var lines: Int
    public var firstTimestamp: String

    public init(lines: Int, firstTimestamp: String) {
        self.lines = lines
        self.firstTimestamp = firstTimestamp
    }

    enum CodingKeys: String, CodingKey {
        case lines, firstTimestamp = "first_timestamp"
    }
}

extension LogReader {
    /// Reads every line once and gathers what ``LogCorrelator`` needs for `runID`.
    public func correlationLogs(runID: String, playbookIDs: Set<String> = [], verificationIDs: Set<String> = []) throws
        -> CorrelationLogs {
        var logs = CorrelationLogs()
        let target = Array(runID.utf8)
        let stats = try target.withUnsafeBufferPointer { target in
            try scanFields(LogFilter()) { line, count, fields in
                let run = fields.runID
                if run.kind == .string || run.kind == .escapedString {
                    let id = JSONLineScanner.string(line, run) ?? ""
                    if logs.runIDs[id] != nil {
                        logs.runIDs[id]!.lines += 1
                    } else {
                        logs.runIDs[id] = RunIDUsage(lines: 1, firstTimestamp: JSONLineScanner.string(line, fields.timestamp) ?? "")
                    }
                    if JSONLineScanner.stringEquals(line, run, target) {
                        logs.runLines.append(LogEntry(fields: fields, base: line, count: count))
                    }
                } else if !playbookIDs.isEmpty || !verificationIDs.isEmpty {
                    let playbook = JSONLineScanner.string(line, fields.playbookID)
                    let verification = JSONLineScanner.string(line, fields.verificationID)
                    if playbook.map(playbookIDs.contains) == true || verification.map(verificationIDs.contains) == true {
                        logs.runLines.append(LogEntry(fields: fields, base: line, count: count))
                    }
                }
                return true
            }
        }
        logs.malformed = stats.malformed
        return logs
    }
}

/// One step of the run and the log lines counted for it.
public struct StepLogs: Sendable, Equatable, Codable {
    public var stepID: String
    public var stepType: String
    public var description: String
    public var status: String
    public var timestamp: String
    public var durationMS: Double?
    /// When the step ran: `[timestamp - duration_ms, timestamp]`.
    public var windowStart: String
    public var windowEnd: String
    public var logLines: Int

    enum CodingKeys: String, CodingKey {
        case stepID = "step_id", stepType = "step_type", description, status, timestamp, durationMS = "duration_ms"
        case windowStart = "window_start", windowEnd = "window_end", logLines = "log_lines"
    }
}

/// A log line as the correlation report shows it.
public struct CorrelatedLine: Sendable, Equatable, Codable {
    public var timestamp: String
    public var level: String
    public var subsystem: String
    public var eventType: String
    public var message: String
    /// False when the line lies outside the run's lifetime (`started_at` - slack to `ended_at` + slack).
    public var withinRun: Bool

    enum CodingKeys: String, CodingKey {
        case timestamp, level, subsystem, eventType = "event_type", message, withinRun = "within_run"
    }
}

/// A run id named in the log that the store does not know.
public struct UnknownRunReference: Sendable, Equatable, Codable {
    public var runID: String
    public var lines: Int
    public var firstTimestamp: String

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", lines, firstTimestamp = "first_timestamp"
    }
}

/// What `grace correlate` found for one run.
public struct RunCorrelation: Sendable, Equatable, Codable {
    public var runID: String
    public var runStatus: String
    public var startedAt: String
    public var endedAt: String?
    /// Seconds of slack around each step's window and the run's lifetime.
    public var slackSeconds: Double
    /// The run's log lines (including lines matched by playbook or verification id only).
    public var logLines: Int
    /// Every step in timeline order, with its log count.
    public var steps: [StepLogs]
    /// Ids of the steps no log line was counted for.
    public var stepsWithoutLogs: [String]
    /// The run's lines in no step's window (each says whether it is still within the run's lifetime).
    public var linesOutsideSteps: [CorrelatedLine]
    /// Run ids named in the log (anywhere) that the store does not know.
    public var unknownRuns: [UnknownRunReference]
    /// The run's lines whose timestamp is earlier than the previous line of the run by more than the slack.
    public var outOfOrderLines: Int
    /// Lines of the run with no parsable timestamp that no step's id claimed.
    public var untimedLines: Int

    /// The inconsistencies that fail `grace correlate`: steps without log lines, run lines outside
    /// the run's lifetime, and run ids the store does not know. Lines between steps inside the
    /// run's lifetime (the run's own start and end lines, work between steps) are reported but
    /// do not count.
    public var inconsistencies: Int {
        stepsWithoutLogs.count + linesOutsideSteps.filter { !$0.withinRun }.count + unknownRuns.count
    }

    public var isConsistent: Bool { inconsistencies == 0 }

    enum CodingKeys: String, CodingKey {
        case runID = "run_id", runStatus = "run_status", startedAt = "started_at", endedAt = "ended_at"
        case slackSeconds = "slack_seconds", logLines = "log_lines", steps, stepsWithoutLogs = "steps_without_logs"
        case linesOutsideSteps = "lines_outside_steps", unknownRuns = "unknown_runs", outOfOrderLines = "out_of_order_lines"
        case untimedLines = "untimed_lines"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(runID, forKey: .runID)
        try container.encode(runStatus, forKey: .runStatus)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(endedAt, forKey: .endedAt)
        try container.encode(slackSeconds, forKey: .slackSeconds)
        try container.encode(logLines, forKey: .logLines)
        try container.encode(steps, forKey: .steps)
        try container.encode(stepsWithoutLogs, forKey: .stepsWithoutLogs)
        try container.encode(linesOutsideSteps, forKey: .linesOutsideSteps)
        try container.encode(unknownRuns, forKey: .unknownRuns)
        try container.encode(outOfOrderLines, forKey: .outOfOrderLines)
        try container.encode(untimedLines, forKey: .untimedLines)
    }
}

/// Joins a run's timeline with its log lines. Pure: no I/O.
///
/// The rule: a step's `timestamp` is when it was recorded, which Grace does as the step ends, so
/// the step ran during `[timestamp - duration_ms, timestamp]` (a step without a duration: the
/// instant `timestamp`). Each line of the run counts for exactly one step:
/// 1. a line carrying a step's `playbook_id` or `verification_id` counts for that step (for the
///    nearest in time when several steps carry it);
/// 2. any other line counts for the step whose window is nearest its timestamp (distance 0 when
///    inside; the earlier step on a tie), provided that distance is at most `slack`;
/// 3. lines left over are "outside every step's window".
public enum LogCorrelator {
    /// Half a second: a step is recorded a moment after its last line, and its first lines may
    /// precede the moment its duration was started from.
    public static let defaultSlack: TimeInterval = 0.5

    public static func correlate(run: AgentRun, steps: [TimelineStep], logs: CorrelationLogs, knownRunIDs: Set<String>,
                                 slack: TimeInterval = defaultSlack) -> RunCorrelation {
        let slackMicros = Int64((slack * 1_000_000).rounded())
        struct Window {
            var start: Int64
            var end: Int64
            func distance(to time: Int64) -> Int64 { time < start ? start - time : time > end ? time - end : 0 }
        }
        let windows: [Window?] = steps.map { step in
            guard let end = LogTime.microseconds(step.timestamp) else { return nil }
            let duration = Int64(((step.durationMS ?? 0) * 1000).rounded())
            return Window(start: end - max(duration, 0), end: end)
        }
        var counts = [Int](repeating: 0, count: steps.count)
        var outside: [CorrelatedLine] = []
        var outOfOrder = 0
        var untimed = 0
        var latest: Int64?
        let runStart = LogTime.microseconds(run.startedAt).map { $0 - slackMicros }
        let runEnd = run.endedAt.flatMap(LogTime.microseconds).map { $0 + slackMicros }

        /// The index of the nearest step among `candidates` (by window distance, the earlier on a tie).
        func nearest(_ candidates: some Sequence<Int>, to time: Int64?) -> (index: Int, distance: Int64)? {
            var best: (index: Int, distance: Int64)?
            for index in candidates {
                let distance = time.flatMap { time in windows[index].map { $0.distance(to: time) } } ?? Int64.max
                if best == nil || distance < best!.distance { best = (index, distance) }
            }
            return best
        }

        for line in logs.runLines {
            let time = LogTime.microseconds(line.timestamp)
            let byID = steps.indices.filter { index in
                (steps[index].playbookID != nil && line.playbookID == steps[index].playbookID)
                    || (steps[index].verificationID != nil && line.verificationID == steps[index].verificationID)
            }
            var counted = false
            if let step = nearest(byID, to: time) {
                counts[step.index] += 1
                counted = true
            } else if time != nil, let step = nearest(steps.indices, to: time), step.distance <= slackMicros {
                counts[step.index] += 1
                counted = true
            }
            guard let time else {
                if !counted { untimed += 1 }
                continue
            }
            if let previous = latest, time + slackMicros < previous { outOfOrder += 1 }
            latest = max(latest ?? time, time)
            if !counted {
                let within = (runStart.map { time >= $0 } ?? true) && (runEnd.map { time <= $0 } ?? true)
                outside.append(CorrelatedLine(timestamp: line.timestamp, level: line.level, subsystem: line.subsystem,
                                              eventType: line.eventType, message: line.message, withinRun: within))
            }
        }

        let stepLogs = steps.enumerated().map { index, step in
            StepLogs(stepID: step.stepID, stepType: step.stepType, description: step.description, status: step.status.rawValue,
                     timestamp: step.timestamp, durationMS: step.durationMS,
                     windowStart: windows[index].map { format($0.start) } ?? "", windowEnd: windows[index].map { format($0.end) } ?? "",
                     logLines: counts[index])
        }
        let unknown = logs.runIDs.filter { !knownRunIDs.contains($0.key) && $0.key != run.runID }
            .map { UnknownRunReference(runID: $0.key, lines: $0.value.lines, firstTimestamp: $0.value.firstTimestamp) }
            .sorted { ($0.firstTimestamp, $0.runID) < ($1.firstTimestamp, $1.runID) }
        return RunCorrelation(
            runID: run.runID, runStatus: run.status.rawValue, startedAt: run.startedAt, endedAt: run.endedAt, slackSeconds: slack,
            logLines: logs.runLines.count, steps: stepLogs, stepsWithoutLogs: stepLogs.filter { $0.logLines == 0 }.map(\.stepID),
            linesOutsideSteps: outside, unknownRuns: unknown, outOfOrderLines: outOfOrder, untimedLines: untimed)
    }

    private static func format(_ micros: Int64) -> String {
        Timestamp.string(from: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
    }
}

/// The terminal rendering of a ``RunCorrelation``.
public enum CorrelationText {
    /// How many lines outside the steps are listed before "... and N more".
    public static let listedLines = 20

    public static func render(_ report: RunCorrelation, colored: Bool = false) -> String {
        func paint(_ code: String, _ text: String) -> String { colored ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
        func pad(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
        }
        func padLeft(_ text: String, _ width: Int) -> String {
            text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
        }
        var out: [String] = []
        out.append("run \(report.runID) (\(report.runStatus)) started \(report.startedAt), ended \(report.endedAt ?? "-")")
        out.append("\(report.logLines) log line\(report.logLines == 1 ? "" : "s") for the run; slack \(Int(report.slackSeconds * 1000)) ms")
        out.append("")
        out.append("timeline (\(report.steps.count) step\(report.steps.count == 1 ? "" : "s")):")
        out.append("  " + pad("#", 4) + pad("recorded at", 29) + padLeft("duration", 11) + "  " + pad("step", 40) + pad("status", 9) + padLeft("logs", 6))
        for (index, step) in report.steps.enumerated() {
            let duration = step.durationMS.map { $0 < 1000 ? String(format: "%.1f ms", $0) : String(format: "%.2f s", $0 / 1000) } ?? "-"
            let logs = step.logLines == 0 ? paint("31", padLeft("0", 6)) : padLeft(String(step.logLines), 6)
            out.append("  " + pad(String(index + 1), 4) + pad(step.timestamp, 29) + padLeft(duration, 11) + "  "
                + pad(String((step.stepType + " " + step.description).prefix(39)), 40) + pad(step.status, 9) + logs)
        }
        out.append("")
        if report.stepsWithoutLogs.isEmpty {
            out.append("steps without log lines: none")
        } else {
            out.append(paint("31", "steps without log lines: \(report.stepsWithoutLogs.count)"))
            for step in report.steps where step.logLines == 0 {
                out.append("  - \(step.stepID) \(step.stepType) \(step.description)")
            }
        }
        let outsideRun = report.linesOutsideSteps.filter { !$0.withinRun }.count
        if report.linesOutsideSteps.isEmpty {
            out.append("run lines outside every step's window: none")
        } else {
            let header = "run lines outside every step's window: \(report.linesOutsideSteps.count)"
                + " (\(outsideRun) outside the run's lifetime, \(report.linesOutsideSteps.count - outsideRun) between steps)"
            out.append(outsideRun > 0 ? paint("31", header) : paint("33", header))
            for line in report.linesOutsideSteps.prefix(listedLines) {
                let place = line.withinRun ? "between steps" : paint("31", "outside the run")
                out.append("  \(line.timestamp) \(pad(line.level, 8)) \(line.subsystem) \(line.message)  [\(place)]")
            }
            if report.linesOutsideSteps.count > listedLines {
                out.append("  ... and \(report.linesOutsideSteps.count - listedLines) more")
            }
        }
        if report.unknownRuns.isEmpty {
            out.append("run ids in the log unknown to the store: none")
        } else {
            out.append(paint("31", "run ids in the log unknown to the store: \(report.unknownRuns.count)"))
            for unknown in report.unknownRuns.prefix(listedLines) {
                out.append("  - \(unknown.runID): \(unknown.lines) line\(unknown.lines == 1 ? "" : "s"), first at \(unknown.firstTimestamp)")
            }
            if report.unknownRuns.count > listedLines { out.append("  ... and \(report.unknownRuns.count - listedLines) more") }
        }
        if report.outOfOrderLines > 0 {
            out.append(paint("33", "run lines logged out of time order: \(report.outOfOrderLines)"))
        }
        if report.untimedLines > 0 {
            out.append(paint("33", "run lines without a readable timestamp: \(report.untimedLines)"))
        }
        out.append("")
        out.append(report.isConsistent
            ? paint("32", "consistent")
            : paint("31", "INCONSISTENT: \(report.inconsistencies) finding\(report.inconsistencies == 1 ? "" : "s")"))
        return out.joined(separator: "\n")
    }
}
