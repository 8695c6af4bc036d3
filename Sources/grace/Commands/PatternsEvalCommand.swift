import ArgumentParser
import Foundation
import GraceBoot
import GraceCore

/// `grace patterns eval DIR`: how well diagnosis names the failures in a labelled corpus of real logs.
struct PatternsEvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Score diagnosis on a labelled corpus of logs (a folder with SOURCES.tsv); changes nothing.",
        discussion: """
            Runs the same diagnosis as `grace diagnose` on every log of the chosen split and prints per-pattern \
            precision (right / named) and recall (recalled / labelled; a log labelled a|b is recalled for both when \
            either is named), overall accuracy, how many negatives (label none) were named as a pattern, and \
            every file diagnosed wrongly. A log is right when it names one of its labels and nothing else; a \
            negative is right when it names nothing. `--json` prints the report as JSON. Exit 0 after printing, 2 on bad \
            input.
            """)

    @Argument(help: "Corpus folder holding SOURCES.tsv (for example Tests/Corpus/failures).") var directory: String
    @Option(help: "Which rows to score: a split the corpus's SOURCES.tsv names, or all (another name is answered with the corpus's list).") var split = "heldout"
    @Option(help: ArgumentHelp("Patterns from this knowledge-base file instead of the built-in ones.", valueName: "FILE"))
    var knowledgeBase: String?
    @Option(help: ArgumentHelp("Rate matches with this recognition model instead of the built-in one.", valueName: "FILE"))
    var model: String?
    @Flag(help: "Signatures alone, without the recognition model.") var noModel = false
    @Flag(help: "The recognition model alone, without the signatures: each log named by its likeliest class.") var modelOnly = false
    @Flag(help: "Print the report as JSON.") var json = false

    func validate() throws {
        if noModel && (model != nil || modelOnly) { throw ValidationError("--no-model excludes --model and --model-only") }
    }

    func run() async throws {
        let report: CorpusEvaluation.Report
        do {
            let patterns: [FailurePattern]
            if let knowledgeBase {
                guard let data = FileManager.default.contents(atPath: knowledgeBase) else {
                    printError("cannot read knowledge base \(knowledgeBase)")
                    throw GraceExit.configuration
                }
                patterns = try KnowledgeBaseParser.parse(data, file: knowledgeBase).patterns
            } else {
                patterns = try CorpusEvaluation.builtInPatterns()
            }
            let rating: RecognitionModel? = try noModel ? nil : model.map { path in
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "cannot read recognition model \(path)"])
                }
                return try RecognitionModelFile.decode(data, name: path)
            } ?? CorpusEvaluation.builtInModel()
            let diagnoser = LogDiagnoser(matcher: try SignatureMatcher(patterns: patterns, model: rating))
            let corpus = try CorpusEvaluation(directory: directory)
            report = try corpus.evaluate(split: split, patternIDs: patterns.map(\.id)) { path in
                if modelOnly, let rating {
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "cannot read \(path)"])
                    }
                    return Set([rating.classify(String(decoding: data, as: UTF8.self))].compactMap { $0 })
                }
                return Set(try diagnoser.diagnose(path: path).hits.map(\.patternID))
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            printError("\(error)")
            throw GraceExit.configuration
        }
        if json {
            print(String(decoding: try JSONEncoder.graceCompact.encode(report), as: UTF8.self))
        } else {
            print(Self.render(report))
        }
    }

    static func render(_ report: CorpusEvaluation.Report) -> String {
        func percent(_ value: Double) -> String { String(format: "%5.1f%%", value * 100) }
        var lines = ["split \(report.split): \(report.files) logs, \(report.negatives) negatives", "",
                     "pattern                               labelled  named  right  recalled  precision  recall"]
        for score in report.patterns {
            lines.append(score.patternID.padding(toLength: 38, withPad: " ", startingAt: 0)
                         + String(format: "%8d %6d %6d %9d", score.labelled, score.named, score.truePositives, score.recalled)
                         + "     " + percent(score.precision) + "  " + percent(score.recall))
        }
        lines.append("")
        lines.append("overall: \(report.right)/\(report.files) right (\(percent(report.accuracy).trimmingCharacters(in: .whitespaces)))")
        lines.append("negatives named as a pattern: \(report.negativesNamed)/\(report.negatives) (\(percent(report.negativesNamedShare).trimmingCharacters(in: .whitespaces)))")
        if !report.misses.isEmpty {
            lines.append("")
            lines.append("wrong:")
            for miss in report.misses {
                let expected = miss.expected.isEmpty ? "none" : miss.expected.joined(separator: "|")
                let named = miss.named.isEmpty ? "none" : miss.named.joined(separator: ",")
                lines.append("  \(miss.file): expected \(expected), named \(named)  (\(miss.note))")
            }
        }
        return lines.joined(separator: "\n")
    }
}
