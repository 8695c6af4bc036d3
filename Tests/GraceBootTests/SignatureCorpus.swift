/// Realistic logs for each built-in pattern (tracebacks inside ordinary noise), and near misses
/// that share words with a pattern but are other failures.
enum SignatureCorpus {
    static let positives: [(pattern: String, log: String)] = [
        ("unicode_logging_crash", #"""
        2025-11-09 18:30:00,101 INFO uvicorn.error Started server process [4120]
        --- Logging error ---
        Traceback (most recent call last):
          File "C:\Python311\Lib\logging\__init__.py", line 1113, in emit
            stream.write(msg + self.terminator)
          File "C:\Python311\Lib\encodings\cp1252.py", line 19, in encode
            return codecs.charmap_encode(input,self.errors,encoding_table)[0]
        UnicodeEncodeError: 'charmap' codec can't encode character '\u2705' in position 42: character maps to <undefined>
        Call stack:
          File "backend\main.py", line 88, in startup
            logger.info("✅ Boot complete")
        Message: '✅ Boot complete'
        Arguments: ()
        """#),
        ("unicode_logging_crash", #"""
        [worker-3] processing batch 17
        Traceback (most recent call last):
          File "/srv/app/report.py", line 12, in <module>
            print(summary)
        UnicodeEncodeError: 'ascii' codec can't encode characters in position 10-12: ordinal not in range(128)
        """#),
        // Python 2's logging retries with the stream's own encoding: an encode call that is the
        // output stream's, not a program encoding a value itself (which the pattern excludes).
        ("unicode_logging_crash", #"""
        Traceback (most recent call last):
          File "C:\Python27\lib\logging\__init__.py", line 882, in emit
            stream.write((ufs % msg).encode(stream.encoding))
        UnicodeEncodeError: 'charmap' codec can't encode character u'\u2705' in position 0: character maps to <undefined>
        Logged from file main.py, line 12
        """#),
        ("verification_events_schema_mismatch", #"""
        INFO:     Application startup complete.
        ERROR:    Exception in ASGI application
        Traceback (most recent call last):
          File "/app/backend/verification.py", line 57, in record
            await session.execute(insert(VerificationEvent).values(**row))
        sqlalchemy.exc.OperationalError: (sqlite3.OperationalError) table verification_events has no column named passed
        [SQL: INSERT INTO verification_events (verification_type, passed) VALUES (?, ?)]
        (Background on this error at: https://sqlalche.me/e/20/e3q8)
        """#),
        ("verification_events_schema_mismatch", #"""
        2025-11-10T08:00:01Z app[web.1]: Error: select "orders"."shipped_at" from "orders" - column orders.shipped_at does not exist
        2025-11-10T08:00:01Z app[web.1]:     at Parser.parseErrorMessage (node_modules/pg-protocol/dist/parser.js:287:98)
        """#),
        ("verification_events_schema_mismatch", #"""
        psycopg2.errors.UndefinedColumn: column "tenant_id" of relation "invoices" does not exist
        LINE 1: INSERT INTO invoices (tenant_id, total) VALUES (1, 20)
        """#),
        ("verification_events_schema_mismatch", #"""
        rusqlite error: SqliteFailure(Error { code: Unknown, extended_code: 1 }, Some("no such column: users.last_login"))
        """#),
        ("playbook_missing_risk_fields", #"""
        Traceback (most recent call last):
          File "/app/backend/self_heal/runner.py", line 141, in choose
            tier = playbook["autonomy_tier"]
        KeyError: 'autonomy_tier'
        """#),
        ("playbook_missing_risk_fields", #"""
        sqlite3.IntegrityError: NOT NULL constraint failed: playbooks.risk_level
        """#),
        ("playbook_missing_risk_fields", #"""
        pydantic_core._pydantic_core.ValidationError: 1 validation error for Playbook
        risk_level
          Field required [type=missing, input_value={'name': 'restart_api'}, input_type=dict]
        """#),
        ("circular_import_avn_models", #"""
        Traceback (most recent call last):
          File "/app/backend/main.py", line 3, in <module>
            from backend.avn_avm import AVNMonitor
          File "/app/backend/avn_avm.py", line 7, in <module>
            from backend.models import Anomaly
          File "/app/backend/models.py", line 4, in <module>
            from backend.avn_avm import severity_for
        ImportError: cannot import name 'severity_for' from partially initialized module 'backend.avn_avm' (most likely due to a circular import) (/app/backend/avn_avm.py)
        """#),
        ("circular_import_avn_models", #"""
        AttributeError: partially initialized module 'billing.tasks' has no attribute 'charge' (most likely due to a circular import)
        """#),
        ("database_locked", #"""
        2025-11-09 18:31:07,402 ERROR grace.metrics Failed to persist snapshot
        Traceback (most recent call last):
          File "/app/backend/metrics_service.py", line 210, in persist
            conn.commit()
        sqlite3.OperationalError: database is locked
        """#),
        ("database_locked", #"""
        thread 'tokio-runtime-worker' panicked at 'called `Result::unwrap()` on an `Err` value: SqliteFailure(Error { code: DatabaseBusy, extended_code: 5 }, Some("database is locked"))'
        """#),
        ("database_locked", #"""
        panic: SQLITE_BUSY: unable to begin transaction
        goroutine 1 [running]:
        """#),
        ("trigger_mesh_unawaited", #"""
        /app/backend/trigger_mesh.py:88: RuntimeWarning: coroutine 'TriggerMesh.publish' was never awaited
          self.publish(event)
        RuntimeWarning: Enable tracemalloc to get the object allocation traceback
        """#),
        ("trigger_mesh_unawaited", #"""
        sys:1: RuntimeWarning: coroutine 'fetch_prices' was never awaited
        """#),
        ("missing_env_secrets", #"""
        Traceback (most recent call last):
          File "/app/backend/clients.py", line 9, in <module>
            OPENAI_KEY = os.environ["OPENAI_API_KEY"]
          File "/usr/lib/python3.11/os.py", line 679, in __getitem__
            raise KeyError(key) from None
        KeyError: 'OPENAI_API_KEY'
        """#),
        ("missing_env_secrets", #"""
        Error: Missing required environment variable: GITHUB_TOKEN
            at requireEnv (/srv/bot/config.js:12:11)
        """#),
        ("missing_env_secrets", #"""
        openai.OpenAIError: The api_key client option must be set either by passing api_key to the client or by setting the OPENAI_API_KEY environment variable
        """#),
        ("missing_env_secrets", #"""
        2025/11/10 08:00:00 envconfig: required key DATABASE_URL missing value
        """#),
        ("missing_env_secrets", #"""
        ValueError: STRIPE_SECRET_KEY is not set
        """#),
        // The near miss below, but the traceback shows the cycle: reports.py is still executing.
        ("circular_import_avn_models", #"""
        Traceback (most recent call last):
          File "/app/reports.py", line 3, in <module>
            from main import settings
          File "/app/main.py", line 2, in <module>
            from reports import build_pdf
        ImportError: cannot import name 'build_pdf' from 'reports' (/app/reports.py)
        """#),
    ]

    /// Logs that share words with a pattern but are other failures: no built-in pattern may match them.
    static let negatives: [String] = [
        #"""
        Traceback (most recent call last):
          File "/app/main.py", line 2, in <module>
            from reports import build_pdf
        ImportError: cannot import name 'build_pdf' from 'reports' (/app/reports.py)
        """#,
        // A program encoding a header value itself, not an output stream.
        #"""
        Traceback (most recent call last):
          File "/srv/app/client.py", line 40, in send
            request.headers["X-Title"] = title
          File "/srv/venv/lib/python3.11/site-packages/httpx/_models.py", line 518, in __setitem__
            set_value = value.encode(self.encoding)
        UnicodeEncodeError: 'ascii' codec can't encode character '\xae' in position 8: ordinal not in range(128)
        """#,
        #"""
        ModuleNotFoundError: No module named 'avn_models'
        """#,
        #"""
        2025-11-09 10:00:00 WARNING auth Account locked after 5 failed login attempts for user alice
        2025-11-09 10:00:01 INFO  files File report.xlsx is locked for editing by another user
        """#,
        #"""
        KeyError: 'user_id'
        """#,
        #"""
        UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte
        """#,
        #"""
        2025-11-09 12:00:00 INFO  db Migration 0042_add_passed_column applied; column passed exists
        2025-11-09 12:00:01 INFO  api All coroutines awaited; 12 tasks finished
        """#,
        #"""
        sqlite3.OperationalError: no such table: sessions
        """#,
    ]
}
