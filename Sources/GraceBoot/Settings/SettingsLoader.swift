import Foundation
import GraceCore

/// Reads settings from the process environment and `.env` files, once, at start-up.
///
/// Precedence, highest first: the process environment, `./.env`, then `$GRACE_HOME/.env`.
public struct SettingsLoader: Sendable {
    /// The outcome: typed settings, the raw values with their origins, and warnings worth showing.
    public struct Loaded: Sendable {
        public var settings: GraceSettings
        public var values: [String: SettingValue]
        public var warnings: [String]
        public var layout: GraceHomeLayout { GraceHomeLayout(root: settings.home) }
    }

    /// A settings file that cannot be read or parsed.
    public struct FileError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public var environment: [String: String]
    public var workingDirectory: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                workingDirectory: String = FileManager.default.currentDirectoryPath) {
        self.environment = environment
        self.workingDirectory = workingDirectory
    }

    /// Loads and validates; throws ``SettingsError`` for bad values and ``FileError`` for bad files.
    public func load(homeOverride: String? = nil) throws -> Loaded {
        var values = environment.mapValues { SettingValue(value: $0, origin: "environment") }
        if let homeOverride { values["GRACE_HOME"] = SettingValue(value: homeOverride, origin: "--home") }
        try merge(file: workingDirectory + "/.env", into: &values)
        let home = values["GRACE_HOME"]?.value ?? "./grace-home"
        let homePath = home.hasPrefix("/") ? home : workingDirectory + "/" + home
        let homeEnv = GraceHomeLayout(root: homePath).envFile
        if URL(fileURLWithPath: homeEnv).standardized.path != URL(fileURLWithPath: workingDirectory + "/.env").standardized.path {
            try merge(file: homeEnv, into: &values)
        }
        var settings = try GraceSettings(values: values)
        // Resolve the home once so every later path is absolute, whatever the caller's cwd becomes.
        settings.home = URL(fileURLWithPath: homePath).standardized.path
        if let target = settings.target {
            let resolved = target.resolvingPaths(against: workingDirectory)
            settings.target = resolved
            settings.secretValues = (settings.secretValues + (try targetSecretValues(resolved.envFile))).uniquedSorted()
        }
        let warnings = GraceSettings.unknownGraceKeys(in: values).map { key in
            "unknown setting \(key) (from \(values[key]!.origin)) is ignored; known settings: grace settings"
        } + values.filter { $0.key.hasPrefix("OTEL_") && $0.value.origin != "environment" }.keys.sorted().map { key in
            // swift-otel reads the process environment itself, as every OpenTelemetry SDK does.
            "\(key) (from \(values[key]!.origin)) is ignored: OpenTelemetry variables are read from the process environment only"
        }
        return Loaded(settings: settings, values: values, warnings: warnings)
    }

    /// Secret-looking values of the target's env file, so Grace redacts them from what it logs.
    private func targetSecretValues(_ file: String) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: file) else { return [] }
        guard let text = String(validatingUTF8: data) else {
            throw FileError(description: "\(file) (GRACE_TARGET_ENV_FILE) is not valid UTF-8 text; fix or remove it")
        }
        do {
            let values = try DotEnv.parse(text, source: file).mapValues { SettingValue(value: $0, origin: file) }
            return GraceSettings.secretValues(in: values)
        } catch {
            throw FileError(description: "\(error)")
        }
    }

    /// Adds the assignments of `file` for keys not already set; a missing file is fine.
    private func merge(file: String, into values: inout [String: SettingValue]) throws {
        guard let data = FileManager.default.contents(atPath: file) else { return }
        guard let text = String(validatingUTF8: data) else {
            throw FileError(description: "\(file) is not valid UTF-8 text; fix or remove it")
        }
        let parsed: [String: String]
        do {
            parsed = try DotEnv.parse(text, source: file)
        } catch {
            throw FileError(description: "\(error)")
        }
        for (key, value) in parsed where values[key] == nil {
            values[key] = SettingValue(value: value, origin: file)
        }
    }
}

extension Array where Element == String {
    func uniquedSorted() -> [String] { Array(Set(self)).sorted() }
}

extension String {
    /// Strict UTF-8 decoding: nil on any invalid sequence (String(decoding:) would repair silently).
    init?(validatingUTF8 data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        self = text
    }
}
