import Foundation
import GraceCore

/// The seven failure patterns Grace ships, in Grace's knowledge-base form.
///
/// Kept as JSON text in the binary (not a bundle resource) so a copied `grace` binary still has
/// them; on first boot they are written to `grace_training/startup_failures/_metadata.json`.
/// Signatures are written for the failures as they appear in any project and runtime, not only
/// the reference system's module and table names.
enum BuiltInKnowledgeBase {
    static let version = "2.0"

    static let json = #"""
    {
      "training_set": "grace_startup_failures",
      "description": "Known startup failure patterns, their root causes and fix playbooks",
      "version": "2.0",
      "patterns": [
        {
          "id": "unicode_logging_crash",
          "title": "Text output crashes on characters the console encoding cannot represent",
          "signatures": [
            "UnicodeEncodeError: '(?<codec>[\\w-]+)' codec can't encode character",
            "UnicodeEncodeError: '(?<codec>[\\w-]+)' codec can't encode characters? in position",
            "--- Logging error ---",
            "java\\.nio\\.charset\\.UnmappableCharacterException",
            "UnicodeDecodeError: '(?<codec>charmap|cp\\d+|ascii)' codec can't decode byte"
          ],
          "prefilter": ["UnicodeEncodeError", "--- Logging error ---", "UnmappableCharacterException", "UnicodeDecodeError"],
          "root_cause": "stdout/stderr or a log handler uses a legacy code page (cp1252 'charmap', ascii) instead of UTF-8, so emoji or accented text raises while logging",
          "symptoms": ["--- Logging error ---", "UnicodeEncodeError: 'charmap' codec can't encode character"],
          "playbook_id": "fix_unicode_logging",
          "risk_level": "low",
          "autonomy_tier": "tier_1",
          "verification": {"method": "utf8_environment", "description": "PYTHONIOENCODING and the locale are UTF-8 for the service"}
        },
        {
          "id": "verification_events_schema_mismatch",
          "title": "Code expects a column the database does not have",
          "signatures": [
            "no such column: (?:(?<table>\\w+)\\.)?(?<column>\\w+)",
            "table (?<table>\\w+) has no column named (?<column>\\w+)",
            "column \"?(?:(?<table>\\w+)\\.)?(?<column>\\w+)\"? (?:of relation \"(?<relation>\\w+)\" )?does not exist",
            "Unknown column '(?:(?<table>\\w+)\\.)?(?<column>\\w+)' in",
            "UndefinedColumn"
          ],
          "prefilter": ["no such column", "has no column named", "does not exist", "Unknown column", "UndefinedColumn"],
          "root_cause": "the code was deployed ahead of its schema: a migration adding the column has not been applied to this database",
          "symptoms": ["sqlite3.OperationalError: no such column: passed", "column \"passed\" does not exist"],
          "playbook_id": "apply_pending_migrations",
          "risk_level": "medium",
          "autonomy_tier": "tier_2",
          "verification": {"method": "column_exists", "description": "the missing column exists after the migrations ran"}
        },
        {
          "id": "playbook_missing_risk_fields",
          "title": "Records or playbooks lack required risk/autonomy fields",
          "signatures": [
            "NOT NULL constraint failed: (?<table>\\w+)\\.(?<column>risk_level|autonomy_tier)",
            "KeyError: '(?<column>risk_level|autonomy_tier)'",
            "(?i)\\b(?<column>risk_level|autonomy_tier)\\b.{0,80}\\b(missing|required|not provided|is null|field required)\\b",
            "(?i)\\b(missing|required)\\b.{0,80}\\b(?<column>risk_level|autonomy_tier)\\b",
            "\\d+ validation errors? for (?<model>\\w*(?:Playbook|Incident|Record)\\w*)",
            "has no risk_level; treated as critical",
            "has no autonomy_tier; treated as tier_0"
          ],
          "prefilter": ["risk_level", "autonomy_tier", "RISK_LEVEL", "AUTONOMY_TIER", "Risk_level", "Autonomy_tier", "validation error"],
          "root_cause": "playbook records were created before risk_level/autonomy_tier existed, or a playbook file omits them, so governance cannot decide",
          "symptoms": ["KeyError: 'risk_level'", "NOT NULL constraint failed: playbooks.autonomy_tier"],
          "playbook_id": "apply_pending_migrations",
          "risk_level": "medium",
          "autonomy_tier": "tier_2",
          "verification": {"method": "column_exists", "description": "risk_level and autonomy_tier exist and are filled"}
        },
        {
          "id": "circular_import_avn_models",
          "title": "Circular import between modules",
          "signatures": [
            "(?:ImportError|AttributeError): cannot import name '(?<name>[\\w.]+)' from partially initialized module '(?<module>[\\w.]+)'",
            "partially initialized module '(?<module>[\\w.]+)' has no attribute '(?<name>\\w+)' \\(most likely due to a circular import\\)",
            "\\(most likely due to a circular import\\)",
            "ReferenceError: Cannot access '(?<name>\\w+)' before initialization",
            "import cycle not allowed"
          ],
          "prefilter": ["partially initialized module", "circular import", "before initialization", "import cycle not allowed"],
          "root_cause": "two modules import each other at load time, so one is used before it finished initialising",
          "symptoms": ["ImportError: cannot import name 'X' from partially initialized module 'Y' (most likely due to a circular import)"],
          "playbook_id": "fix_circular_imports",
          "risk_level": "high",
          "autonomy_tier": "tier_3",
          "verification": {"method": "manual", "description": "the service starts without the import error"}
        },
        {
          "id": "database_locked",
          "title": "SQLite database is locked by another writer",
          "signatures": [
            "database is locked",
            "database table is locked",
            "SQLITE_BUSY",
            "SQLITE_LOCKED"
          ],
          "prefilter": ["database is locked", "database table is locked", "SQLITE_BUSY", "SQLITE_LOCKED"],
          "root_cause": "several writers share one SQLite file without WAL mode or a busy timeout, so a writer fails instead of waiting",
          "symptoms": ["sqlite3.OperationalError: database is locked", "SQLITE_BUSY: database is locked"],
          "playbook_id": "unlock_database",
          "risk_level": "low",
          "autonomy_tier": "tier_1",
          "verification": {"method": "database_writable", "description": "a write transaction can be taken on the database"}
        },
        {
          "id": "trigger_mesh_unawaited",
          "title": "A coroutine was created but never awaited",
          "signatures": [
            "RuntimeWarning: coroutine '(?<coroutine>[\\w.<>]+)' was never awaited",
            "coroutine '(?<coroutine>[\\w.<>]+)' was never awaited",
            "Task was destroyed but it is pending!"
          ],
          "prefilter": ["was never awaited", "Task was destroyed but it is pending"],
          "root_cause": "an async function is called without await (or create_task), so its work silently never runs",
          "symptoms": ["RuntimeWarning: coroutine 'TriggerMesh.publish' was never awaited"],
          "playbook_id": "verify_async_subscriptions",
          "risk_level": "low",
          "autonomy_tier": "tier_1",
          "verification": {"method": "manual", "description": "no 'never awaited' warnings after the fix"}
        },
        {
          "id": "missing_env_secrets",
          "title": "A required environment variable or API key is not set",
          "signatures": [
            "KeyError: '(?<variable>[A-Z][A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASS|URL|DSN|ID)[A-Z0-9_]*)'",
            "(?i:environment variable|env var|env)s? ['\"`]?(?<variable>[A-Z][A-Z0-9_]{2,})['\"`]? (?i:is not set|not set|is missing|missing|is required|required|must be set|is undefined|not defined|not found)",
            "(?i:missing|required|undefined|unset)(?: required)? (?i:environment variable|env var|secret|api key)s?:? ['\"`]?(?<variable>[A-Z][A-Z0-9_]{2,})",
            "\\b(?<variable>[A-Z][A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|DSN)[A-Z0-9_]*)\\b (?:is not set|must be set|is missing|is required|not found in environment)",
            "setting the (?<variable>[A-Z][A-Z0-9_]+) environment variable",
            "required key (?<variable>[A-Z][A-Z0-9_]+) missing value",
            "required secret (?<variable>[A-Z][A-Z0-9_]+) is not set"
          ],
          "prefilter": ["KeyError: '", "nvironment variable", "nv var", "NV VAR", " is not set", " must be set", "missing value", "required secret", "not found in environment", "KEY", "TOKEN", "SECRET", "PASSWORD", "DSN", "secret", "api key", "API key"],
          "root_cause": "the service reads a secret or setting from the environment that is neither exported nor in its .env file",
          "symptoms": ["KeyError: 'OPENAI_API_KEY'", "Missing required environment variable: GITHUB_TOKEN"],
          "playbook_id": "create_default_env",
          "risk_level": "low",
          "autonomy_tier": "tier_1",
          "verification": {"method": "env_present", "description": "the variable has a value in the env file"}
        }
      ],
      "learning_notes": "Grace counts occurrences and fix outcomes per pattern and playbook; the best fix is the highest Wilson lower bound.",
      "next_version_improvements": []
    }
    """#

    static func load() throws -> KnowledgeBase {
        try KnowledgeBaseParser.parse(Data(json.utf8), file: "built-in knowledge base")
    }
}
