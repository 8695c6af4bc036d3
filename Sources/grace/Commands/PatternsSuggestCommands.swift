import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceStore

/// `grace patterns suggest`: stored mined clusters worth a pattern, by count and recency.
struct PatternsSuggestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "Mined error clusters worth a pattern (by count and recency), with examples.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "How many suggestions.") var limit = 20
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        guard limit > 0 else {
            printError("--limit must be at least 1")
            throw GraceExit.configuration
        }
        let runtime = try Runtime.start(options, label: "grace.patterns", console: false)
        let store = try await runtime.openStore()
        let suggestions = PatternSuggestions.rank(try await store.repositories.minedClusters.clusters(limit: 1_000), now: Date())
            .prefix(limit)
        try await store.shutdown()
        if json {
            print(String(decoding: try JSONEncoder.graceCompact.encode(Array(suggestions)), as: UTF8.self))
            return
        }
        if suggestions.isEmpty {
            print("no suggestions: no mined clusters yet (grace patterns mine --learn FILE, or a boot's unmatched errors)")
            return
        }
        for cluster in suggestions {
            print("\(cluster.clusterID)  seen \(cluster.count)x, last \(cluster.lastSeen), from \(cluster.sources.joined(separator: ", "))")
            print("    \(cluster.template)")
            for example in cluster.examples.prefix(2) {
                print("    e.g. \(example.line)" + (example.runID.map { "  (run \($0))" } ?? ""))
            }
        }
        print("")
        print("promote one: grace patterns promote CLUSTER --id NAME --playbook PLAYBOOK [--risk R --tier T]")
    }
}

/// `grace patterns promote CLUSTER --id NAME --playbook P`: a stored cluster becomes a knowledge-base pattern.
struct PatternsPromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract: "Write a knowledge-base pattern from a mined cluster (its template as a regex with named captures).")

    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp("The cluster id (from grace patterns suggest).", valueName: "cluster")) var cluster: String
    @Option(help: "The new pattern's id.") var id: String
    @Option(help: "The playbook that fixes it.") var playbook: String
    @Option(help: "Risk: low, medium, high or critical.") var risk = "medium"
    @Option(help: "Autonomy tier: tier_0 .. tier_3.") var tier = "tier_2"

    func run() async throws {
        guard let riskLevel = RiskLevel(rawValue: risk.lowercased()) else {
            printError("--risk \(risk): expected low, medium, high or critical")
            throw GraceExit.configuration
        }
        guard let autonomyTier = AutonomyTier(text: tier) else {
            printError("--tier \(tier): expected tier_0, tier_1, tier_2 or tier_3")
            throw GraceExit.configuration
        }
        guard id.range(of: #"^[A-Za-z0-9_.-]+$"#, options: .regularExpression) != nil else {
            printError("--id \(id): use letters, digits, '_', '.' and '-'")
            throw GraceExit.configuration
        }
        let runtime = try Runtime.start(options, label: "grace.patterns", console: false)
        let store = try await runtime.openStore()
        guard let record = try await store.repositories.minedClusters.cluster(id: cluster) else {
            try await store.shutdown()
            printError("no mined cluster \(cluster) (see grace patterns suggest)")
            throw GraceExit.configuration
        }
        let pattern = PatternPromotion.pattern(from: record, id: id, playbookID: playbook, risk: riskLevel, tier: autonomyTier)
        do {
            let file = KnowledgeBaseStore(layout: runtime.layout)
            try file.prepare()
            try file.add(pattern: pattern)
        } catch {
            try await store.shutdown()
            printError("\(error)")
            throw GraceExit.configuration
        }
        _ = try await store.repositories.minedClusters.markPromoted(id: cluster, patternID: id)
        try await store.shutdown()
        print("pattern \(id) → \(playbook) (\(riskLevel.rawValue) risk, \(autonomyTier)) written to \(runtime.layout.knowledgeBase)")
        print("signature: \(pattern.signatures[0])")
    }
}

/// `grace patterns test FILE|-`: which pattern, or else which stored cluster, each line hits.
struct PatternsTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show which known pattern, or else which mined cluster, each line of FILE hits.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: ArgumentHelp("Error output, one line per message (- for standard input).", valueName: "file")) var file: String = "-"

    func run() async throws {
        let input: Data
        do {
            input = try MessageInput.read(file)
        } catch {
            printError("\(error)")
            throw GraceExit.configuration
        }
        let runtime = try Runtime.start(options, label: "grace.patterns", console: false)
        let knowledge: KnowledgeBase
        do {
            let knowledgeFile = KnowledgeBaseStore(layout: runtime.layout)
            try knowledgeFile.prepare()
            knowledge = try knowledgeFile.load()
        } catch {
            printError("\(error)")
            throw GraceExit.configuration
        }
        let matcher = try SignatureMatcher(patterns: knowledge.patterns)
        let store = try await runtime.openStore()
        let clusters = try await store.repositories.minedClusters.clusters(limit: 1_000).map { record in
            (record, try NSRegularExpression(pattern: TemplatePattern.regex(for: record.template)))
        }
        try await store.shutdown()
        var lines: [String] = []
        input.withUnsafeBytes { raw in
            MessageInput.forEachLine(raw.bindMemory(to: UInt8.self)) { lines.append(String(decoding: $0, as: UTF8.self)) }
        }
        for (index, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            if let match = matcher.matches(in: line).first {
                print("\(index + 1): pattern \(match.patternID)")
            } else if let (record, _) = clusters.first(where: { _, regex in
                regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
            }) {
                print("\(index + 1): cluster \(record.clusterID) (\(record.count)x) \(record.template)")
            } else {
                print("\(index + 1): unknown")
            }
        }
    }
}

/// Ranking mined clusters for suggestion.
enum PatternSuggestions {
    /// Unpromoted clusters, highest score first: count, halved for every week since last seen.
    static func rank(_ clusters: [MinedClusterRecord], now: Date) -> [MinedClusterRecord] {
        func score(_ record: MinedClusterRecord) -> Double {
            let last = Timestamp.date(from: record.lastSeen) ?? now
            let weeks = max(0, now.timeIntervalSince(last)) / (7 * 86_400)
            return Double(record.count) / pow(2, weeks)
        }
        return clusters.filter { $0.promotedPatternID == nil }.sorted { (score($0), $0.lastSeen) > (score($1), $1.lastSeen) }
    }
}

/// A mined cluster as a knowledge-base pattern.
enum PatternPromotion {
    static func pattern(from record: MinedClusterRecord, id: String, playbookID: String, risk: RiskLevel, tier: AutonomyTier) -> FailurePattern {
        let prefilter = TemplatePattern.prefilter(for: record.template).map { [$0] } ?? []
        return FailurePattern(
            id: id, title: id.replacingOccurrences(of: "_", with: " "), signatures: [TemplatePattern.regex(for: record.template)],
            prefilter: prefilter, rootCause: "Promoted from mined cluster \(record.clusterID) (\(record.count) lines): \(record.template)",
            symptoms: record.examples.map(\.line), playbookID: playbookID, riskLevel: risk, autonomyTier: tier,
            verification: .init(method: "signature_absent", description: "the template's lines stop"),
            occurrences: record.count)
    }
}
