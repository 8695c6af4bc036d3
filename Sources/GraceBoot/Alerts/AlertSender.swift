import AsyncHTTPClient
import Foundation
import GraceCore
import NIOCore
import NIOHTTP1

/// Sends one alert to one webhook, signed: `X-Grace-Timestamp` (Unix seconds) and
/// `X-Grace-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">` keyed with `GRACE_ALERT_SECRET`.
public struct AlertSender: Sendable {
    /// How one send went.
    public struct Outcome: Sendable, Equatable {
        public var httpStatus: Int?
        public var error: String?
        /// Worth trying again: a 5xx, 408 or 429 answer, or no answer at all (refused, reset, timed out).
        public var retryable: Bool
        public var delivered: Bool { error == nil }
    }

    let client: HTTPClient
    let secret: String
    let timeout: TimeAmount
    let userAgent: String

    /// - Parameter version: Grace's version, sent as `User-Agent: grace/<version>`.
    public init(client: HTTPClient = .shared, secret: String, timeoutSeconds: Int, version: String) {
        self.client = client
        self.secret = secret
        self.timeout = .seconds(Int64(timeoutSeconds))
        self.userAgent = "grace/\(version)"
    }

    public func send(_ event: AlertEvent, to sink: AlertSink, now: Date = Date()) async -> Outcome {
        let body = event.body(for: sink.format)
        let timestamp = String(Int(now.timeIntervalSince1970))
        var request = HTTPClientRequest(url: sink.url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: userAgent)
        request.headers.add(name: "X-Grace-Event", value: event.kind.rawValue)
        request.headers.add(name: "X-Grace-Event-Key", value: event.key)
        request.headers.add(name: "X-Grace-Timestamp", value: timestamp)
        request.headers.add(name: "X-Grace-Signature", value: AlertSignature.sign(body: body, timestamp: timestamp, secret: secret))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: timeout)
            let answer = try await response.body.collect(upTo: 64 * 1024)
            let status = Int(response.status.code)
            if (200..<300).contains(status) { return Outcome(httpStatus: status, error: nil, retryable: false) }
            let text = String(decoding: answer.readableBytesView.prefix(200), as: UTF8.self)
            return Outcome(httpStatus: status, error: "HTTP \(status)" + (text.isEmpty ? "" : ": \(text)"),
                           retryable: status >= 500 || status == 408 || status == 429)
        } catch {
            // A webhook URL may hold its credential: errors name the sink's id instead.
            let text = "\(error)".replacingOccurrences(of: sink.url.absoluteString, with: sink.id)
            return Outcome(httpStatus: nil, error: text, retryable: true)
        }
    }
}
