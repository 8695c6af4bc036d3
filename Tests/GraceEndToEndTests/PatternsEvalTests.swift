import Foundation
import Testing

/// `grace patterns eval` and `grace diagnose` on the real corpus, through the built binary.
@Suite struct PatternsEvalTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Corpus/failures").path

    @Test func evalScoresTheHeldOutPartAndMeetsTheBar() throws {
        let grace = try GraceBinary()
        defer { grace.remove() }
        let result = try grace.run(["patterns", "eval", Self.corpus, "--split", "heldout", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let files = try #require(report["files"] as? Int)
        let right = try #require(report["right"] as? Int)
        let patterns = try #require(report["patterns"] as? [[String: Any]])
        #expect(files > 60)
        #expect(Double(right) / Double(files) >= 0.95)
        #expect(patterns.count == 7)
        let text = try grace.run(["patterns", "eval", Self.corpus, "--split", "train"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("precision") && text.stdout.contains("overall: ") && text.stdout.contains("negatives named as a pattern: "))
    }

    @Test func badInputGetsAClearErrorAndPlainPatternsStillLists() throws {
        let grace = try GraceBinary()
        defer { grace.remove() }
        let split = try grace.run(["patterns", "eval", Self.corpus, "--split", "nope"])
        #expect(split.status == 2)
        #expect(split.stderr.contains("invalid --split \"nope\""), "\(split.stderr)")
        let folder = try grace.run(["patterns", "eval", grace.home.path])
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("no corpus manifest at"), "\(folder.stderr)")
        try Data().write(to: grace.home.appendingPathComponent(".env"))  // a home: read-only commands need one
        let plain = try grace.run(["patterns"])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("startup health score"))
    }

    @Test func diagnoseNamesARealLogAndLeavesANearMissAlone() throws {
        let grace = try GraceBinary()
        defer { grace.remove() }
        let real = try grace.run(["diagnose", Self.corpus + "/train/pennyw0rth_netexec-174.log", "--json"])
        #expect(real.status == 1)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(real.stdout.utf8)) as? [String: Any])
        let found = try #require(report["patterns"] as? [[String: Any]])
        #expect(found.compactMap { $0["pattern_id"] as? String } == ["unicode_logging_crash"])
        let nearMiss = try grace.run(["diagnose", Self.corpus + "/train/manatlan_reqman-12.log"])
        #expect(nearMiss.status == 0, "\(nearMiss.stdout)")
        #expect(nearMiss.stdout.contains("no known failure pattern found"))
    }
}
