import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceLog

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Search and follow Grace's JSON log files (faster than jq).",
        discussion: """
            Reads logs/grace.jsonl and its rotated files (oldest first), or the JSON-lines files given.
            Filters combine with AND. Field filters compare the decoded top-level value exactly, so key
            order, whitespace, escapes and look-alikes inside other strings do not matter. Lines that are
            not JSON objects are skipped and counted on stderr.

            Output: coloured, one readable line per entry on a terminal; the raw JSON lines with --json or
            when stdout is not a terminal (a pipe or a file). NO_COLOR turns colours off.

            Times (--since, --until): 30s, 10m, 2h, 1d, 1w ago, or an ISO 8601 time (UTC unless it has an
            offset), or a date YYYY-MM-DD (midnight UTC). Both bounds are inclusive.

            Exit codes: 0 done (also when nothing matched), 1 a log file cannot be read, 2 invalid arguments or settings,
            or (without FILE arguments) no Grace home at GRACE_HOME.
            """)

    @OptionGroup var options: GlobalOptions

    @Argument(help: ArgumentHelp("JSON-lines files to read (default: the home's logs/grace.jsonl and its rotated files).",
                                 valueName: "file"))
    var files: [String] = []

    @Option(help: "Only lines of this subsystem.") var subsystem: String?
    @Option(name: .customLong("run-id"), help: "Only lines with this run_id.") var runID: String?
    @Option(name: .customLong("playbook-id"), help: "Only lines with this playbook_id.") var playbookID: String?
    @Option(name: .customLong("verification-id"), help: "Only lines with this verification_id.") var verificationID: String?
    @Option(name: .customLong("request-id"), help: "Only lines with this request_id.") var requestID: String?
    @Option(help: ArgumentHelp("Only lines at or above this level: trace, debug, info, notice, warning, error, critical.",
                               valueName: "level"))
    var level: String?
    @Flag(help: "Only ERROR and CRITICAL lines.") var errors = false
    @Option(help: ArgumentHelp("Only lines at or after this time (10m, 2h, 1d, or ISO 8601).", valueName: "time"))
    var since: String?
    @Option(help: ArgumentHelp("Only lines at or before this time (10m, 2h, 1d, or ISO 8601).", valueName: "time"))
    var until: String?
    @Option(help: ArgumentHelp("Only lines containing this text (case-sensitive, anywhere in the raw line).", valueName: "text"))
    var grep: String?
    @Flag(help: "Print the raw JSON lines (the default when stdout is not a terminal).") var json = false
    @Flag(help: "Print only the number of matching lines.") var count = false
    @Flag(name: [.short, .long], help: "Keep printing matching lines as they are appended, across rotation (Ctrl-C stops).")
    var follow = false
    @Option(name: [.customShort("n"), .customLong("lines")],
            help: ArgumentHelp("Only the last N matching lines (with --follow: lines shown before following; default 10).",
                               valueName: "N"))
    var lines: Int?

    func validate() throws {
        var problems: [String] = []
        if let level, LogLevelName.rank(level) == nil {
            problems.append("--level must be one of trace, debug, info, notice, warning, error, critical; got '\(level)'")
        }
        if let since, LogTime.parseBound(since) == nil {
            problems.append("--since: cannot read '\(since)' (use 30s, 10m, 2h, 1d, 1w, or an ISO 8601 time)")
        }
        if let until, LogTime.parseBound(until) == nil {
            problems.append("--until: cannot read '\(until)' (use 30s, 10m, 2h, 1d, 1w, or an ISO 8601 time)")
        }
        if let lines, lines < 0 { problems.append("--lines must be 0 or more, got \(lines)") }
        if count && follow { problems.append("--count and --follow cannot be combined") }
        guard problems.isEmpty else {
            problems.forEach(printError)
            throw GraceExit.configuration
        }
    }

    var filter: LogFilter {
        let now = Date()
        return LogFilter(subsystem: subsystem, runID: runID, playbookID: playbookID, verificationID: verificationID,
                         requestID: requestID, minimumLevel: level, errorsOnly: errors,
                         since: since.flatMap { LogTime.parseBound($0, now: now) },
                         until: until.flatMap { LogTime.parseBound($0, now: now) }, text: grep)
    }

    func run() async throws {
        let paths = try resolveFiles()
        let output = OutputBuffer(fd: STDOUT_FILENO)
        let raw = json || isatty(STDOUT_FILENO) != 1
        let formatter = LogLineFormatter(colored: !raw && ProcessInfo.processInfo.environment["NO_COLOR"] == nil)
        var pretty: [UInt8] = []
        pretty.reserveCapacity(1 << 16)
        func emit(_ line: UnsafeRawBufferPointer) {
            if raw {
                output.writeLine(line)
            } else {
                pretty.removeAll(keepingCapacity: true)
                formatter.append(line, to: &pretty)
                output.write(pretty)
            }
        }

        let stats: LogScanStats
        do {
            if follow {
                guard let path = paths.last else { return }
                stats = try await LogFollower(path: path, filter: filter).follow(history: lines ?? 10, { emit($0) },
                                                                                   caughtUp: { output.flush() })
            } else if count {
                stats = try LogReader(paths: paths).scan(filter) { _ in true }
                output.write("\(stats.matched)\n")
            } else if let lines {
                var ring: [[UInt8]] = []
                var next = 0
                stats = try LogReader(paths: paths).scan(filter) { line in
                    guard lines > 0 else { return true }
                    if ring.count < lines { ring.append(Array(line)) } else { ring[next] = Array(line) }
                    next = (next + 1) % lines
                    return true
                }
                for line in ring[next...] + ring[..<next] { line.withUnsafeBytes { emit($0) } }
            } else {
                stats = try LogReader(paths: paths).scan(filter) { line in
                    emit(line)
                    return !output.failed
                }
            }
        } catch let error as LogReaderError {
            output.flush()
            printError("\(error)")
            throw GraceExit.failure
        }
        output.flush()
        if stats.malformed > 0 {
            printError("skipped \(stats.malformed) malformed line\(stats.malformed == 1 ? "" : "s") (not a JSON object)")
        }
    }

    /// The files given, or the home's log and its rotated files.
    private func resolveFiles() throws -> [String] {
        if !files.isEmpty {
            for file in files where !FileManager.default.isReadableFile(atPath: file) && !follow {
                printError("cannot read \(file)")
                throw GraceExit.failure
            }
            return files
        }
        let loaded = try options.loadSettingsOfExistingHome()
        let logFile = loaded.layout.logFile
        let paths = LogReader.files(forLog: logFile)
        if follow { return [logFile] }
        if paths.isEmpty {
            printError("no log files at \(logFile)")
            throw GraceExit.failure
        }
        return paths
    }
}
