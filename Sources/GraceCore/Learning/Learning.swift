import Foundation

/// What Grace learns from its history: the best fix per pattern, likely failures, and a
/// startup health score. Pure functions over records, so they are easy to test and explain.
public enum Learning {
    /// Lower bound of the Wilson score interval for a success rate (z = 1.96, 95 %).
    ///
    /// Unlike the raw ratio, one success out of one attempt (0.21) ranks below 45 out of 50
    /// (0.79): confidence grows with evidence.
    public static func wilsonLowerBound(successes: Int, attempts: Int, z: Double = 1.96) -> Double {
        guard attempts > 0 else { return 0 }
        let n = Double(attempts)
        let p = Double(successes) / n
        let z2 = z * z
        let centre = p + z2 / (2 * n)
        let margin = z * ((p * (1 - p) + z2 / (4 * n)) / n).squareRoot()
        return max(0, (centre - margin) / (1 + z2 / n))
    }

    /// A playbook's record for one pattern, and its ranking score.
    public struct FixRanking: Sendable, Equatable, Codable {
        public var playbookID: String
        public var attempts: Int
        public var successes: Int
        public var successRate: Double?
        public var lowerBound: Double
        /// Attempts that did not succeed.
        public var failures: Int { attempts - successes }

        enum CodingKeys: String, CodingKey {
            case playbookID = "playbook_id", attempts, successes, successRate = "success_rate", lowerBound = "lower_bound"
        }
    }

    /// Failures without a success after which a playbook yields to an untried alternative: one
    /// failure may be bad luck, two are evidence.
    public static let failuresBeforeTryingAnother = 2

    /// Ranks the pattern's candidate playbooks by Wilson lower bound, best first. Untried
    /// candidates score 0, like those that never succeeded: among equal bounds one that failed
    /// ``failuresBeforeTryingAnother`` times or more ranks below one that failed fewer, so a
    /// default that keeps failing gives way to an untried alternative; then the pattern's own
    /// order, so its default wins until evidence says otherwise.
    public static func rankFixes(for pattern: FailurePattern, stats: [PlaybookStats]) -> [FixRanking] {
        let rankings = pattern.candidatePlaybooks.map { playbookID -> FixRanking in
            let record = stats.first { $0.patternID == pattern.id && $0.playbookID == playbookID }
            let attempts = record?.attempts ?? 0
            let successes = record?.successes ?? 0
            return FixRanking(playbookID: playbookID, attempts: attempts, successes: successes,
                              successRate: attempts > 0 ? Double(successes) / Double(attempts) : nil,
                              lowerBound: wilsonLowerBound(successes: successes, attempts: attempts))
        }
        func evidence(_ ranking: FixRanking) -> Int { ranking.failures >= failuresBeforeTryingAnother ? ranking.failures : 0 }
        return rankings.enumerated().sorted { left, right in
            (left.element.lowerBound, -evidence(left.element), -left.offset) > (right.element.lowerBound, -evidence(right.element), -right.offset)
        }.map(\.element)
    }

    /// Why the first of `rankings` (from ``rankFixes(for:stats:)``) is chosen, in one sentence.
    public static func explainChoice(_ rankings: [FixRanking], defaultPlaybook: String) -> String {
        guard let best = rankings.first else { return "no playbook" }
        if rankings.count == 1 { return "\(best.playbookID) is the only playbook for this pattern" }
        if best.playbookID != defaultPlaybook, let fallback = rankings.first(where: { $0.playbookID == defaultPlaybook }) {
            let record = "\(defaultPlaybook) failed \(fallback.failures) of \(fallback.attempts) attempt\(fallback.attempts == 1 ? "" : "s")"
            return best.attempts == 0 ? "\(record); \(best.playbookID) has not been tried yet"
                : "\(record); \(best.playbookID) succeeded \(best.successes) of \(best.attempts) (lower bound \(String(format: "%.2f", best.lowerBound)))"
        }
        if best.attempts == 0 { return "\(best.playbookID) is the default and no fix has been tried yet" }
        return "\(best.playbookID) has the best lower bound of its success rate: \(best.successes) of \(best.attempts) (\(String(format: "%.2f", best.lowerBound)))"
    }

    /// The playbook to run for `pattern` given the history.
    public static func bestFix(for pattern: FailurePattern, stats: [PlaybookStats]) -> String {
        rankFixes(for: pattern, stats: stats).first?.playbookID ?? pattern.playbookID
    }

