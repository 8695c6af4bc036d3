import GraceCore

/// Failures Grace's own boot stages find by inspecting the home (not by reading a log): a damaged
/// database and an unclean shutdown. They are patterns like the knowledge base's, so their fixes go
/// through the one healing path (``SelfHealer``): governed, approvable, audited, verified and counted.
/// They have no signatures: ``BuiltInHealer`` turns the stages' findings into their matches.
enum StageFailurePatterns {
    static let databaseDamaged = FailurePattern(
        id: "database_damaged", title: "A database file is damaged", signatures: [], prefilter: [],
        rootCause: "SQLite cannot read the file as a database (a torn write, a truncated copy, a bad disk)",
        playbookID: "restore_database_snapshot", riskLevel: .medium, autonomyTier: .tier1,
        verification: .init(method: "database_integrity", description: "every database opens and passes quick_check"))

    static let uncleanShutdown = FailurePattern(
        id: "unclean_shutdown", title: "The previous Grace run did not shut down cleanly", signatures: [], prefilter: [],
        rootCause: "the server was killed or the machine stopped; write-ahead logs may hold unfolded frames",
        playbookID: "recover_after_unclean_shutdown", riskLevel: .low, autonomyTier: .tier1,
        verification: .init(method: "database_integrity", description: "every database opens and passes quick_check"))

    static let all = [databaseDamaged, uncleanShutdown]

    static func pattern(_ id: String) -> FailurePattern? { all.first { $0.id == id } }
}
