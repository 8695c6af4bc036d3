import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceStore

struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Test the alert webhooks (GRACE_ALERT_WEBHOOKS) or list what was sent.",
        subcommands: [Test.self, List.self])

    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "test",
            abstract: "Send a signed test alert to each webhook once and print how each answered.",
            discussion: "Exit 1 when any webhook did not answer 2xx, 2 when no webhook is configured. Nothing is stored.")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let settings = try options.loadSettings().settings
            guard settings.alerts.isEnabled, let secret = settings.alerts.secret else {
                printError("no alert webhooks: set GRACE_ALERT_WEBHOOKS (and GRACE_ALERT_SECRET); see docs/alerts.md")
                throw GraceExit.configuration
            }
            let sender = AlertSender(secret: secret, timeoutSeconds: settings.alerts.timeoutSeconds, version: Grace.version)
            let now = Date()
            let event = AlertEvent(kind: .test, id: Identifier.make(prefix: "tst"), title: "Test alert from grace alerts test",
                                   occurredAt: Timestamp.string(from: now), node: settings.nodeID)
            var failures = 0
            for sink in settings.alerts.sinks {
                let outcome = await sender.send(event, to: sink, now: now)
                let status = outcome.httpStatus.map { "HTTP \($0)" } ?? "no answer"
                if outcome.delivered {
                    say("ok      \(sink.id)  \(status)")
                } else {
                    failures += 1
                    say("failed  \(sink.id)  \(outcome.error ?? status)")
                }
            }
            if failures > 0 { throw GraceExit.failure }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List alert deliveries from the store, most recently changed first.")
        @OptionGroup var options: GlobalOptions
        @Option(help: "pending, delivered, failed or all.") var status = "all"
        @Option(help: "At most this many.") var limit = 100
        @Flag(help: "One JSON object per line.") var json = false

        func validate() throws {
            guard status == "all" || AlertDelivery.Status(rawValue: status) != nil else {
                throw ValidationError("--status must be pending, delivered, failed or all, got \"\(status)\"")
            }
            guard limit > 0 else { throw ValidationError("--limit must be at least 1, got \(limit)") }
        }

        func run() async throws {
            let runtime = try Runtime.start(options, label: "grace.alerts", console: false, home: .existing)
            let store = try await runtime.openStore()
            let deliveries = try await store.repositories.alerts.deliveries(status: AlertDelivery.Status(rawValue: status), limit: limit)
            try await store.shutdown()
            if json {
                for delivery in deliveries { print(String(decoding: try JSONEncoder.graceCompact.encode(delivery), as: UTF8.self)) }
                return
            }
            if deliveries.isEmpty { print("no \(status == "all" ? "" : status + " ")alert deliveries") }
            for delivery in deliveries {
                let http = delivery.lastHTTPStatus.map { "HTTP \($0)" } ?? "-"
                print("\(delivery.status.rawValue)  \(delivery.eventKey)  \(delivery.sink)  attempts \(delivery.attempts)  \(http)  \(delivery.updatedAt)")
                print("    \(delivery.event.title)")
                if let error = delivery.lastError, delivery.status != .delivered { print("    last error: \(error)") }
            }
        }
    }
}
