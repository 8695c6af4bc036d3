import ArgumentParser
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
                      LogsCommand.self, CorrelateCommand.self, DashboardCommand.self, StoreCommand.self, SuperviseChildCommand.self]
    )
}
