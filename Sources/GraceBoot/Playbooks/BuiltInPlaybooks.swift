import Foundation
import GraceCore

/// The playbooks Grace ships. Kept as JSON text in the binary (rather than a bundle resource) so
/// a copied or installed `grace` binary finds them without its build folder.
enum BuiltInPlaybooks {
    static let json = #"""
    [
      {"id": "fix_unicode_logging", "title": "Force UTF-8 output for logging and child processes",
       "risk_level": "low", "autonomy_tier": "tier_1",
       "steps": [{"action": "set_utf8_environment"}, {"action": "set_env_default", "key": "PYTHONIOENCODING", "value": "utf-8"},
                 {"action": "restart_target"}]},
      {"id": "apply_pending_migrations", "title": "Apply pending schema migrations",
       "risk_level": "medium", "autonomy_tier": "tier_2",
       "steps": [{"action": "run_migrations"}]},
      {"id": "fix_circular_imports", "title": "Ask a developer to break an import cycle",
       "risk_level": "high", "autonomy_tier": "tier_3",
       "steps": [{"action": "request_human_action", "message": "Break the circular import named in the evidence (move the import into the function that needs it, or split the module)."}]},
      {"id": "unlock_database", "title": "Release SQLite lock contention",
       "risk_level": "low", "autonomy_tier": "tier_1",
       "steps": [{"action": "wait_backoff", "initial_ms": 200, "attempts": 5},
                 {"action": "set_sqlite_pragmas", "journal_mode": "wal"}, {"action": "checkpoint_wal"}]},
      {"id": "verify_async_subscriptions", "title": "Report un-awaited coroutines for a fix",
       "risk_level": "low", "autonomy_tier": "tier_1",
       "steps": [{"action": "request_human_action", "message": "Await the coroutine named in the evidence (or schedule it with create_task)."}]},
      {"id": "create_default_env", "title": "Write missing settings with their configured defaults",
       "risk_level": "low", "autonomy_tier": "tier_1",
       "steps": [{"action": "set_env_default"}]},
      {"id": "ask_operator_for_secret", "title": "Ask the operator to set a secret that has no default",
       "risk_level": "low", "autonomy_tier": "tier_1",
       "steps": [{"action": "request_human_action", "message": "Set the variable named in the evidence in the service's env file (or its environment); Grace has no default for it."}]},
      {"id": "restart_lock_holder", "title": "Restart the service holding the database lock",
       "risk_level": "medium", "autonomy_tier": "tier_1",
       "steps": [{"action": "restart_target"}, {"action": "wait_backoff", "initial_ms": 200, "attempts": 5}]},
      {"id": "restore_database_snapshot", "title": "Restore a damaged database from the newest healthy snapshot",
       "risk_level": "medium", "autonomy_tier": "tier_1",
       "steps": [{"action": "restore_snapshot", "scope": "damaged_databases"}]},
      {"id": "recover_after_unclean_shutdown", "title": "Checkpoint the write-ahead logs after an unclean shutdown",
       "risk_level": "low", "autonomy_tier": "tier_1",
       "steps": [{"action": "checkpoint_wal"}]}
    ]
    """#

    static func load() throws -> [Playbook] {
        try PlaybookParser.parse(Data(json.utf8), source: "built-in").playbooks
    }
}

/// Loads the built-in playbooks and the user's `playbooks/*.json`, user files overriding by id.
struct PlaybookCatalogLoader {
    let layout: GraceHomeLayout

    struct Loaded {
        var playbooks: [Playbook]
        var warnings: [String]
        var errors: [String]
    }

    func load() -> Loaded {
        var byID: [String: Playbook] = [:]
        var warnings: [String] = []
        var errors: [String] = []
        do {
            for playbook in try BuiltInPlaybooks.load() { byID[playbook.id] = playbook }
        } catch {
            errors.append("built-in playbooks: \(error)")
        }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: layout.playbooksDirectory)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
        for file in files {
            let path = layout.playbooksDirectory + "/" + file
            guard let data = FileManager.default.contents(atPath: path) else {
                errors.append("\(path) cannot be read")
                continue
            }
            do {
                let parsed = try PlaybookParser.parse(data, source: path)
                warnings += parsed.warnings
                for playbook in parsed.playbooks { byID[playbook.id] = playbook }
            } catch {
                errors.append("\(error)")
            }
        }
        return Loaded(playbooks: byID.values.sorted { $0.id < $1.id }, warnings: warnings, errors: errors)
    }
}
