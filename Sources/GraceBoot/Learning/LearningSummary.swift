import Foundation
import GraceCore
import GraceStore

/// What Grace has learned, gathered from the store, the knowledge base and the boot training records.
public struct LearningSummary: Sendable, Codable {
    public struct PatternSummary: Sendable, Codable {
        public var patternID: String
        public var title: String
        public var riskLevel: RiskLevel
        public var autonomyTier: AutonomyTier
        public var occurrences: Int
        public var fixes: [Learning.FixRanking]
        public var bestFix: String
        /// Why learning picks ``bestFix`` now.
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case patternID = "pattern_id", title, riskLevel = "risk_level", autonomyTier = "autonomy_tier", occurrences, fixes
            case bestFix = "best_fix", reason
        }
    }

    public var healthScore: Int
    public var predictions: [Learning.Prediction]
    public var patterns: [PatternSummary]

    enum CodingKeys: String, CodingKey { case healthScore = "health_score", predictions, patterns }

    /// Gathers the summary for a home.
    public static func compute(knowledgeBase: KnowledgeBase, repositories: GraceRepositories, layout: GraceHomeLayout,
                               settings: GraceSettings) async throws -> LearningSummary {
        let stats = try await repositories.playbooks.stats()
        let patterns = knowledgeBase.patterns.map { pattern in
            let ranked = Learning.rankFixes(for: pattern, stats: stats)
            return PatternSummary(patternID: pattern.id, title: pattern.title, riskLevel: pattern.riskLevel, autonomyTier: pattern.autonomyTier,
                                  occurrences: pattern.occurrences, fixes: ranked, bestFix: ranked.first?.playbookID ?? pattern.playbookID,
                                  reason: Learning.explainChoice(ranked, defaultPlaybook: pattern.playbookID))
        }
        let records = recentTrainingRecords(layout, limit: 10)
        let bands = try await repositories.metrics.latestPerMetric().map(\.latestBand)
        let pending = try await repositories.approvals.count(status: .pending)
        let score = Learning.healthScore(recentBootStatuses: records.map(\.outcome), metricBands: bands, pendingApprovals: pending)
        let predictions = Learning.predictFailures(recentBoots: records.map(\.patterns), preconditions: currentPreconditions(layout, settings))
        return LearningSummary(healthScore: score, predictions: predictions, patterns: patterns)
    }

    /// A boot's outcome and the patterns it met, from its training record.
    struct RecordDigest {
        var outcome: BootStatus
        var patterns: [String]
    }

    /// The newest training records (newest first); unreadable files are skipped.
    static func recentTrainingRecords(_ layout: GraceHomeLayout, limit: Int) -> [RecordDigest] {
        struct Record: Decodable {
            var outcome: BootStatus
            var matchedPatterns: [String]?
            enum CodingKeys: String, CodingKey { case outcome, matchedPatterns = "matched_patterns" }
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: layout.trainingDirectory)) ?? [])
            .filter { $0.hasPrefix("boot_") && $0.hasSuffix(".json") }.sorted(by: >)
        return names.prefix(limit).compactMap { name in
            guard let data = FileManager.default.contents(atPath: layout.trainingDirectory + "/" + name),
                  let record = try? JSONDecoder().decode(Record.self, from: data) else { return nil }
            return RecordDigest(outcome: record.outcome, patterns: record.matchedPatterns ?? [])
        }
    }

    static func currentPreconditions(_ layout: GraceHomeLayout, _ settings: GraceSettings) -> Learning.Preconditions {
        let environment = ProcessInfo.processInfo.environment
        let missing = settings.requiredSecrets.filter {
            (environment[$0] ?? EnvFile.value(of: $0, in: layout.envFile) ?? "").isEmpty
        }
        let pending = DatabaseInspection.inspectAll(layout).contains { $0.state == .pendingMigrations }
        let unclean = FileManager.default.fileExists(atPath: layout.pidFile) && !InstanceLock.isHeld(layout.pidFile)
        return Learning.Preconditions(localeIsUTF8: LocaleEnvironment.isUTF8(environment),
                                      missingRequiredSecrets: missing, pendingMigrations: pending, uncleanShutdown: unclean)
    }
}
