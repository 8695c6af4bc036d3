import Foundation
import Logging
import Testing
@testable import GraceLog

@Suite("Correlation ids")
struct CorrelationTests {
    private static let idKeys = ["run_id", "playbook_id", "verification_id", "request_id"]

    private func ids(_ object: [String: Any]) -> [String: String] {
        var result: [String: String] = [:]
        for key in Self.idKeys {
            if let value = object[key] as? String { result[key] = value }
        }
        return result
    }

    @Test("ids set in an enclosing task reach lines from async let, task groups, Task {} and nested helpers")
    func idsFlowIntoChildTasks() async throws {
        let fixture = try LogFixture()
        let logger = fixture.logger
        logger.info("before")
        let result = await withRun("run-1") {
            logger.info("in run")
            await withPlaybook("pb-1") {
                async let child: Void = logger.info("async let")
                await child
                await withTaskGroup(of: Void.self) { group in
                    for index in 0 ..< 3 {
                        group.addTask { logger.info("group \(index)") }
                    }
                }
                await Task { logger.info("unstructured") }.value
                await withVerification("ver-1") {
                    await withRequest("req-1") {
                        await withTaskGroup(of: Void.self) { group in
                            group.addTask { logger.info("deepest") }
                        }
                    }
                    logger.info("after request")
                }
            }
            return 7
        }
        #expect(result == 7)
        logger.info("after")

        let objects = try fixture.objects()
        let byMessage = Dictionary(uniqueKeysWithValues: objects.map { ($0["message"] as! String, ids($0)) })
        #expect(objects.count == 10)
        #expect(byMessage.count == 10)
        #expect(byMessage["before"] == [:])
        #expect(byMessage["after"] == [:])
        #expect(byMessage["in run"] == ["run_id": "run-1"])
        let playbook = ["run_id": "run-1", "playbook_id": "pb-1"]
        #expect(byMessage["async let"] == playbook)
        for index in 0 ..< 3 {
            #expect(byMessage["group \(index)"] == playbook)
        }
        #expect(byMessage["unstructured"] == playbook)
        #expect(byMessage["deepest"] == [
            "run_id": "run-1", "playbook_id": "pb-1", "verification_id": "ver-1", "request_id": "req-1",
        ])
        #expect(byMessage["after request"] == ["run_id": "run-1", "playbook_id": "pb-1", "verification_id": "ver-1"])
    }

    @Test("sync helpers set ids, return the body's result and rethrow")
    func syncHelpers() throws {
        struct Boom: Error {}
        let fixture = try LogFixture()
        let value = withRun("run-2") {
            withVerification("ver-2") {
                fixture.logger.info("sync")
                return "done"
            }
        }
        #expect(value == "done")
        #expect(throws: Boom.self) {
            try withRequest("req-2") { () throws -> Void in
                fixture.logger.info("about to throw")
                throw Boom()
            }
        }
        fixture.logger.info("outside")
        let objects = try fixture.objects()
        #expect(ids(objects[0]) == ["run_id": "run-2", "verification_id": "ver-2"])
        #expect(ids(objects[1]) == ["request_id": "req-2"])
        #expect(ids(objects[2]) == [:])
    }

    @Test("async helpers rethrow")
    func asyncRethrow() async throws {
        struct Boom: Error {}
        await #expect(throws: Boom.self) {
            try await withPlaybook("pb-3") { () async throws -> Void in
                await Task.yield()
                throw Boom()
            }
        }
        #expect(LogContext.playbookID == nil)
    }

    @Test("explicit metadata wins over task-local ids")
    func explicitMetadataWins() throws {
        let fixture = try LogFixture()
        var logger = fixture.logger
        withRun("from-context") {
            logger.info("explicit", metadata: ["run_id": "from-metadata"])
            logger.info("implicit")
            logger[metadataKey: "request_id"] = "from-handler"
            logger.info("handler metadata")
        }
        let objects = try fixture.objects()
        #expect(ids(objects[0]) == ["run_id": "from-metadata"])
        #expect(ids(objects[1]) == ["run_id": "from-context"])
        #expect(ids(objects[2]) == ["run_id": "from-context", "request_id": "from-handler"])
    }

    @Test("helpers work from actor-isolated code")
    func actorIsolated() async throws {
        let fixture = try LogFixture()
        let counter = Counter(logger: fixture.logger)
        let count = await counter.bump(run: "run-actor")
        #expect(count == 1)
        let object = try #require(try fixture.objects().first)
        #expect(ids(object) == ["run_id": "run-actor"])
    }
}

private actor Counter {
    let logger: Logger
    var count = 0

    init(logger: Logger) {
        self.logger = logger
    }

    func bump(run: String) async -> Int {
        await withRun(run) {
            count += 1
            await Task.yield()
            logger.info("bumped", metadata: ["count": "\(count)"])
            return count
        }
    }
}
