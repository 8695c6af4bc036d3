import GraceCore

/// One gate of the boot pipeline.
public protocol BootStage: Sendable {
    var name: String { get }
    /// A critical stage that still fails after healing stops the boot and rolls back.
    var critical: Bool { get }
    func run(in context: BootContext) async throws -> StageResult
    /// The supervised service this stage boots, or nil for Grace's own stages. When such a stage
    /// fails, the service's remaining stages are skipped and its files are rolled back, while
    /// Grace itself goes on serving (the boot is partial).
    var service: String? { get }
    /// True when the stage heals its own failures (and reports them in ``StageResult/healing``),
    /// so the pipeline's healer must not apply Grace's fixes to it.
    var healsItself: Bool { get }
}

extension BootStage {
    public var service: String? { nil }
    public var healsItself: Bool { false }
}

/// One check a stage is made of; the same checks are shared by both profiles.
public protocol BootCheck: Sendable {
    func run(in context: BootContext) async throws -> StageResult
}

/// A stage that runs its checks in order and reports the worst result with every finding.
public struct CheckStage: BootStage {
    public let name: String
    public let critical: Bool
    public let checks: [any BootCheck]

    public init(_ name: String, critical: Bool, checks: [any BootCheck]) {
        self.name = name
        self.critical = critical
        self.checks = checks
    }

    public func run(in context: BootContext) async throws -> StageResult {
        var combined = StageResult.passed
        for check in checks {
            let result = try await check.run(in: context)
            combined.findings += result.findings
            if result.status == .failed {
                combined.status = .failed
            } else if result.status == .warning && combined.status == .passed {
                combined.status = .warning
            }
        }
        return combined
    }
}
