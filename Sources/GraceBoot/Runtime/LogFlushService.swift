import GraceLog
import ServiceLifecycle

/// Flushes the log file buffer on a short period, so `grace logs --follow` sees lines promptly
/// while the hot path keeps writing into memory; flushes once more on shutdown.
public struct LogFlushService: Service {
    let sink: LogFileSink
    let interval: Duration

    public init(sink: LogFileSink, interval: Duration = .milliseconds(200)) {
        self.sink = sink
        self.interval = interval
    }

    public func run() async throws {
        defer { sink.flush() }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            sink.flush()
        }
    }
}
