import GraceBoot
import ArgumentParser

/// Options every command accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Grace home folder (overrides GRACE_HOME).", valueName: "path"))
    var home: String?
}

extension GlobalOptions {
    /// The settings for `--home` (or `GRACE_HOME`), or exit 2 naming what is wrong with them.
    func loadSettings() throws -> SettingsLoader.Loaded {
        do {
            return try SettingsLoader().load(homeOverride: home)
        } catch {
            printError("\(error)")
            throw GraceExit.configuration
        }
    }
}
