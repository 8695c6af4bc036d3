/// Correlation ids carried in task-local storage.
///
/// Every line logged through ``GraceLogHandler`` inside a scope that set one of these ids
/// carries it (`run_id`, `playbook_id`, `verification_id`, `request_id`), including lines
/// logged from child tasks (`async let`, task groups) and from `Task {}`; `Task.detached`
/// starts without them. Set them with `withRun`, `withPlaybook`, `withVerification` and `withRequest`.
public enum LogContext {
    /// All four ids in one task-local value, so a log line costs one task-local lookup.
    @TaskLocal public static var ids = CorrelationIDs()

    /// The boot or agent run being worked on (`run_id`).
    public static var runID: String? { ids.runID }
    /// The playbook being executed (`playbook_id`).
    public static var playbookID: String? { ids.playbookID }
    /// The verification being performed (`verification_id`).
    public static var verificationID: String? { ids.verificationID }
    /// The HTTP request being served (`request_id`).
    public static var requestID: String? { ids.requestID }

    /// The current ids with one of them replaced.
    static func with(_ key: WritableKeyPath<CorrelationIDs, String?>, _ id: String) -> CorrelationIDs {
        var changed = ids
        changed[keyPath: key] = id
        return changed
    }
}

/// The correlation ids a scope has set (``LogContext/ids``); nil where none is set.
public struct CorrelationIDs: Sendable, Equatable {
    public var runID: String?
    public var playbookID: String?
    public var verificationID: String?
    public var requestID: String?

    public init(runID: String? = nil, playbookID: String? = nil, verificationID: String? = nil, requestID: String? = nil) {
        self.runID = runID
        self.playbookID = playbookID
        self.verificationID = verificationID
        self.requestID = requestID
    }
}

/// Runs `body` with `LogContext.runID` set to `id`, returning its result.
public func withRun<T>(
    _ id: String,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async rethrows -> T {
    try await LogContext.$ids.withValue(LogContext.with(\.runID, id), operation: body)
}

/// Runs `body` with `LogContext.runID` set to `id`, returning its result.
public func withRun<T>(_ id: String, _ body: () throws -> T) rethrows -> T {
    try LogContext.$ids.withValue(LogContext.with(\.runID, id), operation: body)
}

/// Runs `body` with `LogContext.playbookID` set to `id`, returning its result.
public func withPlaybook<T>(
    _ id: String,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async rethrows -> T {
    try await LogContext.$ids.withValue(LogContext.with(\.playbookID, id), operation: body)
}

/// Runs `body` with `LogContext.playbookID` set to `id`, returning its result.
public func withPlaybook<T>(_ id: String, _ body: () throws -> T) rethrows -> T {
    try LogContext.$ids.withValue(LogContext.with(\.playbookID, id), operation: body)
}

/// Runs `body` with `LogContext.verificationID` set to `id`, returning its result.
public func withVerification<T>(
    _ id: String,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async rethrows -> T {
    try await LogContext.$ids.withValue(LogContext.with(\.verificationID, id), operation: body)
}

/// Runs `body` with `LogContext.verificationID` set to `id`, returning its result.
public func withVerification<T>(_ id: String, _ body: () throws -> T) rethrows -> T {
    try LogContext.$ids.withValue(LogContext.with(\.verificationID, id), operation: body)
}

/// Runs `body` with `LogContext.requestID` set to `id`, returning its result.
public func withRequest<T>(
    _ id: String,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async rethrows -> T {
    try await LogContext.$ids.withValue(LogContext.with(\.requestID, id), operation: body)
}

/// Runs `body` with `LogContext.requestID` set to `id`, returning its result.
public func withRequest<T>(_ id: String, _ body: () throws -> T) rethrows -> T {
    try LogContext.$ids.withValue(LogContext.with(\.requestID, id), operation: body)
}
