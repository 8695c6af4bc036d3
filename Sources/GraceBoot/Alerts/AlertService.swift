import Foundation
import GraceCore
import ServiceLifecycle
import Synchronization

/// Runs alert passes every `GRACE_ALERT_INTERVAL` seconds under `grace up`; the audit chain, whose
/// check reads every entry, is verified at most every ``auditInterval``.
public struct AlertService: Service {
    let dispatcher: AlertDispatcher
    let interval: Duration
    let auditInterval: TimeInterval

    public init(dispatcher: AlertDispatcher, interval: Duration, auditInterval: TimeInterval = 300) {
        self.dispatcher = dispatcher
        self.interval = interval
        self.auditInterval = auditInterval
    }

    public func run() async throws {
        let lastAudit = AuditClock()
        await PeriodicPasses(interval: interval, startImmediately: true).run({
            let now = Date()
            _ = try await dispatcher.pass(now: now, verifyAudit: lastAudit.due(now: now, every: auditInterval))
        }) { error in
            dispatcher.logger.error("alert pass failed", metadata: ["subsystem": "alerts", "event_type": "alert_pass_failed", "error": "\(error)"])
        }
    }
}

/// When the audit chain was last verified by this service.
private final class AuditClock: Sendable {
    private let last = Mutex<Date?>(nil)

    func due(now: Date, every interval: TimeInterval) -> Bool {
        last.withLock { last in
            if let previous = last, now.timeIntervalSince(previous) < interval { return false }
            last = now
            return true
        }
    }
}
