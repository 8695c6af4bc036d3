import GraceCore
import GraceStore

/// Failures no pattern names, mined into the store's clusters (``TemplateMiner``) so a failure that
/// keeps coming back becomes a suggestion (`grace patterns suggest`): the one way boots and the
/// supervised service record what Grace does not know yet.
public enum UnmatchedFailures {
    /// Mines `lines` (already known to match no pattern) as `source`, for run `runID`.
    public static func record(_ lines: [String], source: String, runID: String?, into repositories: GraceRepositories) async throws {
        guard !lines.isEmpty else { return }
        var miner = TemplateMiner()
        let provisional = lines.map { miner.add($0) }
        try await repositories.minedClusters.record(MinedClusterRecord.records(
            from: miner.result(), provisional: provisional, lines: lines, source: source, runID: runID, at: Timestamp.now()))
    }

    /// Whether a line of a service's error output reads as a failure (not progress or a warning).
    public static func looksLikeFailure(_ line: String) -> Bool {
        let lowered = line.lowercased()
        return ["error", "exception", "fatal", "panic", "traceback", "failed", "failure"].contains { lowered.contains($0) }
    }
}
