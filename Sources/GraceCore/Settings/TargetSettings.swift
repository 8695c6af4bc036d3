/// The user's own service that Grace boots and supervises (`GRACE_TARGET_*`).
///
/// Paths may be relative: the settings loader resolves them against the target's working
/// directory (itself resolved against Grace's working directory).
public struct TargetSettings: Sendable, Equatable {
    /// Shell command that starts the service (`/bin/sh -c`), e.g. `python3 app.py`.
    public var command: String
    /// Working directory of the service (default: Grace's working directory).
    public var workingDirectory: String
    /// The service's env file: read into its environment, and where fixes write settings.
    public var envFile: String
    /// `http(s)://` URL answering 2xx when the service is healthy; without one, a service is
    /// healthy once it has run for ``settleSeconds`` without exiting.
    public var healthURL: String?
    /// SQLite files of the service: snapshotted before boot, repaired by the database playbooks.
    public var databases: [String]
    /// Folder of plain `.sql` migrations applied in name order to the first database.
    public var migrationsDirectory: String?
    /// Variables the service needs; checked against its env file and the environment.
    public var requiredSecrets: [String]
    /// The variable set to `1` in safe mode and `0` in full mode, for the service to read.
    public var safeModeVariable: String
    /// Seconds the service has to become healthy after a start.
    public var startTimeoutSeconds: Int
    /// Seconds between SIGTERM and SIGKILL when stopping the service.
    public var stopTimeoutSeconds: Int
    /// Restarts allowed within ``restartWindowSeconds`` before Grace declares a crash loop.
    public var maxRestarts: Int
    public var restartWindowSeconds: Int
    /// First restart delay; it doubles on each further restart up to ``backoffMaxMilliseconds``.
    public var backoffMilliseconds: Int
    public var backoffMaxMilliseconds: Int
    /// Seconds between health probes while the service runs.
    public var healthIntervalSeconds: Int
    /// Seconds a failure must not recur after a fix for the fix to count as verified.
    public var settleSeconds: Int

    public init(command: String, workingDirectory: String, envFile: String = ".env", healthURL: String? = nil, databases: [String] = [],
                migrationsDirectory: String? = nil, requiredSecrets: [String] = [], safeModeVariable: String = "GRACE_SAFE_MODE",
                startTimeoutSeconds: Int = 30, stopTimeoutSeconds: Int = 10, maxRestarts: Int = 5, restartWindowSeconds: Int = 300,
                backoffMilliseconds: Int = 500, backoffMaxMilliseconds: Int = 30_000, healthIntervalSeconds: Int = 10, settleSeconds: Int = 3) {
        self.command = command
        self.workingDirectory = workingDirectory
        self.envFile = envFile
        self.healthURL = healthURL
        self.databases = databases
        self.migrationsDirectory = migrationsDirectory
        self.requiredSecrets = requiredSecrets
        self.safeModeVariable = safeModeVariable
        self.startTimeoutSeconds = startTimeoutSeconds
        self.stopTimeoutSeconds = stopTimeoutSeconds
        self.maxRestarts = maxRestarts
        self.restartWindowSeconds = restartWindowSeconds
        self.backoffMilliseconds = backoffMilliseconds
        self.backoffMaxMilliseconds = backoffMaxMilliseconds
        self.healthIntervalSeconds = healthIntervalSeconds
        self.settleSeconds = settleSeconds
    }

    /// The keys of this section, for the settings table and typo detection.
    public static let keys = [
        "GRACE_TARGET_COMMAND", "GRACE_TARGET_DIR", "GRACE_TARGET_ENV_FILE", "GRACE_TARGET_HEALTH_URL", "GRACE_TARGET_DATABASES",
        "GRACE_TARGET_MIGRATIONS", "GRACE_TARGET_REQUIRED_SECRETS", "GRACE_TARGET_SAFE_MODE_VAR", "GRACE_TARGET_START_TIMEOUT",
        "GRACE_TARGET_STOP_TIMEOUT", "GRACE_TARGET_MAX_RESTARTS", "GRACE_TARGET_RESTART_WINDOW", "GRACE_TARGET_BACKOFF_MS",
        "GRACE_TARGET_BACKOFF_MAX_MS", "GRACE_TARGET_HEALTH_INTERVAL", "GRACE_TARGET_SETTLE_SECONDS",
    ]

    /// The delay before restart number `restart` (1-based): exponential, capped.
    public func backoff(beforeRestart restart: Int) -> Duration {
        let exponent = min(max(restart - 1, 0), 20)
        return .milliseconds(min(backoffMilliseconds << exponent, backoffMaxMilliseconds))
    }

