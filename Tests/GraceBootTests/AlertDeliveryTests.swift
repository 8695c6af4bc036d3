import Foundation
import GRDB
import GraceBoot
import GraceCore
import Logging
import ServiceLifecycle
import Testing
@testable import GraceStore

/// Alerts end to end: the six kinds of event recorded in a real store, sent by the dispatcher and the
/// service to a real receiver on loopback that checks each signature and fails one send with a 500.
@Suite(.serialized) struct AlertDeliveryTests {
    static let secret = "test-secret-0123456789"
    static let version = "9.8.7-test"
    /// The dispatcher's log lines are not what these tests check.
    static let quiet = Logger(label: "test.alerts") { _ in SwiftLogNoOpLogHandler() }

    /// SQLite always; PostgreSQL too when `GRACE_TEST_POSTGRES_URL` names a server.
    enum Backend: String, Sendable, CustomTestStringConvertible {
        case sqlite, postgres
        static let postgresURL = ProcessInfo.processInfo.environment["GRACE_TEST_POSTGRES_URL"].flatMap(DatabaseURL.init)
        static var available: [Backend] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
        var testDescription: String { rawValue }
    }

    /// A fresh store of `backend` and a way to open it again (a restart, or a second node).
    struct Store {
        let home: URL
        let database: DatabaseURL?
        let store: any GraceStoreBackend

        static func open(_ backend: Backend) async throws -> Store {
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("grace-alerts-\(UUID().uuidString)")
            let layout = GraceHomeLayout(root: home.path)
            switch backend {
            case .sqlite:
                return Store(home: home, database: nil, store: try SQLiteStore(layout: layout, nodeID: "node-a"))
            case .postgres:
                let server = try #require(Backend.postgresURL)
                var database = server
                database.database = "grace_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
                try await PostgresStore.executeOnce("CREATE DATABASE \(database.database)", at: server)
                return Store(home: home, database: database, store: try await PostgresStore.open(database, nodeID: "node-a", callTimeout: .seconds(60)))
            }
        }

        func reopen(nodeID: String) async throws -> any GraceStoreBackend {
            if let database { return try await PostgresStore.open(database, nodeID: nodeID, callTimeout: .seconds(60)) }
            return try SQLiteStore(layout: GraceHomeLayout(root: home.path), nodeID: nodeID)
        }

        /// Changes the first audit entry behind the store's back, as someone with database access could.
        func tamperWithAudit() async throws {
            let sql = "UPDATE immutable_log SET actor = 'mallory' WHERE sequence = 1"
            if let database {
                try await PostgresStore.executeOnce("DROP TRIGGER immutable_log_append_only ON immutable_log", at: database)
                try await PostgresStore.executeOnce(sql, at: database)
            } else {
                let queue = try DatabaseQueue(path: GraceHomeLayout(root: home.path).graceDatabase)
                try await queue.write { db in try db.execute(sql: "DROP TRIGGER immutable_log_no_update; " + sql) }
                try queue.close()
            }
        }

        func close() async throws {
            try await store.shutdown()
            try? FileManager.default.removeItem(at: home)
        }
    }

    /// One event of each kind, recorded the way Grace records them; returns their keys.
    static func recordSixEvents(in repositories: GraceRepositories, store: Store) async throws -> [AlertEvent.Kind: String] {
        let approval = try await repositories.approvals.create(ApprovalRequest(requestedBy: "grace", reason: "tier_3 fix",
                                                                               playbookID: "pb_restart_db", patternID: "db_down"))
        let boot = try await repositories.runs.create(AgentRun(kind: "boot", trigger: .boot, subsystem: "boot_pipeline"))
        _ = try await repositories.runs.addStep(TimelineStep(runID: boot.runID, stepType: "boot_stage", subsystem: "boot_pipeline",
                                                             description: "database: connection refused", status: .failed))
        _ = try await repositories.runs.complete(runID: boot.runID, status: .failed, at: Timestamp.now())
        let loop = try await repositories.audit.append(AuditEvent(
            actor: "grace", action: "target.crash_loop", resource: "target", subsystem: "target",
            payload: ["detail": "exited 5 times within 60 s", "exits": 5], result: "gave_up"))
        let fix = PlaybookRun(playbookID: "pb_restart_db", patternID: "db_down", status: .failed, decision: "execute",
                              endedAt: Timestamp.now(), details: ["error": "verification failed"])
        try await repositories.playbooks.record(fix)
        let now = Timestamp.now()
        let cluster = MinedClusterRecord(template: "disk <*> failed after <*>", count: 3, firstSeen: now, lastSeen: now, sources: ["boot"],
                                         examples: [.init(line: "disk sda failed after 10 ms", source: "boot")])
        try await repositories.minedClusters.record([cluster])
        try await store.tamperWithAudit()
        return [.approvalWaiting: "approval_waiting:\(approval.eventID)", .bootFailed: "boot_failed:\(boot.runID)",
                .crashLoop: "crash_loop:\(loop.entryHash.prefix(16))", .fixFailed: "fix_failed:\(fix.id)",
                .auditChainBroken: "audit_chain_broken:seq_1", .failureCluster: "failure_cluster:\(cluster.clusterID)"]
    }

