import Foundation
import GraceBoot
import GraceCore

/// Live console lines for a boot: one per stage as it finishes, then the verdict.
enum BootConsole {
    static func stageLine(_ index: Int, _ total: Int, _ outcome: StageOutcome) -> String {
        let color = isatty(STDOUT_FILENO) == 1
        let status = outcome.status.rawValue
        let painted: String
        switch outcome.status {
        case .passed, .passedAfterHeal: painted = color ? "\u{1B}[32m\(status)\u{1B}[0m" : status
        case .warning: painted = color ? "\u{1B}[33m\(status)\u{1B}[0m" : status
        case .failed: painted = color ? "\u{1B}[31m\(status)\u{1B}[0m" : status
        case .skipped: painted = color ? "\u{1B}[2m\(status)\u{1B}[0m" : status
        }
        var line = "[\(index)/\(total)] " + outcome.name.padding(toLength: 30, withPad: " ", startingAt: 0) + " " + painted
        line += String(repeating: " ", count: max(1, 18 - status.count)) + format(outcome.durationMS)
        for finding in outcome.findings where outcome.status != .passed && outcome.status != .skipped {
            line += "\n        - " + finding.message
            // What a failed stage ran into, in a line (the report has all of it): "why", without opening the report.
            if outcome.status == .failed, let first = finding.evidence.split(separator: "\n").first, !first.isEmpty {
                line += "\n          " + (first.count > 200 ? first.prefix(200) + "…" : first)
            }
        }
        for attempt in outcome.healing {
            line += "\n        * \(attempt.playbookID): \(attempt.decision)" + (attempt.succeeded ? " (fixed)" : " - " + attempt.detail)
        }
        return line
    }

    static func verdict(_ report: BootReport, home: GraceHomeLayout) -> String {
        var text = "boot \(report.status.rawValue.uppercased()) in \(format(report.durationMS)) (profile \(report.profile), run \(report.runID))"
        if let detail = report.rollbackDetail { text += "\nrollback: " + detail }
        text += "\nreport: \(home.lastBootReportText)"
        return text
    }

    static func format(_ milliseconds: Double) -> String {
        milliseconds < 1000 ? String(format: "%.1f ms", milliseconds) : String(format: "%.2f s", milliseconds / 1000)
    }
}
