import GraceCore
import Logging
import Synchronization

/// Audit appends that failed since the store opened. A lost audit entry is never silent: each one
/// is logged at error level by ``GraceRepositories/audit(_:logger:)``, and `/health` and the boot
/// report show the count and the last failure.
public final class AuditFailures: Sendable {
    public struct Summary: Sendable, Equatable, Codable {
        public var count: Int
        /// The action whose entry was lost last, and why.
        public var last: String?
    }

    private let state = Mutex(Summary(count: 0, last: nil))

    public init() {}

    public var summary: Summary { state.withLock { $0 } }

    func record(action: String, error: any Error) {
        state.withLock { $0.count += 1; $0.last = "\(action): \(error)" }
    }
}

/// Counts every failed append of the log it wraps (whoever the caller is) in ``AuditFailures``.
struct CountingAuditLog: AuditLog {
    let base: any AuditLog
    let failures: AuditFailures

    func append(_ event: AuditEvent) async throws -> AuditEntry {
        do {
            return try await base.append(event)
        } catch {
            failures.record(action: event.action, error: error)
            throw error
        }
    }

    func tail(before sequence: Int64?, limit: Int, mentioning: String?) async throws -> [AuditEntry] {
        try await base.tail(before: sequence, limit: limit, mentioning: mentioning)
    }
    func verify() async throws -> AuditVerification { try await base.verify() }
}

extension GraceRepositories {
    /// Appends `event` for a caller that goes on whatever happens: a failure is logged at error
    /// level naming the entry that was lost (and counted, like every failed append).
    public func audit(_ event: AuditEvent, logger: Logger) async {
        do {
            _ = try await audit.append(event)
        } catch {
            logger.error("could not append to the audit log: the entry is lost", metadata: [
                "subsystem": "\(event.subsystem)", "event_type": "audit_append_failed", "action": "\(event.action)",
                "resource": "\(event.resource)", "error": "\(error)"])
        }
    }
}
