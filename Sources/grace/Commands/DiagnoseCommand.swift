import ArgumentParser
import Foundation
import GraceBoot
import GraceCore

struct DiagnoseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Find known failure patterns in a log file (or - for standard input); changes nothing.",
        discussion: """
            Prints each matched pattern with its evidence lines, the captured names, the recognition model's
            score for the error block and the words that decided it, the root cause, the playbook Grace would
            run and the governance decision under the current settings. The score advises: the signatures
            decide what is found and healed. With --learn, the failure lines no
            pattern matched (at most 10,000) are also mined into the home's clusters, where
            `grace patterns suggest` finds them. Exit 0 when nothing matched, 1 when a pattern matched,
            2 on bad input.
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "Log file to read, or - for standard input.") var file: String
    @Flag(help: "Print the result as JSON.") var json = false
    @Flag(help: "Mine the failure lines no pattern matched into the home's clusters (a file, not -).") var learn = false

    /// The most unmatched lines one `--learn` mines.
    static let learnLimit = 10_000

    func validate() throws {
        if learn && file == "-" { throw ValidationError("--learn reads the file again after diagnosing it: give a file, not -") }
    }

    func run() async throws {
        let runtime = try Runtime.start(options, label: "grace.diagnose", console: false, home: .create)
        let healer: SelfHealer
        let matcher: SignatureMatcher
        do {
            healer = try SelfHealer.forHome(settings: runtime.settings, repositories: nil, logger: runtime.logger)
            matcher = try SignatureMatcher(knowledgeBase: healer.knowledgeBase,
                                           model: try RecognitionModelFile(layout: runtime.layout).load())
        } catch {
            printError("\(error)")
            throw GraceExit.configuration
        }
        let start = ContinuousClock.now
        let result: LogDiagnoser.Result
        do {
            let diagnoser = LogDiagnoser(matcher: matcher)
            result = file == "-" ? try diagnoser.diagnose(descriptor: STDIN_FILENO) : try diagnoser.diagnose(path: file)
        } catch {
            printError("\(error)")
            throw GraceExit.configuration
        }
        let seconds = (ContinuousClock.now - start).milliseconds / 1000
        var findings: [Diagnosis] = []
        for hits in result.hits {
            guard let pattern = healer.knowledgeBase.pattern(hits.patternID) else { continue }
            let (playbook, decision) = await healer.decision(for: pattern)
            findings.append(Diagnosis(patternID: pattern.id, title: pattern.title, count: hits.count, rootCause: pattern.rootCause,
                                      playbookID: playbook?.id ?? pattern.playbookID, riskLevel: playbook?.riskLevel ?? pattern.riskLevel,
                                      autonomyTier: playbook?.autonomyTier ?? pattern.autonomyTier, decision: decision, evidence: hits.evidence))
        }
        if learn {
            let lines = try Self.unmatchedFailures(in: file, matcher: matcher)
            do {
                let store = try await runtime.openStore()
                try await UnmatchedFailures.record(lines, source: "diagnose:" + URL(fileURLWithPath: file).lastPathComponent, runID: nil,
                                                   into: store.repositories)
                try await store.shutdown()
            } catch {
                printError("could not store the mined lines: \(error)")
                throw GraceExit.store
            }
            printError("mined \(lines.count) unmatched failure line\(lines.count == 1 ? "" : "s") into the home (grace patterns suggest)")
        }
        if json {
            let report = DiagnosisReport(file: file, lines: result.lines, bytes: result.bytes, seconds: seconds, patterns: findings)
            print(String(decoding: try JSONEncoder.graceCompact.encode(report), as: UTF8.self))
        } else {
            print(Self.render(findings, lines: result.lines, bytes: result.bytes, seconds: seconds))
        }
        if !findings.isEmpty { throw GraceExit.failure }
    }

    /// Lines of `path` that read as failures and that no pattern matched, up to ``learnLimit``.
    static func unmatchedFailures(in path: String, matcher: SignatureMatcher) throws -> [String] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            printError("cannot read \(path): \(error.localizedDescription)")
            throw GraceExit.configuration
        }
        var lines: [String] = []
        data.withUnsafeBytes { raw in
            MessageInput.forEachLine(raw.bindMemory(to: UInt8.self)) { bytes in
                guard lines.count < learnLimit else { return }
                let line = String(decoding: bytes, as: UTF8.self)
                if UnmatchedFailures.looksLikeFailure(line) && matcher.matches(in: line).isEmpty { lines.append(line) }
            }
        }
        return lines
    }

    static func render(_ findings: [Diagnosis], lines: Int, bytes: Int, seconds: Double) -> String {
        var text: [String] = []
        let rate = seconds > 0 ? Int(Double(lines) / seconds) : lines
        text.append("scanned \(lines) lines (\(bytes) bytes) in \(String(format: "%.3f", seconds)) s, \(rate) lines/s")
        if findings.isEmpty { text.append("no known failure pattern found") }
        for finding in findings {
            text.append("")
            text.append("● \(finding.patternID): \(finding.title)  (\(finding.count) line\(finding.count == 1 ? "" : "s"))")
            for match in finding.evidence { text += Self.render(match) }
            text.append("  root cause: \(finding.rootCause)")
            text.append("  playbook:   \(finding.playbookID) (\(finding.riskLevel.rawValue) risk, \(finding.autonomyTier))")
            text.append("  decision:   \(finding.decision.rawValue)")
        }
        return text.joined(separator: "\n")
    }

    /// One evidence line: where, what was captured, and the model's score with the words behind it.
    static func render(_ match: SignatureMatch) -> [String] {
        var text = ["    line \(match.lineNumber): \(match.line.prefix(200))"]
        if !match.captures.isEmpty {
            text.append("      captured: " + match.captures.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        if let score = match.score {
            let words = (match.why ?? []).isEmpty ? "" : " (" + match.why!.joined(separator: ", ") + ")"
            text.append("      score:    " + String(format: "%.3f", score) + words)
        }
        return text
    }

    struct Diagnosis: Encodable {
        var patternID: String
        var title: String
        var count: Int
        var rootCause: String
        var playbookID: String
        var riskLevel: RiskLevel
        var autonomyTier: AutonomyTier
        var decision: GovernanceDecision
        var evidence: [SignatureMatch]

        enum CodingKeys: String, CodingKey {
            case patternID = "pattern_id", title, count, rootCause = "root_cause", playbookID = "playbook_id"
            case riskLevel = "risk_level", autonomyTier = "autonomy_tier", decision, evidence
        }
    }

    struct DiagnosisReport: Encodable {
        var file: String
        var lines: Int
        var bytes: Int
        var seconds: Double
        var patterns: [Diagnosis]
    }
}
