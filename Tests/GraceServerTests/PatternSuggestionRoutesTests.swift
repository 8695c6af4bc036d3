import Foundation
import GraceCore
import Testing

@Suite("pattern suggestions: list, promote (token, audit), refusals")
struct PatternSuggestionRoutesTests {
    @Test func aMinedClusterIsSuggestedAndPromotedWithTheToken() async throws {
        try await TestServer.with(token: "s3cret-token") { server in
            let lines = ["queue 7 stalled for 30 s on node-a.example.com", "queue 12 stalled for 2 s on node-b.example.com"]
            var miner = TemplateMiner()
            let provisional = lines.map { miner.add($0) }
            let records = MinedClusterRecord.records(from: miner.result(), provisional: provisional, lines: lines, source: "service",
                                                     runID: "run_1", at: Timestamp.now())
            try await server.repositories.minedClusters.record(records)

            let listed = try await server.get("/api/patterns/suggestions")
            #expect(listed.status == 200, "\(listed.text)")
            let suggestions = try #require(listed.json["suggestions"] as? [[String: Any]])
            #expect(suggestions.count == 1)
            let cluster = try #require(suggestions.first?["cluster_id"] as? String)
            #expect(suggestions.first?["template"] as? String == "queue <*> stalled for <*> on <*>")

            let path = "/api/patterns/suggestions/\(cluster)/promote"
            let body = #"{"id": "queue_stalled", "playbook": "unlock_database", "risk": "low", "tier": "tier_1"}"#
            #expect(try await server.send("POST", path, body: body, authorized: false).status == 401)
            let promoted = try await server.send("POST", path, body: body)
            #expect(promoted.status == 201, "\(promoted.text)")
            #expect(promoted.json["pattern_id"] as? String == "queue_stalled")
            let signature = try #require(promoted.json["signature"] as? String)
            let regex = try NSRegularExpression(pattern: signature)
            let line = "queue 99 stalled for 4 s on node-z.example.com"
            #expect(regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil)

            #expect(try await server.send("POST", path, body: body).status == 409)
            let unknownPlaybook = try await server.send("POST", path, body: #"{"id": "other", "playbook": "no_such_playbook"}"#)
            #expect(unknownPlaybook.status == 422 && unknownPlaybook.text.contains("no_such_playbook"))
            #expect(try await server.send("POST", "/api/patterns/suggestions/mc_000000000000/promote", body: body).status == 404)
            #expect(try await server.send("POST", path, body: #"{"id": "x", "playbook": "unlock_database", "tier": "tier_9"}"#).status == 422)

            let after = try await server.get("/api/patterns/suggestions")
            #expect((after.json["suggestions"] as? [[String: Any]])?.isEmpty == true)
            let audit = try await server.repositories.audit.tail(limit: 20).map(\.action)
            #expect(audit.contains("pattern.promote"))
        }
    }
}
