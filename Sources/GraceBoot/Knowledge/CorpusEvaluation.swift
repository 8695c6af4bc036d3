import Foundation
import GraceCore

/// Measures recognition on a labelled corpus of real logs (`Tests/Corpus/failures`): a
/// `SOURCES.tsv` manifest with the columns `file`, `repository`, `thread_url`, `label`, `split`,
/// `runtime` and `note`, one row a log file relative to the manifest's folder.
public struct CorpusEvaluation: Sendable {
    /// One labelled log.
    public struct Entry: Sendable, Equatable {
        public var file: String
        public var repository: String
        public var threadURL: String
        /// Pattern ids any of which is a right answer; empty for a log that shows none.
        public var labels: Set<String>
        public var split: String
        public var runtime: String
        public var note: String
    }

    /// Precision and recall of one pattern.
    public struct PatternScore: Sendable, Equatable, Codable {
        public var patternID: String
        /// Logs labelled with the pattern.
        public var labelled: Int
        /// Logs for which the pattern was named.
        public var named: Int
        /// Logs labelled with the pattern for which it was named.
        public var truePositives: Int
        /// Logs labelled with the pattern that were diagnosed right: it or another of their labels
        /// named, nothing else (a log labelled `a|b` is recalled for both when either is named).
        public var recalled: Int

        public var precision: Double { named == 0 ? 1 : Double(truePositives) / Double(named) }
        public var recall: Double { labelled == 0 ? 1 : Double(recalled) / Double(labelled) }

        enum CodingKeys: String, CodingKey {
            case patternID = "pattern_id", labelled, named, truePositives = "true_positives", recalled
        }
    }

    /// A log diagnosed wrongly.
    public struct Miss: Sendable, Equatable, Codable {
        public var file: String
        public var expected: [String]
        public var named: [String]
        public var note: String
    }

    public struct Report: Sendable, Equatable, Codable {
        public var split: String
        public var files: Int
        public var right: Int
        public var negatives: Int
        /// Negatives (label `none`) for which some pattern was named.
        public var negativesNamed: Int
        public var patterns: [PatternScore]
        public var misses: [Miss]

        public var accuracy: Double { files == 0 ? 0 : Double(right) / Double(files) }
        public var negativesNamedShare: Double { negatives == 0 ? 0 : Double(negativesNamed) / Double(negatives) }

        enum CodingKeys: String, CodingKey {
            case split, files, right, negatives, negativesNamed = "negatives_named", patterns, misses
        }
    }

    public let directory: String
    public let entries: [Entry]

    /// The names `--split` accepts: the splits the manifest names (in the order they first appear) and `all`.
    public var splits: [String] {
        var seen: Set<String> = []
        return entries.map(\.split).filter { seen.insert($0).inserted } + ["all"]
    }

    /// A split the corpus's manifest does not name.
    public struct UnknownSplit: Error, CustomStringConvertible {
        public var split: String
        public var directory: String
        public var known: [String]

        public var description: String { "invalid --split \"\(split)\": the corpus at \(directory) has \(known.joined(separator: ", "))" }
    }

    /// The rows of `split` (every row for `all`); a split the manifest does not name is an error naming those it does.
    func rows(of split: String) throws -> [Entry] {
        guard splits.contains(split) else { throw UnknownSplit(split: split, directory: directory, known: splits) }
        return entries.filter { split == "all" || $0.split == split }
    }

    /// The patterns this Grace ships, which an evaluation measures unless given a knowledge-base file.
    public static func builtInPatterns() throws -> [FailurePattern] { try BuiltInKnowledgeBase.load().patterns }

    /// The recognition model this Grace ships.
    public static func builtInModel() throws -> RecognitionModel { try BuiltInRecognitionModel.load() }

