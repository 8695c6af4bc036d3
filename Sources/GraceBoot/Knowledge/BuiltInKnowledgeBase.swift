import Foundation
import GraceCore

/// The seven failure patterns Grace ships, in Grace's knowledge-base form.
///
/// Kept as JSON text in the binary (not a bundle resource) so a copied `grace` binary still has
/// them; on first boot they are written to `grace_training/startup_failures/_metadata.json`.
/// Signatures are written for the failures as they appear in any project and runtime, not only
/// the reference system's module and table names.
enum BuiltInKnowledgeBase {
    static let version = "2.1"

    static let json = #"""
    {
      "training_set": "grace_startup_failures",
      "description": "Known startup failure patterns, their root causes and fix playbooks",
      "version": "2.1",
      "patterns": [
        {
          "id": "unicode_logging_crash",
          "title": "Text output crashes on characters the console encoding cannot represent",
          "signatures": [
            "UnicodeEncodeError'?>?[:,] '(?<codec>[\\w-]+)' codec can't encode",
            "Windows stdio in console mode does not support writing non-UTF-8|failed printing to stdout: text was not valid unicode",
            "in conversion from ASCII-8BIT to UTF-8 to (?<codec>(?i:US-ASCII|Windows-\\d+|IBM\\d+|CP\\d+|ISO-8859-\\d+|Shift_JIS|GBK|EUC-[A-Z]+|KOI8-[RU]))\\b",
            "'(?<codec>[\\w-]+)' codec can't encode characters? (?:u?'\\\\[^']+' )?in position",
            "--- Logging error(?: in \\w+ Handler #\\d+)? ---",
            "java\\.nio\\.charset\\.UnmappableCharacterException",
            "in `(?:write|puts|print|syswrite|write_nonblock)': U\\+[0-9A-F]{4,6} from UTF-8 to (?<codec>[\\w-]+) \\(Encoding::UndefinedConversionError\\)",
            "Encoding::UndefinedConversionError:? \\(?U\\+[0-9A-F]{4,6} from UTF-8 to (?<codec>(?i:US-ASCII|Windows-\\d+|IBM\\d+|CP\\d+|ISO-8859-\\d+|Shift_JIS|GBK|EUC-[A-Z]+|KOI8-[RU]))\\b",
            "U\\+[0-9A-F]{4,6} to (?<codec>[\\w-]+) in conversion from UTF-8 to \\k<codec>\\b"
          ],
          "prefilter": [
            "codec can't encode",
            "--- Logging error",
            "does not support writing non-UTF-8",
            "text was not valid unicode",
            "from ASCII-8BIT to UTF-8 to ",
            "UnmappableCharacterException",
            "UndefinedConversionError",
            "in conversion from UTF-8 to"
          ],
          "root_cause": "stdout/stderr or a log handler uses a legacy code page (cp1252 'charmap', ascii) instead of UTF-8, so emoji or accented text raises while logging",
          "symptoms": [
            "--- Logging error ---",
            "UnicodeEncodeError: 'charmap' codec can't encode character"
          ],
          "playbook_id": "fix_unicode_logging",
          "risk_level": "low",
          "autonomy_tier": "tier_1",
          "verification": {
            "method": "utf8_environment",
            "description": "PYTHONIOENCODING and the locale are UTF-8 for the service"
          },
          "exclusions": [
            "surrogates not allowed",
            "putheader|http[./]client|_make_request|normalize_header_value|\\bheaders?\\.py\\b|adapter\\.send\\(|requests[/\\\\](?:adapters|sessions)\\.py",
            "\\.encode\\((?:['\\\"][\\w-]+['\\\"]|self\\.encoding)[,)]",
            "StreamDecoder|CharsetDecoder"
          ]
        },
        {
          "id": "verification_events_schema_mismatch",
          "title": "Code expects a column the database does not have",
          "signatures": [
            "no such column: (?:(?<table>\\w+)\\.)?(?<column>\\w+)",
            "table (?<table>\\w+) has no column named (?<column>\\w+)",
            "column [\\\"`]?(?:(?<table>\\w+)\\.)?(?<column>\\w+)[\\\"`]? (?:of relation \\\"(?<relation>\\w+)\\\" )?does not exist",
            "column [\\\"`]?(?<column>\\w+)[\\\"`]? referenced in foreign key constraint does not exist",
            "The column (?<column>\\w+) is not in the (?<table>\\w+) table",
            "\\\"(?:(?<table>\\w+)\\.)?(?<column>\\w+)\\\" column does not exist",
            "(?i:column) [\\\"`„'](?:(?<table>\\w+)\\.)?(?<column>\\w+)[\\\"`“'] (?:of|from) relation [\\\"„'](?<relation>\\w+)[\\\"“'] does not exist",
            "The column `(?:(?<table>\\w+)\\.)?(?<column>[^`]+)` does not exist in the current database",
            "Unknown column '(?:(?<table>\\w+)\\.)?(?<column>[^']+)' in",
            "UndefinedColumn|\\bundefined_column\\b|SQLSTATE\\[42703\\]|SqlState\\(E42703\\)|SQLSTATE\\[42S22\\]|Column not found: 1054",
            "Invalid column name '(?<column>[^']+)'",
            "Ungültiger Spaltenname [\\\"'„](?<column>[^\\\"'“]+)[\\\"'“]",
            "Nom de colonne non valide ?: ?'(?<column>[^']+)'"
          ],
          "prefilter": [
            "no such column",
            "has no column named",
            "does not exist",
            "Unknown column",
            "UndefinedColumn",
            "undefined_column",
            "42703",
            "42S22",
            "Column not found",
            "is not in the",
            "Invalid column name",
            "Spaltenname",
            "Nom de colonne non valide"
          ],
          "root_cause": "the code was deployed ahead of its schema: a migration adding the column has not been applied to this database",
          "symptoms": [
            "sqlite3.OperationalError: no such column: passed",
            "column \"passed\" does not exist"
          ],
          "playbook_id": "apply_pending_migrations",
          "risk_level": "medium",
          "autonomy_tier": "tier_2",
          "verification": {
            "method": "column_exists",
            "description": "the missing column exists after the migrations ran"
          },
          "exclusions": [
            "no such column: (?i:true|false)\\b"
          ]
        },
        {
          "id": "playbook_missing_risk_fields",
          "title": "Records or playbooks lack required risk/autonomy fields",
          "signatures": [
            "NOT NULL constraint failed: (?<table>\\w+)\\.(?<column>\\w[\\w ]*)",
            "null value in column [\\\"'](?<column>[^\\\"']+)[\\\"'](?: of relation [\\\"'](?<table>[^\\\"']+)[\\\"'])? violates not-null constraint",
            "\\bnot_null_violation\\b|SQLSTATE\\[23502\\]",
            "Field '(?<column>[^']+)' doesn't have a default value",
            "Column '(?<column>[^']+)' cannot be null",
            "NULL not allowed for column \\\"(?<column>[^\\\"]+)\\\"",
            "Cannot insert the value NULL into column '(?<column>[^']+)'",
            "ORA-01400: cannot insert NULL into \\((?<column>[^)]+)\\)",
            "KeyError: '(?<column>risk_level|autonomy_tier)'",
            "(?i)\\b(?<column>risk_level|autonomy_tier)\\b.{0,80}\\b(missing|required|not provided|is null|field required)\\b",
            "(?i)\\b(missing|required)\\b.{0,80}\\b(?<column>risk_level|autonomy_tier)\\b",
            "(?i)\\bfield required \\[type=missing\\b",
            "(?i)\\bfield required \\(type=value_error\\.missing\\)",
            "missing field `(?<column>[^`]+)`",
            "missing required field [\\\"'`]?(?<column>[\\w.-]+)",
            "error validating data: .*\\b(?:apiVersion|kind) not set\\b",
            "[Rr]equired property '(?<column>[^']+)' not found",
            "(?<column>(?:spec|metadata|data|status)(?:\\.[\\w\\[\\]]+)*): Required value",
            "'(?<column>[^']+)' is a required property",
            "(?:must|should) have (?:a )?(?:required )?property (?:whose name is )?[\\\"'](?<column>[^\\\"']+)[\\\"']",
            "was missing required properties,? including the following: (?<column>[\\w.]+)",
            "JsonRequiredPropertyMissing",
            "MissingKotlinParameterException: .* for JSON property (?<column>\\w+) due to missing",
            "Missing required creator property '(?<column>[^']+)'",
            "Field validation for '(?<column>[^']+)' failed on the 'required' tag",
            "\\[validation: :required\\]",
            "Missing data for required field",
            "DecodingError\\.keyNotFound\\(CodingKeys\\(stringValue: \\\"(?<column>[^\\\"]+)\\\"",
            "Property '(?<column>[^']+)' is required in \\w+",
            "has no risk_level; treated as critical",
            "has no autonomy_tier; treated as tier_0"
          ],
          "prefilter": [
            "NOT NULL constraint failed",
            "violates not-null constraint",
            "not_null_violation",
            "SQLSTATE[23502]",
            "doesn't have a default value",
            "cannot be null",
            "NULL not allowed for column",
            "Cannot insert the value NULL",
            "ORA-01400",
            "risk_level",
            "autonomy_tier",
            "field required",
            "missing field",
            "missing required field",
            " not set",
            "required property",
            "must have",
            "should have",
            "missing required properties",
            "JsonRequiredPropertyMissing",
            "MissingKotlinParameterException",
            "Missing required creator property",
            "failed on the 'required' tag",
            "validation: :required",
            "Missing data for required field",
            "keyNotFound(CodingKeys",
            "is required in ",
            "Required property",
            ": Required value"
          ],
          "root_cause": "playbook records were created before risk_level/autonomy_tier existed, or a playbook file omits them, so governance cannot decide",
          "exclusions": [
            "pydantic[/.]env_settings|pydantic_settings[/.]|(?m)\\A(?=[\\s\\S]*validation errors? for \\w*Settings\\b)[\\s\\S]*^(?:E\\s+)?[A-Z][A-Z0-9]*_[A-Z0-9_]+\\s*\\n(?:E\\s+)?\\s*[Ff]ield required"
          ],
          "symptoms": [
            "KeyError: 'risk_level'",
            "NOT NULL constraint failed: playbooks.autonomy_tier"
          ],
          "playbook_id": "apply_pending_migrations",
          "risk_level": "medium",
          "autonomy_tier": "tier_2",
          "verification": {
            "method": "column_exists",
            "description": "risk_level and autonomy_tier exist and are filled"
          }
        },
        {
          "id": "circular_import_avn_models",
          "title": "Circular import between modules",
          "signatures": [
            "(?:ImportError|AttributeError): cannot import name '(?<name>[\\w.]+)' from partially initialized module '(?<module>[\\w.]+)'",
            "partially initialized module '(?<module>[\\w.]+)' has no attribute '(?<name>\\w+)' \\(most likely due to a circular import\\)",
            "cannot import name '(?<name>[\\w.]+)' from partially initialized module",
            "\\(most likely due to a circular import\\)",
            "Cannot access '(?<name>[^']+)' before initialization",
            "can't access lexical declaration [`'](?<name>[^`']+)' before initialization",
            "ReferenceError: __WEBPACK_DEFAULT_EXPORT__ is not defined",
            "import cycle not allowed",
            "Accessing non-existent property '(?<name>[^']+)' of module exports inside circular dependency",
            "loading in progress, circular require considered harmful - (?<module>\\S+)",
            "Circular dependency detected while autoloading constant (?<name>[\\w:]+)",
            "deadlocked waiting on (?:module|struct) (?<module>[\\w.]+)",
            "Compilation failed because of a deadlock between files",
            "ImportError: cannot import name '?(?<name>[\\w.]+)'?",
            "cyclic package dependency: package `(?<module>[^`]+)` depends on itself",
            "Annotation processing is not supported for module cycles"
          ],
          "prefilter": [
            "partially initialized module",
            "circular import",
            "before initialization",
            "__WEBPACK_DEFAULT_EXPORT__ is not defined",
            "import cycle not allowed",
            "inside circular dependency",
            "circular require considered harmful",
            "Circular dependency detected",
            "deadlocked waiting on",
            "deadlock between files",
            "cannot import name",
            "cyclic package dependency",
            "for module cycles"
          ],
          "root_cause": "two modules import each other at load time, so one is used before it finished initialising",
          "symptoms": [
            "ImportError: cannot import name 'X' from partially initialized module 'Y' (most likely due to a circular import)"
          ],
          "playbook_id": "fix_circular_imports",
          "risk_level": "high",
          "autonomy_tier": "tier_3",
          "verification": {
            "method": "manual",
            "description": "the service starts without the import error"
          },
          "exclusions": [
            "(?m)^\\W*(?:\\w+:\\s+)?imports (?:runtime|internal/\\w+|runtime/\\w+)(?::|\\s*$)",
            "\\A(?=[\\s\\S]*cannot import name)(?![\\s\\S]*(?:partially initialized|circular import|File \\\"([^\\\"]+)\\\", line \\d+, in <module>[\\s\\S]*(?:File \\\"\\1\\\", line \\d+, in <module>|cannot import name '[^']+' from '[^']+' \\(\\1\\))))"
          ]
        },
        {
          "id": "database_locked",
          "title": "SQLite database is locked by another writer",
          "signatures": [
            "(?i)database (?:table )?is locked",
            "SQLITE_BUSY",
            "SQLITE_LOCKED",
            "SQLite3::BusyException",
            "Exqlite\\.Error\\)?:? Database busy|%Exqlite\\.Error\\{message: \\\"Database busy\\\""
          ],
          "prefilter": [
            "database is locked",
            "database table is locked",
            "SQLITE_BUSY",
            "SQLITE_LOCKED",
            "BusyException",
            "Database busy"
          ],
          "root_cause": "several writers share one SQLite file without WAL mode or a busy timeout, so a writer fails instead of waiting",
          "symptoms": [
            "sqlite3.OperationalError: database is locked",
            "SQLITE_BUSY: database is locked"
          ],
          "playbook_id": "unlock_database",
          "alternative_playbooks": ["restart_lock_holder"],
          "risk_level": "low",
          "autonomy_tier": "tier_1",
          "verification": {
            "method": "database_writable",
            "description": "a write transaction can be taken on the database"
          }
        },
        {
          "id": "trigger_mesh_unawaited",
          "title": "A coroutine was created but never awaited",
          "signatures": [
            "RuntimeWarning: coroutine '(?<coroutine>[^']+)' was never awaited",
            "coroutine '(?<coroutine>[^']+)' was never awaited",
            "unused implementer of `(?:std::future::)?Future` that must be used",
            "futures do nothing unless (?:you `\\.await`|polled)",
            "<CoroWrapper (?<coroutine>[\\w.]+)\\(\\) .* was never yielded from",
            "CS4014:?\\s+Because this call is not awaited",
            "Promises must be awaited, end with a call to \\.catch",
            "@typescript-eslint/no-floating-promises",
            "non-binding `let` on a future|clippy::let[_-]underscore[_-]future",
            "in _warn_unawaited_coroutine\\b",
            "consider `await`ing on the `Future`",
            "expression is 'async' but is not marked with 'await'",
            "'coroutine' object (?:is not (?:subscriptable|iterable|callable)|has no attribute '(?<name>\\w+)'|does not support item assignment)"
          ],
          "prefilter": [
            "was never awaited",
            "unused implementer of `",
            "futures do nothing unless",
            "was never yielded from",
            "Because this call is not awaited",
            "Promises must be awaited",
            "no-floating-promises",
            "on a future",
            "underscore-future",
            "underscore_future",
            "_warn_unawaited_coroutine",
            "consider `await`ing",
            "is 'async' but is not marked with 'await'",
            "'coroutine' object"
          ],
          "root_cause": "an async function is called without await (or create_task), so its work silently never runs",
          "symptoms": [
            "RuntimeWarning: coroutine 'TriggerMesh.publish' was never awaited"
          ],
          "playbook_id": "verify_async_subscriptions",
          "risk_level": "low",
          "autonomy_tier": "tier_1",
          "verification": {
            "method": "manual",
            "description": "no 'never awaited' warnings after the fix"
          }
        },
        {
          "id": "missing_env_secrets",
          "title": "A required environment variable or API key is not set",
          "signatures": [
            "KeyError: '(?<variable>[A-Z][A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASS|URL|DSN|ID)[A-Z0-9_]*)'",
            "(?i:environment variable|env var|env)s? ['\\\"`]?(?<variable>[A-Z][A-Z0-9_]{2,})['\\\"`]? (?i:is not set|not set|is missing|missing|is required|required|must be set|is undefined|not defined|not found)",
            "(?i:environment variable|env var)s? [\\\"'`](?<variable>[A-Za-z][A-Za-z0-9_]{2,})[\\\"'`] (?i:is not set|not set|is missing|missing|is required|required|must be set)",
            "(?i:missing|required|undefined|unset)(?: required)? (?i:environment variable|env var|secret|api key)s?:? ['\\\"`]?(?<variable>[A-Z][A-Z0-9_]{2,})",
            "(?i:environment variables?|env vars?) (?i:missing|not set|not found): (?<variable>[A-Z][A-Z0-9_]{2,})",
            "\\$?\\b(?<variable>[A-Z][A-Z0-9_]{2,})\\b (?:key )?(?:is not set|must be set|is missing|is required|not found in environment)",
            "required key (?<variable>[A-Z][A-Z0-9_]+) missing value",
            "required secret (?<variable>[A-Z][A-Z0-9_]+) is not set",
            "The (?<variable>api_key) client option must be set",
            "(?i)\\bno\\b [\\w -]{0,40}\\bapi[ _-]?key\\b (?:found|provided|set|configured)",
            "(?i)\\bmissing\\b [\\w -]{0,40}\\bapi[ _-]?key\\b",
            "(?i)\\bapi[ _-]?key\\b (?:was |is )?(?:not found|not set|not provided|missing|required)\\b",
            "Expected either (?:api_key|apiKey) or (?:auth_token|authToken) to be set",
            "Please provide an? (?<variable>[A-Z][A-Z0-9_]{2,}) e?n?v",
            "Could not resolve placeholder '(?<variable>[A-Z][A-Z0-9_]+)' in (?:string )?value \\\"\\$\\{\\k<variable>\\}\\\"",
            "\\bEnvVar(?:NotPresent)?\\(NotPresent\\)|`Err` value: NotPresent|: NotPresent\\b",
            "The (?<variable>[A-Z][A-Z0-9_]{2,}) setting must not be empty",
            "You didn't provide an API key",
            "\\bMissing (?<variable>[A-Z][A-Z0-9_]{2,})(?: or [A-Z][A-Z0-9_]{2,})* (?i:environment variables?|env vars?)\\b",
            "Did not find (?<variable>[A-Z][A-Z0-9_]{2,}), please add an environment variable",
            "key not found: \\\"(?<variable>[A-Z][A-Z0-9_]*(?:KEY|TOKEN|SECRET|PASSWORD|PASS|URL|DSN|ID)[A-Z0-9_]*)\\\" \\(KeyError\\)",
            "MissingAppKeyException|No application encryption key has been specified",
            "could not fetch environment variable \\\"(?<variable>[A-Za-z_][A-Za-z0-9_]*)\\\" because it is not set",
            "Missing `(?<variable>secret_key_base)` for '\\w+' environment",
            "in pydantic\\.env_settings\\.BaseSettings\\.__init__|pydantic_settings[/\\\\]main\\.py\\\", line \\d+, in __init__",
            "validation errors? for (?<model>\\w*Settings)\\b",
            "[/\\\\]os\\.py\\\", line \\d+, in __getitem__",
            "because no (?<variable>secret key) was set",
            "requires (?i:environment variable|env var) ['\\\"`]?(?<variable>[A-Z][A-Z0-9_]{2,})['\\\"`]? to be set",
            "No environment variable found for (?<variable>[A-Z][A-Z0-9_]{2,})",
            "(?i:environment variable) not found(?:: \\\"(?<variable>[^\\\"]+)\\\")?",
            "\\b(?<variable>[A-Z][A-Z0-9_]{2,}) is not defined in (?:the )?(?i:environment|env)",
            "\\b(?<variable>[A-Z][A-Z0-9_]{2,})`? (?i:environment variable|env var)s? (?i:is not set|not set|is missing|missing|is required|must be set|must be provided|is undefined|is not defined|not found)",
            "(?i:invalid|failed to validate|an error with the) (?:\\w+ )?(?i:environment variables)\\b"
          ],
          "prefilter": [
            "KeyError: '",
            "nvironment variable",
            "nv var",
            "NV VAR",
            "nvironment Variable",
            " is not set",
            " must be set",
            " is missing",
            " is required",
            "missing value",
            "required secret",
            "not found in environment",
            "client option must be set",
            "Please provide a",
            "Could not resolve placeholder",
            "NotPresent",
            "missing: ",
            "api key",
            "api_key",
            "auth_token",
            "authToken",
            "Did not find ",
            "key not found: ",
            "could not fetch environment variable",
            "secret_key_base",
            "MissingAppKeyException",
            "No application encryption key",
            "setting must not be empty",
            "provide an API key",
            "BaseSettings.__init__",
            "pydantic_settings",
            "validation error",
            "os.py\", line",
            "no secret key was set",
            "is not defined in"
          ],
          "root_cause": "the service reads a secret or setting from the environment that is neither exported nor in its .env file",
          "exclusions": [
            "(?m)\\A(?=[\\s\\S]*validation errors? for \\w*Settings\\b)(?![\\s\\S]*(?:env_settings|pydantic_settings|^(?:E\\s+)?[A-Z][A-Z0-9]*_[A-Z0-9_]+\\s*$))"
          ],
          "symptoms": [
            "KeyError: 'OPENAI_API_KEY'",
            "Missing required environment variable: GITHUB_TOKEN"
          ],
          "playbook_id": "create_default_env",
          "alternative_playbooks": ["ask_operator_for_secret"],
          "risk_level": "low",
          "autonomy_tier": "tier_1",
          "verification": {
            "method": "env_present",
            "description": "the variable has a value in the env file"
          }
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
