import Foundation
import GraceCore

/// The knowledge-base file in a Grace home: created from the built-in patterns on first use,
/// merged (never overwritten) afterwards, and where per-pattern counters are kept.
public struct KnowledgeBaseStore: Sendable {
    public let layout: GraceHomeLayout

    public init(layout: GraceHomeLayout) {
        self.layout = layout
    }

    public var path: String { layout.knowledgeBase }

    /// Writes the built-in file when none exists; otherwise adds built-in patterns the file lacks
    /// (by id), leaving every pattern and field the user wrote as it is. Returns the ids added.
    @discardableResult
    public func prepare() throws -> [String] {
        let builtIn = try BuiltInKnowledgeBase.load()
        guard let data = FileManager.default.contents(atPath: path) else {
            try FileManager.default.createDirectory(atPath: layout.trainingDirectory, withIntermediateDirectories: true)
            try write(Data(BuiltInKnowledgeBase.json.utf8))
            return builtIn.patterns.map(\.id)
        }
        let existing = try KnowledgeBaseParser.parse(data, file: path)
        let missing = builtIn.patterns.filter { existing.pattern($0.id) == nil }
        guard !missing.isEmpty, case .object(var root)? = JSONValue(jsonText: String(decoding: data, as: UTF8.self)),
              case .object(let builtInRoot)? = JSONValue(jsonText: BuiltInKnowledgeBase.json),
              case .array(let builtInPatterns)? = builtInRoot["patterns"] else { return [] }
        var patterns: [JSONValue] = []
        if case .array(let current)? = root["patterns"] { patterns = current }
        let missingIDs = Set(missing.map(\.id))
        patterns += builtInPatterns.filter { missingIDs.contains($0["id"]?.stringValue ?? "") }
        root["patterns"] = .array(patterns)
        try write(Data(JSONValue.object(root).prettyText.utf8))
        return missing.map(\.id).sorted()
    }

    /// Parses the file (after ``prepare()``); errors name the file, the pattern and the field.
    public func load() throws -> KnowledgeBase {
        guard let data = FileManager.default.contents(atPath: path) else { return try BuiltInKnowledgeBase.load() }
        return try KnowledgeBaseParser.parse(data, file: path)
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

    private func write(_ data: Data) throws {
        try FileWriting.replace(path, with: data)
    }
}

extension JSONValue {
    /// Indented JSON with sorted keys, for files people edit.
    var prettyText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
