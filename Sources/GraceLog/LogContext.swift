/// Correlation ids carried in task-local storage.
///
/// Every line logged through ``GraceLogHandler`` inside a scope that set one of these ids
/// carries it (`run_id`, `playbook_id`, `verification_id`, `request_id`), including lines
/// logged from child tasks (`async let`, task groups) and from `Task {}`; `Task.detached`
/// starts without them. Set them with `withRun`, `withPlaybook`, `withVerification` and `withRequest`.
public enum LogContext {
    /// The boot or agent run being worked on (`run_id`).
    @TaskLocal public static var runID: String?
    /// The playbook being executed (`playbook_id`).
    @TaskLocal public static var playbookID: String?
    /// The verification being performed (`verification_id`).
    @TaskLocal public static var verificationID: String?
    /// The HTTP request being served (`request_id`).
    @TaskLocal public static var requestID: String?
}

/// Runs `body` with `LogContext.runID` set to `id`, returning its result.
public func withRun<T>(
    _ id: String,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async rethrows -> T {
    try await LogContext.$runID.withValue(id, operation: body)
}

/// Runs `body` with `LogContext.runID` set to `id`, returning its result.
public func withRun<T>(_ id: String, _ body: () throws -> T) rethrows -> T {
    try LogContext.$runID.withValue(id, operation: body)
}

/// Runs `body` with `LogContext.playbookID` set to `id`, returning its result.
public func withPlaybook<T>(
    _ id: String,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async rethrows -> T {
    try await LogContext.$playbookID.withValue(id, operation: body)
}

/// Runs `body` with `LogContext.playbookID` set to `id`, returning its result.
public func withPlaybook<T>(_ id: String, _ body: () throws -> T) rethrows -> T {
    try LogContext.$playbookID.withValue(id, operation: body)
}

/// Runs `body` with `LogContext.verificationID` set to `id`, returning its result.
public func withVerification<T>(
    _ id: String,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async rethrows -> T {
    try await LogContext.$verificationID.withValue(id, operation: body)
}

/// Runs `body` with `LogContext.verificationID` set to `id`, returning its result.
public func withVerification<T>(_ id: String, _ body: () throws -> T) rethrows -> T {
    try LogContext.$verificationID.withValue(id, operation: body)
}

/// Runs `body` with `LogContext.requestID` set to `id`, returning its result.
public func withRequest<T>(
    _ id: String,
    isolation: isolated (any Actor)? = #isolation,
    _ body: () async throws -> T
) async rethrows -> T {
    try await LogContext.$requestID.withValue(id, operation: body)
}

/// Runs `body` with `LogContext.requestID` set to `id`, returning its result.
public func withRequest<T>(_ id: String, _ body: () throws -> T) rethrows -> T {
    try LogContext.$requestID.withValue(id, operation: body)
}
