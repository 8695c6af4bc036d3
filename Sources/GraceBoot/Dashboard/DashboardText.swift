import Foundation
import GraceCore

/// The terminal rendering of a ``StartupDashboard`` (`grace dashboard`): boxed sections, every line
/// at most `width` columns, ANSI colours only when asked for.
///
/// Pure: the output depends on the value, the width and the flags alone (the time shown is the
/// value's `generated_at`), so it can be compared against a snapshot.
public enum DashboardText {
    /// Narrower widths are rendered at this width.
    public static let minimumWidth = 32
    /// Wider terminals get boxes this wide at most, so lines stay readable.
    public static let maximumWidth = 160
    /// How many lines a wrapped issue, recommendation or prediction may take before it is cut.
    static let maximumWrappedLines = 4

    /// - Parameters:
    ///   - width: the terminal's columns; clamped to ``minimumWidth``...``maximumWidth``.
    ///   - colored: ANSI colours; none at all when false.
    ///   - baseURL: the server the value came from; quick links are shown as full URLs under it.
    public static func render(_ dashboard: StartupDashboard, width: Int = 80, colored: Bool = false, baseURL: String? = nil) -> String {
        let width = min(max(width, minimumWidth), maximumWidth)
        var out: [String] = []
        let inner = width - 4

        // Title line: name on the left, generation time on the right when there is room.
        let title = "Grace startup dashboard"
        let stamp = "generated " + dashboard.generatedAt
        if title.count + 2 + stamp.count <= width {
            let gap = String(repeating: " ", count: width - title.count - stamp.count)
            out.append(Style.bold.paint(title, colored) + gap + Style.dim.paint(stamp, colored))
        } else {
            out.append(Style.bold.paint(truncate(title, to: width), colored))
            out.append(Style.dim.paint(truncate(stamp, to: width), colored))
        }

        // Boot.
        var boot: [Line] = []
        let status = dashboard.bootStatus
        var statusLine: Line = [.init("status    "), .init(status.uppercased(), bootStyle(status))]
        if let timestamp = dashboard.bootTimestamp { statusLine.append(.init("  at \(timestamp)")) }
        if let duration = dashboard.bootDurationMS { statusLine.append(.init("  in \(formatDuration(duration))")) }
        boot.append(statusLine)
        if let last = dashboard.lastBoot {
            boot.append([.init("run       \(last.runID)  profile \(last.profile)")])
            let failed: Span = last.stagesFailed > 0 ? .init("\(last.stagesFailed) failed", .red) : .init("0 failed")
            boot.append([.init("stages    \(last.stagesPassed) passed, "), failed])
            if last.rolledBack {
                boot.append([.init("rollback  "), .init("rolled back", .red),
                             .init(last.snapshotID.map { " to \($0)" } ?? "")])
            } else if let snapshot = last.snapshotID {
                boot.append([.init("snapshot  \(snapshot)")])
            }
            if last.uncleanShutdownDetected {
                boot.append([.init("shutdown  "), .init("the run before did not shut down cleanly", .yellow)])
            }
            if !last.stages.isEmpty {
                boot.append([])
                let nameWidth = min(last.stages.map(\.name.count).max() ?? 0, max(inner - 24, 8))
                for stage in last.stages {
                    let (mark, style) = stageMark(stage.status)
                    let name = pad(truncate(stage.name, to: nameWidth), nameWidth)
                    let duration = padLeft(formatDuration(stage.durationMS), 9)
                    let label = stage.status == .passedAfterHeal ? "healed" : stage.status.rawValue
                    boot.append([.init(mark + " ", style), .init(name), .init(" " + duration), .init("  " + label, style),
                                 .init(stage.critical ? " (critical)" : "", .dim)])
                    if let finding = stage.findings.first, stage.status != .passed {
                        boot.append([.init("    " + finding, .dim)])
                    }
                }
            }
        } else {
            boot.append([.init("no boot report yet", .dim)])
        }
        out += box("Boot", boot, width: width, colored: colored)

        // Health and activity.
        let score = max(0, min(100, dashboard.healthScore))
        let scoreStyle: Style = score >= 80 ? .green : score >= 50 ? .yellow : .red
        let barWidth = max(0, min(20, inner - 22))
        let filled = barWidth * score / 100
        var health: [Line] = []
        var scoreLine: Line = [.init("health score  "), .init(padLeft(String(dashboard.healthScore), 3) + "/100", scoreStyle)]
        if barWidth > 0 {
            scoreLine.append(.init("  "))
            scoreLine.append(.init(String(repeating: "█", count: filled), scoreStyle))
            scoreLine.append(.init(String(repeating: "░", count: barWidth - filled), .dim))
        }
        health.append(scoreLine)
        health.append([.init("active runs   \(dashboard.activeRuns)")])
        health.append([.init("approvals     "),
                       .init("\(dashboard.pendingApprovals) pending", dashboard.pendingApprovals > 0 ? .yellow : .plain)])
        health.append([.init("playbooks     \(dashboard.playbooksAvailable) available, \(dashboard.playbooksExecutedToday) executed today")])
        out += box("Health", health, width: width, colored: colored)

        // Metrics.
        var metrics: [Line] = []
        let bands = dashboard.metricsByBand
        metrics.append([.init("overall   "), .init(dashboard.metricsHealth, bandStyle(dashboard.metricsHealth))])
        metrics.append([.init("bands     "), .init("\(bands.good) good", bands.good > 0 ? .green : .plain), .init(", "),
                        .init("\(bands.warning) warning", bands.warning > 0 ? .yellow : .plain), .init(", "),
                        .init("\(bands.critical) critical", bands.critical > 0 ? .red : .plain)])
        if !dashboard.criticalMetrics.isEmpty {
            metrics.append([.init("critical:", .red)])
            for metric in dashboard.criticalMetrics {
                let value = metric.value.map { " = " + formatNumber($0) } ?? ""
                metrics.append([.init("  ✗ ", .red), .init(metric.metricID + value), .init("  at \(metric.windowEnd)", .dim)])
            }
        }
        out += box("Metrics", metrics, width: width, colored: colored)

        if let service = dashboard.service {
            let errors = service.state.hasPrefix("running with errors")
            let style: Style = service.status == .failed ? .red : errors ? .yellow : service.status == .active ? .green : .plain
            var lines: [Line] = [[.init((service.status == .active ? "● " : "○ ") + service.state, style),
                                  .init("  run \(service.runID)"), .init("  since \(service.startedAt)", .dim)]]
            lines.append([.init("\(service.startsToday) start\(service.startsToday == 1 ? "" : "s") in 24 h, this run: "
                                + "\(service.verificationsPassed) verification\(service.verificationsPassed == 1 ? "" : "s") passed, "
                                + "\(service.verificationsFailed) failed")])
            out += box("Supervised service", lines, width: width, colored: colored)
        }

        // Last verification.
        var verification: [Line] = []
        if let last = dashboard.lastVerification {
            verification.append([.init(last.passed ? "✓ passed" : "✗ failed", last.passed ? .green : .red),
                                 .init("  \(last.type)"), .init("  at \(last.timestamp)", .dim)])
            if !last.result.isEmpty { verification.append(contentsOf: wrapped(last.result, width: inner, indent: "  ")) }
        } else {
            verification.append([.init("none yet", .dim)])
        }
        out += box("Last verification", verification, width: width, colored: colored)

        // Issues and recommendations.
        out += box("Issues (\(dashboard.issues.count))", bullets(dashboard.issues, mark: "!", style: .yellow, width: inner),
                   width: width, colored: colored)
        out += box("Recommendations", bullets(dashboard.recommendations, mark: "→", style: .cyan, width: inner),
                   width: width, colored: colored)

        // Predicted failures.
        var predictions: [Line] = []
        for prediction in dashboard.predictedFailures {
            let percent = Int((prediction.likelihood * 100).rounded())
            let style: Style = percent >= 50 ? .red : .yellow
            predictions.append([.init(padLeft("\(percent)%", 4) + " ", style), .init(prediction.patternID)])
            predictions.append(contentsOf: wrapped(prediction.reason, width: inner, indent: "     ", style: .dim))
        }
        if predictions.isEmpty { predictions.append([.init("none", .dim)]) }
        out += box("Predicted failures", predictions, width: width, colored: colored)

        // Quick links.
        var links: [Line] = []
        let base = baseURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } ?? ""
        let titleWidth = min(dashboard.quickLinks.map(\.title.count).max() ?? 0, inner / 2)
        for link in dashboard.quickLinks {
            links.append([.init(pad(truncate(link.title, to: titleWidth), titleWidth) + "  "), .init(base + link.href, .cyan)])
        }
        if links.isEmpty { links.append([.init("none", .dim)]) }
        out += box("Quick links", links, width: width, colored: colored)