    static func settings(_ receiver: AlertReceiver, paths: [String] = ["/hook", "slack+/slack"], maxAttempts: Int = 3) throws -> AlertSettings {
        let sinks = try paths.map { path in
            try #require(path.hasPrefix("slack+") ? AlertSink("slack+" + receiver.url(String(path.dropFirst(6)))) : AlertSink(receiver.url(path)))
        }
        return AlertSettings(sinks: sinks, secret: secret, maxAttempts: maxAttempts, backoffSeconds: 60, backoffMaxSeconds: 240,
                             intervalSeconds: 1, timeoutSeconds: 5)
    }

    @Test(arguments: Backend.available) func eachEventIsDeliveredOnceSignedRetriedAfterA500AndRecorded(backend: Backend) async throws {
        let store = try await Store.open(backend)
        let keys = try await Self.recordSixEvents(in: store.store.repositories, store: store)
        let bootKey = try #require(keys[.bootFailed])
        try await AlertReceiver.with(secret: Self.secret, failFirst: [bootKey]) { receiver in
            let settings = try Self.settings(receiver)
            let generic = settings.sinks[0].id, slack = settings.sinks[1].id
            let dispatcher = try #require(AlertDispatcher(settings: settings, repositories: store.store.repositories, nodeID: "node-a", version: Self.version, logger: Self.quiet))

            let first = try await dispatcher.pass()
            #expect(first.events == 6 && first.recorded == 12 && first.sourceFailures.isEmpty)
            #expect(first.delivered == 11 && first.retrying == 1 && first.failed == 0)
            let retry = try #require(try await store.store.repositories.alerts.deliveries(status: .pending, limit: 10).first)
            #expect(retry.eventKey == bootKey && retry.sink == generic && retry.attempts == 1 && retry.lastHTTPStatus == 500)
            #expect(retry.lastError?.hasPrefix("HTTP 500") == true)

            // Not due before its backoff; due after it.
            let early = try await dispatcher.pass()
            #expect(early.recorded == 0 && early.delivered == 0 && early.retrying == 0)
            // The backoff (60 s) is far beyond how long a pass takes on a busy machine, and the
            // later pass is told the time rather than waiting for it.
            let later = try await dispatcher.pass(now: Date().addingTimeInterval(300))
            #expect(later.recorded == 0 && later.delivered == 1)

            // What the receiver saw: all signed; each event once per sink, the 500 one once more.
            let received = receiver.received
            #expect(received.allSatisfy { $0.signatureValid && $0.userAgent == "grace/\(Self.version)" })
            #expect(received.count == 13)
            for (kind, key) in keys {
                let hooks = received.filter { $0.path == "/hook" && $0.eventKey == key }
                #expect(hooks.map(\.answered) == (kind == .bootFailed ? [500, 200] : [200]), "\(kind)")
                #expect(received.filter { $0.path == "/slack" && $0.eventKey == key }.map(\.answered) == [200], "\(kind)")
                #expect(hooks.last?.kind == kind.rawValue)
                #expect(hooks.last?.json["event_key"] as? String == key && hooks.last?.json["kind"] as? String == kind.rawValue)
            }
            let slackBody = try #require(received.first { $0.path == "/slack" }?.json)
            #expect(slackBody.keys.sorted() == ["text"] && (slackBody["text"] as? String)?.contains("Grace") == true)
            let bootBody = try #require(received.last { $0.eventKey == bootKey && $0.path == "/hook" }?.json)
            #expect((bootBody["details"] as? [String: Any])?["failed_stages"] as? [String] == ["database: connection refused"])

            // Recorded: twelve delivered, the retried one after two attempts.
            let delivered = try await store.store.repositories.alerts.deliveries(status: .delivered, limit: 50)
            #expect(delivered.count == 12)
            #expect(Set(delivered.map(\.eventKey)) == Set(keys.values))
            #expect(delivered.filter { $0.attempts == 2 }.map(\.eventKey) == [bootKey])
            #expect(delivered.allSatisfy { $0.deliveredAt != nil && $0.lastHTTPStatus == 200 && $0.nodeID == "node-a" })
            #expect(try await store.store.repositories.alerts.counts() == [
                AlertDeliveryCount(sink: generic, status: .delivered, count: 6), AlertDeliveryCount(sink: slack, status: .delivered, count: 6),
            ])

