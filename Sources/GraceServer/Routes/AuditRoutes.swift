import GraceCore
import GraceStore
import Hummingbird

/// The hash-chained audit log: newest entries (those naming one resource, when asked), and a walk of
/// the whole chain.
struct AuditRoutes {
    let dependencies: ServerDependencies

    /// An ``AuditEntry`` with its payload parsed back into JSON.
    struct EntryPayload: Encodable {
        let entry: AuditEntry

        enum CodingKeys: String, CodingKey {
            case sequence, timestamp, actor, action, resource, subsystem, payload, result
            case previousHash = "previous_hash", entryHash = "entry_hash", nodeID = "node_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(entry.sequence, forKey: .sequence)
            try container.encode(entry.timestamp, forKey: .timestamp)
            try container.encode(entry.actor, forKey: .actor)
            try container.encode(entry.action, forKey: .action)
            try container.encode(entry.resource, forKey: .resource)
            try container.encode(entry.subsystem, forKey: .subsystem)
            try container.encode(JSONValue(jsonText: entry.payload) ?? .string(entry.payload), forKey: .payload)
            try container.encode(entry.result, forKey: .result)
            try container.encode(entry.previousHash, forKey: .previousHash)
            try container.encode(entry.entryHash, forKey: .entryHash)
            try container.encode(entry.nodeID, forKey: .nodeID)
        }
    }

    struct List: Encodable {
        var entries: [EntryPayload]
    }

    struct Verification: Encodable {
        let verification: AuditVerification

        enum CodingKeys: String, CodingKey {
            case intact, entriesChecked = "entries_checked", firstBadSequence = "first_bad_sequence", reason
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(verification.isIntact, forKey: .intact)
            try container.encode(verification.entriesChecked, forKey: .entriesChecked)
            try container.encode(verification.firstBadSequence, forKey: .firstBadSequence)
            try container.encode(verification.reason, forKey: .reason)
        }
    }

    func register(on api: APIRouter) {
        api.get("/api/audit") { request, _ in
            let query = QueryParameters(request)
            let limit = try query.int("limit", default: 50, range: 1...1000)
            let before = query.values["before"] == nil ? nil : Int64(try query.int("before", default: 0, range: 1...Int.max))
            let mentions = try query.string("mentions")
            return JSONResponse.make(List(entries: try await dependencies.repositories.audit.tail(before: before, limit: limit, mentioning: mentions)
                .map(EntryPayload.init(entry:))))
        }
        api.get("/api/audit/verify") { _, _ in
            JSONResponse.make(Verification(verification: try await dependencies.repositories.audit.verify()))
        }
    }
}
