import GRDB
import GraceCore

/// Approval requests in `grace.db`.
struct SQLiteApprovalRepository: ApprovalRepository {
    let database: SQLiteConnection
    let nodeID: String?

    func create(_ request: ApprovalRequest) async throws -> ApprovalRequest {
        var request = request
        if request.nodeID == nil { request.nodeID = nodeID }
        return try await database.write { [request] db in
            try db.execute(StoreStatements.insertApproval(request))
            return request
        }
    }

    func approval(id: String) async throws -> ApprovalRequest? {
        try await database.read { db in try Self.fetch(db, id: id) }
    }

    private static func fetch(_ db: Database, id: String) throws -> ApprovalRequest? {
        try db.fetchOne(StoreStatements.selectApproval(id, .sqlite)).map(ApprovalRequest.init(row:))
    }

    func approvals(status: ApprovalRequest.Status?, node: String?, limit: Int) async throws -> [ApprovalRequest] {
        try await database.read { db in
            try db.fetchAll(StoreStatements.selectApprovals(status: status, node: node, limit: limit)).map(ApprovalRequest.init(row:))
        }
    }

    func count(status: ApprovalRequest.Status?, node: String?) async throws -> Int {
        try await database.read { db in try db.count(StoreStatements.countApprovals(status: status, node: node)) }
    }

    func decide(id: String, approve: Bool, by: String, claimedBy: String?, reason: String?) async throws -> ApprovalRequest {
        try await database.write { db in
            let request = try StoreRules.deciding(try Self.fetch(db, id: id), id: id, approve: approve, by: by, claimedBy: claimedBy, reason: reason,
                                                  at: Timestamp.now())
            try db.execute(StoreStatements.decideApproval(request))
            return request
        }
    }

    func markExecuted(id: String) async throws -> Bool {
        try await database.write { db in
            try db.execute(StoreStatements.markExecuted(id))
            return db.changesCount == 1
        }
    }

    func finish(_ request: ApprovalRequest) async throws {
        try await database.write { db in try db.execute(StoreStatements.finishApproval(request)) }
    }

    func expire(createdBefore cutoff: String, hours: Int) async throws -> [ApprovalRequest] {
        try await database.write { db in
            let now = Timestamp.now()
            let due = try db.fetchAll(StoreStatements.expirableApprovals(createdBefore: cutoff, .sqlite)).map(ApprovalRequest.init(row:))
            return try due.map { request in
                let expired = StoreRules.expiring(request, hours: hours, at: now)
                try db.execute(StoreStatements.decideApproval(expired))
                return expired
            }
        }
    }

    func claimApproved(node: String) async throws -> ApprovalRequest? {
        // The write transaction holds SQLite's one write lock, so no other claimer sees the row as approved.
        try await database.write { db in
            guard var request = try db.fetchOne(StoreStatements.claimableApproval(node: node, .sqlite)).map(ApprovalRequest.init(row:))
            else { return nil }
            try db.execute(StoreStatements.markExecuted(request.eventID))
            request.status = .executed
            return request
        }
    }
}
