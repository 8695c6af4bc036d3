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
        #expect(split.stderr.contains("invalid --split \"nope\"") && split.stderr.contains("fresh10, all"), "\(split.stderr)")
        #expect(!split.stderr.contains("NSCocoaErrorDomain"), "\(split.stderr)")
        // train checks --split before it starts: a bad argument leaves no home behind.
        let train = try grace.run(["patterns", "train", Self.corpus, "--split", "nope"])
        #expect(train.status == 2 && train.stderr.contains("invalid --split \"nope\""), "\(train.stderr)")
        #expect(!FileManager.default.fileExists(atPath: grace.home.appendingPathComponent("databases").path))
        let folder = try grace.run(["patterns", "eval", grace.home.path])
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("no corpus manifest at"), "\(folder.stderr)")
        try Data().write(to: grace.home.appendingPathComponent(".env"))  // a home: read-only commands need one
        let plain = try grace.run(["patterns"])
        #expect(plain.status == 0)
        #expect(plain.stdout.contains("startup health score"))
    }

    /// `grace patterns train` writes the home's model, which `grace diagnose` then uses to score
    /// each match with the words behind it; a damaged model file is an error naming it.
    @Test func trainWritesTheHomesModelAndDiagnosePrintsScores() throws {
        let grace = try GraceBinary()
        defer { grace.remove() }
        let trained = try grace.run(["patterns", "train", Self.corpus, "--split", "train"])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stdout.contains("trained on \(Self.corpus) (train, "), "\(trained.stdout)")
        let modelPath = grace.home.appendingPathComponent("grace_training/startup_failures/recognition_model.tsv").path
        let model = try String(contentsOfFile: modelPath, encoding: .utf8)
        #expect(model.hasPrefix("grace-recognition-model\t1\n"))
        #expect(model.split(separator: "\n").first { $0.hasPrefix("classes\t") }?.split(separator: "\t").count == 9)
        let diagnosed = try grace.run(["diagnose", Self.corpus + "/heldout/" + "\(try Self.firstPositive(split: "heldout"))"])
        #expect(diagnosed.status == 1)
        #expect(diagnosed.stdout.contains("score:"), "\(diagnosed.stdout)")
        let modelOnly = try grace.run(["patterns", "eval", Self.corpus, "--split", "heldout", "--model", modelPath, "--model-only", "--json"])
        #expect(modelOnly.status == 0, "\(modelOnly.stderr)")
        try Data("{\"version\": 1}\n".utf8).write(to: URL(fileURLWithPath: modelPath))
        let damaged = try grace.run(["diagnose", Self.corpus + "/train/pennyw0rth_netexec-174.log"])
        #expect(damaged.status == 2)
        #expect(damaged.stderr.contains("recognition model \(modelPath) is not a recognition model (it must start with"), "\(damaged.stderr)")
        let both = try grace.run(["patterns", "eval", Self.corpus, "--no-model", "--model-only"])
        #expect(both.status == 2)
    }

    static func firstPositive(split: String) throws -> String {
        let manifest = try String(contentsOfFile: corpus + "/SOURCES.tsv", encoding: .utf8)
        for line in manifest.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            if fields.count > 4 && fields[4] == split && fields[3] == "database_locked" { return String(fields[0].split(separator: "/").last!) }
        }
        throw CocoaError(.fileReadNoSuchFile)
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
