import Foundation

/// A fix: an ordered list of actions from a fixed set, with the risk and autonomy it needs.
public struct Playbook: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var description: String
    public var riskLevel: RiskLevel
    public var autonomyTier: AutonomyTier
    public var steps: [PlaybookStep]
    /// Where the playbook came from (`built-in` or a file path).
    public var source: String

    public init(id: String, title: String, description: String = "", riskLevel: RiskLevel, autonomyTier: AutonomyTier,
                steps: [PlaybookStep], source: String = "built-in") {
        self.id = id
        self.title = title
        self.description = description
        self.riskLevel = riskLevel
        self.autonomyTier = autonomyTier
        self.steps = steps
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case id, title, description, riskLevel = "risk_level", autonomyTier = "autonomy_tier", steps, source
    }

    public var record: PlaybookRecord {
        PlaybookRecord(id: id, name: id, description: title, service: "grace", severity: riskLevel.rawValue,
                       riskLevel: riskLevel, autonomyTier: autonomyTier)
    }
}

/// One step: an action from ``PlaybookAction`` and its parameters.
public struct PlaybookStep: Sendable, Equatable, Codable {
    public var action: PlaybookAction
    public var parameters: [String: JSONValue]

    public init(action: PlaybookAction, parameters: [String: JSONValue] = [:]) {
        self.action = action
        self.parameters = parameters
    }
}

/// The fixed set of things a playbook can do. Each is implemented in Swift; `shell` is accepted
/// only from playbook files on disk, never from API input.
public enum PlaybookAction: String, Sendable, Codable, CaseIterable {
    case setEnvDefault = "set_env_default"
    case runMigrations = "run_migrations"
    case setSQLitePragmas = "set_sqlite_pragmas"
    case checkpointWAL = "checkpoint_wal"
    case restoreSnapshot = "restore_snapshot"
    case setUTF8Environment = "set_utf8_environment"
    case restartTarget = "restart_target"
    case waitBackoff = "wait_backoff"
    case requestHumanAction = "request_human_action"
    case shell
}

/// Reads playbook JSON (one object, or an array of them), applying the safe defaults.
public enum PlaybookParser {
    public struct ParseError: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    /// Parses `data` from `source`. A playbook missing risk or tier gets `critical` / `tier_0` and a warning.
    public static func parse(_ data: Data, source: String) throws -> (playbooks: [Playbook], warnings: [String]) {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw ParseError(description: "\(source) is not valid JSON")
        }
        let objects: [JSONValue]
        switch json {
        case .array(let items): objects = items
        case .object(let object) where object["playbooks"] != nil:
            guard case .array(let items)? = object["playbooks"] else { throw ParseError(description: "\(source): \"playbooks\" must be an array") }
            objects = items
        case .object: objects = [json]
        default: throw ParseError(description: "\(source): expected a playbook object or an array of them")
        }
        var playbooks: [Playbook] = []
        var warnings: [String] = []
        for (index, object) in objects.enumerated() {
            let (playbook, notes) = try parseOne(object, source: source, index: index)
            playbooks.append(playbook)
            warnings += notes
        }
        return (playbooks, warnings)
    }

    private static func parseOne(_ object: JSONValue, source: String, index: Int) throws -> (Playbook, [String]) {
        guard case .object(let fields) = object else { throw ParseError(description: "\(source): playbook #\(index + 1) is not an object") }
        guard let id = fields["id"]?.stringValue, !id.isEmpty else {
            throw ParseError(description: "\(source): playbook #\(index + 1) has no \"id\"")
        }
        var warnings: [String] = []
        let risk: RiskLevel
        if let text = fields["risk_level"]?.stringValue {
            guard let value = RiskLevel(rawValue: text.lowercased()) else {
                throw ParseError(description: "\(source): playbook \(id): risk_level \"\(text)\" is not low, medium, high or critical")
            }
            risk = value
        } else {
            risk = .critical
            warnings.append("\(source): playbook \(id) has no risk_level; treated as critical")
        }
        let tier: AutonomyTier
        switch fields["autonomy_tier"] {
        case .string(let text)?:
            guard let value = AutonomyTier(text: text) else {
                throw ParseError(description: "\(source): playbook \(id): autonomy_tier \"\(text)\" is not tier_0..tier_3")
            }
            tier = value
        case .number(let number)?:
            guard let value = AutonomyTier(rawValue: Int(number)), Double(value.rawValue) == number else {
                throw ParseError(description: "\(source): playbook \(id): autonomy_tier \(number) is not 0..3")
            }
            tier = value
        default:
            tier = .tier0
            warnings.append("\(source): playbook \(id) has no autonomy_tier; treated as tier_0")
        }
        var steps: [PlaybookStep] = []
        if case .array(let items)? = fields["steps"] {
            for (position, item) in items.enumerated() {
                guard case .object(let step) = item, let name = step["action"]?.stringValue else {
                    throw ParseError(description: "\(source): playbook \(id): step \(position + 1) needs an \"action\"")
                }
                guard let action = PlaybookAction(rawValue: name) else {
                    let known = PlaybookAction.allCases.map(\.rawValue).joined(separator: ", ")
                    throw ParseError(description: "\(source): playbook \(id): step \(position + 1): unknown action \"\(name)\" (known: \(known))")
                }
                var parameters = step
                parameters["action"] = nil
                if case .object(let nested)? = step["parameters"] { parameters = nested }
                steps.append(PlaybookStep(action: action, parameters: parameters))
            }
        }
        let playbook = Playbook(id: id, title: fields["title"]?.stringValue ?? id, description: fields["description"]?.stringValue ?? "",
                                riskLevel: risk, autonomyTier: tier, steps: steps, source: source)
        return (playbook, warnings)
    }
}
