/// How much damage a playbook could do if it went wrong.
public enum RiskLevel: String, Codable, Sendable, CaseIterable, Comparable {
    case low, medium, high, critical

    public static func < (lhs: RiskLevel, rhs: RiskLevel) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How much autonomy a playbook needs: `tier_0` (never unattended) to `tier_3` (most autonomous).
///
/// Parsed from `tier_N`, `tierN`, or a bare `N`, as the original system's files used all three.
public enum AutonomyTier: Int, Codable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case tier0 = 0, tier1, tier2, tier3

    public init?(text: String) {
        var digits = Substring(text.lowercased())
        if digits.hasPrefix("tier") { digits = digits.dropFirst(4) }
        if digits.hasPrefix("_") || digits.hasPrefix("-") { digits = digits.dropFirst() }
        guard let number = Int(digits), let tier = AutonomyTier(rawValue: number) else { return nil }
        self = tier
    }

    /// The canonical text form, `tier_N`.
    public var description: String { "tier_\(rawValue)" }

    public static func < (lhs: AutonomyTier, rhs: AutonomyTier) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Int.self), let tier = AutonomyTier(rawValue: number) {
            self = tier
            return
        }
        let text = try container.decode(String.self)
        guard let tier = AutonomyTier(text: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not an autonomy tier (tier_0 ... tier_3)")
        }
        self = tier
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
