import GraceCore
import GraceStore
import Hummingbird

/// `GET /api/playbooks`: the registered playbooks (the store's `playbooks` table) with their
/// learning counters summed over patterns.
struct PlaybookRoutes {
    let dependencies: ServerDependencies

    struct Payload: Encodable {
        let playbook: PlaybookRecord
        let attempts: Int
        let successes: Int

        enum CodingKeys: String, CodingKey {
            case id, name, description, service, severity, riskLevel = "risk_level", autonomyTier = "autonomy_tier"
            case preconditions, parametersSchema = "parameters_schema", createdAt = "created_at", attempts, successes
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(playbook.id, forKey: .id)
            try container.encode(playbook.name, forKey: .name)
            try container.encode(playbook.description, forKey: .description)
            try container.encode(playbook.service, forKey: .service)
            try container.encode(playbook.severity, forKey: .severity)
            try container.encode(playbook.riskLevel, forKey: .riskLevel)
            try container.encode(playbook.autonomyTier, forKey: .autonomyTier)
            try container.encode(playbook.preconditions, forKey: .preconditions)
            try container.encode(playbook.parametersSchema, forKey: .parametersSchema)
            try container.encode(playbook.createdAt, forKey: .createdAt)
            try container.encode(attempts, forKey: .attempts)
            try container.encode(successes, forKey: .successes)
        }
    }

    struct List: Encodable {
        var playbooks: [Payload]
    }

    func register(on api: APIRouter) {
        api.get("/api/playbooks") { _, _ in
            let playbooks = try await dependencies.repositories.playbooks.playbooks()
            let stats = try await dependencies.repositories.playbooks.stats()
            return JSONResponse.make(List(playbooks: playbooks.map { playbook in
                let mine = stats.filter { $0.playbookID == playbook.id }
                return Payload(playbook: playbook, attempts: mine.reduce(0) { $0 + $1.attempts }, successes: mine.reduce(0) { $0 + $1.successes })
            }))
        }
    }
}
