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

    /// The settings, once their home is known to exist (``GraceHome/requireExisting(_:origin:)``), or exit 2
    /// naming the path: a read-only command on a mistyped or unset home must not create one.
    func loadSettingsOfExistingHome() throws -> SettingsLoader.Loaded {
        let loaded = try loadSettings()
        try Self.requireHome(loaded)
        return loaded
    }

    /// Exit 2 naming the home's path when `loaded`'s home is not there; with `folderOnly`, an
    /// existing folder is enough (nothing in it yet).
    static func requireHome(_ loaded: SettingsLoader.Loaded, folderOnly: Bool = false) throws {
        let origin = loaded.values["GRACE_HOME"]?.origin ?? "the default, ./grace-home"
        do {
            if folderOnly {
                try GraceHome.requireFolder(loaded.layout, origin: origin)
            } else {
                try GraceHome.requireExisting(loaded.layout, origin: origin)
            }
        } catch {
            printError("\(error)")
            throw GraceExit.configuration
        }
    }
}
