import Foundation
import GraceCore
import GraceStore
import GraceLog
import Logging

/// Writes `logs/last_boot_report.{txt,json}` and the training record
/// `grace_training/startup_failures/boot_YYYYMMDD_HHMMSS.json`, with secrets redacted.
struct BootReportWriter {
    let layout: GraceHomeLayout
    let redactor: SecretRedactor

    init(layout: GraceHomeLayout, secrets: [String]) {
        self.layout = layout
        self.redactor = SecretRedactor(secrets: secrets)
    }

    func write(_ report: BootReport, logger: Logger) {
        do {
            try FileManager.default.createDirectory(atPath: layout.logsDirectory, withIntermediateDirectories: true)
            try FileManager.default.createDirectory(atPath: layout.trainingDirectory, withIntermediateDirectories: true)
            try save(report.text, to: layout.lastBootReportText)
            try save(String(decoding: JSONEncoder.gracePretty.encode(report), as: UTF8.self), to: layout.lastBootReportJSON)
            let record = TrainingRecord(report: report)
            try save(String(decoding: JSONEncoder.gracePretty.encode(record), as: UTF8.self), to: trainingRecordPath(for: report))
        } catch {
            logger.error("could not write the boot report", metadata: ["subsystem": "boot_pipeline", "error": "\(error)"])
        }
    }

    /// `boot_YYYYMMDD_HHMMSS.json`, with a counter when two boots share a second.
    func trainingRecordPath(for report: BootReport) -> String {
        let stamp = Timestamp.date(from: report.startedAt).map(Timestamp.compact(from:)) ?? "unknown"
        let base = layout.trainingDirectory + "/boot_" + stamp
        var candidate = base + ".json"
        var counter = 1
        while FileManager.default.fileExists(atPath: candidate) {
            counter += 1
            candidate = base + "_\(counter).json"
        }
        return candidate
    }

    private func save(_ text: String, to path: String) throws {
        try FileWriting.replace(path, with: Data(redactor.redact(text).utf8))
    }
}

/// One boot as a learning example, in the original system's record shape plus Grace's detail.
struct TrainingRecord: Encodable {
    struct Incident: Encodable {
        var stage: String
        var message: String
        var evidence: String
        var code: String?
    }

    struct Summary: Encodable {
        var success: Bool
        var stagesPassed: Int
        var stagesFailed: Int
        var metrics: [String: Double]

        enum CodingKeys: String, CodingKey {
            case success, stagesPassed = "stages_passed", stagesFailed = "stages_failed", metrics
        }
    }

    var bootTimestamp: String
    var runID: String
    var profile: String
    var outcome: BootStatus
    var snapshotID: String?
    var rolledBack: Bool
    var stages: [StageOutcome]
    var incidents: [Incident]
    var matchedPatterns: [String]
    var fixesApplied: [HealingAttempt]
    var summary: Summary

    init(report: BootReport) {
        bootTimestamp = report.startedAt
        runID = report.runID
        profile = report.profile
        outcome = report.status
        snapshotID = report.snapshotID
        rolledBack = report.rolledBack
        stages = report.stages
        incidents = report.stages.flatMap { stage in
            stage.status == .skipped ? [] : stage.findings.map { Incident(stage: stage.name, message: $0.message, evidence: $0.evidence, code: $0.code) }
        }
        let attempts = report.stages.flatMap(\.healing)
        matchedPatterns = Array(Set(attempts.compactMap(\.patternID))).sorted()
        fixesApplied = attempts
        var metrics = ["boot_duration_ms": report.durationMS]
        for stage in report.stages { metrics["stage_\(stage.name)_ms"] = stage.durationMS }
        summary = Summary(success: report.status != .failed, stagesPassed: report.stagesPassed, stagesFailed: report.stagesFailed,
                          metrics: metrics)
    }

    enum CodingKeys: String, CodingKey {
        case bootTimestamp = "boot_timestamp", runID = "run_id", profile, outcome, snapshotID = "snapshot_id", rolledBack = "rolled_back"
        case stages, incidents, matchedPatterns = "matched_patterns", fixesApplied = "fixes_applied", summary
    }
}