            // The service under `grace up`, run twice (a restart, then another node on the same store): nothing is sent again.
            for node in ["node-a", "node-b"] {
                let reopened = try await store.reopen(nodeID: node)
                let service = AlertService(dispatcher: try #require(AlertDispatcher(settings: settings, repositories: reopened.repositories,
                                                                                    nodeID: node, version: Self.version, logger: Self.quiet)),
                                           interval: .milliseconds(200))
                let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: Logger(label: "test.alerts")))
                let task = Task { try await group.run() }
                try await Task.sleep(for: .milliseconds(1200))
                await group.triggerGracefulShutdown()
                try await task.value
                try await reopened.shutdown()
            }
            #expect(receiver.received.count == 13)
        }
        try await store.close()
    }

    @Test(arguments: Backend.available) func retentionNeverLetsAnAlertGoOutTwice(backend: Backend) async throws {
        let store = try await Store.open(backend)
        let keys = try await Self.recordSixEvents(in: store.store.repositories, store: store)
        try await AlertReceiver.with(secret: Self.secret, failFirst: []) { receiver in
            let settings = try Self.settings(receiver)
            let repositories = store.store.repositories
            let dispatcher = try #require(AlertDispatcher(settings: settings, repositories: repositories, nodeID: "node-a", version: Self.version, logger: Self.quiet))
            #expect(try await dispatcher.pass().delivered == 12)
            // Retention far shorter than the alerts' lookback (24 h): every record is past the
            // retention cutoff, yet none goes while its event can still be found.
            let pruner = RetentionPruner(settings: RetentionSettings(days: 0.0001), layout: GraceHomeLayout(root: store.home.path),
                                         repositories: repositories, alertLookbackHours: settings.lookbackHours, logger: Self.quiet)
            let soon = Date().addingTimeInterval(3_600)
            let early = try await pruner.run(dryRun: false, now: soon)
            #expect(early.entries.first { $0.kind == .alertDeliveries }?.count == 0)
            #expect(try await dispatcher.pass(now: soon).recorded == 0)

            // Past the lookback: the records of events no pass looks for any more go, for every sink;
            // the pending approval's and the broken chain's stay, as those are alerted whatever their age.
            let later = Date().addingTimeInterval(25 * 3_600)
            let report = try await pruner.run(dryRun: false, now: later)
            #expect(report.entries.first { $0.kind == .alertDeliveries }?.count == 8)
            let kept = try await repositories.alerts.deliveries(status: nil, limit: 50)
            #expect(Set(kept.map(\.eventKey)) == [keys[.approvalWaiting]!, keys[.auditChainBroken]!] && kept.count == 4)
            let after = try await dispatcher.pass(now: later)
            #expect(after.events == 2 && after.recorded == 0 && after.delivered == 0)
            #expect(receiver.received.count == 12, "nothing was sent twice")
        }
        try await store.close()
    }

    @Test func aSinkThatKeepsFailingIsGivenUpAfterMaxAttemptsWithItsError() async throws {
        let store = try await Store.open(.sqlite)
        let approval = try await store.store.repositories.approvals.create(ApprovalRequest(requestedBy: "grace", reason: "tier_3"))
        try await AlertReceiver.with(secret: Self.secret) { receiver in
            // A 503 from one sink, and no answer at all from a port nobody listens on.
            var settings = try Self.settings(receiver, paths: ["/down"], maxAttempts: 2)
            settings.sinks.append(try #require(AlertSink("http://127.0.0.1:1/nobody")))
            let dispatcher = try #require(AlertDispatcher(settings: settings, repositories: store.store.repositories, nodeID: "node-a", version: Self.version, logger: Self.quiet))
            let first = try await dispatcher.pass(verifyAudit: false)
            #expect(first.retrying == 2 && first.failed == 0)
            let second = try await dispatcher.pass(now: Date().addingTimeInterval(300), verifyAudit: false)
            #expect(second.retrying == 0 && second.failed == 2)
            #expect(try await dispatcher.pass(now: Date().addingTimeInterval(3_600), verifyAudit: false).failed == 0, "failed is final")

            let failed = try await store.store.repositories.alerts.deliveries(status: .failed, limit: 10)
            #expect(failed.count == 2 && failed.allSatisfy { $0.attempts == 2 && $0.eventKey == "approval_waiting:\(approval.eventID)" })
            let down = try #require(failed.first { $0.sink == settings.sinks[0].id })
            #expect(down.lastHTTPStatus == 503 && down.lastError?.hasPrefix("HTTP 503") == true)
            let nobody = try #require(failed.first { $0.sink == settings.sinks[1].id })
            #expect(nobody.lastHTTPStatus == nil && nobody.lastError?.isEmpty == false)
            #expect(receiver.received.filter { $0.path == "/down" }.count == 2)
        }
        try await store.close()
    }
}
