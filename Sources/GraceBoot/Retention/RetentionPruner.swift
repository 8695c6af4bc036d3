import Foundation
import GraceCore
import GraceStore
import Logging
import ServiceLifecycle

/// What one prune deleted (or, dry, would delete), per kind.
public struct PruneReport: Sendable, Equatable, Encodable {
    public struct Entry: Sendable, Equatable, Encodable {
        public var kind: RetainedKind
        /// Days kept; nil keeps forever (nothing of the kind is pruned).
        public var keptDays: Double?
        /// Records older than this go; nil when kept forever.
        public var cutoff: String?
        public var count: Int

        enum CodingKeys: String, CodingKey { case kind, keptDays = "kept_days", cutoff, count }
    }

    public var dryRun: Bool
    public var entries: [Entry]
    /// Space given back after the deletes (none on a dry run).
    public var space: SpaceReclaim?
    /// The `retention.prune` audit entry recording this prune (when it deleted anything).
    public var auditSequence: Int64?

    public var total: Int { entries.reduce(0) { $0 + $1.count } }

    enum CodingKeys: String, CodingKey { case dryRun = "dry_run", entries, space, auditSequence = "audit_sequence", total }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dryRun, forKey: .dryRun)
        try container.encode(entries, forKey: .entries)
        try container.encodeIfPresent(space, forKey: .space)
        try container.encodeIfPresent(auditSequence, forKey: .auditSequence)
        try container.encode(total, forKey: .total)
    }

    init(dryRun: Bool, entries: [Entry]) {
        self.dryRun = dryRun
        self.entries = entries
    }
}

/// Deletes what is older than the retention settings keep: finished runs with their steps,
/// decided approvals, verification events, finished playbook runs, metric snapshots, alert
/// deliveries of events past alerting, boot training records and rotated log files. Never the audit chain (append-only: every entry stays,
/// so `grace audit verify` proves all of it), never an active run or an open approval.
///
/// Store deletes go in batches of ``batchSize`` rows, each its own short transaction, so a large
/// prune never holds the write lock for long. A prune that deleted anything is audited
/// (`retention.prune`, with each kind's cutoff and count): the chain records what left the store.
public struct RetentionPruner: Sendable {
    public let settings: RetentionSettings
    let layout: GraceHomeLayout
    let repositories: GraceRepositories
    let logger: Logger
    /// `GRACE_ALERT_LOOKBACK_HOURS`: alert deliveries stay at least this long, as an event this
    /// recent can still be found and would be alerted again without its record.
    let alertLookbackHours: Int
    /// Rows deleted per transaction.
    var batchSize = 500

    public init(settings: RetentionSettings, layout: GraceHomeLayout, repositories: GraceRepositories, alertLookbackHours: Int, logger: Logger) {
        self.settings = settings
        self.layout = layout
        self.repositories = repositories
        self.alertLookbackHours = alertLookbackHours
        self.logger = logger
    }

    /// One prune of everything due at `now`; with `dryRun`, counts what would go and deletes nothing.
    public func run(dryRun: Bool, now: Date = Date()) async throws -> PruneReport {
        var cutoffs = Dictionary(uniqueKeysWithValues: RetainedKind.allCases.compactMap { kind -> (RetainedKind, Date)? in
            settings.days(for: kind.group).map { (kind, now.addingTimeInterval(-$0 * 86_400)) }
        })
        if let cutoff = cutoffs[.alertDeliveries] {
            cutoffs[.alertDeliveries] = min(cutoff, now.addingTimeInterval(-Double(alertLookbackHours) * 3600))
        }
        var counts: [RetainedKind: Int] = [:]
        let stored = RetainedKind.stored.filter { cutoffs[$0] != nil }
        if dryRun {
            for kind in stored {
                let wanted = kind == .runs ? [kind, .steps] : [kind]
                counts.merge(try await repositories.retention.countPrunable(wanted, before: Timestamp.string(from: cutoffs[kind]!)), uniquingKeysWith: +)
            }
        } else {
            for kind in stored {
                let cutoff = Timestamp.string(from: cutoffs[kind]!)
                while true {
                    let deleted = try await repositories.retention.pruneBatch(kind, before: cutoff, limit: batchSize)
                    counts.merge(deleted, uniquingKeysWith: +)
                    if (deleted[kind] ?? 0) < batchSize { break }
                    // Other writers (the API, the monitor) get the lock between batches.
                    await Task.yield()
                }
            }
        }
        let files = RetainedFiles(layout: layout)
        if let cutoff = cutoffs[.trainingRecords] {
            let due = files.trainingRecords(before: cutoff)
            counts[.trainingRecords] = dryRun ? due.count : try files.remove(due, lockingLog: nil) { FileManager.default.fileExists(atPath: $0) }
        }
        if let cutoff = cutoffs[.rotatedLogs] {
            let due = files.rotatedLogs(before: cutoff)
            counts[.rotatedLogs] = dryRun ? due.count
                : try files.remove(due, lockingLog: layout.logFile) { files.rotatedLogs(before: cutoff).contains($0) }
        }
        var report = PruneReport(dryRun: dryRun, entries: RetainedKind.allCases.map { kind in
            PruneReport.Entry(kind: kind, keptDays: settings.days(for: kind.group), cutoff: cutoffs[kind].map(Timestamp.string(from:)),
                              count: counts[kind] ?? 0)
        })
        guard !dryRun else { return report }
        report.space = try await repositories.retention.reclaimSpace()
        if report.total > 0 {
            var payload: [String: JSONValue] = [:]
            for entry in report.entries where entry.count > 0 {
                payload[entry.kind.rawValue] = ["count": .number(Double(entry.count)), "cutoff": entry.cutoff.map(JSONValue.string) ?? .null]
            }
            let entry = try await repositories.audit.append(AuditEvent(
                actor: "grace", action: "retention.prune", resource: "retention", subsystem: "retention",
                payload: .object(payload), result: "deleted \(report.total)"))
            report.auditSequence = entry.sequence
            logger.info("pruned \(report.total) records past retention", metadata: [
                "subsystem": "retention", "event_type": "retention_pruned", "deleted": "\(report.total)",
                "audit_sequence": "\(entry.sequence)"])
        }
        return report
    }
}

/// Prunes at start and then every `GRACE_RETENTION_INTERVAL` seconds under `grace up`.
public struct RetentionService: Service {
    let pruner: RetentionPruner
    let interval: Duration

    public init(pruner: RetentionPruner, interval: Duration) {
        self.pruner = pruner
        self.interval = interval
    }

    public func run() async throws {
        await PeriodicPasses(interval: interval, startImmediately: true).run({ _ = try await pruner.run(dryRun: false) }) { error in
            pruner.logger.error("retention prune failed", metadata: ["subsystem": "retention", "event_type": "retention_failed", "error": "\(error)"])
        }
    }
}
