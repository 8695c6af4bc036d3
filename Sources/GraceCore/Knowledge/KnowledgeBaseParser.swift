import Foundation

/// Reads a knowledge-base file in Grace's form (`patterns[]` with regex `signatures`) or the
/// original system's form (`incidents[]` with a literal `pattern` and a `fix` object).
public enum KnowledgeBaseParser {
    /// A problem in a knowledge-base file, naming the file, the pattern and the field.
    public struct ParseError: Error, CustomStringConvertible, Sendable, Equatable {
        public var file: String
        public var patternID: String?
        public var field: String?
        public var reason: String

        public init(file: String, patternID: String? = nil, field: String? = nil, reason: String) {
            self.file = file
            self.patternID = patternID
            self.field = field
            self.reason = reason
        }

        public var description: String {
            var text = file
            if let patternID { text += ": pattern \(patternID)" }
            if let field { text += ": field \(field)" }
            return text + ": " + reason
        }
    }

    public static func parse(_ data: Data, file: String) throws(ParseError) -> KnowledgeBase {
        guard let root = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw ParseError(file: file, reason: "not valid JSON")
        }
        guard case .object(let object) = root else { throw ParseError(file: file, reason: "the top level must be an object") }
        let version = object["version"]?.stringValue ?? (object["version"].map { $0.jsonText } ?? "1")
        var patterns: [FailurePattern] = []
        if let list = object["patterns"] {
            guard case .array(let items) = list else { throw ParseError(file: file, field: "patterns", reason: "must be an array") }
            for (index, item) in items.enumerated() { patterns.append(try richPattern(item, index: index, file: file)) }
        }
        if let list = object["incidents"] {
            guard case .array(let items) = list else { throw ParseError(file: file, field: "incidents", reason: "must be an array") }
            for (index, item) in items.enumerated() where !patterns.contains(where: { $0.id == item["id"]?.stringValue }) {
                patterns.append(try originalIncident(item, index: index, file: file))
            }
        }
        guard object["patterns"] != nil || object["incidents"] != nil else {
            throw ParseError(file: file, reason: "expected \"patterns\" (Grace) or \"incidents\" (original system) array")
        }
        var seen = Set<String>()
        for pattern in patterns where !seen.insert(pattern.id).inserted {
            throw ParseError(file: file, patternID: pattern.id, reason: "the id is used twice")
        }
        return KnowledgeBase(version: version, patterns: patterns)
    }

    /// Compiles every signature and exclusion, naming the pattern whose regex is broken.
    public static func validateRegexes(_ pattern: FailurePattern, file: String) throws(ParseError) {
        for (field, regexes) in [("signatures", pattern.signatures), ("exclusions", pattern.exclusions)] {
            for (index, regex) in regexes.enumerated() {
                do {
                    _ = try NSRegularExpression(pattern: regex)
                } catch {
                    throw ParseError(file: file, patternID: pattern.id, field: "\(field)[\(index)]",
                                     reason: "invalid regular expression \"\(regex)\"")
                }
            }
        }
    }

    private struct Fields {
        let object: [String: JSONValue]
        let file: String
        let id: String?

        func string(_ key: String, required: Bool = true) throws(ParseError) -> String? {
            guard let value = object[key] else {
                if required { throw ParseError(file: file, patternID: id, field: key, reason: "is missing") }
                return nil
            }
            guard case .string(let text) = value else { throw ParseError(file: file, patternID: id, field: key, reason: "must be a string") }
            return text
        }

        func strings(_ key: String) throws(ParseError) -> [String] {
            guard let value = object[key] else { return [] }
            guard case .array(let items) = value else { throw ParseError(file: file, patternID: id, field: key, reason: "must be an array of strings") }
            var result: [String] = []
            for item in items {
                guard case .string(let text) = item else { throw ParseError(file: file, patternID: id, field: key, reason: "must be an array of strings") }
                result.append(text)
            }
            return result
        }

        func integer(_ key: String) throws(ParseError) -> Int {
            guard let value = object[key] else { return 0 }
            guard case .number(let number) = value, number >= 0, number == number.rounded() else {
                throw ParseError(file: file, patternID: id, field: key, reason: "must be a non-negative integer")
            }
            return Int(number)
        }

        func risk(_ key: String, in source: [String: JSONValue]? = nil) throws(ParseError) -> RiskLevel {
            guard let text = (source ?? object)[key]?.stringValue else { return .critical }
            guard let risk = RiskLevel(rawValue: text.lowercased()) else {
                throw ParseError(file: file, patternID: id, field: key, reason: "\"\(text)\" is not low, medium, high or critical")
            }
            return risk
        }

        func tier(_ key: String, in source: [String: JSONValue]? = nil) throws(ParseError) -> AutonomyTier {
            switch (source ?? object)[key] {
            case nil: return .tier0
            case .string(let text)?:
                guard let tier = AutonomyTier(text: text) else {
                    throw ParseError(file: file, patternID: id, field: key, reason: "\"\(text)\" is not tier_0 ... tier_3")
                }
                return tier
            case .number(let number)?:
                guard let tier = AutonomyTier(rawValue: Int(number)), Double(tier.rawValue) == number else {
                    throw ParseError(file: file, patternID: id, field: key, reason: "\(number) is not 0 ... 3")
                }
                return tier
            default:
                throw ParseError(file: file, patternID: id, field: key, reason: "must be a tier such as \"tier_1\"")
            }
        }
    }

    private static func richPattern(_ value: JSONValue, index: Int, file: String) throws(ParseError) -> FailurePattern {
        guard case .object(let object) = value else { throw ParseError(file: file, field: "patterns[\(index)]", reason: "must be an object") }
        let fields = Fields(object: object, file: file, id: object["id"]?.stringValue ?? "#\(index + 1)")
        let id = try fields.string("id")!
        let signatures = try fields.strings("signatures")
        guard !signatures.isEmpty else { throw ParseError(file: file, patternID: id, field: "signatures", reason: "needs at least one signature") }
        let prefilter = try fields.strings("prefilter")
        let verificationMethod: String
        switch object["verification"] {
        case .object(let verification)?: verificationMethod = verification["method"]?.stringValue ?? "manual"
        case .string?: verificationMethod = "manual"
        default: verificationMethod = "manual"
        }
        let pattern = FailurePattern(
            id: id, title: try fields.string("title", required: false) ?? id, signatures: signatures,
            prefilter: prefilter.isEmpty ? signatures.filter(SignatureLiteral.isPlainLiteral) : prefilter,
            exclusions: try fields.strings("exclusions"),
            rootCause: try fields.string("root_cause", required: false) ?? "",
            symptoms: try fields.strings("symptoms"), playbookID: try fields.string("playbook_id")!,
            alternativePlaybooks: try fields.strings("alternative_playbooks"),
            riskLevel: try fields.risk("risk_level"), autonomyTier: try fields.tier("autonomy_tier"),
            verification: .init(method: verificationMethod, description: object["verification"]?["description"]?.stringValue),
            occurrences: try fields.integer("occurrences"), fixesAttempted: try fields.integer("fixes_attempted"),
            fixesSucceeded: try fields.integer("fixes_succeeded"))
        if pattern.prefilter.count < pattern.signatures.count && prefilter.isEmpty {
            throw ParseError(file: file, patternID: id, field: "prefilter",
                             reason: "is required when signatures are regular expressions (literal strings a matching line always contains)")
        }
        try validateRegexes(pattern, file: file)
        return pattern
    }

    /// The original's incident: a literal `pattern`, a `fix {playbook, risk_level, autonomy_tier}`, prose verification.
    private static func originalIncident(_ value: JSONValue, index: Int, file: String) throws(ParseError) -> FailurePattern {
        guard case .object(let object) = value else { throw ParseError(file: file, field: "incidents[\(index)]", reason: "must be an object") }
        let fields = Fields(object: object, file: file, id: object["id"]?.stringValue ?? "#\(index + 1)")
        let id = try fields.string("id")!
        var literal = try fields.string("pattern", required: false)
        let signature = try fields.string("signature", required: false)
        let learned = signature.map(OriginalSignature.isSignature) ?? false
        if learned, literal?.isEmpty ?? true {
            // The original always wrote the message beside its hash; a hash alone names no line.
            throw ParseError(file: file, patternID: id, field: "pattern",
                             reason: "is missing (a learned incident needs the message its signature hashes)")
        }
        if literal == nil { literal = signature }
        guard let literal, !literal.isEmpty else {
            throw ParseError(file: file, patternID: id, field: "pattern", reason: "is missing (a literal substring of the error)")
        }
        // A learned incident (its `signature` the original's hash of the normalised message) matches
        // every message with that hash: dates, numbers and hex runs may differ (OriginalSignature).
        let signatures = learned ? [OriginalSignature.regex(forMessage: literal)] : [NSRegularExpression.escapedPattern(for: literal)]
        let prefilter = learned ? [OriginalSignature.literal(forMessage: literal)].filter { !$0.isEmpty } : [literal]
        guard !prefilter.isEmpty else {
            throw ParseError(file: file, patternID: id, field: "pattern", reason: "has no constant text to recognise it by")
        }
        guard case .object(let fix)? = object["fix"] else { throw ParseError(file: file, patternID: id, field: "fix", reason: "is missing") }
        guard let playbook = fix["playbook"]?.stringValue else {
            throw ParseError(file: file, patternID: id, field: "fix.playbook", reason: "is missing")
        }
        let pattern = FailurePattern(
            id: id, title: id.replacingOccurrences(of: "_", with: " "), signatures: signatures,
            prefilter: prefilter, rootCause: try fields.string("root_cause", required: false) ?? "",
            symptoms: try fields.strings("symptoms"), playbookID: playbook,
            riskLevel: try fields.risk("risk_level", in: fix), autonomyTier: try originalTier(fix, fields),
            verification: .init(method: "manual", description: object["verification"]?.stringValue),
            occurrences: try fields.integer("occurrences"))
        return pattern
    }
}

extension KnowledgeBaseParser {
    /// The original's learning wrote `tier_4` ("requires approval") for failures it could not
    /// classify; Grace's nearest is `tier_0`, never run unattended. Other tiers read as Grace's.
    private static func originalTier(_ fix: [String: JSONValue], _ fields: Fields) throws(ParseError) -> AutonomyTier {
        if fix["autonomy_tier"]?.stringValue?.lowercased() == "tier_4" { return .tier0 }
        return try fields.tier("autonomy_tier", in: fix)
    }
}

/// Helpers for the literal prefilter.
public enum SignatureLiteral {
    /// Whether `signature` has no regex metacharacters, so it can serve as its own prefilter literal.
    public static func isPlainLiteral(_ signature: String) -> Bool {
        !signature.contains { "\\^$.|?*+()[]{}".contains($0) }
    }
}
