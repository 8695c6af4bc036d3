import Foundation
import GraceBoot
import GraceCore
import Testing

/// A learned incident in the original system's form (as its boot learning wrote it into
/// `grace_training/startup_failures/_metadata.json`) matches by the original's normalised hash.
@Suite struct LearnedIncidentTests {
    /// Written as the original wrote it: `signature` = sha256 of the message with dates, numbers and
    /// hex runs normalised, first 16 hex digits (computed with the original's Python), `pattern` the
    /// message's first 200 characters, `id` the stage and signature.
    static let original = #"""
    {"training_set": "startup_failures", "version": "1.0.0",
     "incidents": [
      {"id": "3._service_start_9e0a4849a9b37a87", "signature": "9e0a4849a9b37a87",
       "pattern": "Worker 48213 exited with code 137 on 2025-11-09 while loading deadbeefcafe shard 3",
       "stage": "3. Service Start", "root_cause": "Auto-detected from error pattern",
       "symptoms": ["Worker 48213 exited with code 137 on 2025-11-09 while loading deadbeefcafe shard 3", "Occurs during 3. Service Start"],
       "fix": {"playbook": "generic_fix_9e0a4849a9b37a87", "steps": ["Manual investigation required"], "risk_level": "high", "autonomy_tier": "tier_4"},
       "verification": "Manual verification required", "first_seen": "2025-11-09T18:53:38.112233", "last_seen": "2025-11-09T19:01:02.445566",
       "occurrences": 2, "auto_generated": true, "context": {"duration_ms": 812}}
     ]}
    """#

    @Test func theSignatureIsTheOriginalsHash() {
        let message = "Worker 48213 exited with code 137 on 2025-11-09 while loading deadbeefcafe shard 3"
        #expect(OriginalSignature.normalise(message) == "Worker NUM exited with code NUM on DATE while loading HASH shard NUM")
        #expect(OriginalSignature.hash(message) == "9e0a4849a9b37a87")
        #expect(OriginalSignature.hash("Worker 977 exited with code 1 on 2026-01-30 while loading facadebeef shard 12") == "9e0a4849a9b37a87")
        #expect(OriginalSignature.hash("Worker 977 exited with code 1 on 2026-01-30 while loading cafe shard 12") == "cbc2a7fbe1f0acaa")
    }

    @Test func aLearnedIncidentMatchesItsMessageWithDifferentNumbers() throws {
        let knowledge = try KnowledgeBaseParser.parse(Data(Self.original.utf8), file: "_metadata.json")
        let incident = try #require(knowledge.pattern("3._service_start_9e0a4849a9b37a87"))
        #expect(incident.occurrences == 2)
        #expect(incident.autonomyTier == .tier0 && incident.riskLevel == .high)  // the original's tier_4: needs approval
        let matcher = try SignatureMatcher(patterns: knowledge.patterns)
        let other = "2026-01-30T10:00:00Z ERROR Worker 977 exited with code 1 on 2026-01-30 while loading facadebeef shard 12"
        #expect(matcher.matches(in: other).map(\.patternID) == ["3._service_start_9e0a4849a9b37a87"])
        // Different constant text (a short hex word is not a hex run) is a different signature, and no match.
        #expect(matcher.matches(in: "Worker 977 exited with code 1 on 2026-01-30 while loading cafe shard 12").isEmpty)
        #expect(matcher.matches(in: "Worker 977 exited with code 1").isEmpty)
    }

    @Test func aHashWithoutItsMessageIsRejectedByName() {
        let json = #"{"incidents": [{"id": "learned_x", "signature": "9e0a4849a9b37a87", "fix": {"playbook": "p"}}]}"#
        #expect {
            try KnowledgeBaseParser.parse(Data(json.utf8), file: "_metadata.json")
        } throws: { error in
            "\(error)".contains("learned_x") && "\(error)".contains("pattern")
        }
    }
}
