import ArgumentParser
import Foundation
import GraceCore

@main
struct Grace: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "grace",
        abstract: "Self-healing boot supervisor and observability server for autonomous-agent services.",
        discussion: """
            Settings come from the environment, ./.env and $GRACE_HOME/.env (see `grace settings`).
            Data lives under GRACE_HOME (default ./grace-home).
            """,
        version: version,
        subcommands: [UpCommand.self, BootCommand.self, StopCommand.self, SnapshotCommand.self, DiagnoseCommand.self,
                      ApprovalsCommand.self, PatternsCommand.self, AuditCommand.self, SettingsCommand.self, BenchCommand.self,
                      LogsCommand.self, CorrelateCommand.self, DashboardCommand.self, StoreCommand.self, PruneCommand.self, BackupCommand.self, AlertsCommand.self, SuperviseChildCommand.self]
    )

    /// ArgumentParser's own `main`, except that bad command-line input (an unknown option, a missing or
    /// invalid value, a `ValidationError`: ArgumentParser's exit 64) exits 2, as the README says; the
    /// message and usage it prints stay the same, and help and `--version` still exit 0.
    static func main() async {
        do {
            var command = try await asyncParseAsRoot(nil)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // An ExitCode is a command's own verdict (supervise-child passes on its child's, 64 included).
            guard !(error is ExitCode), exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            exit(withError: GraceExit.configuration)
        }
    }
}
