import Testing
@testable import GraceCore

@Suite struct RecognitionModelTests {
    static let examples: [RecognitionModel.Example] = [
        .init(labels: ["database_locked"], text: "sqlite3.OperationalError: database is locked\n  File \"app.py\", line 12"),
        .init(labels: ["database_locked"], text: "Error: SQLITE_BUSY: database is locked at Statement.run"),
        .init(labels: ["database_locked"], text: "rusqlite error: database is locked (code 5)"),
        .init(labels: [], text: "fatal: Unable to create '/repo/.git/index.lock': File exists. Another git process seems to be running"),
        .init(labels: [], text: "error: cannot lock ref 'refs/heads/main': Unable to create index.lock file: another git process"),
        .init(labels: [], text: "sqlite3.OperationalError: attempt to write a readonly database"),
    ]

    static let model = RecognitionModel.train(examples, patternIDs: ["database_locked"], trainedOn: ["test"], minimumDocuments: 1)

    @Test func featuresAreLowerCasedWordsWithDigitsMaskedAndAdjacentPairs() {
        let features = RecognitionModel.features(of: "SQLITE_BUSY: code 5 at line 1234, cp1252 'x'")
        #expect(features.contains("sqlite_busy"))
        #expect(features.contains("cp0000"))
        #expect(!features.contains("5") && !features.contains("1234"))
        #expect(!features.contains("x"))  // one character
        #expect(features.contains("sqlite_busy code"))
        #expect(features.contains("code at"))  // the number between them is not a word
    }

    @Test func trainingCountsBlocksAndLeavesOutRareFeatures() {
        #expect(Self.model.classes == ["database_locked", "none"])
        #expect(Self.model.documents == [3, 3])
        #expect(Self.model.weights["locked"] != nil)
        let pruned = RecognitionModel.train(Self.examples, patternIDs: ["database_locked"], trainedOn: ["test"], minimumDocuments: 2)
        #expect(pruned.weights["statement"] == nil)  // in one block only
        #expect(pruned.weights["locked"] != nil)
        // What the pattern's blocks share pulls toward it; what the near misses share, away.
        let locked = pruned.weights["locked"]!, git = pruned.weights["another git"]!
        #expect(locked[0] > locked[1])
        #expect(git[0] < git[1])
    }

    @Test func aBlockLikeThePatternsScoresHighWithTheWordsThatDecided() {
        let rating = Self.model.rate("OperationalError: database is locked", pattern: "database_locked")
        #expect((rating.score ?? 0) > 0.8)
        #expect(rating.why.contains("locked"))
        #expect(!rating.why.contains("index"))
        #expect(Self.model.classify("OperationalError: database is locked") == "database_locked")
    }

    @Test func aNearMissScoresLowAndIsClassifiedAsNone() {
        let text = "fatal: Unable to create '/repo/.git/index.lock': File exists. Another git process seems to be running"
        #expect((Self.model.rate(text, pattern: "database_locked").score ?? 1) < 0.3)
        #expect(Self.model.classify(text) == nil)
    }

    @Test func aPatternTheModelNeverSawHasNoScore() {
        let rating = Self.model.rate("anything at all", pattern: "promoted_later")
        #expect(rating.score == nil)
        #expect(rating.why.isEmpty)
    }
}
