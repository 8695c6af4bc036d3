import Foundation
import GraceCore
import GraceStore
import Logging

/// One alert pass: finds the store's events, records one delivery per event and sink (once, ever),
/// leases the due ones and sends them. A send that fails with a 5xx or no answer is tried again
/// after a backoff that doubles, until `GRACE_ALERT_MAX_ATTEMPTS`; then it is recorded `failed`.
public struct AlertDispatcher: Sendable {
    /// What one pass did.
    public struct PassReport: Sendable, Equatable {
        public var events = 0
        public var recorded = 0
        public var delivered = 0
        public var retrying = 0
        public var failed = 0
        /// Sources that could not be read (the others were still alerted).
        public var sourceFailures: [String] = []
    }

    let repositories: GraceRepositories
    let settings: AlertSettings
    let source: AlertEventSource
    let sender: AlertSender
    /// Who holds the leases this dispatcher takes: the node and this process.
    let owner: String
    let logger: Logger

    /// Nil when no webhook is configured. `version` is Grace's, for the sender's `User-Agent`.
    public init?(settings: AlertSettings, repositories: GraceRepositories, nodeID: String, version: String, sender: AlertSender? = nil,
                 logger: Logger = Logger(label: "grace.alerts")) {
        guard settings.isEnabled, let secret = settings.secret else { return nil }
        self.repositories = repositories
        self.settings = settings
        self.source = AlertEventSource(repositories: repositories, lookbackHours: settings.lookbackHours)
        self.sender = sender ?? AlertSender(secret: secret, timeoutSeconds: settings.timeoutSeconds, version: version)
        self.owner = nodeID + "/" + Identifier.make(prefix: "alr")
        self.logger = logger
    }

    /// Records at most this many sends per pass; the rest wait for the next.
    static let batch = 50

    public func pass(now: Date = Date(), verifyAudit: Bool = true) async throws -> PassReport {
        var report = PassReport()
        let (events, failures) = await source.events(now: now, verifyAudit: verifyAudit)
        report.events = events.count
        report.sourceFailures = failures
        for failure in failures {
            logger.error("alert source unreadable: \(failure)", metadata: ["subsystem": "alerts", "event_type": "alert_source_failed"])
        }
        let sinks = settings.sinks.map(\.id)
        report.recorded = try await repositories.alerts.enqueue(events, sinks: sinks, at: Timestamp.string(from: now))
        // The lease outlasts the longest send, so a live sender never loses it; a dead one's expires.
        let leaseUntil = Timestamp.string(from: now.addingTimeInterval(Double(settings.timeoutSeconds + 30)))
        let due = try await repositories.alerts.claim(sinks: sinks, owner: owner, now: Timestamp.string(from: now), leaseUntil: leaseUntil,
                                                      limit: Self.batch)
        for delivery in due {
            guard let sink = settings.sinks.first(where: { $0.id == delivery.sink }) else { continue }
            let outcome = await sender.send(delivery.event, to: sink)
            let attempt = Self.attempt(after: outcome, attempts: delivery.attempts + 1, settings: settings, now: Date())
            guard try await repositories.alerts.finish(eventKey: delivery.eventKey, sink: delivery.sink, owner: owner, attempt) else { continue }
            let metadata: Logger.Metadata = ["subsystem": "alerts", "event_key": "\(delivery.eventKey)", "sink": "\(delivery.sink)",
                                             "attempt": "\(delivery.attempts + 1)", "http_status": "\(outcome.httpStatus.map { String($0) } ?? "none")"]
            switch attempt.status {
            case .delivered:
                report.delivered += 1
                logger.info("alert delivered", metadata: metadata.merging(["event_type": "alert_delivered"]) { $1 })
            case .pending:
                report.retrying += 1
                logger.warning("alert send failed, retrying at \(attempt.retryAt ?? ""): \(outcome.error ?? "")",
                               metadata: metadata.merging(["event_type": "alert_retry"]) { $1 })
            case .failed:
                report.failed += 1
                logger.error("alert given up: \(outcome.error ?? "")", metadata: metadata.merging(["event_type": "alert_failed"]) { $1 })
            }
        }
        return report
    }

    /// The record of a send: delivered; pending again after the backoff when worth retrying and
    /// attempts remain; else failed with the error.
    static func attempt(after outcome: AlertSender.Outcome, attempts: Int, settings: AlertSettings, now: Date) -> AlertDelivery.Attempt {
        let at = Timestamp.string(from: now)
        if outcome.delivered { return AlertDelivery.Attempt(status: .delivered, httpStatus: outcome.httpStatus, at: at) }
        if outcome.retryable && attempts < settings.maxAttempts {
            let retryAt = Timestamp.string(from: now.addingTimeInterval(Double(settings.backoff(afterAttempts: attempts))))
            return AlertDelivery.Attempt(status: .pending, httpStatus: outcome.httpStatus, error: outcome.error, at: at, retryAt: retryAt)
        }
        return AlertDelivery.Attempt(status: .failed, httpStatus: outcome.httpStatus, error: outcome.error, at: at)
    }
}
