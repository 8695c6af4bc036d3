import Crypto
import GraceCore

/// The hash chain rules, shared by every backend: how an entry is sealed and how a chain is checked.
public enum AuditChain {
    /// Seals `event` as entry number `sequence` after `previousHash`.
    public static func seal(_ event: AuditEvent, sequence: Int64, previousHash: String, timestamp: String,
                            nodeID: String? = nil) -> AuditEntry {
        var entry = AuditEntry(sequence: sequence, timestamp: timestamp, actor: event.actor, action: event.action,
                               resource: event.resource, subsystem: event.subsystem, payload: event.payload.jsonText,
                               result: event.result, previousHash: previousHash, entryHash: "", nodeID: nodeID)
        entry.entryHash = hash(of: entry)
        return entry
    }

    /// SHA-256 over the previous hash and the entry's canonical bytes, as lowercase hex.
    public static func hash(of entry: AuditEntry) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(entry.previousHash.utf8))
        hasher.update(data: entry.canonicalBytes)
        return hasher.finalize().hexString
    }

    /// Checks entries one at a time, in sequence order, so a chain of any length streams through.
    public struct Verifier: Sendable {
        private var expectedSequence: Int64 = 1
        private var previousHash = AuditEntry.genesisHash
        public private(set) var checked = 0
        public private(set) var failure: (sequence: Int64, reason: String)?

        public init() {}

        /// Feeds the next entry; returns false once the chain is broken (later entries are not checked).
        public mutating func check(_ entry: AuditEntry) -> Bool {
            guard failure == nil else { return false }
            checked += 1
            if entry.sequence != expectedSequence {
                let reason = entry.sequence > expectedSequence
                    ? "entries \(expectedSequence)...\(entry.sequence - 1) are missing"
                    : "sequence \(entry.sequence) is out of order (expected \(expectedSequence))"
                failure = (expectedSequence, reason)
            } else if entry.previousHash != previousHash {
                failure = (entry.sequence, "previous_hash does not match the entry before it (reordered or edited)")
            } else if hash(of: entry) != entry.entryHash {
                failure = (entry.sequence, "entry_hash does not match the entry's contents (edited)")
            }
            previousHash = entry.entryHash
            expectedSequence = entry.sequence + 1
            return failure == nil
        }

        public var result: AuditVerification {
            AuditVerification(entriesChecked: checked, firstBadSequence: failure?.sequence, reason: failure?.reason)
        }
    }
}