    /// Resolves every relative path against `base` (an absolute folder).
    public func resolvingPaths(against base: String) -> TargetSettings {
        var resolved = self
        resolved.workingDirectory = Self.absolute(workingDirectory, base: base)
        resolved.envFile = Self.absolute(envFile, base: resolved.workingDirectory)
        resolved.databases = databases.map { Self.absolute($0, base: resolved.workingDirectory) }
        resolved.migrationsDirectory = migrationsDirectory.map { Self.absolute($0, base: resolved.workingDirectory) }
        return resolved
    }

    private static func absolute(_ path: String, base: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "." || path.isEmpty { return base }
        return base + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }
}

extension TargetSettings {
    /// Reads the section; nil when no target is configured. Problems go to `reader`.
    static func read(_ reader: inout SettingsReader) -> TargetSettings? {
        let present = keys.filter { reader.values[$0] != nil }
        guard let command = reader.optional("GRACE_TARGET_COMMAND") else {
            if let first = present.first, let setting = reader.values[first] {
                reader.report("GRACE_TARGET_COMMAND", SettingValue(value: "", origin: setting.origin),
                              "a command, because \(first) configures a target service")
            }
            return nil
        }
        let directory = reader.string("GRACE_TARGET_DIR", default: ".", allowed: "a folder path") { !$0.isEmpty }
        var target = TargetSettings(
            command: command, workingDirectory: directory,
            envFile: reader.string("GRACE_TARGET_ENV_FILE", default: ".env", allowed: "a file path") { !$0.isEmpty },
            healthURL: nil,
            databases: reader.list("GRACE_TARGET_DATABASES"),
            migrationsDirectory: reader.optional("GRACE_TARGET_MIGRATIONS"),
            requiredSecrets: reader.list("GRACE_TARGET_REQUIRED_SECRETS"),
            safeModeVariable: reader.string("GRACE_TARGET_SAFE_MODE_VAR", default: "GRACE_SAFE_MODE", allowed: "an environment variable name") {
                $0.first?.isLetter == true && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && $0.allSatisfy(\.isASCII)
            },
            startTimeoutSeconds: reader.integer("GRACE_TARGET_START_TIMEOUT", default: 30, range: 1...3600, allowed: "seconds, 1-3600"),
            stopTimeoutSeconds: reader.integer("GRACE_TARGET_STOP_TIMEOUT", default: 10, range: 1...600, allowed: "seconds, 1-600"),
            maxRestarts: reader.integer("GRACE_TARGET_MAX_RESTARTS", default: 5, range: 0...1000, allowed: "an integer 0-1000"),
            restartWindowSeconds: reader.integer("GRACE_TARGET_RESTART_WINDOW", default: 300, range: 1...86_400, allowed: "seconds, 1-86400"),
            backoffMilliseconds: reader.integer("GRACE_TARGET_BACKOFF_MS", default: 500, range: 1...600_000, allowed: "milliseconds, 1-600000"),
            backoffMaxMilliseconds: reader.integer("GRACE_TARGET_BACKOFF_MAX_MS", default: 30_000, range: 1...3_600_000,
                                                   allowed: "milliseconds, 1-3600000"),
            healthIntervalSeconds: reader.integer("GRACE_TARGET_HEALTH_INTERVAL", default: 10, range: 1...3600, allowed: "seconds, 1-3600"),
            settleSeconds: reader.integer("GRACE_TARGET_SETTLE_SECONDS", default: 3, range: 0...3600, allowed: "seconds, 0-3600"))
        if reader.values["GRACE_TARGET_HEALTH_URL"] != nil {
            let url = reader.string("GRACE_TARGET_HEALTH_URL", default: "", allowed: "an http:// or https:// URL with a host", Self.isHTTPURL)
            target.healthURL = url.isEmpty ? nil : url
        }
        return target
    }

    /// `http://host[:port][/path]` or `https://...`, without spaces.
    static func isHTTPURL(_ text: String) -> Bool {
        let lower = text.lowercased()
        guard !text.contains(" "), let schemeEnd = lower.range(of: "://") else { return false }
        let scheme = lower[..<schemeEnd.lowerBound]
        let rest = lower[schemeEnd.upperBound...]
        return (scheme == "http" || scheme == "https") && !(rest.first.map { $0 == "/" || $0 == ":" } ?? true)
    }
}
