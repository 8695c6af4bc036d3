import Foundation
import GraceCore
import Hummingbird

/// The last boot report (`logs/last_boot_report.json`) and the per-boot training records
/// (`grace_training/startup_failures/boot_*.json`), newest first. File names come from listing
/// the folder, never from the request.
struct BootReportRoutes {
    let layout: GraceHomeLayout

    /// One training record, summarised; reads Grace's records and the original system's alike.
    struct Summary: Encodable {
        var file: String
        var bootTimestamp: String?
        var runID: String?
        var profile: String?
        var outcome: String?
        var success: Bool?
        var stagesPassed: Int?
        var stagesFailed: Int?
        var incidents: Int
        var fixesApplied: Int
        var rolledBack: Bool?
        var sizeBytes: Int

        enum CodingKeys: String, CodingKey {
            case file, bootTimestamp = "boot_timestamp", runID = "run_id", profile, outcome, success
            case stagesPassed = "stages_passed", stagesFailed = "stages_failed", incidents, fixesApplied = "fixes_applied"
            case rolledBack = "rolled_back", sizeBytes = "size_bytes"
        }

        init(file: String, data: Data) {
            let record = (try? JSONDecoder().decode(JSONValue.self, from: data)) ?? .null
            func count(_ key: String) -> Int {
                if case .array(let items) = record[key] ?? .null { return items.count }
                return 0
            }
            func int(_ value: JSONValue?) -> Int? {
                if case .number(let number) = value ?? .null, number.isFinite, abs(number) < 1e15 { return Int(number) }
                return nil
            }
            func bool(_ value: JSONValue?) -> Bool? {
                if case .bool(let flag) = value ?? .null { return flag }
                return nil
            }
            self.file = file
            bootTimestamp = record["boot_timestamp"]?.stringValue
            runID = record["run_id"]?.stringValue
            profile = record["profile"]?.stringValue
            outcome = record["outcome"]?.stringValue
            success = bool(record["summary"]?["success"])
            stagesPassed = int(record["summary"]?["stages_passed"])
            stagesFailed = int(record["summary"]?["stages_failed"])
            incidents = count("incidents")
            fixesApplied = count("fixes_applied")
            rolledBack = bool(record["rolled_back"])
            sizeBytes = data.count
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(file, forKey: .file)
            try container.encode(bootTimestamp, forKey: .bootTimestamp)
            try container.encode(runID, forKey: .runID)
            try container.encode(profile, forKey: .profile)
            try container.encode(outcome, forKey: .outcome)
            try container.encode(success, forKey: .success)
            try container.encode(stagesPassed, forKey: .stagesPassed)
            try container.encode(stagesFailed, forKey: .stagesFailed)
            try container.encode(incidents, forKey: .incidents)
            try container.encode(fixesApplied, forKey: .fixesApplied)
            try container.encode(rolledBack, forKey: .rolledBack)
            try container.encode(sizeBytes, forKey: .sizeBytes)
        }
    }

    struct Page: Encodable {
        var reports: [Summary]
        var total: Int
        var limit: Int
        var offset: Int
    }

    func register(on api: APIRouter) {
        api.get("/api/boot/reports/last") { _, _ in
            guard let data = FileManager.default.contents(atPath: layout.lastBootReportJSON),
                  let report = try? JSONDecoder().decode(JSONValue.self, from: data) else {
                throw APIError(status: .notFound, code: "not_found", message: "no boot report yet (logs/last_boot_report.json is missing or unreadable)")
            }
            return JSONResponse.make(report)
        }
        api.get("/api/boot/reports") { request, _ in
            let query = QueryParameters(request)
            let limit = try query.int("limit", default: 20, range: 1...200)
            let offset = try query.int("offset", default: 0, range: 0...1_000_000_000)
            let files = Self.recordFiles(in: layout.trainingDirectory)
            let page = files.dropFirst(offset).prefix(limit).map { name in
                Summary(file: name, data: FileManager.default.contents(atPath: layout.trainingDirectory + "/" + name) ?? Data())
            }
            return JSONResponse.make(Page(reports: Array(page), total: files.count, limit: limit, offset: offset))
        }
    }

    /// `boot_YYYYMMDD_HHMMSS[_N].json` names, newest first (time, then the same-second counter).
    static func recordFiles(in folder: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasPrefix("boot_") && $0.hasSuffix(".json") }.sorted { sortKey($0) > sortKey($1) }
    }

    private static func sortKey(_ name: String) -> (String, Int) {
        let stem = name.dropFirst("boot_".count).dropLast(".json".count)
        let parts = stem.split(separator: "_")
        // boot_20251109_183000_2.json: the stamp is the first two parts, the counter the third.
        let stamp = parts.prefix(2).joined(separator: "_")
        let counter = parts.count > 2 ? Int(parts[2]) ?? 0 : 1
        return (stamp, counter)
    }
}