    /// Reads `directory/SOURCES.tsv`; a malformed row names its line.
    public init(directory: String) throws {
        let manifest = (directory as NSString).appendingPathComponent("SOURCES.tsv")
        guard let data = FileManager.default.contents(atPath: manifest) else {
            throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "no corpus manifest at \(manifest)"])
        }
        self.directory = directory
        self.entries = try Self.parseManifest(String(decoding: data, as: UTF8.self), name: manifest)
    }

    static func parseManifest(_ text: String, name: String) throws -> [Entry] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first?.split(separator: "\t").map(String.init) else { return [] }
        let required = ["file", "repository", "thread_url", "label", "split", "runtime", "note"]
        var column: [String: Int] = [:]
        for name in required {
            guard let index = header.firstIndex(of: name) else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "\(name) column missing from the header of the corpus manifest"])
            }
            column[name] = index
        }
        var entries: [Entry] = []
        for (offset, line) in lines.dropFirst().enumerated() where !line.isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= header.count else {
                throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey:
                    "\(name) line \(offset + 2): \(fields.count) fields, the header has \(header.count)"])
            }
            func field(_ key: String) -> String { fields[column[key]!] }
            let label = field("label")
            let labels = label == "none" ? [] : Set(label.split(separator: "|").map(String.init))
            entries.append(Entry(file: field("file"), repository: field("repository"), threadURL: field("thread_url"), labels: labels,
                                 split: field("split"), runtime: field("runtime"), note: field("note")))
        }
        return entries
    }

    /// The logs of `split` (`all` for every entry) as training examples for a recognition model:
    /// each whole file (they are trimmed to their error region) with its labels.
    public func examples(split: String) throws -> [RecognitionModel.Example] {
        try rows(of: split).map { entry in
            let path = (directory as NSString).appendingPathComponent(entry.file)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "cannot read corpus file \(path)"])
            }
            return RecognitionModel.Example(labels: entry.labels, text: String(decoding: data, as: UTF8.self))
        }
    }

    /// Scores `diagnose` (a log path to the pattern ids it names) on the entries of `split`
    /// (`all` for every entry). A log is right when it names a labelled pattern and nothing else,
    /// or, for a negative, nothing at all.
    public func evaluate(split: String, patternIDs: [String], diagnose: (String) throws -> Set<String>) throws -> Report {
        let chosen = try rows(of: split)
        var scores = Dictionary(uniqueKeysWithValues: patternIDs.map { ($0, PatternScore(patternID: $0, labelled: 0, named: 0, truePositives: 0, recalled: 0)) })
        var right = 0
        var negatives = 0
        var negativesNamed = 0
        var misses: [Miss] = []
        for entry in chosen {
            let named = try diagnose((directory as NSString).appendingPathComponent(entry.file))
            for id in entry.labels { scores[id, default: PatternScore(patternID: id, labelled: 0, named: 0, truePositives: 0, recalled: 0)].labelled += 1 }
            for id in named {
                scores[id, default: PatternScore(patternID: id, labelled: 0, named: 0, truePositives: 0, recalled: 0)].named += 1
                if entry.labels.contains(id) { scores[id]!.truePositives += 1 }
            }
            let isRight = entry.labels.isEmpty ? named.isEmpty : (!named.isEmpty && named.isSubset(of: entry.labels))
            if isRight { for id in entry.labels { scores[id]!.recalled += 1 } }
            if entry.labels.isEmpty {
                negatives += 1
                if !named.isEmpty { negativesNamed += 1 }
            }
            if isRight {
                right += 1
            } else {
                misses.append(Miss(file: entry.file, expected: entry.labels.sorted(), named: named.sorted(), note: entry.note))
            }
        }
        let ordered = patternIDs.compactMap { scores[$0] } + scores.values.filter { !patternIDs.contains($0.patternID) }.sorted { $0.patternID < $1.patternID }
        return Report(split: split, files: chosen.count, right: right, negatives: negatives, negativesNamed: negativesNamed,
                      patterns: ordered, misses: misses)
    }
}
