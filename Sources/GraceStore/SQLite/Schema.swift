import GRDB

/// Versioned schemas of Grace's two SQLite files. Migrations are append-only: never edit a
/// registered one, add the next.
enum Schema {
    static var graceMigrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_core") { db in
            try db.execute(sql: """
                CREATE TABLE agent_runs (
                    run_id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL DEFAULT 'agent',
                    trigger TEXT NOT NULL,
                    subsystem TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active','success','failed','aborted')),
                    started_at TEXT NOT NULL,
                    ended_at TEXT,
                    playbooks_executed INTEGER NOT NULL DEFAULT 0,
                    verifications_passed INTEGER NOT NULL DEFAULT 0,
                    verifications_failed INTEGER NOT NULL DEFAULT 0,
                    body TEXT
                );
                CREATE INDEX agent_runs_status ON agent_runs(status, started_at);
                CREATE INDEX agent_runs_started ON agent_runs(started_at);

                CREATE TABLE agent_steps (
                    step_id TEXT PRIMARY KEY NOT NULL,
                    run_id TEXT NOT NULL REFERENCES agent_runs(run_id),
                    timestamp TEXT NOT NULL,
                    step_type TEXT NOT NULL,
                    subsystem TEXT NOT NULL,
                    description TEXT NOT NULL DEFAULT '',
                    status TEXT NOT NULL CHECK (status IN ('pending','running','success','failed')),
                    duration_ms REAL,
                    details TEXT,
                    playbook_id TEXT,
                    verification_id TEXT,
                    updated_at TEXT NOT NULL
                );
                CREATE INDEX agent_steps_run ON agent_steps(run_id, timestamp);

                CREATE TABLE approval_requests (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL UNIQUE,
                    status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected','executed')),
                    requested_by TEXT NOT NULL,
                    reason TEXT NOT NULL DEFAULT '',
                    playbook_id TEXT,
                    pattern_id TEXT,
                    run_id TEXT,
                    decision_by TEXT,
                    decision_reason TEXT,
                    created_at TEXT NOT NULL,
                    decided_at TEXT
                );
                CREATE INDEX approval_requests_status ON approval_requests(status, created_at);

                CREATE TABLE verification_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    verification_id TEXT NOT NULL UNIQUE,
                    verification_type TEXT NOT NULL,
                    target_component TEXT NOT NULL,
                    verification_method TEXT NOT NULL,
                    result TEXT NOT NULL,
                    passed INTEGER NOT NULL,
                    anomaly_score REAL,
                    confidence REAL,
                    details TEXT,
                    verified_by TEXT NOT NULL,
                    run_id TEXT,
                    playbook_id TEXT,
                    created_at TEXT NOT NULL
                );
                CREATE INDEX verification_events_created ON verification_events(created_at);

                CREATE TABLE playbooks (
                    id TEXT PRIMARY KEY NOT NULL,
                    name TEXT NOT NULL UNIQUE,
                    description TEXT NOT NULL DEFAULT '',
                    service TEXT NOT NULL DEFAULT 'grace',
                    severity TEXT NOT NULL DEFAULT 'medium',
                    risk_level TEXT NOT NULL DEFAULT 'medium',
                    autonomy_tier TEXT NOT NULL DEFAULT 'tier_1',
                    preconditions TEXT,
                    parameters_schema TEXT,
                    created_at TEXT NOT NULL
                );

                CREATE TABLE playbook_runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    playbook_id TEXT NOT NULL,
                    pattern_id TEXT,
                    run_id TEXT,
                    status TEXT NOT NULL CHECK (status IN ('pending','running','succeeded','failed','rolled_back','aborted','observed')),
                    decision TEXT NOT NULL,
                    started_at TEXT NOT NULL,
                    ended_at TEXT,
                    details TEXT
                );
                CREATE INDEX playbook_runs_started ON playbook_runs(started_at);

                CREATE TABLE playbook_stats (
                    playbook_id TEXT NOT NULL,
                    pattern_id TEXT NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    successes INTEGER NOT NULL DEFAULT 0,
                    last_run_at TEXT,
                    PRIMARY KEY (playbook_id, pattern_id)
                );

                CREATE TABLE immutable_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    sequence INTEGER NOT NULL UNIQUE,
                    timestamp TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    resource TEXT NOT NULL,
                    subsystem TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    result TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    entry_hash TEXT NOT NULL
                );
                CREATE TRIGGER immutable_log_no_update BEFORE UPDATE ON immutable_log
                BEGIN SELECT RAISE(ABORT, 'immutable_log is append-only: updates are refused'); END;
                CREATE TRIGGER immutable_log_no_delete BEFORE DELETE ON immutable_log
                BEGIN SELECT RAISE(ABORT, 'immutable_log is append-only: deletes are refused'); END;
                """)
        }
        migrator.registerMigration("v2_approval_details") { db in
            // What an approved playbook needs to run later: the pattern's match and its captures.
            try db.execute(sql: "ALTER TABLE approval_requests ADD COLUMN details TEXT")
        }
        migrator.registerMigration("v3_node_id") { db in
            // Several Grace nodes may share one PostgreSQL store; SQLite homes record their node too,
            // so `grace store migrate` carries it over. Older rows keep NULL: recorded before nodes.
            try db.execute(sql: """
                ALTER TABLE agent_runs ADD COLUMN node_id TEXT;
                ALTER TABLE approval_requests ADD COLUMN node_id TEXT;
                ALTER TABLE immutable_log ADD COLUMN node_id TEXT;
                CREATE INDEX agent_runs_node ON agent_runs(node_id, started_at);
                """)
        }
        migrator.registerMigration("v4_runs_ended") { db in
            // Trace export polls a node's runs that ended since its cursor, every second.
            try db.execute(sql: "CREATE INDEX agent_runs_node_ended ON agent_runs(node_id, ended_at)")
        }
        migrator.registerMigration("v5_decision_claimed_by") { db in
            // decision_by is who authenticated (api-token, loopback, the CLI user); the name a
            // caller typed (decided_by) is only a claim, kept beside it.
            try db.execute(sql: "ALTER TABLE approval_requests ADD COLUMN decision_claimed_by TEXT")
        }
        migrator.registerMigration("v6_truthful_outcomes") { db in
            // A boot whose optional stage failed is `partial`, not `success`; an executed approval
            // ends `succeeded` or `failed`; a step records when it ended. SQLite cannot alter a
            // CHECK constraint, so the two tables are rebuilt (GRDB defers foreign-key checks in a
            // migration; agent_steps' reference to agent_runs holds by name).
            try db.execute(sql: """
                CREATE TABLE agent_runs_v6 (
                    run_id TEXT PRIMARY KEY NOT NULL,
                    kind TEXT NOT NULL DEFAULT 'agent',
                    trigger TEXT NOT NULL,
                    subsystem TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('active','success','partial','failed','aborted')),
                    started_at TEXT NOT NULL,
                    ended_at TEXT,
                    playbooks_executed INTEGER NOT NULL DEFAULT 0,
                    verifications_passed INTEGER NOT NULL DEFAULT 0,
                    verifications_failed INTEGER NOT NULL DEFAULT 0,
                    body TEXT,
                    node_id TEXT
                );
                INSERT INTO agent_runs_v6 (run_id, kind, trigger, subsystem, status, started_at, ended_at, playbooks_executed,
                                           verifications_passed, verifications_failed, body, node_id)
                    SELECT run_id, kind, trigger, subsystem, status, started_at, ended_at, playbooks_executed,
                           verifications_passed, verifications_failed, body, node_id FROM agent_runs;
                DROP TABLE agent_runs;
                ALTER TABLE agent_runs_v6 RENAME TO agent_runs;
                CREATE INDEX agent_runs_status ON agent_runs(status, started_at);
                CREATE INDEX agent_runs_started ON agent_runs(started_at);
                CREATE INDEX agent_runs_node ON agent_runs(node_id, started_at);
                CREATE INDEX agent_runs_node_ended ON agent_runs(node_id, ended_at);

                CREATE TABLE approval_requests_v6 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    event_id TEXT NOT NULL UNIQUE,
                    status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected','executed','succeeded','failed','expired')),
                    requested_by TEXT NOT NULL,
                    reason TEXT NOT NULL DEFAULT '',
                    playbook_id TEXT,
                    pattern_id TEXT,
                    run_id TEXT,
                    decision_by TEXT,
                    decision_reason TEXT,
                    created_at TEXT NOT NULL,
                    decided_at TEXT,
                    details TEXT,
                    node_id TEXT,
                    decision_claimed_by TEXT
                );
                INSERT INTO approval_requests_v6 (id, event_id, status, requested_by, reason, playbook_id, pattern_id, run_id, decision_by,
                                                  decision_reason, created_at, decided_at, details, node_id, decision_claimed_by)
                    SELECT id, event_id, status, requested_by, reason, playbook_id, pattern_id, run_id, decision_by,
                           decision_reason, created_at, decided_at, details, node_id, decision_claimed_by FROM approval_requests;
                DROP TABLE approval_requests;
                ALTER TABLE approval_requests_v6 RENAME TO approval_requests;
                CREATE INDEX approval_requests_status ON approval_requests(status, created_at);

                ALTER TABLE agent_steps ADD COLUMN ended_at TEXT;
                """)
        }
        migrator.registerMigration("v7_mined_clusters") { db in
            // Templates of failures no pattern matched (GraceCore.TemplateMiner), to suggest patterns.
            try db.execute(sql: MinedClusterSchema.createTable)
        }
        migrator.registerMigration("v8_otlp_ingest") { db in
            // OTLP trace ingestion: a trace is a run (found by its trace id), a span a step nested by its
            // parent; the ids of events applied by POST /api/agent/events, so a repeat is applied once.
            try db.execute(sql: """
                ALTER TABLE agent_runs ADD COLUMN trace_id TEXT;
                ALTER TABLE agent_steps ADD COLUMN span_id TEXT;
                ALTER TABLE agent_steps ADD COLUMN parent_span_id TEXT;
                CREATE INDEX agent_runs_trace ON agent_runs(trace_id);
                CREATE TABLE agent_events (
                    event_id TEXT PRIMARY KEY NOT NULL,
                    event_type TEXT NOT NULL,
                    run_id TEXT NOT NULL,
                    received_at TEXT NOT NULL
                );
                """)
        }
        migrator.registerMigration("v10_alerts") { db in
            // One record per alert and webhook: status, attempts, the last error, and a lease so one node sends.
            for statement in AlertDeliverySchema.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v11_steps_version") { db in
            // A run's steps_version changes with every change to its steps, in the change's own
            // transaction and whoever writes it (Grace, OTLP ingest, the sqlite3 CLI), so a
            // rendered timeline can be reused while the number stands (GraceServer.TimelineCache).
            try db.execute(sql: """
                ALTER TABLE agent_runs ADD COLUMN steps_version INTEGER NOT NULL DEFAULT 0;
                CREATE TRIGGER agent_steps_version_insert AFTER INSERT ON agent_steps BEGIN
                    UPDATE agent_runs SET steps_version = steps_version + 1 WHERE run_id = NEW.run_id;
                END;
                CREATE TRIGGER agent_steps_version_update AFTER UPDATE ON agent_steps BEGIN
                    UPDATE agent_runs SET steps_version = steps_version + 1 WHERE run_id IN (OLD.run_id, NEW.run_id);
                END;
                CREATE TRIGGER agent_steps_version_delete AFTER DELETE ON agent_steps BEGIN
                    UPDATE agent_runs SET steps_version = steps_version + 1 WHERE run_id = OLD.run_id;
                END;
                """)
        }
        migrator.registerMigration("v12_change_feed") { db in
            // A numbered row for each run, step and approval written, by whoever writes it: what
            // `GET /api/events` follows (ChangeFeedSchema).
            try db.execute(sql: ChangeFeedSchema.sqlite)
        }
        return migrator
    }

    static var metricsMigrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1_metrics") { db in
            try db.execute(sql: """
                CREATE TABLE metrics_snapshots (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    snapshot_id TEXT NOT NULL UNIQUE,
                    metric_id TEXT NOT NULL,
                    resource_scope TEXT NOT NULL,
                    resource_id TEXT NOT NULL,
                    window_start TEXT NOT NULL,
                    window_end TEXT NOT NULL,
                    stats_json TEXT NOT NULL,
                    bands_json TEXT NOT NULL,
                    latest_band TEXT NOT NULL CHECK (latest_band IN ('good','warning','critical')),
                    derived_actions_json TEXT NOT NULL DEFAULT '[]',
                    created_at TEXT NOT NULL
                );
                CREATE INDEX metrics_snapshots_metric ON metrics_snapshots(metric_id, window_end);
                """)
        }
        migrator.registerMigration("v2_node_id") { db in
            try db.execute(sql: "ALTER TABLE metrics_snapshots ADD COLUMN node_id TEXT")
        }
        migrator.registerMigration("v9_retention") { db in
            // Retention deletes snapshots by age in batches, oldest first.
            try db.execute(sql: "CREATE INDEX metrics_snapshots_created ON metrics_snapshots(created_at)")
        }
        return migrator
    }
}
