import Foundation
import GraceCore
import GraceStore
import Hummingbird

/// `GET /api/history`: what the store recorded per day, for the dashboard's charts over time.
struct HistoryRoutes {
    let dependencies: ServerDependencies

    struct Payload: Encodable {
        var since: String
        var days: [Day]
        var healthScores: [Health]

        enum CodingKeys: String, CodingKey { case since, days, healthScores = "health_scores" }
    }

    struct Day: Encodable {
        var day: String
        var boots: [String: Int]
        var decisions: [String: Int]
        var fixesExecuted: Int
        var fixesSucceeded: Int

        enum CodingKeys: String, CodingKey {
            case day, boots, decisions, fixesExecuted = "fixes_executed", fixesSucceeded = "fixes_succeeded"
        }

        init(_ day: StoreHistory.Day) {
            self.day = day.day
            boots = Dictionary(uniqueKeysWithValues: day.bootsByStatus.map { ($0.key.rawValue, $0.value) })
            decisions = day.decisionsByPattern
            fixesExecuted = day.fixesExecuted
            fixesSucceeded = day.fixesSucceeded
        }
    }

    struct Health: Encodable {
        var at: String
        var runID: String
        var score: Int

        enum CodingKeys: String, CodingKey { case at, runID = "run_id", score }
    }

    func register(on api: APIRouter) {
        api.get("/api/history") { request, _ in
            let days = try QueryParameters(request).int("days", default: 30, range: 1...366)
            // From the start of the UTC day `days - 1` days ago, so today is the last of `days` days.
            // (UTC days have 86,400 seconds in Unix time.)
            let today = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
            let since = Timestamp.string(from: Date(timeIntervalSince1970: today - Double(days - 1) * 86_400))
            let history = try await dependencies.repositories.census.history(since: since)
            return JSONResponse.make(Payload(since: since, days: history.days.map(Day.init),
                                             healthScores: history.healthScores.map { Health(at: $0.at, runID: $0.runID, score: $0.score) }))
        }
    }
}
