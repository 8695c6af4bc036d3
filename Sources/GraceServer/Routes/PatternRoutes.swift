import Foundation
import GraceBoot
import GraceCore
import Hummingbird

/// `GET /api/patterns`: the knowledge base's failure patterns with their learned fix rankings,
/// the startup health score and the predicted failures (what `grace patterns` shows); the mined
/// clusters worth a pattern (`GET /api/patterns/suggestions`) and promoting one (`POST .../promote`,
/// a mutation, so behind the token like every other).
struct PatternRoutes {
    let dependencies: ServerDependencies

    func register(on api: APIRouter) {
        api.get("/api/patterns") { _, _ in
            let knowledgeBase: KnowledgeBase
            do {
                knowledgeBase = try KnowledgeBaseStore(layout: dependencies.layout).load()
            } catch {
                // The file is the operator's to fix; say which and why rather than failing blankly.
                throw APIError(status: .serviceUnavailable, code: "knowledge_base_unreadable", message: "\(error)")
            }
            let summary = try await LearningSummary.compute(knowledgeBase: knowledgeBase, repositories: dependencies.repositories,
                                                            layout: dependencies.layout, settings: dependencies.settings)
            return JSONResponse.make(summary)
        }
        api.get("/api/patterns/suggestions") { request, _ in
            let limit = try QueryParameters(request).int("limit", default: 20, range: 1...1000)
            let stored = try await dependencies.repositories.minedClusters.clusters(limit: 1000)
            return JSONResponse.make(Suggestions(suggestions: Array(PatternPromotion.suggestions(stored, now: Date()).prefix(limit))))
        }
        api.post("/api/patterns/suggestions/{cluster_id}/promote") { request, context in try await promote(request, context) }
    }

    struct Suggestions: Encodable {
        var suggestions: [MinedClusterRecord]
    }

    /// The body of a promotion: the new pattern's id and playbook, optionally risk and tier.
    struct PromoteInput: Decodable {
        var id: String
        var playbook: String
        var risk: RiskLevel
        var tier: AutonomyTier

        enum CodingKeys: String, CodingKey { case id, playbook, risk, tier }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeText(forKey: .id, maxLength: 100)
            playbook = try container.decodeText(forKey: .playbook, maxLength: 200)
            let riskText = try container.decodeTextIfPresent(forKey: .risk, maxLength: 20) ?? "medium"
            guard let risk = RiskLevel(rawValue: riskText) else {
                throw DecodingError.dataCorruptedError(forKey: .risk, in: container, debugDescription: "expected low, medium, high or critical")
            }
            self.risk = risk
            let tierText = try container.decodeTextIfPresent(forKey: .tier, maxLength: 20) ?? "tier_2"
            guard let tier = AutonomyTier(text: tierText) else {
                throw DecodingError.dataCorruptedError(forKey: .tier, in: container, debugDescription: "expected tier_0 ... tier_3")
            }
            self.tier = tier
        }
    }

    struct Promoted: Encodable {
        var patternID: String
        var clusterID: String
        var playbookID: String
        var signature: String
        var prefilter: [String]
        var riskLevel: String
        var autonomyTier: String

        enum CodingKeys: String, CodingKey {
            case patternID = "pattern_id", clusterID = "cluster_id", playbookID = "playbook_id", signature, prefilter
            case riskLevel = "risk_level", autonomyTier = "autonomy_tier"
        }
    }

    func promote(_ request: Request, _ context: GraceRequestContext) async throws -> Response {
        let clusterID = try PathID.require("cluster_id", kind: "mined cluster", in: context)
        let input = try await BodyReader.decode(PromoteInput.self, from: request)
        let pattern: FailurePattern
        do {
            pattern = try await PatternPromotion.promote(clusterID: clusterID, as: input.id, playbookID: input.playbook, risk: input.risk,
                                                         tier: input.tier, repositories: dependencies.repositories, layout: dependencies.layout)
        } catch let refusal as PatternPromotion.Refusal {
            switch refusal {
            case .unknownCluster: throw APIError(status: .notFound, code: "not_found", message: "\(refusal)")
            case .idInUse: throw APIError(status: .conflict, code: "conflict", message: "\(refusal)")
            case .unknownPlaybook, .invalidID: throw APIError(status: .unprocessableContent, code: "validation_error", message: "\(refusal)")
            }
        } catch let error as KnowledgeBaseParser.ParseError {
            throw APIError(status: .serviceUnavailable, code: "knowledge_base_unreadable", message: "\(error)")
        }
        try await dependencies.repositories.audit.append(AuditEvent(
            actor: context.identity.rawValue, action: "pattern.promote", resource: "pattern/\(pattern.id)", subsystem: "learning",
            payload: ["cluster_id": .string(clusterID), "playbook_id": .string(pattern.playbookID), "request_id": .string(context.requestID)],
            result: "promoted"))
        return JSONResponse.make(Promoted(patternID: pattern.id, clusterID: clusterID, playbookID: pattern.playbookID,
                                          signature: pattern.signatures[0], prefilter: pattern.prefilter,
                                          riskLevel: pattern.riskLevel.rawValue, autonomyTier: "tier_\(pattern.autonomyTier.rawValue)"),
                                 status: .created)
    }
}
