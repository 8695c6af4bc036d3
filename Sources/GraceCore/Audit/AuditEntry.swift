/// What is appended to the immutable log (before it has a sequence number and hashes).
public struct AuditEvent: Sendable, Equatable {
    public var actor: String
    public var action: String
    public var resource: String
    public var subsystem: String
    public var payload: JSONValue
    public var result: String

    public init(actor: String, action: String, resource: String, subsystem: String, payload: JSONValue = .object([:]), result: String) {
        self.actor = actor
        self.action = action
        self.resource = resource
        self.subsystem = subsystem
        self.payload = payload
        self.result = result
    }
}

/// One stored entry of the hash-chained immutable log.
public struct AuditEntry: Sendable, Equatable, Codable {
    public var sequence: Int64
    public var timestamp: String
    public var actor: String
    public var action: String
    public var resource: String
    public var subsystem: String
    /// The payload as stored: canonical JSON text.
    public var payload: String
    public var result: String
    public var previousHash: String
    public var entryHash: String
    /// The Grace node that appended it; part of the hash when set (entries from before nodes were
    /// stored have none and hash exactly as they always did).
    public var nodeID: String?

    public init(sequence: Int64, timestamp: String, actor: String, action: String, resource: String, subsystem: String,
                payload: String, result: String, previousHash: String, entryHash: String, nodeID: String? = nil) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.actor = actor
        self.action = action
        self.resource = resource
        self.subsystem = subsystem
        self.payload = payload
        self.result = result
        self.previousHash = previousHash
        self.entryHash = entryHash
        self.nodeID = nodeID
    }

    /// The hash the first entry chains from.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// The bytes the entry hash covers: every field but the hash itself, each length-prefixed
    /// so no two different entries share a byte string (no separator can be forged in a value).
    public var canonicalBytes: [UInt8] {
        var bytes: [UInt8] = []
        func field(_ name: String, _ value: String) {
            bytes += Array(name.utf8)
            bytes += Array("=\(value.utf8.count):".utf8)
            bytes += Array(value.utf8)
            bytes.append(0x0A)
        }
        field("sequence", String(sequence))
        field("timestamp", timestamp)
        field("actor", actor)
        field("action", action)
        field("resource", resource)
        field("subsystem", subsystem)
        field("payload", payload)
        field("result", result)
        field("previous_hash", previousHash)
        if let nodeID { field("node_id", nodeID) }
        return bytes
    }

    enum CodingKeys: String, CodingKey {
        case sequence, timestamp, actor, action, resource, subsystem, payload, result
        case previousHash = "previous_hash", entryHash = "entry_hash", nodeID = "node_id"
    }
}

/// The outcome of walking the chain.
public struct AuditVerification: Sendable, Equatable, Codable {
    public var entriesChecked: Int
    /// The first sequence whose entry does not verify, nil when the chain is intact.
    public var firstBadSequence: Int64?
    public var reason: String?
    public var isIntact: Bool { firstBadSequence == nil }

    public init(entriesChecked: Int, firstBadSequence: Int64? = nil, reason: String? = nil) {
        self.entriesChecked = entriesChecked
        self.firstBadSequence = firstBadSequence
        self.reason = reason
    }

    enum CodingKeys: String, CodingKey {
        case entriesChecked = "entries_checked", firstBadSequence = "first_bad_sequence", reason
    }
}
