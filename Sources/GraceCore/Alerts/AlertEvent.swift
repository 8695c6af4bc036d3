import Crypto
import Foundation

/// Something worth telling a person, derived from the store. Its ``key`` is the same whenever and
/// wherever it is derived again (restarts, other nodes), which is how each is alerted at most once.
public struct AlertEvent: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case approvalWaiting = "approval_waiting"
        case bootFailed = "boot_failed"
        case crashLoop = "crash_loop"
        case fixFailed = "fix_failed"
        case auditChainBroken = "audit_chain_broken"
        case failureCluster = "failure_cluster"
        /// `grace alerts test`: never stored.
        case test
    }

    /// `<kind>:<id of what it is about>`, e.g. `boot_failed:run_3f9a0c12be47`.
    public var key: String
    public var kind: Kind
    /// One line a person reads first.
    public var title: String
    /// When it happened (the stored timestamp of what it is about).
    public var occurredAt: String
    /// The node that recorded it, when known.
    public var node: String?
    /// What it is about: ids, statuses, the error.
    public var details: [String: JSONValue]

    public init(kind: Kind, id: String, title: String, occurredAt: String, node: String? = nil, details: [String: JSONValue] = [:]) {
        self.key = kind.rawValue + ":" + id
        self.kind = kind
        self.title = title
        self.occurredAt = occurredAt
        self.node = node
        self.details = details
    }

    enum CodingKeys: String, CodingKey {
        case key = "event_key", kind, title, occurredAt = "occurred_at", node, details
    }

    /// The body a sink of `format` receives: Grace's JSON, or Slack's `{"text": ...}`.
    public func body(for format: AlertSink.Format) -> Data {
        switch format {
        case .generic:
            return (try? JSONEncoder.graceCompact.encode(self)) ?? Data("{}".utf8)
        case .slack:
            let node = node.map { " on \($0)" } ?? ""
            let text = "*Grace*: \(title) (`\(kind.rawValue)`\(node), \(occurredAt))"
            return Data(JSONValue.object(["text": .string(text)]).jsonText.utf8)
        }
    }
}

/// `X-Grace-Signature: sha256=<hex>`: HMAC-SHA256, keyed with `GRACE_ALERT_SECRET`, of
/// `<X-Grace-Timestamp>.<body>`; the timestamp is Unix seconds, so a receiver can refuse old replays.
public enum AlertSignature {
    public static func sign(body: Data, timestamp: String, secret: String) -> String {
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + Data(code).hexString
    }

    /// Whether `signature` is `body`'s at `timestamp` (compared in constant time).
    public static func verify(signature: String, body: Data, timestamp: String, secret: String) -> Bool {
        guard signature.hasPrefix("sha256="), let code = [UInt8](hexString: signature.dropFirst("sha256=".count)) else { return false }
        var message = Data(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(body)
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: message, using: SymmetricKey(data: Data(secret.utf8)))
    }
}

/// One alert to one sink, as the store keeps it (`alert_deliveries`).
public struct AlertDelivery: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, delivered, failed
    }

    public var eventKey: String
    public var sink: String
    public var kind: AlertEvent.Kind
    public var event: AlertEvent
    public var status: Status
    public var attempts: Int
    public var lastError: String?
    public var lastHTTPStatus: Int?
    public var createdAt: String
    public var updatedAt: String
    /// When the next send may happen (while pending).
    public var nextAttemptAt: String
    public var deliveredAt: String?
    /// The node that found the event.
    public var nodeID: String?

    public init(event: AlertEvent, sink: String, status: Status = .pending, attempts: Int = 0, lastError: String? = nil,
                lastHTTPStatus: Int? = nil, createdAt: String = Timestamp.now(), updatedAt: String? = nil, nextAttemptAt: String? = nil,
                deliveredAt: String? = nil, nodeID: String? = nil) {
        self.eventKey = event.key
        self.sink = sink
        self.kind = event.kind
        self.event = event
        self.status = status
        self.attempts = attempts
        self.lastError = lastError
        self.lastHTTPStatus = lastHTTPStatus
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.nextAttemptAt = nextAttemptAt ?? createdAt
        self.deliveredAt = deliveredAt
        self.nodeID = nodeID
    }

    enum CodingKeys: String, CodingKey {
        case eventKey = "event_key", sink, kind, event, status, attempts, lastError = "last_error", lastHTTPStatus = "last_http_status"
        case createdAt = "created_at", updatedAt = "updated_at", nextAttemptAt = "next_attempt_at", deliveredAt = "delivered_at"
        case nodeID = "node_id"
    }

    /// How one send ended, as recorded by ``AlertDeliveryRepository``.
    public struct Attempt: Sendable, Equatable {
        public var status: Status
        public var httpStatus: Int?
        public var error: String?
        public var at: String
        /// While still pending: when to try again.
        public var retryAt: String?

        public init(status: Status, httpStatus: Int? = nil, error: String? = nil, at: String, retryAt: String? = nil) {
            self.status = status
            self.httpStatus = httpStatus
            self.error = error
            self.at = at
            self.retryAt = retryAt
        }
    }
}
