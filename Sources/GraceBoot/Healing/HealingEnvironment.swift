import Foundation
import GraceCore

/// Where fixes apply: the env file to complete, the SQLite files to repair, the migrations to run.
///
/// Defaults point at Grace's own home; a supervised service supplies its own.
public struct HealingEnvironment: Sendable {
    /// The env file `set_env_default` and `set_utf8_environment` write to.
    public var envFile: String
    /// SQLite files that pragma, checkpoint and lock actions work on.
    public var databases: [String]
    /// A folder of `.sql` files and the database they apply to; nil means Grace's own migrations.
    public var sqlMigrations: (directory: String, database: String)?
    /// Default values for missing variables (from `GRACE_HOME/env.defaults` and playbook parameters).
    public var envDefaults: [String: String]
    /// What the fixes are for: `grace` (its own home) or `target` (the supervised service);
    /// approvals carry it so an approved fix is applied to the same place.
    public var scope: String
    /// Restarts the supervised service (the `restart_target` action); nil when nothing is supervised.
    public var restartTarget: (@Sendable () async throws -> String)?

    public init(envFile: String, databases: [String], sqlMigrations: (directory: String, database: String)? = nil,
                envDefaults: [String: String] = [:], scope: String = "grace",
                restartTarget: (@Sendable () async throws -> String)? = nil) {
        self.envFile = envFile
        self.databases = databases
        self.sqlMigrations = sqlMigrations
        self.envDefaults = envDefaults
        self.scope = scope
        self.restartTarget = restartTarget
    }

    /// The supervised service: its env file, its databases, its `.sql` migrations, and defaults
    /// from `env.defaults` in Grace's home.
    public static func target(_ target: TargetSettings, layout: GraceHomeLayout,
                              restart: (@Sendable () async throws -> String)?) -> HealingEnvironment {
        HealingEnvironment(envFile: target.envFile, databases: target.databases,
                           sqlMigrations: target.migrationsDirectory.flatMap { directory in target.databases.first.map { (directory, $0) } },
                           envDefaults: loadDefaults(layout.path("env.defaults")), scope: "target", restartTarget: restart)
    }

    /// Grace's own home: its `.env`, both databases, and defaults from `env.defaults`.
    public static func graceHome(_ layout: GraceHomeLayout) -> HealingEnvironment {
        HealingEnvironment(envFile: layout.envFile, databases: [layout.graceDatabase, layout.metricsDatabase],
                           envDefaults: loadDefaults(layout.path("env.defaults")))
    }

    /// The environment a process started for this scope now gets: Grace's, then the env file
    /// (as ``TargetProcess/environment(safeMode:runID:)`` builds the service's).
    public func effectiveEnvironment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in EnvFile.values(in: envFile) { environment[key] = value }
        return environment
    }

    /// Reads a defaults file in `.env` form; a missing or unreadable file gives no defaults.
    public static func loadDefaults(_ path: String) -> [String: String] {
        EnvFile.values(in: path)
    }
}

/// Everything one playbook run needs to know.
public struct HealingRequest: Sendable {
    public var pattern: FailurePattern
    public var match: SignatureMatch
    public var playbook: Playbook
    public var runID: String?
    public var environment: HealingEnvironment

    /// A capture of the match, or a parameter of the step.
    public func value(_ name: String, step: PlaybookStep? = nil) -> String? {
        if let text = step?.parameters[name]?.stringValue { return text }
        return match.captures[name]
    }
}
