import Foundation
import Logging
import Testing
@testable import GraceLog

@Suite("Log files")
struct FileSinkTests {
    /// Numbered lines: the `seq` field lets tests check nothing was lost or reordered.
    private func writeNumbered(_ count: Int, to logger: Logger, padding: Int = 40) {
        let filler = String(repeating: "x", count: padding)
        for index in 0 ..< count {
            logger.info("line \(filler)", metadata: ["seq": "\(index)"])
        }
    }

    private func rotatedFiles(_ path: String) -> [String] {
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix(name + ".") }.sorted()
    }

    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1
    }

    @Test("rotation splits files at line boundaries and loses no line")
    func rotationKeepsEveryLine() throws {
        let maxBytes = 4_096
        let fixture = try LogFixture(maxBytes: maxBytes, maxFiles: 20)
        writeNumbered(300, to: fixture.logger)
        fixture.sink.flush()

        let rotated = rotatedFiles(fixture.path)
        #expect(rotated.count >= 3)
        // Oldest first: .N … .1, then the active file.
        let ordered = (1 ... rotated.count).reversed().map { "\(fixture.path).\($0)" } + [fixture.path]
        var sequence: [Int] = []
        for file in ordered {
            #expect(try fileSize(file) <= maxBytes, "\(file) is larger than maxBytes")
            for line in try readLines(file) {
                let object = try parseObject(line)
                sequence.append(Int(object["seq"] as! String)!)
            }
        }
        #expect(sequence == Array(0 ..< 300))
    }

    @Test("rotation never keeps more than maxFiles rotated files")
    func rotationBoundsFileCount() throws {
        let maxBytes = 2_048
        let fixture = try LogFixture(maxBytes: maxBytes, maxFiles: 3)
        writeNumbered(1_000, to: fixture.logger)
        fixture.sink.flush()

        let name = (fixture.path as NSString).lastPathComponent
        #expect(rotatedFiles(fixture.path) == [name + ".1", name + ".2", name + ".3"])
        let ordered = ["\(fixture.path).3", "\(fixture.path).2", "\(fixture.path).1", fixture.path]
        var sequence: [Int] = []
        for file in ordered {
            #expect(try fileSize(file) <= maxBytes)
            for line in try readLines(file) {
                sequence.append(Int(try parseObject(line)["seq"] as! String)!)
            }
        }
        // The kept lines are the newest ones, complete and in order.
        let first = try #require(sequence.first)
        #expect(sequence == Array(first ..< 1_000))
    }

    @Test("a line larger than maxBytes is written whole to a fresh file")
    func oversizedLine() throws {
        let fixture = try LogFixture(maxBytes: 512, maxFiles: 2)
        fixture.logger.info("small")
        fixture.logger.info("\(String(repeating: "y", count: 2_000))")
        fixture.logger.info("small again")
        let current = try fixture.lines()
        #expect(current.count == 1)
        #expect(try readLines(fixture.path + ".1").first?.count ?? 0 > 2_000)
        #expect(try readLines(fixture.path + ".2").count == 1)
    }

    @Test("the buffer is written after error lines, past 64 KiB and on flush")
    func flushPolicy() throws {
        let fixture = try LogFixture()
        fixture.logger.info("buffered")
        #expect(try fileSize(fixture.path) == 0)
        fixture.logger.error("failed")
        #expect(try readLines(fixture.path).count == 2)

        fixture.logger.info("buffered again")
        #expect(try readLines(fixture.path).count == 2)
        let filler = String(repeating: "z", count: 1_000)
        for _ in 0 ..< 70 {
            fixture.logger.info("\(filler)")
        }
        #expect(try readLines(fixture.path).count >= 60)
        #expect(try fixture.lines().count == 73)
    }

    @Test("close flushes and later writes are ignored")
    func closeFlushes() throws {
        let fixture = try LogFixture()
        fixture.logger.info("kept")
        fixture.sink.close()
        fixture.logger.info("dropped")
        fixture.sink.write("also dropped")
        #expect(try readLines(fixture.path).count == 1)
    }

    @Test("raw lines can be written and get a newline")
    func rawLines() throws {
        let fixture = try LogFixture()
        fixture.sink.write("first")
        fixture.sink.write(Array("second\n".utf8))
        #expect(try fixture.lines() == ["first", "second"])
    }

    @Test("a removed or externally rotated file is recreated on the next write")
    func followsThePath() throws {
        let fixture = try LogFixture()
        fixture.logger.info("one")
        fixture.sink.flush()
        try FileManager.default.moveItem(atPath: fixture.path, toPath: fixture.path + ".moved")
        fixture.logger.info("two")
        #expect(try fixture.lines().count == 1)
        #expect(try readLines(fixture.path + ".moved").count == 1)
    }

    @Test("a sink appends to an existing file, as another process would")
    func appendsToExistingFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/grace.jsonl"
        for round in 0 ..< 2 {
            let sink = try LogFileSink(configuration: .init(path: path))
            sink.write("round \(round)")
            sink.close()
        }
        #expect(try readLines(path) == ["round 0", "round 1"])
    }

    @Test("opening fails with an error naming the path")
    func openFailure() throws {
        let directory = try TemporaryDirectory()
        let blocker = directory.path + "/blocker"
        try Data("file".utf8).write(to: URL(fileURLWithPath: blocker))
        let underFile = blocker + "/logs/grace.jsonl"
        let error = try #require(throws: LogFileError.self) {
            try LogFileSink(configuration: .init(path: underFile))
        }
        #expect(error.path == underFile)
        #expect(String(describing: error).contains(underFile))
        #expect(String(describing: error).contains("\(blocker) exists and is not a folder"))

        let folder = directory.path + "/is-a-folder"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let folderError = try #require(throws: LogFileError.self) {
            try LogFileSink(configuration: .init(path: folder))
        }
        #expect(folderError.path == folder)
        #expect(String(describing: folderError).contains(folder))
    }

    @Test("8 tasks logging 2,000 lines each give exactly 16,000 complete lines")
    func concurrentWriters() async throws {
        let fixture = try LogFixture(level: .info)
        let logger = fixture.logger
        await withTaskGroup(of: Void.self) { group in
            for task in 0 ..< 8 {
                group.addTask {
                    withRun("task-\(task)") {
                        for index in 0 ..< 2_000 {
                            logger.info("concurrent \"line\"", metadata: ["seq": "\(index)"])
                        }
                    }
                }
            }
        }
        let objects = try fixture.objects()
        #expect(objects.count == 16_000)
        var perTask: [String: [Int]] = [:]
        for object in objects {
            perTask[object["run_id"] as! String, default: []].append(Int(object["seq"] as! String)!)
        }
        #expect(perTask.count == 8)
        for (_, sequence) in perTask {
            #expect(sequence == Array(0 ..< 2_000), "each task's lines arrive complete and in order")
        }
        let stamps = objects.map { $0["timestamp"] as! String }
        #expect(stamps == stamps.sorted(), "timestamps are taken under the lock, so they never go backwards")
    }

    @Test("concurrent writers with rotation lose nothing")
    func concurrentRotation() async throws {
        let rotating = try LogFixture(maxBytes: 16 << 10, maxFiles: 100, level: .info)
        let logger = rotating.logger
        await withTaskGroup(of: Void.self) { group in
            for task in 0 ..< 4 {
                group.addTask {
                    for index in 0 ..< 1_000 {
                        logger.info("rotating", metadata: ["task": "\(task)", "seq": "\(index)"])
                    }
                }
            }
        }
        rotating.sink.flush()
        var total = 0
        for file in [rotating.path] + rotatedFiles(rotating.path).map({ "\((rotating.path as NSString).deletingLastPathComponent)/\($0)" }) {
            #expect(try fileSize(file) <= 16 << 10)
            total += try readLines(file).map(parseObject).count
        }
        #expect(total == 4_000)
    }

    @Test("two sinks on one file (as two processes) append and rotate without losing or splitting lines")
    func twoWritersOneFile() async throws {
        let directory = try TemporaryDirectory()
        let configuration = LogFileConfiguration(path: directory.path + "/grace.jsonl", maxBytes: 32 << 10, maxFiles: 1_000)
        let sinks = try (0 ..< 2).map { _ in try LogFileSink(configuration: configuration) }
        await withTaskGroup(of: Void.self) { group in
            for (writer, sink) in sinks.enumerated() {
                group.addTask {
                    let logger = Logger(label: "writer-\(writer)") { label in
                        GraceLogHandler(label: label, sink: sink, console: nil, redactor: .none)
                    }
                    for index in 0 ..< 2_000 {
                        logger.info("from \(writer)", metadata: ["seq": "\(index)"])
                        if index % 100 == 0 { sink.flush() }
                    }
                    sink.flush()
                }
            }
        }
        var perWriter: [String: Set<Int>] = [:]
        let files = [configuration.path] + rotatedFiles(configuration.path).map { directory.path + "/" + $0 }
        for file in files {
            for line in try readLines(file) {
                let object = try parseObject(line)
                perWriter[object["logger"] as! String, default: []].insert(Int(object["seq"] as! String)!)
            }
        }
        #expect(perWriter["writer-0"] == Set(0 ..< 2_000))
        #expect(perWriter["writer-1"] == Set(0 ..< 2_000))
    }
}
