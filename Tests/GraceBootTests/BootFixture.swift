import Foundation
import GraceBoot
import GraceCore
import GraceLog
import Logging

/// A temporary Grace home with settings, a JSON log file and helpers to boot it.
final class BootFixture {
    let root: URL
    var layout: GraceHomeLayout { GraceHomeLayout(root: root.path) }
    var overrides: [String: String] = [:]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("grace-boot-\(UUID().uuidString)")
        try GraceHome.prepare(GraceHomeLayout(root: root.path))
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func settings() throws -> (GraceSettings, [String: SettingValue]) {
        var values = ["GRACE_HOME": root.path, "GRACE_PORT": "0"].merging(overrides) { $1 }
            .mapValues { SettingValue(value: $0, origin: "test") }
        values["LANG"] = SettingValue(value: "C.UTF-8", origin: "test")
        return (try GraceSettings(values: values), values)
    }

    /// Boots with `pipeline` (default: the production profile) in `boot` mode.
    func boot(_ pipeline: BootPipeline? = nil, uncleanShutdown: Bool = false) async throws -> (BootReport, BootContext) {
        let (settings, values) = try settings()
        let sink = try LogFileSink(configuration: LogFileConfiguration(path: layout.logFile))
        let logger = Logger(label: "grace.test") { label in
            GraceLogHandler(label: label, sink: sink, console: nil, redactor: SecretRedactor(secrets: settings.secretValues), level: .debug)
        }
        let context = BootContext(settings: settings, values: values, mode: .boot, logger: logger, uncleanShutdown: uncleanShutdown,
                                  logSink: sink)
        let report = await (pipeline ?? BootProfiles.pipeline(settings.bootProfile)).run(in: context)
        await context.closeStore()
        sink.flush()
        return (report, context)
    }

    func bytes(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    func logLines() throws -> [[String: Any]] {
        try String(contentsOfFile: layout.logFile, encoding: .utf8).split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }
}

/// A stage for engine tests: runs `body`, then returns `status`.
struct ScriptedStage: BootStage {
    let name: String
    let critical: Bool
    let status: StageStatus
    var body: @Sendable (BootContext) async throws -> Void = { _ in }

    func run(in context: BootContext) async throws -> StageResult {
        try await body(context)
        return StageResult(status: status, findings: status == .passed ? [] : [Finding(message: "\(name) scripted \(status.rawValue)")])
    }
}
