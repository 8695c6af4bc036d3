import Foundation
import GraceCore
import Testing
@testable import GraceStore

/// `alert_deliveries`: one record per event and sink whoever finds it, one lease holder at a time,
/// retries and the final outcome recorded, on both backends.
@Suite struct AlertDeliveryStoreTests {
    static let t0 = "2026-01-01T00:00:00.000000Z"
    static let t1 = "2026-01-01T00:00:10.000000Z"
    static let t2 = "2026-01-01T00:01:00.000000Z"

    static func event(_ id: String) -> AlertEvent {
        AlertEvent(kind: .bootFailed, id: id, title: "Boot \(id) failed", occurredAt: t0, node: "node-a", details: ["run_id": .string(id)])
    }

    @Test(arguments: Backend.available) func anEventIsRecordedOncePerSinkWhicheverNodeFindsIt(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "node-a")
        let other = try await test.reopen(nodeID: "node-b")
        let sinks = ["https://a.example#00000001", "slack+https://b.example#00000002"]
        #expect(try await test.repositories.alerts.enqueue([Self.event("run_1"), Self.event("run_2")], sinks: sinks, at: Self.t0) == 4)
        #expect(try await other.repositories.alerts.enqueue([Self.event("run_1"), Self.event("run_3")], sinks: sinks, at: Self.t1) == 2)
        let all = try await other.repositories.alerts.deliveries(status: nil, limit: 10)
        #expect(all.count == 6)
        let first = try #require(all.first { $0.eventKey == "boot_failed:run_1" && $0.sink == sinks[0] })
        #expect(first.nodeID == "node-a" && first.createdAt == Self.t0 && first.status == .pending && first.attempts == 0)
        #expect(first.event == Self.event("run_1"))
        #expect(try await test.repositories.alerts.counts() == [
            AlertDeliveryCount(sink: sinks[0], status: .pending, count: 3), AlertDeliveryCount(sink: sinks[1], status: .pending, count: 3),
        ])
        try await other.shutdown()
        try await test.store.shutdown()
    }

    @Test(arguments: Backend.available) func aLeaseGivesEachRecordToOneSenderUntilItEndsOrExpires(backend: Backend) async throws {
        let test = try await TestStore.open(backend, nodeID: "node-a")
        let other = try await test.reopen(nodeID: "node-b")
        let sink = "https://a.example#00000001"
        try await test.repositories.alerts.enqueue((1...6).map { Self.event("run_\($0)") }, sinks: [sink], at: Self.t0)

        // Two nodes claim at once: every record goes to exactly one of them.
        let alertsA = test.repositories.alerts, alertsB = other.repositories.alerts
        async let a = alertsA.claim(sinks: [sink], owner: "a", now: Self.t0, leaseUntil: Self.t1, limit: 4)
        async let b = alertsB.claim(sinks: [sink], owner: "b", now: Self.t0, leaseUntil: Self.t1, limit: 4)
        let (claimedA, claimedB) = try await (a, b)
        let keys = (claimedA + claimedB).map(\.eventKey)
        #expect(keys.count == 6 && Set(keys).count == 6)
        #expect(try await test.repositories.alerts.claim(sinks: [sink], owner: "c", now: Self.t0, leaseUntil: Self.t1, limit: 10).isEmpty)
        #expect(try await test.repositories.alerts.claim(sinks: ["https://other#00000003"], owner: "c", now: Self.t2, leaseUntil: Self.t2,
                                                         limit: 10).isEmpty, "another sink's records are not claimed")

        // A sender that lost its lease cannot record over the new holder's.
        let retried = try #require(claimedA.first)
        #expect(try await test.repositories.alerts.finish(eventKey: retried.eventKey, sink: sink, owner: "a",
                                                          AlertDelivery.Attempt(status: .pending, httpStatus: 500, error: "HTTP 500",
                                                                                at: Self.t0, retryAt: Self.t1)))
        #expect(try await test.repositories.alerts.finish(eventKey: retried.eventKey, sink: sink, owner: "a",
                                                          AlertDelivery.Attempt(status: .delivered, httpStatus: 200, at: Self.t0)) == false)
        // Due again at t1 (its retry) with the others' leases expired then too: all six come back.
        let again = try await other.repositories.alerts.claim(sinks: [sink], owner: "b2", now: Self.t1, leaseUntil: Self.t2, limit: 10)
        #expect(again.count == 6)
        let record = try #require(again.first { $0.eventKey == retried.eventKey })
        #expect(record.attempts == 1 && record.lastHTTPStatus == 500 && record.lastError == "HTTP 500")
        #expect(try await other.repositories.alerts.finish(eventKey: retried.eventKey, sink: sink, owner: "b2",
                                                           AlertDelivery.Attempt(status: .delivered, httpStatus: 200, at: Self.t2)))
        let failed = try #require(again.first { $0.eventKey != retried.eventKey })
        #expect(try await other.repositories.alerts.finish(eventKey: failed.eventKey, sink: sink, owner: "b2",
                                                           AlertDelivery.Attempt(status: .failed, error: "connection refused", at: Self.t2)))

        let delivered = try await test.repositories.alerts.deliveries(status: .delivered, limit: 10)
        #expect(delivered.map(\.eventKey) == [retried.eventKey])
        #expect(delivered.first?.attempts == 2 && delivered.first?.deliveredAt == Self.t2 && delivered.first?.lastHTTPStatus == 200)
        let gaveUp = try await test.repositories.alerts.deliveries(status: .failed, limit: 10)
        #expect(gaveUp.map(\.eventKey) == [failed.eventKey] && gaveUp.first?.lastError == "connection refused")
        // Neither comes back: delivered and failed are final.
        let later = try await test.repositories.alerts.claim(sinks: [sink], owner: "c", now: "2026-01-02T00:00:00.000000Z",
                                                             leaseUntil: "2026-01-02T00:01:00.000000Z", limit: 10)
        #expect(Set(later.map(\.eventKey)) == Set(again.map(\.eventKey)).subtracting([retried.eventKey, failed.eventKey]))
        try await other.shutdown()
        try await test.store.shutdown()
    }
}
