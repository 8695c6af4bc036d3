#!/usr/bin/env python3
"""A small agent backend (Python standard library only) to run under `grace up`.

It serves GET /health on $AGENT_PORT, keeps an SQLite database (data/agent.db) and runs an
"agent loop" that records a verification event every half second. A switch makes it fail in
one of the seven ways Grace knows (see README.md): the AGENT_FAIL environment variable (read
at start) or the file `agent.fail` in this folder (read on every loop, so a running service
can be made to fail).
"""
import asyncio
import http.server
import io
import json
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DATABASE = os.path.join(HERE, "data", "agent.db")
MODES = ["unicode", "missing_column", "missing_risk_fields", "circular_import", "locked", "unawaited", "missing_secret"]


def fail_mode():
    try:
        with open(os.path.join(HERE, "agent.fail"), encoding="utf-8") as switch:
            return switch.read().strip()
    except FileNotFoundError:
        return os.environ.get("AGENT_FAIL", "").strip()


def console_encoding():
    # A Windows console (the reference system's home) writes cp1252 unless PYTHONIOENCODING says otherwise.
    return os.environ.get("PYTHONIOENCODING") or "cp1252"


def set_up_logging(mode):
    if mode == "unicode":
        sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding=console_encoding(), line_buffering=True)
        sys.stderr = io.TextIOWrapper(sys.stderr.buffer, encoding=console_encoding(), line_buffering=True)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return logging.getLogger("agent")


def check_startup(mode, log):
    safe = os.environ.get("GRACE_SAFE_MODE", "0") == "1"
    log.info("starting agent service (safe mode: %s, fail switch: %s)", safe, mode or "none")
    if mode == "missing_secret":
        key = os.environ["OPENAI_API_KEY"]  # raises KeyError: 'OPENAI_API_KEY' when it is not set
        log.info("model key loaded (%d characters)", len(key))
    if mode == "circular_import":
        sys.path.insert(0, os.path.join(HERE, "cycle"))
        import agent_models  # noqa: F401  agent_models imports agent_routes, which imports agent_models
    if mode == "missing_risk_fields":
        with open(os.path.join(HERE, "playbooks.json"), encoding="utf-8") as file:
            for record in json.load(file):
                if "risk_level" not in record:
                    raise KeyError("risk_level")
    if mode == "unawaited":
        async def publish(event):
            await asyncio.sleep(0)
        publish("agent.started")  # never awaited: Python warns and the event is lost
        import gc
        gc.collect()
    if mode == "unicode":
        log.info("agent ready 🚀 – naïve café ✓")


def hold_lock(seconds):
    """Another writer (a backup job, say) that keeps the database locked for a while."""
    connection = sqlite3.connect(DATABASE, isolation_level=None, timeout=5)
    connection.execute("BEGIN EXCLUSIVE")
    open(os.path.join(HERE, "data", "backup-job.holding"), "w").close()
    time.sleep(seconds)
    connection.execute("COMMIT")


def agent_loop(log, stop):
    lock_marker = os.path.join(HERE, "data", "backup-job.ran")
    while not stop.is_set():
        mode = fail_mode()
        try:
            if mode == "locked" and not os.path.exists(lock_marker):
                # The nightly backup job starts, once, and holds the database while this loop writes.
                open(lock_marker, "w").close()
                subprocess.Popen([sys.executable, __file__, "--hold-lock", os.environ.get("AGENT_LOCK_SECONDS", "3")])
                # Until the job holds the lock: on a busy machine it takes a while to start.
                holding = os.path.join(HERE, "data", "backup-job.holding")
                for _ in range(200):
                    if os.path.exists(holding):
                        break
                    time.sleep(0.05)
            connection = sqlite3.connect(DATABASE, timeout=0.05)
            with connection:
                if mode == "missing_column":
                    connection.execute("SELECT id, passed FROM verification_events ORDER BY id DESC LIMIT 1").fetchall()
                connection.execute("INSERT INTO verification_events (name) VALUES (?)", ("loop",))
            connection.close()
        except sqlite3.Error:
            log.exception("agent loop failed")
        stop.wait(0.5)


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path == "/health"
        body = json.dumps({"status": "ok"} if ok else {"error": "not found"}).encode()
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--hold-lock":
        hold_lock(float(sys.argv[2]))
        return
    mode = fail_mode()
    if mode and mode not in MODES:
        sys.exit(f"unknown fail switch {mode!r}; one of {', '.join(MODES)}")
    log = set_up_logging(mode)
    os.makedirs(os.path.dirname(DATABASE), exist_ok=True)
    with open(os.path.join(HERE, "data", "agent.pid"), "w") as pid_file:
        pid_file.write(str(os.getpid()))
    check_startup(mode, log)
    port = int(os.environ.get("AGENT_PORT", "8765"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Health)
    stop = threading.Event()
    threading.Thread(target=agent_loop, args=(log, stop), daemon=True).start()
    log.info("listening on http://127.0.0.1:%d", port)
    try:
        server.serve_forever()
    finally:
        stop.set()


if __name__ == "__main__":
    main()
