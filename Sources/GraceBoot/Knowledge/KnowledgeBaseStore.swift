import Foundation
import GraceCore
import GraceStore

/// The knowledge-base file in a Grace home: created from the built-in patterns on first use,
/// merged (never overwritten) afterwards, and where per-pattern counters are kept.
public struct KnowledgeBaseStore: Sendable {
    public let layout: GraceHomeLayout

    public init(layout: GraceHomeLayout) {
        self.layout = layout
    }

    public var path: String { layout.knowledgeBase }

    /// Writes the built-in file when none exists. Otherwise adds the built-in patterns the file
    /// lacks (by id) and upgrades built-in patterns nobody edited (their `builtin_digest` still
    /// matches their content) to this Grace's version, keeping their counters; every pattern and
    /// field a user wrote stays as it is. Returns the ids added or upgraded.
    @discardableResult
    public func prepare() throws -> [String] {
        guard case .object(let builtInRoot)? = JSONValue(jsonText: BuiltInKnowledgeBase.json),
              case .array(let builtInPatterns)? = builtInRoot["patterns"] else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "the built-in knowledge base is not a patterns object"])
        }
        let stamped = builtInPatterns.map(Self.stamped)
        guard let data = FileManager.default.contents(atPath: path) else {
            try FileManager.default.createDirectory(atPath: layout.trainingDirectory, withIntermediateDirectories: true)
            var root = builtInRoot
            root["patterns"] = .array(stamped)
            try write(Data(JSONValue.object(root).prettyText.utf8))
            return stamped.compactMap { $0["id"]?.stringValue }
        }
        _ = try KnowledgeBaseParser.parse(data, file: path)  // a broken file is reported, never replaced
        guard case .object(var root)? = JSONValue(jsonText: String(decoding: data, as: UTF8.self)) else { return [] }
        var patterns: [JSONValue] = []
        if case .array(let current)? = root["patterns"] { patterns = current }
        var incidentIDs = Set<String>()
        if case .array(let incidents)? = root["incidents"] { incidentIDs = Set(incidents.compactMap { $0["id"]?.stringValue }) }
        var changed: [String] = []
        for builtIn in stamped {
            guard let id = builtIn["id"]?.stringValue else { continue }
            if let index = patterns.firstIndex(where: { $0["id"]?.stringValue == id }) {
                let current = patterns[index]
                guard let recorded = current["builtin_digest"]?.stringValue, recorded == Self.digest(of: current),
                      recorded != builtIn["builtin_digest"]?.stringValue, case .object(var upgraded) = builtIn else { continue }
                for key in Self.counterKeys { upgraded[key] = current[key] }
                patterns[index] = .object(upgraded)
                changed.append(id)
            } else if !incidentIDs.contains(id) {
                patterns.append(builtIn)
                changed.append(id)
            }
        }
        guard !changed.isEmpty else { return [] }
        root["patterns"] = .array(patterns)
        try write(Data(JSONValue.object(root).prettyText.utf8))
        return changed.sorted()
    }

    /// Fields that change as Grace learns; they do not count as edits.
    static let counterKeys = ["occurrences", "fixes_attempted", "fixes_succeeded", "last_seen"]

    /// A built-in pattern with the digest of its content, to tell later whether anyone edited it.
    static func stamped(_ pattern: JSONValue) -> JSONValue {
        guard case .object(var object) = pattern else { return pattern }
        object["builtin_digest"] = .string(digest(of: pattern))
        return .object(object)
    }

    /// FNV-1a (64 bit) of the pattern's canonical JSON without counters and digest. This detects
    /// edits; it is not a security measure, so a cryptographic hash is not needed.
    static func digest(of pattern: JSONValue) -> String {
        guard case .object(var object) = pattern else { return "" }
        for key in counterKeys + ["builtin_digest"] { object[key] = nil }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in JSONValue.object(object).jsonText.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Parses the file (after ``prepare()``); errors name the file, the pattern and the field.
    /// The recognition model is not part of it: only what shows a match's score loads that
    /// (``RecognitionModelFile``), so a boot or a server start does not pay for decoding it.
    public func load() throws -> KnowledgeBase {
        if let data = FileManager.default.contents(atPath: path) {
            return try KnowledgeBaseParser.parse(data, file: path)
        }
        return try BuiltInKnowledgeBase.load()
    }

    /// Adds to a pattern's counters in the file, keeping everything else in it.
    public func recordOutcome(patternID: String, occurrences: Int, attempted: Int, succeeded: Int) throws {
        guard let data = FileManager.default.contents(atPath: path),
              case .object(var root)? = JSONValue(jsonText: String(decoding: data, as: UTF8.self)) else { return }
        var changed = false
        for list in ["patterns", "incidents"] {
            guard case .array(var items)? = root[list] else { continue }
            for index in items.indices where items[index]["id"]?.stringValue == patternID {
                guard case .object(var pattern) = items[index] else { continue }
                func add(_ key: String, _ amount: Int) {
                    var current = 0.0
                    if case .number(let value)? = pattern[key] { current = value }
                    pattern[key] = .number(current + Double(amount))
                }
                add("occurrences", occurrences)
                add("fixes_attempted", attempted)
                add("fixes_succeeded", succeeded)
                pattern["last_seen"] = .string(Timestamp.now())
                items[index] = .object(pattern)
                changed = true
            }
            root[list] = .array(items)
        }
        if changed { try write(Data(JSONValue.object(root).prettyText.utf8)) }
    }

    /// Adds `pattern` to the file's `patterns` (after ``prepare()``), in the form the built-in
    /// patterns are written; refuses an id the file already holds, and a result that does not parse.
    public func add(pattern: FailurePattern) throws {
        guard let data = FileManager.default.contents(atPath: path),
              case .object(var root)? = JSONValue(jsonText: String(decoding: data, as: UTF8.self)) else {
            throw KnowledgeBaseParser.ParseError(file: path, reason: "no knowledge base to add to")
        }
        if try KnowledgeBaseParser.parse(data, file: path).pattern(pattern.id) != nil {
            throw KnowledgeBaseParser.ParseError(file: path, patternID: pattern.id, reason: "the id is already in use")
        }
        let object: [String: JSONValue] = [
            "id": .string(pattern.id), "title": .string(pattern.title),
            "signatures": .array(pattern.signatures.map(JSONValue.string)), "prefilter": .array(pattern.prefilter.map(JSONValue.string)),
            "root_cause": .string(pattern.rootCause), "symptoms": .array(pattern.symptoms.map(JSONValue.string)),
            "playbook_id": .string(pattern.playbookID), "risk_level": .string(pattern.riskLevel.rawValue),
            "autonomy_tier": .string("tier_\(pattern.autonomyTier.rawValue)"),
            "verification": .object(["method": .string(pattern.verification.method),
                                     "description": pattern.verification.description.map(JSONValue.string) ?? .null]),
            "occurrences": .number(Double(pattern.occurrences)),
        ]
        var patterns: [JSONValue] = []
        if case .array(let current)? = root["patterns"] { patterns = current }
        patterns.append(.object(object))
        root["patterns"] = .array(patterns)
        let updated = Data(JSONValue.object(root).prettyText.utf8)
        _ = try KnowledgeBaseParser.parse(updated, file: path)
        try write(updated)
    }

    private func write(_ data: Data) throws {
        try FileWriting.replace(path, with: data)
    }
}

extension JSONValue {
    /// Indented JSON with sorted keys, for files people edit.
    var prettyText: String {
        (try? JSONEncoder.gracePretty.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
