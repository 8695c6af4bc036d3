import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceLog
import GraceStore
import Logging

/// Exit codes shared by every command (also listed in `grace boot --help`).
enum GraceExit {
    static let failure = ExitCode(1)
    /// Settings or command-line input that cannot be used, or a home that is not there.
    static let configuration = ExitCode(2)
    /// A database that is damaged, newer than this Grace, or cannot be opened.
    static let store = ExitCode(3)
    /// Another Grace holds this home.
    static let alreadyRunning = ExitCode(4)
}

/// Writes `message` to standard error, prefixed with `grace:`.
func printError(_ message: String) {
    FileHandle.standardError.write(Data(("grace: " + message + "\n").utf8))
}

/// Prints a line and flushes at once, so progress reaches a pipe (CI logs, a supervisor) as it happens.
func say(_ line: String) {
    print(line)
    fflush(nil)
}

/// Settings, logging and store, wired once per command run.
struct Runtime {
    let loaded: SettingsLoader.Loaded
    let sink: LogFileSink
    let logger: Logger

    var settings: GraceSettings { loaded.settings }
    var layout: GraceHomeLayout { loaded.layout }

    /// Whether a command makes its home when it is missing (`up`, `boot`), or needs one that exists.
    enum HomeUse {
        /// Creates the home's folders (``GraceHome/prepare(_:)``).
        case create
        /// Exit 2 naming the path when there is no home; creates no home.
        case existing
    }

    /// Loads settings, prepares (or, for `.existing`, requires) the home and bootstraps logging;
    /// exits with a clear message on bad input.
    static func start(_ options: GlobalOptions, label: String, console: Bool = true, home: HomeUse) throws -> Runtime {
        let loaded = home == .create ? try options.loadSettings() : try options.loadSettingsOfExistingHome()
        for warning in loaded.warnings { printError("warning: " + warning) }
        let settings = loaded.settings
        if home == .create {
            do {
                try GraceHome.prepare(loaded.layout)
            } catch {
                printError("\(error)")
                throw GraceExit.configuration
            }
        }
        let sink: LogFileSink
        do {
            sink = try LogFileSink(configuration: LogFileConfiguration(
                path: loaded.layout.logFile, structured: settings.structuredLogging,
                maxBytes: settings.logMaxBytes, maxFiles: settings.logMaxFiles))
        } catch {
            printError("\(error)")
            throw GraceExit.configuration
        }
        let level = Logger.Level(rawValue: settings.logLevel.rawValue) ?? .info
        let consoleOutput = console ? ConsoleLogOutput(colored: isatty(STDERR_FILENO) == 1, minimumLevel: .warning,
                                                       shownEvents: Self.operatorEvents, hiddenEvents: Self.fileOnlyEvents) : nil
        LoggingSystem.bootstrap(GraceLogging.makeHandlerFactory(
            sink: sink, console: consoleOutput, redactor: SecretRedactor(secrets: settings.secretValues), level: level))
        return Runtime(loaded: loaded, sink: sink, logger: Logger(label: label))
    }

    /// Shown on the console (stderr) at any level, besides every WARNING and above: what an operator of
    /// `grace up` follows once it serves. A detection in the service's output, the healing decision
    /// (executed, observed, or waiting for approval `apr_…`), an approval decided or executed, a fix's
    /// verification, the service exiting, restarting, healthy again, or given up as a crash loop.
    static let operatorEvents: Set<String> = [
        "pattern_detected", "playbook_decision", "approval_decided", "approval_executed", "approval_expired", "verification",
        "target_exit", "target_restart", "target_healthy", "target_crash_loop",
    ]

    /// Never on the console: the supervised service's own output (its stderr is WARNING, a line of a
    /// known failure ERROR), which stays in the log file (`grace logs --subsystem target`); the
    /// `pattern_detected` line names what it matched.
    static let fileOnlyEvents: Set<String> = ["target_output"]

    /// This `grace` executable, which guards supervised services (`grace supervise-child`).
    static var executablePath: String? {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments.first
    }

    /// Opens the store, turning store errors into a message and exit code 3.
    func openStore() async throws -> any GraceStoreBackend {
        do {
            return try await GraceStoreFactory.open(settings: settings, layout: layout, logger: logger)
        } catch {
            logger.critical("store unavailable", metadata: ["subsystem": "store", "error": "\(error)"])
            sink.flush()
            printError("\(error)")
            throw GraceExit.store
        }
    }
}

extension Runtime {
    /// The home's knowledge base, written from the built-in patterns on first use; a file that
    /// cannot be used is named on standard error and the command exits 2.
    func knowledgeBase() throws -> KnowledgeBase {
        do {
            let file = KnowledgeBaseStore(layout: layout)
            try file.prepare()
            return try file.load()
        } catch {
            printError("\(error)")
            throw GraceExit.configuration
        }
    }
}
