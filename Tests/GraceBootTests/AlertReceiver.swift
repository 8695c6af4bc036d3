import Foundation
import GraceCore
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A real webhook receiver on a loopback port the system picks: checks each request's signature,
/// answers 500 to the first request for the event keys in `failFirst` and 503 to every request to
/// `/down`, 200 otherwise, and keeps what it received.
final class AlertReceiver: Sendable {
    struct Received: Sendable {
        var path: String
        var eventKey: String
        var kind: String
        var body: Data
        var signatureValid: Bool
        var userAgent: String
        var answered: Int

        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
    }

    /// What arrived, in order.
    final class Log: Sendable {
        let items = Mutex<[Received]>([])
    }

    let port: Int
    private let state: Log
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    var received: [Received] { state.items.withLock { $0 } }

    private init(port: Int, state: Log, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.state = state
        self.group = group
        self.task = task
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    static func with(secret: String, failFirst: Set<String> = [], _ body: (AlertReceiver) async throws -> Void) async throws {
        let log = Log()
        let router = Router()
        for path in ["/hook", "/slack", "/down"] {
            router.post(RouterPath(path)) { request, _ -> Response in
                let bytes = try await request.body.collect(upTo: 1 << 20)
                let data = Data(bytes.readableBytesView)
                let timestamp = request.headers[HTTPField.Name("X-Grace-Timestamp")!] ?? ""
                let signature = request.headers[HTTPField.Name("X-Grace-Signature")!] ?? ""
                let key = request.headers[HTTPField.Name("X-Grace-Event-Key")!] ?? ""
                let kind = request.headers[HTTPField.Name("X-Grace-Event")!] ?? ""
                let userAgent = request.headers[.userAgent] ?? ""
                let valid = AlertSignature.verify(signature: signature, body: data, timestamp: timestamp, secret: secret)
                let status: HTTPResponse.Status = log.items.withLock { log in
                    let answer: HTTPResponse.Status
                    if !valid { answer = .unauthorized }
                    else if path == "/down" { answer = .serviceUnavailable }
                    else if path == "/hook" && failFirst.contains(key) && !log.contains(where: { $0.eventKey == key && $0.path == path }) {
                        answer = .internalServerError
                    } else { answer = .ok }
                    log.append(Received(path: path, eventKey: key, kind: kind, body: data, signatureValid: valid, userAgent: userAgent,
                                        answered: Int(answer.code)))
                    return answer
                }
                return Response(status: status)
            }
        }
        let (listening, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                                      onServerRunning: { channel in
                                          continuation.yield(channel.localAddress?.port ?? 0)
                                          continuation.finish()
                                      }, logger: Logger(label: "test.receiver"))
        let group = ServiceGroup(configuration: .init(services: [.init(service: application)], logger: Logger(label: "test.receiver")))
        let task = Task {
            defer { continuation.finish() }
            try await group.run()
        }
        var iterator = listening.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            try await task.value
            throw ReceiverError()
        }
        let receiver = AlertReceiver(port: port, state: log, group: group, task: task)
        do {
            try await body(receiver)
        } catch {
            await receiver.stop()
            throw error
        }
        await receiver.stop()
    }

    private func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    struct ReceiverError: Error {}
}
