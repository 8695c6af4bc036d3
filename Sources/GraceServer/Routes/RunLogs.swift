import Foundation
import GraceCore
import GraceLog
import NIOPosix

/// The log lines of a run, read from the home's log files (current and rotated) with GraceLog's
/// ``LogReader``. Reads run on NIO's thread pool: a large log must not stall the
/// cooperative threads that serve other requests.
struct RunLogs {
    let layout: GraceHomeLayout
    let sink: LogFileSink?

    /// Separate counts per step cost a scan each; past this many distinct id pairs, steps go without.
    static let maxStepScans = 64

    struct Counts: Sendable {
        /// Lines that carry the run id.
        var run: Int
        /// Per step id: lines that carry the run id and the step's playbook and verification ids.
        var perStep: [String: Int]
    }

    private struct Key: Hashable, Sendable {
        var playbookID: String?
        var verificationID: String?
    }

    func counts(runID: String, steps: [TimelineStep]) async throws -> Counts {
        // Buffered lines would be missing from the count: write them out first.
        sink?.flush()
        let logFile = layout.logFile
        let keys = Array(Set(steps.map { Key(playbookID: $0.playbookID, verificationID: $0.verificationID) })
            .filter { $0.playbookID != nil || $0.verificationID != nil }.prefix(Self.maxStepScans))
        return try await NIOThreadPool.singleton.runIfActive {
            let run = try Self.reading(logFile) { try $0.count(LogFilter(runID: runID)) }
            var byKey: [Key: Int] = [Key(): run]
            for key in keys {
                byKey[key] = try Self.reading(logFile) {
                    try $0.count(LogFilter(runID: runID, playbookID: key.playbookID, verificationID: key.verificationID))
                }
            }
            var perStep: [String: Int] = [:]
            for step in steps {
                perStep[step.stepID] = byKey[Key(playbookID: step.playbookID, verificationID: step.verificationID)]
            }
            return Counts(run: run, perStep: perStep)
        }
    }

    /// How many lines match, and the newest `limit` of them (oldest first), as JSON objects.
    func lines(_ filter: LogFilter, limit: Int) async throws -> (total: Int, entries: [JSONValue]) {
        sink?.flush()
        let logFile = layout.logFile
        return try await NIOThreadPool.singleton.runIfActive {
            let total = try Self.reading(logFile) { try $0.count(filter) }
            let entries = try Self.reading(logFile) { try $0.lastEntries(filter, limit: limit) }
            return (total, entries.compactMap { JSONValue(jsonText: $0.raw) })
        }
    }

    /// Reads the log and its rotated files; a rotation between listing the files and opening
    /// them makes one disappear, so the files are listed again once.
    private static func reading<T>(_ logFile: String, _ body: (LogReader) throws -> T) throws -> T {
        do {
            return try body(LogReader(paths: LogReader.files(forLog: logFile)))
        } catch LogReaderError.cannotRead {
            return try body(LogReader(paths: LogReader.files(forLog: logFile)))
        }
    }

    /// `/api/agent/runs/{run_id}/logs`, narrowed to a step's playbook and verification when it has them.
    static func link(runID: String, playbookID: String?, verificationID: String?) -> String {
        var query: [String] = []
        if let playbookID { query.append("playbook_id=\(playbookID)") }
        if let verificationID { query.append("verification_id=\(verificationID)") }
        return "/api/agent/runs/\(runID)/logs" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}