        return out.joined(separator: "\n")
    }

    // MARK: - Layout

    enum Style {
        case plain, bold, dim, red, green, yellow, cyan

        var code: String? {
            switch self {
            case .plain: nil
            case .bold: "1"
            case .dim: "2"
            case .red: "31"
            case .green: "32"
            case .yellow: "33"
            case .cyan: "36"
            }
        }

        func paint(_ text: String, _ colored: Bool) -> String {
            guard colored, let code, !text.isEmpty else { return text }
            return "\u{1B}[\(code)m\(text)\u{1B}[0m"
        }
    }

    /// A piece of a line in one style; a line is laid out (cut, padded) before it is painted.
    struct Span {
        var text: String
        var style: Style

        init(_ text: String, _ style: Style = .plain) {
            self.text = text
            self.style = style
        }
    }

    typealias Line = [Span]

    /// A titled box `width` columns wide; content longer than the box is cut with "…".
    static func box(_ title: String, _ lines: [Line], width: Int, colored: Bool) -> [String] {
        let inner = width - 4
        let heading = truncate(title, to: width - 6)
        var out = [""]
        out.append("┌─ " + Style.bold.paint(heading, colored) + " " + String(repeating: "─", count: width - 5 - heading.count) + "┐")
        for line in lines {
            out.append("│ " + layout(line, width: inner, colored: colored) + " │")
        }
        out.append("└" + String(repeating: "─", count: width - 2) + "┘")
        return out
    }

    /// The spans cut to `width` columns (the last visible one ending in "…" when something was cut),
    /// padded with spaces to exactly `width`, then painted.
    static func layout(_ line: Line, width: Int, colored: Bool) -> String {
        let total = line.reduce(0) { $0 + $1.text.count }
        var remaining = width
        var out = ""
        let cut = total > width
        for span in line where remaining > 0 {
            var text = span.text
            if cut && text.count >= remaining {
                text = String(text.prefix(remaining - 1)) + "…"
            }
            remaining -= text.count
            out += span.style.paint(text, colored)
        }
        return out + String(repeating: " ", count: max(0, remaining))
    }

    /// Each item word-wrapped under a mark, at most ``maximumWrappedLines`` lines; "none" when empty.
    static func bullets(_ items: [String], mark: String, style: Style, width: Int) -> [Line] {
        guard !items.isEmpty else { return [[Span("none", .dim)]] }
        var lines: [Line] = []
        for item in items {
            let body = wrap(item, width: width - 2)
            for (index, text) in body.enumerated() {
                lines.append(index == 0 ? [Span(mark + " ", style), Span(text)] : [Span("  " + text)])
            }
        }
        return lines
    }

    static func wrapped(_ text: String, width: Int, indent: String, style: Style = .plain) -> [Line] {
        wrap(text, width: width - indent.count).map { [Span(indent + $0, style)] }
    }

    /// Word-wraps `text` to `width` columns; words longer than a line are broken, and text beyond
    /// ``maximumWrappedLines`` lines is cut with "…". Newlines and tabs count as spaces.
    static func wrap(_ text: String, width: Int) -> [String] {
        let width = max(width, 1)
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).map(String.init)
        var lines: [String] = []
        var current = ""
        for var word in words {
            while word.count > width {
                if !current.isEmpty {
                    lines.append(current)
                    current = ""
                }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty {
                current = word
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        if lines.count > maximumWrappedLines {
            lines = Array(lines.prefix(maximumWrappedLines))
            let last = lines[lines.count - 1]
            lines[lines.count - 1] = last.count < width ? last + "…" : String(last.prefix(width - 1)) + "…"
        }
        return lines
    }

    static func truncate(_ text: String, to width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 0 else { return "" }
        return String(text.prefix(width - 1)) + "…"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    // MARK: - Values

    static func bootStyle(_ status: String) -> Style {
        switch status {
        case BootStatus.success.rawValue: .green
        case BootStatus.partial.rawValue: .yellow
        case BootStatus.failed.rawValue: .red
        default: .dim
        }
    }

    static func bandStyle(_ band: String) -> Style {
        switch band {
        case MetricBand.good.rawValue: .green
        case MetricBand.warning.rawValue: .yellow
        case MetricBand.critical.rawValue: .red
        default: .dim
        }
    }

    static func stageMark(_ status: StageStatus) -> (String, Style) {
        switch status {
        case .passed: ("✓", .green)
        case .passedAfterHeal: ("✓", .yellow)
        case .warning: ("!", .yellow)
        case .failed: ("✗", .red)
        case .skipped: ("-", .dim)
        }
    }

    static func formatDuration(_ ms: Double) -> String {
        ms < 1000 ? String(format: "%.1f ms", ms) : String(format: "%.2f s", ms / 1000)
    }

    static func formatNumber(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.3g", value)
    }
}
