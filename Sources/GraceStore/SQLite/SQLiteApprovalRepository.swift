import GRDB
import GraceCore

/// Approval requests in `grace.db`.
struct SQLiteApprovalRepository: ApprovalRepository {
    let database: SQLiteConnection

    func create(_ request: ApprovalRequest) async throws -> ApprovalRequest {
        try await database.write { db in
            try db.execute(sql: """
                INSERT INTO approval_requests (event_id, status, requested_by, reason, playbook_id, pattern_id, run_id,
                    decision_by, decision_reason, created_at, decided_at, details)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [request.eventID, request.status.rawValue, request.requestedBy, request.reason, request.playbookID,
                                 request.patternID, request.runID, request.decisionBy, request.decisionReason, request.createdAt,
                                 request.decidedAt, request.details?.jsonText])
            return request
        }
    }

    func approval(id: String) async throws -> ApprovalRequest? {
        try await database.read { db in try Self.fetch(db, id: id) }
    }

    private static func fetch(_ db: Database, id: String) throws -> ApprovalRequest? {
        try Row.fetchOne(db, sql: "SELECT * FROM approval_requests WHERE event_id = ?", arguments: [id]).map(ApprovalRequest.init(row:))
    }

    func approvals(status: ApprovalRequest.Status?, limit: Int) async throws -> [ApprovalRequest] {
        try await database.read { db in
            if let status {
                return try Row.fetchAll(db, sql: "SELECT * FROM approval_requests WHERE status = ? ORDER BY created_at DESC LIMIT ?",
                                        arguments: [status.rawValue, limit]).map(ApprovalRequest.init(row:))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM approval_requests ORDER BY created_at DESC LIMIT ?", arguments: [limit])
                .map(ApprovalRequest.init(row:))
        }
    }

    func decide(id: String, approve: Bool, by: String, reason: String?) async throws -> ApprovalRequest {
        try await database.write { db in
            guard var request = try Self.fetch(db, id: id) else { throw StoreError.notFound(kind: "approval", id: id) }
            guard request.status == .pending else {
                throw StoreError.conflict("approval \(id) was already decided (status \(request.status.rawValue))")
            }
            request.status = approve ? .approved : .rejected
            request.decisionBy = by
            request.decisionReason = reason
            request.decidedAt = Timestamp.now()
            try db.execute(sql: """
                UPDATE approval_requests SET status = ?, decision_by = ?, decision_reason = ?, decided_at = ?
                WHERE event_id = ? AND status = 'pending'
                """, arguments: [request.status.rawValue, by, reason, request.decidedAt, id])
            return request
        }
    }

    func markExecuted(id: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(sql: "UPDATE approval_requests SET status = 'executed' WHERE event_id = ? AND status = 'approved'",
                           arguments: [id])
            return db.changesCount == 1
        }
    }
}
