import Foundation
import GraceCore
import GraceStore

/// Mined clusters worth a pattern, and turning one into a knowledge-base pattern: what
/// `grace patterns suggest / promote` and `/api/patterns/suggestions` share.
public enum PatternPromotion {
    /// Why a promotion was refused, for the caller to show (CLI exit 2, HTTP 404 / 400 / 409).
    public enum Refusal: Error, CustomStringConvertible, Equatable {
        case unknownCluster(String)
        case unknownPlaybook(String)
        case invalidID(String)
        case idInUse(String)

        public var description: String {
            switch self {
            case .unknownCluster(let id): "no mined cluster \(id) (see grace patterns suggest)"
            case .unknownPlaybook(let id): "no playbook \(id) (built-in or in the home's playbooks/)"
            case .invalidID(let id): "pattern id \"\(id)\": use letters, digits, '_', '.' and '-' (at most 100)"
            case .idInUse(let id): "pattern id \(id) is already in use"
            }
        }
    }

    /// Unpromoted clusters, highest score first: the count, halved for every week since last seen.
    public static func suggestions(_ clusters: [MinedClusterRecord], now: Date) -> [MinedClusterRecord] {
        func score(_ record: MinedClusterRecord) -> Double {
            let last = Timestamp.date(from: record.lastSeen) ?? now
            let weeks = max(0, now.timeIntervalSince(last)) / (7 * 86_400)
            return Double(record.count) / pow(2, weeks)
        }
        return clusters.filter { $0.promotedPatternID == nil }.sorted { (score($0), $0.lastSeen) > (score($1), $1.lastSeen) }
    }

    /// The pattern a cluster becomes: its template as a regex with named captures, the longest
    /// constant piece as the prefilter, the examples as symptoms.
    public static func pattern(from record: MinedClusterRecord, id: String, playbookID: String, risk: RiskLevel,
                               tier: AutonomyTier) -> FailurePattern {
        let prefilter = TemplatePattern.prefilter(for: record.template).map { [$0] } ?? []
        return FailurePattern(
            id: id, title: id.replacingOccurrences(of: "_", with: " "), signatures: [TemplatePattern.regex(for: record.template)],
            prefilter: prefilter, rootCause: "Promoted from mined cluster \(record.clusterID) (\(record.count) lines): \(record.template)",
            symptoms: record.examples.map(\.line), playbookID: playbookID, riskLevel: risk, autonomyTier: tier,
            verification: .init(method: "signature_absent", description: "the template's lines stop"),
            occurrences: record.count)
    }

    /// Writes the pattern for `clusterID` into the home's knowledge base and marks the cluster
    /// promoted. The playbook must exist, so the pattern's fix goes through governance as any other.
    public static func promote(clusterID: String, as id: String, playbookID: String, risk: RiskLevel, tier: AutonomyTier,
                               repositories: GraceRepositories, layout: GraceHomeLayout) async throws -> FailurePattern {
        guard id.count <= 100, id.range(of: #"^[A-Za-z0-9_.-]+$"#, options: .regularExpression) != nil else { throw Refusal.invalidID(id) }
        guard let record = try await repositories.minedClusters.cluster(id: clusterID) else { throw Refusal.unknownCluster(clusterID) }
        guard PlaybookCatalogLoader(layout: layout).load().playbooks.contains(where: { $0.id == playbookID }) else {
            throw Refusal.unknownPlaybook(playbookID)
        }
        let file = KnowledgeBaseStore(layout: layout)
        try file.prepare()
        if try file.load().pattern(id) != nil { throw Refusal.idInUse(id) }
        let pattern = pattern(from: record, id: id, playbookID: playbookID, risk: risk, tier: tier)
        try file.add(pattern: pattern)
        _ = try await repositories.minedClusters.markPromoted(id: clusterID, patternID: id)
        return pattern
    }
}
