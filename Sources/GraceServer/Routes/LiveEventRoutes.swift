import Foundation
import GraceCore
import GraceLog
import GraceStore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// `GET /api/events`: server-sent events, one per run, step and approval change in the store's
/// change feed (from every node sharing the store), so a page updates without polling.
///
/// Each event's `id` is its feed number: a client that reconnects with `Last-Event-ID` (or
/// `?after=N`) gets every change after it that the feed still keeps, and an event `reset` when
/// changes it missed are no longer kept (or the feed is behind it: a restored store), so it reads
/// the state again. Without either, the stream starts with the changes made after it opened.
/// A comment line every ``heartbeat`` keeps proxies from closing an idle stream and finds
/// clients that have gone. At most ``maxStreams`` are open at once (503 beyond).
struct LiveEventRoutes {
    let dependencies: ServerDependencies
    let logger: Logger
    let slots = StreamSlots(limit: Self.maxStreams)

    static let maxStreams = 32
    static let pollInterval: Duration = .milliseconds(400)
    static let heartbeat: TimeInterval = 15
    static let batch = 200

    /// One change as an event's `data`.
    struct Payload: Encodable {
        var sequence: Int64
        var kind: String
        var id: String
        var runID: String?

        enum CodingKeys: String, CodingKey { case sequence, kind, id, runID = "run_id" }
    }

    func register(on api: APIRouter) {
        api.get("/api/events") { request, _ in try await stream(request) }
    }

    func stream(_ request: Request) async throws -> Response {
        let resumeFrom = try Self.lastEventID(request)
        guard let slot = slots.take() else {
            throw APIError(status: .serviceUnavailable, code: "too_many_streams",
                           message: "\(Self.maxStreams) event streams are open already; try again later", headers: [.retryAfter: "5"])
        }
        let feed = dependencies.repositories.changes
        // Where to start is settled before answering, so a store that cannot be read is an error status, not a stream.
        let bounds = try await feed.bounds()
        var cursor = ChangeCursor(after: resumeFrom ?? bounds.latest ?? 0)
        var reset: String?
        if let resumeFrom {
            if let oldest = bounds.oldest, resumeFrom < oldest - 1 {
                reset = "changes after \(resumeFrom) are no longer kept (the oldest kept is \(oldest)); read the state again"
                cursor = ChangeCursor(after: oldest - 1)
            } else if resumeFrom > (bounds.latest ?? 0) {
                reset = "the store has no change \(resumeFrom) (it was restored or replaced); read the state again"
                cursor = ChangeCursor(after: bounds.latest ?? 0)
            }
        }
        let headers: HTTPFields = [.contentType: "text/event-stream", .cacheControl: "no-store", HTTPField.Name("X-Accel-Buffering")!: "no"]
        let logger = logger
        return Response(status: .ok, headers: headers, body: ResponseBody { [cursor, reset] writer in
            var cursor = cursor
            // The slot is held for as long as the body runs.
            defer { withExtendedLifetime(slot) {} }
            try await writer.write(ByteBuffer(string: "retry: 2000\n: connected at \(cursor.position)\n\n"))
            if let reset { try await writer.write(Self.event(id: cursor.position, name: "reset", data: #"{"reason":"# + Self.quoted(reset) + "}")) }
            var lastWrite = Date()
            var failing = false
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                var fetched: [StoreChange] = []
                do {
                    fetched = try await feed.changes(after: cursor.position, limit: Self.batch)
                    if failing { failing = false; logger.info("event stream: the store answers again", metadata: ["subsystem": "api"]) }
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    // The stream stays open while the store is away; the client hears why, once.
                    if !failing {
                        failing = true
                        logger.warning("event stream: the store cannot be read", metadata: ["subsystem": "api", "error": "\(error)"])
                        try await writer.write(Self.event(id: nil, name: "store_unavailable", data: #"{"reason":"# + Self.quoted("\(error)") + "}"))
                        lastWrite = Date()
                    }
                }
                let ready = cursor.advance(through: fetched, now: Date())
                if !ready.isEmpty {
                    var buffer = ByteBuffer()
                    for change in ready { buffer.writeImmutableBuffer(try Self.event(change)) }
                    try await writer.write(buffer)
                    lastWrite = Date()
                }
                if Date().timeIntervalSince(lastWrite) >= Self.heartbeat {
                    try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                    lastWrite = Date()
                }
                // A full batch handed on in one go: more may be waiting, read again at once.
                if fetched.count < Self.batch || ready.count < fetched.count { try await Task.sleep(for: Self.pollInterval) }
            }
            try await writer.finish(nil)
        })
    }

    /// `Last-Event-ID` (what browsers send on reconnect), else `?after=`; nil when neither is given.
    static func lastEventID(_ request: Request) throws -> Int64? {
        let header = request.headers[HTTPField.Name("Last-Event-ID")!]
        let (name, text) = header.map { ("Last-Event-ID", $0) } ?? ("after", QueryParameters(request).values["after"] ?? "")
        if name == "after" && text.isEmpty { return nil }
        guard let value = Int64(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
            throw APIError.invalidParameter(name, "expected the id of an event this stream sent (a whole number), got '\(text.prefix(40))'")
        }
        return value
    }

    static func event(_ change: StoreChange) throws -> ByteBuffer {
        let payload = Payload(sequence: change.sequence, kind: change.kind.rawValue, id: change.entityID, runID: change.runID)
        let data = String(decoding: try JSONEncoder.graceCompact.encode(payload), as: UTF8.self)
        return event(id: change.sequence, name: change.kind.rawValue, data: data)
    }

    static func event(id: Int64?, name: String, data: String) -> ByteBuffer {
        ByteBuffer(string: (id.map { "id: \($0)\n" } ?? "") + "event: \(name)\ndata: \(data)\n\n")
    }

    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONEscaping.appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Counts the event streams open; a slot is given back when the stream's body is released,
/// however it ended (finished, client gone, never started).
final class StreamSlots: Sendable {
    private let open = Mutex(0)
    let limit: Int

    init(limit: Int) { self.limit = limit }

    var count: Int { open.withLock { $0 } }

    func take() -> Slot? {
        let taken = open.withLock { open in
            guard open < limit else { return false }
            open += 1
            return true
        }
        return taken ? Slot(slots: self) : nil
    }

    fileprivate func giveBack() { open.withLock { $0 -= 1 } }

    final class Slot: Sendable {
        private let slots: StreamSlots
        fileprivate init(slots: StreamSlots) { self.slots = slots }
        deinit { slots.giveBack() }
    }
}