    /// A failure Grace expects at the next boot, with the reason.
    public struct Prediction: Sendable, Equatable, Codable {
        public var patternID: String
        /// 0...1.
        public var likelihood: Double
        public var reason: String

        enum CodingKeys: String, CodingKey { case patternID = "pattern_id", likelihood, reason }
    }

    /// Conditions observed now that make a pattern likely regardless of history.
    public struct Preconditions: Sendable, Equatable {
        public var localeIsUTF8: Bool
        public var missingRequiredSecrets: [String]
        public var pendingMigrations: Bool
        public var uncleanShutdown: Bool

        public init(localeIsUTF8: Bool = true, missingRequiredSecrets: [String] = [], pendingMigrations: Bool = false, uncleanShutdown: Bool = false) {
            self.localeIsUTF8 = localeIsUTF8
            self.missingRequiredSecrets = missingRequiredSecrets
            self.pendingMigrations = pendingMigrations
            self.uncleanShutdown = uncleanShutdown
        }
    }

    /// Predicts likely failures: each pattern's share of the recent boots it appeared in
    /// (newer boots weigh more: weight 0.8^age), raised to near certainty by a matching precondition.
    /// `recentBoots` holds, newest first, the pattern ids seen in each boot.
    public static func predictFailures(recentBoots: [[String]], preconditions: Preconditions, window: Int = 10) -> [Prediction] {
        let boots = Array(recentBoots.prefix(window))
        var scores: [String: Double] = [:]
        let totalWeight = boots.indices.reduce(0.0) { $0 + pow(0.8, Double($1)) }
        for (age, patterns) in boots.enumerated() {
            for pattern in Set(patterns) { scores[pattern, default: 0] += pow(0.8, Double(age)) }
        }
        var predictions: [String: Prediction] = [:]
        for (pattern, score) in scores where totalWeight > 0 {
            let share = score / totalWeight
            predictions[pattern] = Prediction(patternID: pattern, likelihood: (share * 100).rounded() / 100,
                                              reason: "seen in \(Int((share * 100).rounded())) % of the last \(boots.count) boots (recent ones weigh more)")
        }
        func raise(_ pattern: String, to likelihood: Double, _ reason: String) {
            if (predictions[pattern]?.likelihood ?? 0) < likelihood {
                predictions[pattern] = Prediction(patternID: pattern, likelihood: likelihood, reason: reason)
            }
        }
        if !preconditions.localeIsUTF8 { raise("unicode_logging_crash", to: 0.9, "the locale is not UTF-8") }
        if !preconditions.missingRequiredSecrets.isEmpty {
            raise("missing_env_secrets", to: 0.95, "required secrets are unset: " + preconditions.missingRequiredSecrets.joined(separator: ", "))
        }
        if preconditions.pendingMigrations { raise("verification_events_schema_mismatch", to: 0.8, "migrations are pending") }
        if preconditions.uncleanShutdown { raise("database_locked", to: 0.5, "the previous run did not shut down cleanly") }
        return predictions.values.filter { $0.likelihood >= 0.05 }
            .sorted { ($0.likelihood, $1.patternID) > ($1.likelihood, $0.patternID) }
    }

    /// The startup health score, 0 (bad) to 100 (good):
    ///
    ///     60 × boot record   (recency-weighted mean over the last 10 boots: success 1, partial 0.5, failed 0;
    ///                          a home with no boots yet scores 1)
    ///   + 20 × metrics       (share of metrics whose latest band is good; warning counts half; none yet scores 1)
    ///   + 20 × approvals     (1 with no pending approvals, falling linearly to 0 at 5 or more)
    public static func healthScore(recentBootStatuses: [BootStatus], metricBands: [MetricBand], pendingApprovals: Int) -> Int {
        let boots = Array(recentBootStatuses.prefix(10))
        var bootRecord = 1.0
        if !boots.isEmpty {
            var total = 0.0
            var weights = 0.0
            for (age, status) in boots.enumerated() {
                let weight = pow(0.8, Double(age))
                weights += weight
                total += weight * (status == .success ? 1 : status == .partial ? 0.5 : 0)
            }
            bootRecord = total / weights
        }
        let metrics = metricBands.isEmpty ? 1.0
            : metricBands.reduce(0.0) { $0 + ($1 == .good ? 1 : $1 == .warning ? 0.5 : 0) } / Double(metricBands.count)
        let approvals = max(0, 1 - Double(pendingApprovals) / 5)
        return Int((60 * bootRecord + 20 * metrics + 20 * approvals).rounded())
    }
}
