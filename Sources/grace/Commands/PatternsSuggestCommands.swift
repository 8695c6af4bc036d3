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
        let runtime = try Runtime.start(options, label: "grace.patterns", console: false, home: .existing)
        let store = try await runtime.openStore()
        let suggestions = PatternPromotion.suggestions(try await store.repositories.minedClusters.clusters(limit: 1_000), now: Date())
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
        let runtime = try Runtime.start(options, label: "grace.patterns", console: false, home: .existing)
        let store = try await runtime.openStore()
        let pattern: FailurePattern
        do {
            pattern = try await PatternPromotion.promote(clusterID: cluster, as: id, playbookID: playbook, risk: riskLevel, tier: autonomyTier,
                                                         repositories: store.repositories, layout: runtime.layout)
        } catch let refusal as PatternPromotion.Refusal {
            try await store.shutdown()
            printError("\(refusal)")
            throw GraceExit.configuration
        } catch let error as KnowledgeBaseParser.ParseError {
            try await store.shutdown()
            printError("\(error)")
            throw GraceExit.configuration
        }
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
        let input = try MessageInput.readOrExit(file)
        let runtime = try Runtime.start(options, label: "grace.patterns", console: false, home: .existing)
        let knowledge = try runtime.knowledgeBase()
        let matcher = try SignatureMatcher(knowledgeBase: knowledge)
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
