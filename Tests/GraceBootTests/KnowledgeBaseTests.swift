import Foundation
import GraceCore
import Testing
@testable import GraceBoot

@Suite struct SignatureTests {
    let matcher: SignatureMatcher

    init() throws {
        matcher = try SignatureMatcher(patterns: try BuiltInKnowledgeBase.load().patterns)
    }

    @Test func theBuiltInKnowledgeBaseHasTheSevenPatterns() throws {
        let ids = try BuiltInKnowledgeBase.load().patterns.map(\.id)
        #expect(ids == ["unicode_logging_crash", "verification_events_schema_mismatch", "playbook_missing_risk_fields",
                        "circular_import_avn_models", "database_locked", "trigger_mesh_unawaited", "missing_env_secrets"])
    }

    @Test(arguments: SignatureCorpus.positives.indices)
    func eachPatternIsFoundInRealisticLogs(index: Int) {
        let (pattern, log) = SignatureCorpus.positives[index]
        let found = Set(matcher.matches(in: log).map(\.patternID))
        #expect(found == [pattern], "log \(index) should match only \(pattern), found \(found)")
    }

    @Test(arguments: SignatureCorpus.negatives.indices)
    func nearMissesMatchNothing(index: Int) {
        let matches = matcher.matches(in: SignatureCorpus.negatives[index])
        #expect(matches.isEmpty, "negative \(index) matched \(matches.map(\.patternID))")
    }

    @Test func capturesNameTheVariableTableAndColumn() {
        let secret = matcher.matches(in: "Error: Missing required environment variable: GITHUB_TOKEN").first
        #expect(secret?.captures["variable"] == "GITHUB_TOKEN")
        let column = matcher.matches(in: "sqlite3.OperationalError: table verification_events has no column named passed").first
        #expect(column?.captures["table"] == "verification_events" && column?.captures["column"] == "passed")
        let keyError = matcher.matches(in: "KeyError: 'OPENAI_API_KEY'").first
        #expect(keyError?.captures["variable"] == "OPENAI_API_KEY" && keyError?.lineNumber == 1)
    }

    @Test func lineNumbersCountFromTheStartAcrossChunks() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grace-diag-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var text = ""
        for index in 1...5000 { text += "2025-11-09 INFO request \(index) served in 3 ms\n" }
        text += "sqlite3.OperationalError: database is locked\n"
        for index in 1...5000 { text += "2025-11-09 INFO request \(index) ok ünïcödé ✓\n" }
        text += "KeyError: 'SLACK_BOT_TOKEN'"  // no final newline
        let path = directory.appendingPathComponent("app.log").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let result = try LogDiagnoser(matcher: matcher, chunkSize: 4096).diagnose(path: path)
        #expect(result.lines == 10_002)
        #expect(result.hits.map(\.patternID) == ["database_locked", "missing_env_secrets"])
        #expect(result.hits[0].evidence.first?.lineNumber == 5001)
        #expect(result.hits[1].evidence.first?.lineNumber == 10_002)
    }

    /// A log large enough to be matched on several cores gives what one core gives: counts,
    /// evidence, line numbers and scores.
    @Test func severalCoresAgreeWithOne() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("grace-diag-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let failures = ["sqlite3.OperationalError: database is locked", "KeyError: 'OPENAI_API_KEY'",
                        "RuntimeWarning: coroutine 'TriggerMesh.publish' was never awaited"]
        var text = ""
        var index = 0
        while text.utf8.count < 9 << 20 {  // two 8 MiB chunks, each cut in slices
            text += index % 9_973 == 0 ? failures[(index / 9_973) % failures.count] + "\n" : "2025-11-09 INFO request \(index) served in 3 ms\n"
            index += 1
        }
        let path = directory.appendingPathComponent("app.log").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let rated = try SignatureMatcher(patterns: try BuiltInKnowledgeBase.load().patterns, model: try BuiltInRecognitionModel.load())
        let one = try LogDiagnoser(matcher: rated, parallelism: 1).diagnose(path: path)
        let two = try LogDiagnoser(matcher: rated, parallelism: 2).diagnose(path: path)
        #expect(one.hits.map(\.patternID) == ["database_locked", "missing_env_secrets", "trigger_mesh_unawaited"])
        #expect(one.hits.allSatisfy { $0.evidence.count == 5 && $0.evidence.allSatisfy { $0.score != nil } })
        #expect(two == one)
    }
}

