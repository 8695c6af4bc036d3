import GraceBoot
import GraceCore
import Hummingbird

/// `GET /api/patterns`: the knowledge base's failure patterns with their learned fix rankings,
/// the startup health score and the predicted failures (what `grace patterns` shows).
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
    }
}
