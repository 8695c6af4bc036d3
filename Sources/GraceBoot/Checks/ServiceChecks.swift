import Foundation
import GraceCore
import GraceLog
import GraceStore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Safe mode: stores and logging only, autonomy off; proves the store accepts a write.
struct SafeModeCheck: BootCheck {
    func run(in context: BootContext) async throws -> StageResult {
        context.safeMode = true
        let store = try context.requireStore()
        try await store.repositories.audit.append(AuditEvent(
            actor: "grace", action: "boot.safe_mode", resource: "boot/\(context.runID)", subsystem: "boot_pipeline",
            payload: ["mode": .string(context.mode.rawValue)], result: "entered"))
        return .passed
    }
}

/// UTF-8 text with accents, CJK and emoji survives the log sink, the database and the file system.
struct CodecCheck: BootCheck {
    static let sample = "Grâce ✓ naïve café — 日本語 — 🚀🧪 \"quoted\" \\ back\tslash"

    func run(in context: BootContext) async throws -> StageResult {
        var findings: [Finding] = []
        let marker = "codec-\(UUID().uuidString.prefix(8))"
        if let sink = context.logSink {
            context.logger.info("\(marker) \(Self.sample)", metadata: ["subsystem": "boot_pipeline", "event_type": "codec_check"])
            sink.flush()
            if !logContains(marker: marker, path: context.layout.logFile, structured: context.settings.structuredLogging) {
                findings.append(Finding(message: "UTF-8 text did not round-trip through the log file", code: "codec_log"))
            }
        }
        if let store = context.store {
            let back = try await store.roundTrip(Self.sample)
            if back != Self.sample {
                findings.append(Finding(message: "UTF-8 text did not round-trip through the database", evidence: back ?? "(nothing read)", code: "codec_db"))
            }
        }
        let path = context.layout.path("storage", "codec-check-ü✓-\(getpid()).txt")
        do {
            try Data(Self.sample.utf8).write(to: URL(fileURLWithPath: path))
            let back = try String(contentsOfFile: path, encoding: .utf8)
            try? FileManager.default.removeItem(atPath: path)
            if back != Self.sample { findings.append(Finding(message: "UTF-8 text did not round-trip through the file system", code: "codec_fs")) }
        } catch {
            findings.append(Finding(message: "cannot write a UTF-8 file name or content", evidence: "\(error)", code: "codec_fs"))
        }
        return .from(findings, otherwise: .failed)
    }

    private func logContains(marker: String, path: String, structured: Bool) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 65_536 ? size - 65_536 : 0)
        let tail = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        guard let line = tail.split(separator: "\n").last(where: { $0.contains(marker) }) else { return false }
        guard structured else { return line.contains(Self.sample.replacingOccurrences(of: "\t", with: " ")) || line.contains(Self.sample) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return false }
        return (object["message"] as? String) == "\(marker) \(Self.sample)"
    }
}

/// Critical queries answer: active runs, pending approvals, the audit head, the latest metrics.
struct SmokeQueriesCheck: BootCheck {
    func run(in context: BootContext) async throws -> StageResult {
        let repositories = try context.requireStore().repositories
        _ = try await repositories.runs.activeRuns()
        _ = try await repositories.approvals.approvals(status: .pending, limit: 1)
        _ = try await repositories.audit.tail(limit: 1)
        _ = try await repositories.metrics.latestPerMetric()
        return .passed
    }
}

/// Under `grace up`, real HTTP calls to the started server.
struct HTTPSmokeCheck: BootCheck {
    static let paths = ["/health"]

    func run(in context: BootContext) async throws -> StageResult {
        guard let base = context.serverURL else { return .passed }
        var findings: [Finding] = []
        for path in Self.paths {
            let url = base.appendingPathComponent(String(path.dropFirst()))
            do {
                var request = URLRequest(url: url)
                request.timeoutInterval = 5
                let (data, response) = try await ShieldedHTTP.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                if status != 200 {
                    findings.append(Finding(message: "GET \(path) returned \(status)", evidence: String(decoding: data.prefix(300), as: UTF8.self),
                                            code: "smoke_http"))
                }
            } catch {
                findings.append(Finding(message: "GET \(path) failed", evidence: "\(error)", code: "smoke_http"))
            }
        }
        return .from(findings, otherwise: .failed)
    }
}

/// Full service bring-up: under `grace up` starts the server; under `grace boot` checks the port is free.
struct ServiceBringUpCheck: BootCheck {
    func run(in context: BootContext) async throws -> StageResult {
        guard let launcher = context.launcher else {
            return portFinding(context)
        }
        do {
            context.serverURL = try await launcher.start(context: context)
            context.safeMode = false
            return .passed
        } catch {
            return StageResult(status: .failed, findings: [Finding(message: "the HTTP server did not start", evidence: "\(error)",
                                                                   code: "server_start_failed")])
        }
    }

    private func portFinding(_ context: BootContext) -> StageResult {
        let settings = context.settings
        guard settings.port != 0, !PortProbe.isFree(host: settings.host, port: settings.port) else { return .passed }
        return StageResult(status: .warning, findings: [Finding(
            message: "port \(settings.port) on \(settings.host) is in use; `grace up` would fail to listen",
            code: "port_in_use", resource: "\(settings.host):\(settings.port)")])
    }
}

/// Whether a TCP port can be bound right now.
enum PortProbe {
    static func isFree(host: String, port: Int) -> Bool {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { return true }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr(host == "localhost" ? "127.0.0.1" : host)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
