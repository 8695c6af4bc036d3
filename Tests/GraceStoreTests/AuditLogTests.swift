import Foundation
import GraceCore
import Testing
import Logging
@testable import GraceStore

@Suite struct AuditLogTests {
    private func seed(_ audit: any AuditLog, count: Int) async throws {
        for index in 1...count {
            try await audit.append(AuditEvent(actor: "tester", action: "step_\(index)", resource: "res/\(index)",
                                              subsystem: "test", payload: ["index": .number(Double(index)), "text": "é ✓ 🚀"],
                                              result: "ok"))
        }
    }

    @Test(arguments: Backend.available) func chainVerifiesAndTailIsNewestFirst(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let store = test.store
        try await seed(store.repositories.audit, count: 20)
        let verification = try await store.repositories.audit.verify()
        #expect(verification == AuditVerification(entriesChecked: 20))
        let tail = try await store.repositories.audit.tail(limit: 3)
        #expect(tail.map(\.sequence) == [20, 19, 18])
        #expect(tail[1].entryHash == tail[0].previousHash)
    }

    /// A run's entries are found however many newer entries follow them; the text is matched as
    /// written (LIKE's wildcards in it are literal), anywhere in the resource or the payload.
    @Test(arguments: Backend.available) func entriesMentioningAnIDAreFoundAtAnyAge(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let audit = test.repositories.audit
        try await audit.append(AuditEvent(actor: "grace", action: "boot.completed", resource: "run_ABC123", subsystem: "boot",
                                          payload: ["status": "success"], result: "ok"))
        try await audit.append(AuditEvent(actor: "operator", action: "approval.approve", resource: "apr_1", subsystem: "healing",
                                          payload: ["run_id": "run_abc123", "note": "100%_done"], result: "ok"))
        try await seed(audit, count: 30)
        let mine = try await audit.tail(before: nil, limit: 10, mentioning: "run_abc123")
        #expect(mine.map(\.sequence) == [2, 1])
        #expect(try await audit.tail(before: 2, limit: 10, mentioning: "RUN_ABC123").map(\.sequence) == [1])
        #expect(try await audit.tail(before: nil, limit: 10, mentioning: "%_done").map(\.sequence) == [2])
        #expect(try await audit.tail(before: nil, limit: 10, mentioning: "run_%").isEmpty)
        #expect(try await audit.tail(before: nil, limit: 10, mentioning: "res/3").map(\.sequence) == [32, 5])  // res/30 and res/3
        #expect(try await audit.tail(before: 32, limit: 10, mentioning: "res/3").map(\.sequence) == [5])
    }

    @Test(arguments: Backend.available) func updatesAndDeletesAreRefusedByTheDatabase(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        try await seed(test.repositories.audit, count: 2)
        await #expect(throws: (any Error).self) { try await test.executeRaw("UPDATE immutable_log SET actor = 'mallory' WHERE sequence = 1") }
        await #expect(throws: (any Error).self) { try await test.executeRaw("DELETE FROM immutable_log WHERE sequence = 2") }
        #expect(try await test.repositories.audit.verify() == AuditVerification(entriesChecked: 2))
    }

    /// Tampering needs the append-only guard gone first: exactly what an attacker with database access would do.
    private func tamper(_ test: TestStore, _ sql: String) async throws {
        switch test.backend {
        case .sqlite:
            try await test.executeRaw("DROP TRIGGER immutable_log_no_update; DROP TRIGGER immutable_log_no_delete; " + sql)
        case .postgres:
            try await test.executeRaw("DROP TRIGGER immutable_log_append_only ON immutable_log")
            try await test.executeRaw(sql)
        }
    }

    static let tampering: [(String, Int64)] = [
        ("UPDATE immutable_log SET payload = '{\"index\":99}' WHERE sequence = 7", 7),
        ("UPDATE immutable_log SET actor = 'mallory' WHERE sequence = 3", 3),
        ("DELETE FROM immutable_log WHERE sequence = 5", 5),
        // Swap the contents of 4 and 6 but keep their sequence numbers: a reordering.
        ("""
         UPDATE immutable_log SET action = CASE sequence WHEN 4 THEN 'step_6' ELSE 'step_4' END,
             resource = CASE sequence WHEN 4 THEN 'res/6' ELSE 'res/4' END WHERE sequence IN (4, 6)
         """, 4),
        ("UPDATE immutable_log SET node_id = 'elsewhere' WHERE sequence = 8", 8),
    ]

    @Test(arguments: Backend.available, AuditLogTests.tampering.indices)
    func tamperingIsFoundAtTheRightSequence(backend: Backend, index: Int) async throws {
        let (sql, expected) = Self.tampering[index]
        let test = try await TestStore.open(backend, nodeID: "node-a")
        try await seed(test.repositories.audit, count: 10)
        try await tamper(test, sql)
        let verification = try await test.repositories.audit.verify()
        #expect(verification.firstBadSequence == expected)
        #expect(verification.reason != nil)
    }

    @Test(arguments: Backend.available) func concurrentAppendersKeepOneChain(backend: Backend) async throws {
        let test = try await TestStore.open(backend)
        let store = test.store
        let other = try await test.reopen()  // a second connection pool, as a second process or node would have
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                let audit = writer.isMultiple(of: 2) ? store.repositories.audit : other.repositories.audit
                group.addTask { try await seed(audit, count: 25) }
            }
            try await group.waitForAll()
        }
        let verification = try await store.repositories.audit.verify()
        #expect(verification == AuditVerification(entriesChecked: 200))
    }
}

@Suite struct AuditFailureTests {
    @Test func aFailedAppendIsCountedAndNamedNeverSilent() async throws {
        let home = try TemporaryHome()
        let store = try SQLiteStore(layout: home.layout)
        let repositories = store.repositories
        _ = try await repositories.audit.append(AuditEvent(actor: "grace", action: "test.kept", resource: "r", subsystem: "s", result: "ok"))
        #expect(repositories.auditFailures.summary.count == 0)
        try store.close()
        // The store is gone: the entry cannot be appended; the caller goes on, and the loss is counted.
        await repositories.audit(AuditEvent(actor: "grace", action: "test.lost", resource: "r", subsystem: "s", result: "ok"),
                                 logger: Logger(label: "test"))
        let summary = repositories.auditFailures.summary
        #expect(summary.count == 1)
        #expect(summary.last?.hasPrefix("test.lost: ") == true, "\(summary.last ?? "")")
    }
}
