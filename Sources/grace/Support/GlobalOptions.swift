import ArgumentParser

/// Options every command accepts.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Grace home folder (overrides GRACE_HOME).", valueName: "path"))
    var home: String?
}
