import ArgumentParser
import Foundation
import GraceBoot
import GraceCore
import GraceStore

/// `grace patterns`: the listing by default (`grace patterns [--json]`), and the subcommands.
/// A group, so a subcommand's `--json` is its own (a parent's flag would take it first).
struct PatternsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patterns",
        abstract: "Known failure patterns, and mining the failures no pattern names.",
        subcommands: [PatternsListCommand.self, PatternsMineCommand.self, PatternsSuggestCommand.self, PatternsPromoteCommand.self,
                      PatternsTestCommand.self, PatternsEvalCommand.self, PatternsTrainCommand.self],
        defaultSubcommand: PatternsListCommand.self)
}

struct PatternsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List known failure patterns with counts, success rates, best fix and predictions.")

    @OptionGroup var options: GlobalOptions
    @Flag(help: "Print as JSON.") var json = false

    func run() async throws {
        let runtime = try Runtime.start(options, label: "grace.patterns", console: false, home: .existing)
        let store = try await runtime.openStore()
        let knowledge = try runtime.knowledgeBase()
        let summary = try await LearningSummary.compute(knowledgeBase: knowledge, repositories: store.repositories, layout: runtime.layout,
                                                        settings: runtime.settings)
        if json {
            print(String(decoding: try JSONEncoder.graceCompact.encode(summary), as: UTF8.self))
            return
        }
        print("startup health score: \(summary.healthScore)/100")
        for pattern in summary.patterns {
            print("")
            print("\(pattern.patternID)  (\(pattern.riskLevel.rawValue) risk, \(pattern.autonomyTier))  seen \(pattern.occurrences)x")
            for fix in pattern.fixes {
                let rate = fix.successRate.map { String(format: "%.0f%%", $0 * 100) } ?? "untried"
                let marker = fix.playbookID == pattern.bestFix ? "→" : " "
                print("  \(marker) \(fix.playbookID): \(fix.successes)/\(fix.attempts) (\(rate)), lower bound \(String(format: "%.2f", fix.lowerBound))")
            }
            print("    next: \(pattern.bestFix), because \(pattern.reason)")
        }
        print("")
        if summary.predictions.isEmpty { print("no failures predicted") }
        for prediction in summary.predictions {
            print("likely: \(prediction.patternID) \(Int(prediction.likelihood * 100))% — \(prediction.reason)")
        }
    }
}
