import GraceCore
import Hummingbird

/// `/openapi.json`, its HTML rendering at `/docs`, and the dashboard page at `/`.
/// All three are built once per server: they do not change while it runs.
struct DocumentRoutes {
    let openAPI: String
    let docs: String

    init(version: String) {
        let document = OpenAPIDocument.make(version: version)
        openAPI = document.jsonText
        docs = DocsPage.render(document)
    }

    func register(on api: APIRouter) {
        api.get("/openapi.json") { [openAPI] _, _ in JSONResponse.text(openAPI, contentType: "application/json") }
        api.get("/docs") { [docs] _, _ in JSONResponse.text(docs, contentType: "text/html; charset=utf-8") }
        api.get("/") { _, _ in JSONResponse.text(DashboardPage.html, contentType: "text/html; charset=utf-8") }
    }
}
