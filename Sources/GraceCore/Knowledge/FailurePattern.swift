/// A known failure: how to recognise it, why it happens, and which playbook fixes it.
public struct FailurePattern: Sendable, Equatable, Codable {
    /// How a fix is checked afterwards.
    public struct Verification: Sendable, Equatable, Codable {
        /// `column_exists`, `database_writable`, `env_present`, `utf8_environment`, `signature_absent`, `manual`.
        public var method: String
        public var description: String?

        public init(method: String, description: String? = nil) {
            self.method = method
            self.description = description
        }
    }

    public var id: String
    public var title: String
    /// Regular expressions, each matched against one line. Named groups (`(?<variable>...)`)
    /// become parameters of the fix (the missing variable, the table and column).
    public var signatures: [String]
    /// Literal strings, one of which a line must contain before any regex runs (the fast prefilter).
    /// Derived from `signatures` when absent (each must then be a plain literal). A literal written
    /// `(?i)text` is matched case-insensitively; so are a pattern's literals of five characters or
    /// more when one of its signatures starts with `(?i`.
    public var prefilter: [String]
    /// Regular expressions that veto a match when found in its error block (the lines around the
    /// matched line): the near misses that share the signature's words.
    public var exclusions: [String]
    public var rootCause: String
    public var symptoms: [String]
    public var playbookID: String
    /// Other playbooks that may fix it; learning picks the best of these and `playbookID`.
    public var alternativePlaybooks: [String]
    public var riskLevel: RiskLevel
    public var autonomyTier: AutonomyTier
    public var verification: Verification
    public var occurrences: Int
    public var fixesAttempted: Int
    public var fixesSucceeded: Int

    public init(id: String, title: String, signatures: [String], prefilter: [String], exclusions: [String] = [], rootCause: String, symptoms: [String] = [],
                playbookID: String, alternativePlaybooks: [String] = [], riskLevel: RiskLevel, autonomyTier: AutonomyTier,
                verification: Verification, occurrences: Int = 0, fixesAttempted: Int = 0, fixesSucceeded: Int = 0) {
        self.id = id
        self.title = title
        self.signatures = signatures
        self.prefilter = prefilter
        self.exclusions = exclusions
        self.rootCause = rootCause
        self.symptoms = symptoms
        self.playbookID = playbookID
        self.alternativePlaybooks = alternativePlaybooks
        self.riskLevel = riskLevel
        self.autonomyTier = autonomyTier
        self.verification = verification
        self.occurrences = occurrences
        self.fixesAttempted = fixesAttempted
        self.fixesSucceeded = fixesSucceeded
    }

    enum CodingKeys: String, CodingKey {
        case id, title, signatures, prefilter, exclusions, rootCause = "root_cause", symptoms, playbookID = "playbook_id"
        case alternativePlaybooks = "alternative_playbooks", riskLevel = "risk_level", autonomyTier = "autonomy_tier"
        case verification, occurrences, fixesAttempted = "fixes_attempted", fixesSucceeded = "fixes_succeeded"
    }

    /// Every playbook that may fix this pattern, the default first.
    public var candidatePlaybooks: [String] { [playbookID] + alternativePlaybooks.filter { $0 != playbookID } }
}

/// The knowledge base in use: `grace_training/startup_failures/_metadata.json`.
public struct KnowledgeBase: Sendable, Equatable {
    public var version: String
    public var patterns: [FailurePattern]

    public init(version: String, patterns: [FailurePattern]) {
        self.version = version
        self.patterns = patterns
    }

    public func pattern(_ id: String) -> FailurePattern? { patterns.first { $0.id == id } }
}
