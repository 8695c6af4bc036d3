import ArgumentParser
import Foundation
import GraceBoot

/// The guard between Grace and a supervised service (see ``ChildGuard``); Grace starts it, people don't.
struct SuperviseChildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: ChildGuard.commandName,
        abstract: "Run a command in its own process group and end the group when Grace goes away (internal).",
        shouldDisplay: false)

    @Option(help: "Seconds between SIGTERM and SIGKILL for the command's process group.")
    var stopTimeout = 10

    @Argument(parsing: .captureForPassthrough, help: "The command and its arguments (after --).")
    var command: [String] = []

    func validate() throws {
        if command.first == "--" { return }
        guard !command.isEmpty else { throw ValidationError("missing the command to run (after --)") }
    }

    func run() throws {
        let arguments = command.first == "--" ? Array(command.dropFirst()) : command
        guard !arguments.isEmpty else { throw ValidationError("missing the command to run (after --)") }
        guard (1...3600).contains(stopTimeout) else { throw ValidationError("--stop-timeout must be 1-3600 seconds") }
        throw ExitCode(ChildGuard.run(arguments: arguments, stopTimeout: stopTimeout))
    }
}
