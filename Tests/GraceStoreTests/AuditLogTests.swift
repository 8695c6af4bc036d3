import Foundation
import GRDB
import GraceCore
import Testing
@testable import GraceStore

@Suite struct AuditLogTests {
    private func seed(_ audit: any AuditLog, count: Int) async throws {
        for index in 1...count {
            try await audit.append(AuditEvent(actor: "tester", action: "step_\(index)", resource: "res/\(index)",
                                              subsystem: "test", payload: ["index": .number(Double(index)), "text": "é ✓ 🚀"],
                                              result: "ok"))
        }
    }

    @Test func chainVerifiesAndTailIsNewestFirst() async throws {
        let home = try TemporaryHome()
        let store = try SQLiteStore(layout: home.layout)
        try await seed(store.repositories.audit, count: 20)
        let verification = try await store.repositories.audit.verify()
        #expect(verification == AuditVerification(entriesChecked: 20))
        let tail = try await store.repositories.audit.tail(limit: 3)
        #expect(tail.map(\.sequence) == [20, 19, 18])
        #expect(tail[1].entryHash == tail[0].previousHash)
    }

    @Test func updatesAndDeletesAreRefusedByTheDatabase() async throws {
        let home = try TemporaryHome()
        let store = try SQLiteStore(layout: home.layout)
        try await seed(store.repositories.audit, count: 2)
        let queue = try DatabaseQueue(path: home.layout.graceDatabase)
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "UPDATE immutable_log SET actor = 'mallory' WHERE sequence = 1") }
        }
        #expect(throws: DatabaseError.self) {
            try queue.write { db in try db.execute(sql: "DELETE FROM immutable_log WHERE sequence = 2") }
        }
        #expect(try await store.repositories.audit.verify().isIntact)
    }

    /// Tampering needs the triggers gone first: exactly what an attacker with file access would do.
    private func tamper(_ home: TemporaryHome, _ sql: String) throws {
        let queue = try DatabaseQueue(path: home.layout.graceDatabase)
        try queue.write { db in
            try db.execute(sql: "DROP TRIGGER immutable_log_no_update; DROP TRIGGER immutable_log_no_delete")
            try db.execute(sql: sql)
        }
        try queue.close()
    }

    @Test(arguments: [
        ("UPDATE immutable_log SET payload = '{\"index\":99}' WHERE sequence = 7", Int64(7)),
        ("UPDATE immutable_log SET actor = 'mallory' WHERE sequence = 3", Int64(3)),
        ("DELETE FROM immutable_log WHERE sequence = 5", Int64(5)),
        // Swap the contents of 4 and 6 but keep their sequence numbers: a reordering.
        ("""
         UPDATE immutable_log SET action = CASE sequence WHEN 4 THEN 'step_6' ELSE 'step_4' END,
             resource = CASE sequence WHEN 4 THEN 'res/6' ELSE 'res/4' END WHERE sequence IN (4, 6)
         """, Int64(4)),
    ])
    func tamperingIsFoundAtTheRightSequence(sql: String, expected: Int64) async throws {
        let home = try TemporaryHome()
        let store = try SQLiteStore(layout: home.layout)
        try await seed(store.repositories.audit, count: 10)
        try tamper(home, sql)
        let verification = try await store.repositories.audit.verify()
        #expect(verification.firstBadSequence == expected)
        #expect(verification.reason != nil)
    }

    @Test func concurrentAppendersKeepOneChain() async throws {
        let home = try TemporaryHome()
        let store = try SQLiteStore(layout: home.layout)
        let other = try SQLiteStore(layout: home.layout)  // a second connection pool, as a second process would have
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
