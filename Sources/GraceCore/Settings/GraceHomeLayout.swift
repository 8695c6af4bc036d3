/// Where everything lives under `GRACE_HOME` (DESIGN.md section 2). Paths only; no I/O.
public struct GraceHomeLayout: Sendable, Equatable {
    public var root: String

    public init(root: String) {
        self.root = root.count > 1 && root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    public func path(_ components: String...) -> String {
        ([root] + components).joined(separator: "/")
    }

    public var databasesDirectory: String { path("databases") }
    public var graceDatabase: String { path("databases", "grace.db") }
    public var metricsDatabase: String { path("databases", "metrics.db") }
    public var logsDirectory: String { path("logs") }
    public var logFile: String { path("logs", "grace.jsonl") }
    public var lastBootReportText: String { path("logs", "last_boot_report.txt") }
    public var lastBootReportJSON: String { path("logs", "last_boot_report.json") }
    public var trainingDirectory: String { path("grace_training", "startup_failures") }
    public var knowledgeBase: String { path("grace_training", "startup_failures", "_metadata.json") }
    /// A recognition model trained for this home (`grace patterns train`); the built-in one when absent.
    public var recognitionModel: String { path("grace_training", "startup_failures", "recognition_model.tsv") }
    public var snapshotsDirectory: String { path("storage", "snapshots") }
    public var playbooksDirectory: String { path("playbooks") }
    public var pidFile: String { path("grace.pid") }
    public var envFile: String { path(".env") }

    /// Folders created on first use.
    public var directories: [String] {
        [databasesDirectory, logsDirectory, trainingDirectory, snapshotsDirectory, playbooksDirectory]
    }
}
