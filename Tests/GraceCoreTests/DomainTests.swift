import Foundation
import GraceCore
import Testing

@Suite struct TimestampTests {
    @Test func formatsWithMicrosecondsInUTC() {
        let date = Date(timeIntervalSince1970: 1_762_713_000.123456)
        #expect(Timestamp.string(from: date) == "2025-11-09T18:30:00.123456Z")
        #expect(Timestamp.compact(from: date) == "20251109_183000")
        #expect(Timestamp.string(from: Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00.000000Z")
    }

    @Test func roundTrips() throws {
        for seconds in stride(from: 0.0, to: 4_000_000_000, by: 123_456_789.25) {
            let text = Timestamp.string(from: Date(timeIntervalSince1970: seconds))
            let parsed = try #require(Timestamp.date(from: text))
            #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.000_002)
        }
        #expect(Timestamp.date(from: "2025-11-09T18:30:00Z") != nil)
        #expect(Timestamp.date(from: "not a time") == nil)
        #expect(Timestamp.date(from: "2025-13-09T18:30:00Z") == nil)
    }

    @Test func parsesToExactNanoseconds() {
        #expect(Timestamp.nanosecondsSinceEpoch(from: "2025-11-09T18:30:00.123456Z") == 1_762_713_000_123_456_000)
        #expect(Timestamp.nanosecondsSinceEpoch(from: "1970-01-01T00:00:00Z") == 0)
        #expect(Timestamp.nanosecondsSinceEpoch(from: "2025-11-09T18:30:00.5+00:00") == 1_762_713_000_500_000_000)
        #expect(Timestamp.nanosecondsSinceEpoch(from: "2025-11-09T18:30:00.1234567891Z") == 1_762_713_000_123_456_789)
        #expect(Timestamp.nanosecondsSinceEpoch(from: "2025-11-09T18:30:00.5e3Z") == nil)
        #expect(Timestamp.nanosecondsSinceEpoch(from: "99999999999999-01-01T00:00:00Z") == nil)
        #expect(Timestamp.nanosecondsSinceEpoch(from: "yesterday") == nil)
        #expect(Timestamp.string(nanosecondsSinceEpoch: 1_762_713_000_123_456_789) == "2025-11-09T18:30:00.123456Z")
        #expect(Timestamp.string(nanosecondsSinceEpoch: 0) == "1970-01-01T00:00:00.000000Z")
        let stored = "2025-11-09T18:30:00.000001Z"
        #expect(Timestamp.nanosecondsSinceEpoch(from: stored).map(Timestamp.string(nanosecondsSinceEpoch:)) == stored)
    }
}

@Suite struct DomainTests {
    @Test func identifiersHaveThePrefixAndTwelveHexDigits() {
        let id = Identifier.request()
        #expect(id.hasPrefix("req_") && id.count == 16)
        #expect(id.dropFirst(4).allSatisfy { $0.isHexDigit })
        #expect(Identifier.run() != Identifier.run())
    }

    @Test func tiersParseEveryWrittenForm() throws {
        #expect(AutonomyTier(text: "tier_3") == .tier3 && AutonomyTier(text: "2") == .tier2 && AutonomyTier(text: "Tier1") == .tier1)
        #expect(AutonomyTier(text: "tier_4") == nil)
        let decoded = try JSONDecoder().decode([AutonomyTier].self, from: Data(#"["tier_0", 3, "1"]"#.utf8))
        #expect(decoded == [.tier0, .tier3, .tier1])
    }

    @Test func stepStatusesOnlyMoveForward() {
        #expect(TimelineStep.Status.pending.canMove(to: .running))
        #expect(TimelineStep.Status.running.canMove(to: .success))
        #expect(!TimelineStep.Status.success.canMove(to: .running))
        #expect(!TimelineStep.Status.failed.canMove(to: .success))
    }

    @Test func canonicalBytesAreUnambiguous() {
        let a = AuditEntry(sequence: 1, timestamp: "t", actor: "a=1", action: "b", resource: "r", subsystem: "s", payload: "{}",
                           result: "ok", previousHash: AuditEntry.genesisHash, entryHash: "")
        var b = a
        b.actor = "a"
        b.action = "1=b"
        #expect(a.canonicalBytes != b.canonicalBytes)
    }

    @Test func jsonValueRoundTripsAndSortsKeys() throws {
        let value: JSONValue = ["b": [1, 2.5, "x"], "a": .null, "c": ["nested": true]]
        #expect(value.jsonText == #"{"a":null,"b":[1,2.5,"x"],"c":{"nested":true}}"#)
        #expect(JSONValue(jsonText: value.jsonText) == value)
        #expect(JSONValue(jsonText: "{oops") == nil)
    }
}
