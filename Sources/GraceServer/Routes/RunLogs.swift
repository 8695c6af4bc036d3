import Foundation
import GraceCore
import GraceLog
import NIOPosix

/// The log lines of a run, from the home's log files (current and rotated): the server's
/// ``RunLogIndex`` finds the run's lines and GraceLog's ``LogReader`` filters them, so a request
/// costs what the run's own lines cost, whatever the size of the log. Reads run on NIO's thread
/// pool: indexing new bytes must not stall the cooperative threads that serve other requests.
struct RunLogs {
    let layout: GraceHomeLayout
    let sink: LogFileSink?
    let index: RunLogIndex

    /// Past this many distinct (playbook, verification) pairs, steps go without their own count.
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
        let index = index
        return try await NIOThreadPool.singleton.runIfActive {
            let lines = try Self.reading(logFile) { try index.lines(runID: runID, paths: $0) }
            let run = try LogReader.count(LogFilter(runID: runID), inLines: lines)
            var byKey: [Key: Int] = [Key(): run]
            for key in keys {
                byKey[key] = try LogReader.count(LogFilter(runID: runID, playbookID: key.playbookID, verificationID: key.verificationID),
                                                 inLines: lines)
            }
            var perStep: [String: Int] = [:]
            for step in steps {
                perStep[step.stepID] = byKey[Key(playbookID: step.playbookID, verificationID: step.verificationID)]
            }
            return Counts(run: run, perStep: perStep)
        }
    }

    /// The version of the run's lines in the home's log files now (none of them is read).
    func version(runID: String) async throws -> RunLogIndex.Version {
        sink?.flush()
        let logFile = layout.logFile
        let index = index
        return try await NIOThreadPool.singleton.runIfActive {
            try Self.reading(logFile) { try index.version(runID: runID, paths: $0) }
        }
    }

    /// How many of the run's lines match `filter` (which narrows them further, by playbook or
    /// verification), and `limit` of them (oldest first) as JSON objects: the newest, or with an
    /// `offset` those after the first `offset`.
    func lines(runID: String, _ filter: LogFilter, offset: Int?, limit: Int) async throws -> (total: Int, entries: [JSONValue]) {
        sink?.flush()
        let logFile = layout.logFile
        let index = index
        return try await NIOThreadPool.singleton.runIfActive {
            let lines = try Self.reading(logFile) { try index.lines(runID: runID, paths: $0) }
            let total = try LogReader.count(filter, inLines: lines)
            let entries = try offset.map { try LogReader.entries(filter, offset: $0, limit: limit, inLines: lines) }
                ?? LogReader.lastEntries(filter, limit: limit, inLines: lines)
            return (total, entries.compactMap { JSONValue(jsonText: $0.raw) })
        }
    }

    /// Reads the log and its rotated files; a rotation between listing the files and opening
    /// them makes one disappear, so the files are listed again once.
    private static func reading<T>(_ logFile: String, _ body: ([String]) throws -> T) throws -> T {
        do {
            return try body(LogReader.files(forLog: logFile))
        } catch LogReaderError.cannotRead {
            return try body(LogReader.files(forLog: logFile))
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
