import ServiceLifecycle

/// The loop of a service that does one pass every `interval` until graceful shutdown (the monitor,
/// retention): a pass that fails is reported and the next one still comes.
struct PeriodicPasses: Sendable {
    let interval: Duration
    /// Whether the first pass runs at once or after one interval.
    let startImmediately: Bool

    func run(_ pass: @Sendable () async throws -> Void, failed: @Sendable (any Error) -> Void) async {
        var first = true
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            if !(first && startImmediately) {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                } catch {
                    return
                }
            }
            first = false
            do {
                try await pass()
            } catch {
                failed(error)
            }
        }
    }
}