@Suite struct KnowledgeBaseFileTests {
    private func home() throws -> (URL, GraceHomeLayout) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("grace-kb-\(UUID().uuidString)")
        let layout = GraceHomeLayout(root: root.path)
        try GraceHome.prepare(layout)
        return (root, layout)
    }

    @Test func firstUseWritesTheBuiltInsAndLaterUseMergesWithoutOverwriting() throws {
        let (root, layout) = try home()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = KnowledgeBaseStore(layout: layout)
        #expect(try store.prepare().count == 7)
        // A user edits one pattern, removes another and adds their own.
        let text = try String(contentsOfFile: store.path, encoding: .utf8)
        guard case .object(var root)? = JSONValue(jsonText: text), case .array(var patterns)? = root["patterns"] else {
            Issue.record("unreadable")
            return
        }
        for index in patterns.indices where patterns[index]["id"]?.stringValue == "database_locked" {
            guard case .object(var pattern) = patterns[index] else { continue }
            pattern["title"] = "My edited title"
            patterns[index] = .object(pattern)
        }
        patterns.removeAll { $0["id"]?.stringValue == "trigger_mesh_unawaited" }
        patterns.append(["id": "my_pattern", "signatures": ["OOMKilled"], "playbook_id": "create_default_env", "risk_level": "low", "autonomy_tier": "tier_1"])
        root["patterns"] = .array(patterns)
        try Data(JSONValue.object(root).jsonText.utf8).write(to: URL(fileURLWithPath: store.path))

        #expect(try store.prepare() == ["trigger_mesh_unawaited"])
        let merged = try store.load()
        #expect(merged.patterns.count == 8)
        #expect(merged.pattern("database_locked")?.title == "My edited title")
        #expect(merged.pattern("my_pattern")?.prefilter == ["OOMKilled"])
        #expect(try store.prepare().isEmpty)
    }

    @Test func unEditedBuiltInPatternsAreUpgradedAndKeepTheirCounters() throws {
        let (root, layout) = try home()
        defer { try? FileManager.default.removeItem(at: root) }
        let store = KnowledgeBaseStore(layout: layout)
        try store.prepare()
        // Make the file look as an older Grace wrote it: an older database_locked, stamped as
        // unedited, with counters; and a user-edited unicode pattern (content no longer matches its stamp).
        guard case .object(var file)? = JSONValue(jsonText: try String(contentsOfFile: store.path, encoding: .utf8)),
              case .array(var patterns)? = file["patterns"] else {
            Issue.record("unreadable")
            return
        }
        for index in patterns.indices {
            guard case .object(var pattern) = patterns[index] else { continue }
            if pattern["id"]?.stringValue == "database_locked" {
                pattern["prefilter"] = ["database is locked", "busy"]
                pattern["signatures"] = ["database is locked", "busy"]
                pattern["occurrences"] = 5
                pattern["builtin_digest"] = .string(KnowledgeBaseStore.digest(of: .object(pattern)))
            }
            if pattern["id"]?.stringValue == "unicode_logging_crash" { pattern["title"] = "Our own words" }
            patterns[index] = .object(pattern)
        }
        file["patterns"] = .array(patterns)
        try Data(JSONValue.object(file).jsonText.utf8).write(to: URL(fileURLWithPath: store.path))

        #expect(try store.prepare() == ["database_locked"])
        let upgraded = try store.load()
        let current = try #require(try BuiltInKnowledgeBase.load().pattern("database_locked"))
        #expect(upgraded.pattern("database_locked")?.prefilter == current.prefilter)
        #expect(upgraded.pattern("database_locked")?.occurrences == 5)
        #expect(upgraded.pattern("unicode_logging_crash")?.title == "Our own words")
        #expect(try store.prepare().isEmpty)
    }

    @Test func theOriginalSystemsFileLoads() throws {
        let original = #"""
        {"training_set": "startup_failures", "description": "x", "version": "1.0", "created": "2025-11-09",
         "incidents": [
          {"id": "database_locked", "pattern": "database is locked", "root_cause": "SQLite concurrency", "symptoms": ["a"],
           "fix": {"playbook": "unlock_database", "steps": ["enable WAL"], "risk_level": "low", "autonomy_tier": "tier_1"},
           "verification": "Write succeeds"},
          {"id": "circular_import_avn_models", "pattern": "cannot import name 'AVNMonitor' from partially initialized module",
           "root_cause": "cycle", "fix": {"playbook": "fix_circular_imports", "risk_level": "high", "autonomy_tier": "tier_3"}},
          {"id": "learned_1a2b", "signature": "a77a69916fba64e0", "pattern": "Segmentation fault (core dumped)", "stage": "boot",
           "occurrences": 3, "auto_generated": true,
           "fix": {"playbook": "restart_service", "risk_level": "medium", "autonomy_tier": 2}}
         ],
         "learning_notes": "", "next_version_improvements": []}
        """#
        let knowledge = try KnowledgeBaseParser.parse(Data(original.utf8), file: "_metadata.json")
        #expect(knowledge.patterns.map(\.id) == ["database_locked", "circular_import_avn_models", "learned_1a2b"])
        #expect(knowledge.pattern("circular_import_avn_models")?.autonomyTier == .tier3)
        #expect(knowledge.pattern("learned_1a2b")?.occurrences == 3 && knowledge.pattern("learned_1a2b")?.autonomyTier == .tier2)
        let matcher = try SignatureMatcher(patterns: knowledge.patterns)
        #expect(matcher.matches(in: "sqlite3.OperationalError: database is locked").map(\.patternID) == ["database_locked"])
        #expect(matcher.matches(in: "Segmentation fault (core dumped)").map(\.patternID) == ["learned_1a2b"])
    }

    @Test(arguments: [
        (#"{"patterns": [{"id": "p1", "signatures": ["(unclosed"], "prefilter": ["x"], "playbook_id": "x"}]}"#, "pattern p1", "signatures[0]"),
        (#"{"patterns": [{"id": "p2", "signatures": ["ok"], "playbook_id": "x", "risk_level": "extreme"}]}"#, "pattern p2", "risk_level"),
        (#"{"patterns": [{"id": "p3", "signatures": ["a.*b"], "playbook_id": "x"}]}"#, "pattern p3", "prefilter"),
        (#"{"patterns": [{"id": "p4", "signatures": ["ok"]}]}"#, "pattern p4", "playbook_id"),
        (#"{"incidents": [{"id": "p5", "pattern": "boom"}]}"#, "pattern p5", "fix"),
        (#"{"patterns": "nope"}"#, "_metadata.json", "patterns"),
    ])
    func aMalformedFileNamesTheFileThePatternAndTheField(json: String, pattern: String, field: String) {
        #expect {
            try KnowledgeBaseParser.parse(Data(json.utf8), file: "/home/g/_metadata.json")
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix("/home/g/_metadata.json") && text.contains(pattern) && text.contains(field)
        }
    }
}

@Suite struct LearningTests {
    @Test func wilsonRanksEvidenceAboveLuck() {
        #expect(Learning.wilsonLowerBound(successes: 1, attempts: 1) < Learning.wilsonLowerBound(successes: 45, attempts: 50))
        #expect(Learning.wilsonLowerBound(successes: 0, attempts: 0) == 0)
        #expect(abs(Learning.wilsonLowerBound(successes: 45, attempts: 50) - 0.7864) < 0.001)
    }

    @Test func theBestFixChangesAsHistoryAccumulates() throws {
        var pattern = try #require(try BuiltInKnowledgeBase.load().pattern("database_locked"))
        pattern.alternativePlaybooks = ["restore_database_snapshot"]
        #expect(Learning.bestFix(for: pattern, stats: []) == "unlock_database")
        var stats = [PlaybookStats(playbookID: "unlock_database", patternID: pattern.id, attempts: 6, successes: 1),
                     PlaybookStats(playbookID: "restore_database_snapshot", patternID: pattern.id, attempts: 2, successes: 2)]
        #expect(Learning.bestFix(for: pattern, stats: stats) == "restore_database_snapshot")
        stats[0] = PlaybookStats(playbookID: "unlock_database", patternID: pattern.id, attempts: 40, successes: 38)
        #expect(Learning.bestFix(for: pattern, stats: stats) == "unlock_database")
    }

    @Test func aDefaultThatKeepsFailingGivesWayToAnUntriedAlternativeAndTheReasonSaysSo() throws {
        var pattern = try #require(try BuiltInKnowledgeBase.load().pattern("database_locked"))
        pattern.alternativePlaybooks = ["restart_lock_holder"]
        // One failure may be bad luck: the default stays first.
        let failedOnce = [PlaybookStats(playbookID: "unlock_database", patternID: pattern.id, attempts: 1, successes: 0)]
        #expect(Learning.rankFixes(for: pattern, stats: failedOnce).first?.playbookID == "unlock_database")
        let failedTwice = [PlaybookStats(playbookID: "unlock_database", patternID: pattern.id, attempts: 2, successes: 0)]
        // Both bounds are 0 (no success, and no attempt): the one that failed less is chosen.
        let ranked = Learning.rankFixes(for: pattern, stats: failedTwice)
        #expect(ranked.map(\.playbookID) == ["restart_lock_holder", "unlock_database"])
        #expect(Learning.explainChoice(ranked, defaultPlaybook: "unlock_database")
                == "unlock_database failed 2 of 2 attempts; restart_lock_holder has not been tried yet")
        // With no history the default goes first, and says why.
        let fresh = Learning.rankFixes(for: pattern, stats: [])
        #expect(fresh.first?.playbookID == "unlock_database")
        #expect(Learning.explainChoice(fresh, defaultPlaybook: "unlock_database").contains("default"))
    }

    @Test func predictionsComeFromHistoryAndPreconditions() {
        let predictions = Learning.predictFailures(recentBoots: [["database_locked"], [], ["database_locked"], []],
                                                   preconditions: .init(localeIsUTF8: false, missingRequiredSecrets: ["GITHUB_TOKEN"]))
        #expect(predictions.first?.patternID == "missing_env_secrets")
        #expect(predictions.contains { $0.patternID == "unicode_logging_crash" && $0.likelihood == 0.9 })
        let locked = predictions.first { $0.patternID == "database_locked" }
        #expect(locked != nil && locked!.likelihood > 0.4 && locked!.likelihood < 0.8)
        #expect(Learning.predictFailures(recentBoots: [], preconditions: .init()).isEmpty)
    }

    @Test func theHealthScoreFollowsItsFormula() {
        #expect(Learning.healthScore(recentBootStatuses: [], metricBands: [], pendingApprovals: 0) == 100)
        #expect(Learning.healthScore(recentBootStatuses: [.failed], metricBands: [.good], pendingApprovals: 0) == 40)
        #expect(Learning.healthScore(recentBootStatuses: [.success], metricBands: [.critical, .good], pendingApprovals: 5) == 70)
        #expect(Learning.healthScore(recentBootStatuses: [.success, .failed], metricBands: [], pendingApprovals: 0) > 70)
    }
}

@Suite struct LiteralScannerTests {
    /// Literals of five bytes or more let the scan jump over most positions; some fold case.
    @Test func jumpsWithoutMissingAnyOccurrence() {
        let literals = ["database is locked", "TOKEN", " is not set", "--- Logging error ---", "42703", "é✓abc", "Locked"].map { Array($0.utf8) }
        let folds = [false, true, false, false, false, false, true]
        let scanner = LiteralScanner(literals: literals, caseInsensitive: folds)
        var generator = SystemRandomNumberGenerator()
        let pieces = ["database is locked", "DATABASE IS LOCKED", "token", "ToKeN", "TOKE", " is not set", " is not", "42703", "4270",
                      "é✓abc", "é✓ab", "lOcKeD", "x", " ", "\n", "datab", "--- Logging error ---", "--- Logging"]
        for _ in 0..<300 {
            var text: [UInt8] = []
            for _ in 0..<Int.random(in: 0...80, using: &generator) { text += Array(pieces.randomElement(using: &generator)!.utf8) }
            var found: [[Int]] = []
            text.withUnsafeBytes { buffer in scanner.scan(buffer) { found.append([$0, $1]) } }
            var expected: [[Int]] = []
            for (index, literal) in literals.enumerated() where literal.count <= text.count {
                let wanted = folds[index] ? literal.map(LiteralScanner.lower) : literal
                for start in 0...(text.count - literal.count) {
                    let slice = text[start..<(start + literal.count)]
                    if (folds[index] ? slice.map(LiteralScanner.lower) : Array(slice)) == wanted { expected.append([index, start]) }
                }
            }
            #expect(found == expected.sorted { ($0[1], $0[0]) < ($1[1], $1[0]) }, "\(String(decoding: text, as: UTF8.self))")
        }
    }

    @Test func findsEveryOccurrenceLikeANaiveSearch() {
        let literals = ["database is locked", "KEY", "TOKEN", " is not set", "--- Logging error ---", "ab", "abab", "é✓"].map { Array($0.utf8) }
        let scanner = LiteralScanner(literals: literals)
        var generator = SystemRandomNumberGenerator()
        let pieces = ["database is locked", "KEY", "TOK", "TOKEN", " is not set", "ab", "abab", "é✓", "x", " ", "\n", "datab", "K", "EY"]
        for _ in 0..<200 {
            var text: [UInt8] = []
            for _ in 0..<Int.random(in: 0...60, using: &generator) { text += Array(pieces.randomElement(using: &generator)!.utf8) }
            var found: [[Int]] = []
            text.withUnsafeBytes { buffer in scanner.scan(buffer) { found.append([$0, $1]) } }
            var expected: [[Int]] = []
            for (index, literal) in literals.enumerated() where literal.count <= text.count {
                for start in 0...(text.count - literal.count) where Array(text[start..<(start + literal.count)]) == literal {
                    expected.append([index, start])
                }
            }
            #expect(found.sorted { ($0[1], $0[0]) < ($1[1], $1[0]) } == expected.sorted { ($0[1], $0[0]) < ($1[1], $1[0]) })
        }
    }
}
