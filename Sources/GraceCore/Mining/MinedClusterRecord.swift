import Crypto
import Foundation

/// A mined cluster as Grace keeps it across runs: an error template nobody has named yet, how often
/// and where it was seen, and a few example lines. Bounded: ``maxExamples`` examples, ``maxSources`` sources.
public struct MinedClusterRecord: Sendable, Equatable, Codable {
    public struct Example: Sendable, Equatable, Codable {
        public var line: String
        public var source: String
        public var runID: String?

        public init(line: String, source: String, runID: String? = nil) {
            self.line = line
            self.source = source
            self.runID = runID
        }

        enum CodingKeys: String, CodingKey {
            case line, source, runID = "run_id"
        }
    }

    public static let maxExamples = 5
    public static let maxSources = 10

    /// `mc_` and 12 hex digits of the SHA-256 of the template: the same template, the same id, on every node.
    public var clusterID: String
    public var template: String
    /// The original system's normalised-message hash of the first example (``OriginalSignature``).
    public var normalisedHash: String
    public var count: Int
    public var firstSeen: String
    public var lastSeen: String
    /// Where it was seen: `boot`, `service`, `diagnose`, `mine`, a file name.
    public var sources: [String]
    public var examples: [Example]
    /// The knowledge-base pattern it was promoted to, once it was.
    public var promotedPatternID: String?

    public init(template: String, count: Int, firstSeen: String, lastSeen: String, sources: [String], examples: [Example],
                promotedPatternID: String? = nil) {
        self.clusterID = Self.id(forTemplate: template)
        self.template = template
        self.normalisedHash = OriginalSignature.hash(examples.first?.line ?? template)
        self.count = count
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.sources = Array(sources.prefix(Self.maxSources))
        self.examples = Array(examples.prefix(Self.maxExamples))
        self.promotedPatternID = promotedPatternID
    }

    enum CodingKeys: String, CodingKey {
        case clusterID = "cluster_id", template, normalisedHash = "normalised_hash", count, firstSeen = "first_seen"
        case lastSeen = "last_seen", sources, examples, promotedPatternID = "promoted_pattern_id"
    }

    public static func id(forTemplate template: String) -> String {
        "mc_" + SHA256.hash(data: Data(template.utf8)).prefix(6).map { byte in
            byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
    }

    /// This record with `other` (the same template) added: counts summed, the seen range widened,
    /// sources and examples unioned within their bounds (the oldest examples kept).
    public func merged(with other: MinedClusterRecord) -> MinedClusterRecord {
        var result = self
        result.count += other.count
        result.firstSeen = min(firstSeen, other.firstSeen)
        result.lastSeen = max(lastSeen, other.lastSeen)
        for source in other.sources where !result.sources.contains(source) && result.sources.count < Self.maxSources {
            result.sources.append(source)
        }
        for example in other.examples where !result.examples.contains(example) && result.examples.count < Self.maxExamples {
            result.examples.append(example)
        }
        result.promotedPatternID = promotedPatternID ?? other.promotedPatternID
        return result
    }

    /// The clusters of one mining `result` as records seen `at` from `source`; `lines[i]` is
    /// the message whose provisional cluster is `provisional[i]`.
    public static func records(from result: MiningResult, provisional: [Int], lines: [String], source: String, runID: String?,
                               at timestamp: String) -> [MinedClusterRecord] {
        var examples: [Int: [Example]] = [:]
        for (index, id) in provisional.enumerated() {
            let cluster = result.finalCluster[id]
            if examples[cluster, default: []].count < maxExamples {
                examples[cluster, default: []].append(Example(line: lines[index], source: source, runID: runID))
            }
        }
        return result.clusters.map { cluster in
            MinedClusterRecord(template: cluster.template, count: cluster.count, firstSeen: timestamp, lastSeen: timestamp,
                               sources: [source], examples: examples[cluster.id] ?? [])
        }
    }
}

/// Turns a mined template into a knowledge-base signature: a regex whose `<*>` parts are named
/// captures (`var1`, `var2`, ...), and the longest constant piece as the prefilter literal.
public enum TemplatePattern {
    static func pieces(of template: String) -> [String] {
        template.components(separatedBy: "<*>")
    }

    public static func regex(for template: String) -> String {
        let pieces = pieces(of: template)
        var regex = ""
        for (index, piece) in pieces.enumerated() {
            regex += NSRegularExpression.escapedPattern(for: piece)
            if index < pieces.count - 1 {
                // A variable at the end takes the rest of the line; inside, as little as reaches the next constant.
                regex += index == pieces.count - 2 && pieces[index + 1].isEmpty ? "(?<var\(index + 1)>.+)" : "(?<var\(index + 1)>.+?)"
            }
        }
        return regex
    }

    /// The longest constant piece (trimmed), or nil when the template is all variables.
    public static func prefilter(for template: String) -> String? {
        let longest = pieces(of: template).map { $0.trimmingCharacters(in: .whitespaces) }.max { $0.utf8.count < $1.utf8.count }
        return longest.flatMap { $0.isEmpty ? nil : $0 }
    }
}
