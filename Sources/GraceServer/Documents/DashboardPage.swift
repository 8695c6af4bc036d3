/// The live web dashboard at `/`: one self-contained page (no build step, no external assets)
/// that polls the JSON API every few seconds and draws runs and boot stages as waterfalls.
///
/// The page holds no data, so it is served without the token; every data call sends
/// `Authorization: Bearer` with the token the page asked for when the server first answered 401.
/// The token is kept in `sessionStorage`: this tab only, gone when it closes.
enum DashboardPage {
    /// How often the page polls, in milliseconds.
    static let pollInterval = 3000

    static let html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Grace</title>
        <style>
        :root{--bg:#0d1117;--panel:#161b22;--panel2:#1c232c;--line:#2a323c;--text:#d9dee4;--muted:#8b97a4;--accent:#5eb3f0;
        --good:#3fb970;--warn:#e3a43b;--bad:#ec5f59;--idle:#6e7a87;--run:#5eb3f0}
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--text)}
        a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
        header{display:flex;align-items:center;gap:16px;padding:14px 28px;border-bottom:1px solid var(--line);background:var(--panel)}
        header h1{margin:0;font-size:20px;letter-spacing:.5px}header .grow{flex:1}
        .pill{display:inline-block;border-radius:999px;padding:2px 12px;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.5px;background:var(--idle);color:#0d1117}
        .s-success,.s-succeeded,.s-good,.s-passed,.s-approved,.s-executed{background:var(--good)}.s-partial,.s-warning,.s-pending,.s-passed_after_heal{background:var(--warn)}
        .s-failed,.s-critical,.s-rejected,.s-aborted,.s-expired{background:var(--bad)}.s-active,.s-running{background:var(--run)}.s-skipped,.s-unknown{background:var(--idle)}
        .live{font-size:12px;color:var(--muted)}.dot{display:inline-block;width:8px;height:8px;border-radius:50%;background:var(--good);margin-right:6px}
        .dot.off{background:var(--bad)}
        main{padding:20px 28px 48px;display:grid;gap:18px}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px}
        .card{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:12px 16px}
        .card .label{font-size:11px;text-transform:uppercase;letter-spacing:.6px;color:var(--muted)}
        .card .value{font-size:26px;font-weight:650;margin-top:2px}.card .sub{font-size:12px;color:var(--muted)}
        .bands{display:flex;height:8px;border-radius:4px;overflow:hidden;margin-top:8px;background:var(--line)}
        .bands span{display:block;height:100%}
        section{background:var(--panel);border:1px solid var(--line);border-radius:10px;padding:14px 18px}
        section h2{margin:0 0 10px;font-size:14px;text-transform:uppercase;letter-spacing:.6px;color:var(--muted);display:flex;gap:10px;align-items:center}
        section h2 .muted{text-transform:none;letter-spacing:0;font-weight:normal}
        .two{display:grid;grid-template-columns:1fr 1fr;gap:18px}.runs{display:grid;grid-template-columns:minmax(260px,340px) 1fr;gap:18px}
        @media (max-width:980px){.two,.runs{grid-template-columns:1fr}}
        .wf{display:grid;grid-template-columns:minmax(140px,230px) 1fr 80px;gap:4px 12px;align-items:center}
        .wf .name{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.wf .name small{color:var(--muted);margin-left:6px}
        .track{position:relative;height:16px;background:var(--panel2);border-radius:3px}
        .bar{position:absolute;top:2px;height:12px;border-radius:3px;min-width:3px}
        .dur{font:12px ui-monospace,monospace;color:var(--muted);text-align:right}
        .axis{grid-column:2;display:flex;justify-content:space-between;font:11px ui-monospace,monospace;color:var(--muted)}
        ul.plain{list-style:none;margin:0;padding:0}ul.plain li{padding:6px 0;border-bottom:1px solid var(--line)}ul.plain li:last-child{border:0}
        .issue::before{content:"!";display:inline-block;width:18px;height:18px;border-radius:50%;background:var(--bad);color:#0d1117;text-align:center;font-weight:700;font-size:12px;margin-right:8px}
        .rec::before{content:"→";color:var(--accent);margin-right:8px}
        .empty{color:var(--muted);font-style:italic}
        .runlist li{cursor:pointer;display:flex;gap:8px;align-items:center;padding:7px 8px;border-radius:6px;border:0}
        .runlist li:hover{background:var(--panel2)}.runlist li.sel{background:var(--panel2);outline:1px solid var(--accent)}
        .runlist .meta{color:var(--muted);font-size:12px}.runlist .id{font:12px ui-monospace,monospace}
        .approval{display:flex;gap:10px;align-items:center;padding:8px 0;border-bottom:1px solid var(--line)}.approval .grow{flex:1}
        button{background:var(--panel2);color:var(--text);border:1px solid var(--line);border-radius:6px;padding:4px 12px;cursor:pointer;font:inherit}
        button.ok{border-color:var(--good);color:var(--good)}button.no{border-color:var(--bad);color:var(--bad)}button:disabled{opacity:.4;cursor:default}
        input{background:var(--panel2);color:var(--text);border:1px solid var(--line);border-radius:6px;padding:4px 8px;font:inherit}
        .links a{margin-right:14px}.mono{font:12px ui-monospace,monospace}.muted{color:var(--muted)}
        #banner{display:none;background:var(--bad);color:#0d1117;padding:8px 28px;font-weight:600}
        #login{display:none;background:var(--panel);border-bottom:1px solid var(--line);padding:12px 28px;gap:10px;align-items:center}
        </style></head><body>
        <header><h1>Grace</h1><span id="boot-pill" class="pill s-unknown">unknown</span><span class="grow"></span>
        <span class="live"><span id="dot" class="dot"></span><span id="updated">connecting…</span></span>
        <nav class="links"><a href="/docs" data-auth>API docs</a><a href="/openapi.json" data-auth>OpenAPI</a><a href="/metrics" data-auth>Metrics</a></nav></header>
        <div id="banner">Grace is not answering; retrying…</div>
        <form id="login"><label for="token">This Grace needs its API token (GRACE_API_TOKEN):</label>
        <input id="token" type="password" autocomplete="off" size="28" placeholder="API token"><button type="submit">Use token</button>
        <span id="login-note" class="muted">kept for this tab only</span></form>
        <main>
        <div class="cards" id="cards"></div>
        <section><h2>Last boot <span id="boot-meta" class="muted"></span></h2><div id="boot-wf"></div></section>
        <div class="two">
        <section><h2>Issues</h2><ul class="plain" id="issues"></ul></section>
        <section><h2>Recommendations</h2><ul class="plain" id="recs"></ul></section>
        </div>
        <section><h2>Runs <span class="grow"></span><input id="node" placeholder="all nodes" size="14" title="Show only this node's runs and approvals (GRACE_NODE_ID)"></h2><div class="runs"><ul class="plain runlist" id="runs"></ul>
        <div><div id="run-head" class="muted"></div><div id="run-wf"></div></div></div></section>
        <div class="two">
        <section><h2>Pending approvals</h2>
        <div id="approvals"></div></section>
        <section><h2>Metrics</h2><div id="metrics"></div><h2 style="margin-top:14px">Quick links</h2><div class="links" id="links"></div></section>
        </div>
        <section><h2>Failures no pattern names yet</h2><div id="suggestions"></div></section>
        </main>
        <script>
        "use strict";
        const POLL = \(pollInterval);
        let selectedRun = null;
        // The API token: asked for once when the server answers 401, kept for this tab only.
        const TOKEN_KEY = "grace_token";
        const login = document.getElementById("login"), tokenInput = document.getElementById("token");
        class NeedsToken extends Error { constructor(refused) { super("the API token is needed"); this.refused = refused; } }
        function authHeaders(extra) {
          const headers = Object.assign({}, extra || {}), token = sessionStorage.getItem(TOKEN_KEY);
          if (token) headers["Authorization"] = "Bearer " + token;
          return headers;
        }
        function askForToken(refused) {
          if (refused) sessionStorage.removeItem(TOKEN_KEY);
          fill("login-note", refused ? "that token was refused; try again (kept for this tab only)" : "kept for this tab only");
          login.style.display = "flex"; tokenInput.focus();
        }
        // A plain link cannot carry the token: links to data (data-auth) are fetched with it and
        // shown in a new tab, as the answer itself (a blob of this page's origin).
        document.addEventListener("click", async event => {
          const link = event.target.closest && event.target.closest("a[data-auth]");
          if (!link || !sessionStorage.getItem(TOKEN_KEY) || event.button !== 0 || event.ctrlKey || event.metaKey) return;
          event.preventDefault();
          const tab = window.open("", "_blank");
          const r = await fetch(link.getAttribute("href"), {cache: "no-store", headers: authHeaders()});
          if (r.status === 401) { if (tab) tab.close(); askForToken(true); return; }
          // JSON as JSON, Grace's own API docs page as HTML, anything else as text.
          const type = (r.headers.get("Content-Type") || "text/plain").split(";")[0];
          const shown = type === "application/json" ? type : type === "text/html" && link.getAttribute("href") === "/docs" ? type : "text/plain";
          const blob = new Blob([await r.text()], {type: shown});
          const address = URL.createObjectURL(blob);
          if (tab) tab.location = address; else window.location = address;
        });
        login.addEventListener("submit", event => {
          event.preventDefault();
          if (!tokenInput.value) return;
          sessionStorage.setItem(TOKEN_KEY, tokenInput.value); tokenInput.value = ""; login.style.display = "none"; refresh();
        });

        function h(tag, attrs, ...children) {
          const el = document.createElement(tag);
          for (const [k, v] of Object.entries(attrs || {})) {
            if (k === "class") el.className = v; else if (k === "style") el.style.cssText = v;
            else if (k.startsWith("on")) el.addEventListener(k.slice(2), v); else el.setAttribute(k, v);
          }
          for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
          return el;
        }
        function fill(id, ...children) { const el = document.getElementById(id); el.replaceChildren(...children.flat()); return el; }
        function pill(status) { return h("span", {class: "pill s-" + status}, status); }
        function ms(v) { if (v === null || v === undefined) return "–"; return v < 1000 ? (Math.round(v * 10) / 10) + " ms" : (Math.round(v / 10) / 100) + " s"; }
        function time(ts) { if (!ts) return "–"; const d = parseTime(ts); return isNaN(d) ? ts : new Date(d).toLocaleString(); }
        function parseTime(ts) { return Date.parse(String(ts).replace(/(\\.\\d{3})\\d+/, "$1")); }
        function colour(status) {
          return {success: "var(--good)", passed: "var(--good)", passed_after_heal: "var(--warn)", warning: "var(--warn)", pending: "var(--idle)",
                  running: "var(--run)", failed: "var(--bad)", skipped: "var(--idle)"}[status] || "var(--idle)";
        }
        async function getJSON(path) {
          const r = await fetch(path, {cache: "no-store", headers: authHeaders()});
          if (r.status === 401) throw new NeedsToken(!!sessionStorage.getItem(TOKEN_KEY));
          if (!r.ok) throw new Error(path + " answered " + r.status);
          return r.json();
        }

        function card(label, value, sub, extra) { return h("div", {class: "card"}, h("div", {class: "label"}, label), h("div", {class: "value"}, value), h("div", {class: "sub"}, sub || ""), extra || null); }

        function renderDashboard(d) {
          const p = document.getElementById("boot-pill"); p.className = "pill s-" + d.boot_status; p.textContent = "boot " + d.boot_status;
          const b = d.metrics_by_band, total = b.good + b.warning + b.critical;
          const bands = h("div", {class: "bands"}, total ? [["good", "var(--good)"], ["warning", "var(--warn)"], ["critical", "var(--bad)"]]
            .map(([k, c]) => h("span", {style: "width:" + (100 * b[k] / total) + "%;background:" + c, title: b[k] + " " + k})) : []);
          const cards = [
            card("Boot", d.boot_status, ms(d.boot_duration_ms) + " · " + time(d.boot_timestamp)),
            card("Active runs", d.active_runs, "not yet completed"),
            card("Pending approvals", d.pending_approvals, d.pending_approvals ? "waiting for a decision" : "nothing waiting"),
            card("Metrics health", d.metrics_health, b.good + " good · " + b.warning + " warning · " + b.critical + " critical", bands),
            card("Playbooks", d.playbooks_available, d.playbooks_executed_today + " executed today"),
            card("Last verification", d.last_verification ? (d.last_verification.passed ? "passed" : "failed") : "–",
                 d.last_verification ? d.last_verification.type + " · " + time(d.last_verification.timestamp) : "none yet"),
          ];
          if (typeof d.health_score === "number") cards.splice(1, 0, card("Health score", Math.round(d.health_score), "of 100, recent boots"));
          if (d.service) cards.push(card("Service", d.service.state || d.service.status,
                                         d.service.starts_today + " starts in 24 h · " + d.service.verifications_passed + " verified · run " + d.service.run_id));
          if (Array.isArray(d.predicted_failures) && d.predicted_failures.length)
            cards.push(card("Predicted failures", d.predicted_failures.length, d.predicted_failures.slice(0, 2).map(f => f.pattern_id || f.pattern || f.id || "").join(", ")));
          fill("cards", cards);
          const last = d.last_boot;
          fill("boot-meta", last ? last.run_id + " · " + last.profile + " · " + last.stages_passed + " passed, " + last.stages_failed + " failed" + (last.rolled_back ? " · rolled back" : "") : "");
          if (!last) fill("boot-wf", h("p", {class: "empty"}, "No boot report yet."));
          else {
            let offset = 0;
            const rows = last.stages.map(s => { const r = {name: s.name, sub: s.critical ? "critical" : "optional", status: s.status, start: offset, dur: s.duration_ms, title: s.findings.join("\\n")}; offset += s.duration_ms; return r; });
            fill("boot-wf", waterfall(rows, offset));
          }
          fill("issues", d.issues.length ? d.issues.map(i => h("li", {class: "issue"}, i)) : h("li", {class: "empty"}, "Nothing needs attention."));
          fill("recs", d.recommendations.length ? d.recommendations.map(i => h("li", {class: "rec"}, i)) : h("li", {class: "empty"}, "No recommendations."));
          fill("metrics", d.critical_metrics.length
            ? h("ul", {class: "plain"}, d.critical_metrics.map(m => h("li", {}, pill(m.band), " ", h("span", {class: "mono"}, m.metric_id), " = ", m.value === null ? "–" : m.value)))
            : h("p", {class: "empty"}, total ? "No metric is critical." : "No metric snapshots yet."));
          fill("links", d.quick_links.map(l => h("a", {href: l.href, "data-auth": ""}, l.title)));
        }

        function waterfall(rows, span) {
          span = Math.max(span, 1);
          const grid = h("div", {class: "wf"});
          for (const r of rows) {
            const left = 100 * r.start / span, width = Math.max(100 * (r.dur || 0) / span, 0.4);
            grid.append(h("div", {class: "name", title: r.title || r.name}, r.name, r.sub ? h("small", {}, r.sub) : null),
              h("div", {class: "track", title: r.title || ""}, h("div", {class: "bar", style: "left:" + left + "%;width:" + Math.min(width, 100 - left) + "%;background:" + colour(r.status)})),
              h("div", {class: "dur"}, r.extra || ms(r.dur)));
          }
          grid.append(h("div", {}), h("div", {class: "axis"}, h("span", {}, "0"), h("span", {}, ms(span / 2)), h("span", {}, ms(span))), h("div", {}));
          return grid;
        }

        function renderRuns(page) {
          const runs = page.runs;
          if (!selectedRun && runs.length) selectedRun = (runs.find(r => r.status === "active") || runs[0]).run_id;
          fill("runs", runs.length ? runs.map(r => h("li", {class: r.run_id === selectedRun ? "sel" : "", onclick: () => { selectedRun = r.run_id; refresh(); }},
            pill(r.status), h("div", {}, h("div", {class: "id"}, r.run_id), h("div", {class: "meta"}, r.kind + " · " + r.subsystem + (r.node_id ? " · " + r.node_id : "") + " · " + time(r.started_at)))))
            : h("li", {class: "empty"}, "No runs yet."));
        }

        function renderTimeline(t) {
          if (!t) { fill("run-head", "Select a run."); fill("run-wf"); return; }
          const run = t.run;
          fill("run-head", h("span", {class: "mono"}, run.run_id), " · ", run.trigger, " · ", run.subsystem, " · ", pill(run.status),
               " · ", h("a", {href: t.logs_url, "data-auth": ""}, t.log_entries + " log lines"), run.goal ? " · goal: " + run.goal : "");
          if (!t.steps.length) { fill("run-wf", h("p", {class: "empty"}, "No steps yet.")); return; }
          const t0 = Math.min(...t.steps.map(s => parseTime(s.timestamp)));
          const rows = t.steps.map(s => ({name: s.description || s.step_type, sub: s.step_type, status: s.status, start: parseTime(s.timestamp) - t0,
            dur: s.duration_ms || 0, title: s.step_type + " · " + s.status + (s.log_entries !== undefined ? " · " + s.log_entries + " log lines" : ""),
            extra: s.duration_ms === null ? s.status : null}));
          fill("run-wf", waterfall(rows, Math.max(...rows.map(r => r.start + r.dur))));
        }

        function renderApprovals(list) {
          const items = list.approvals;
          fill("approvals", items.length ? items.map(a => h("div", {class: "approval"},
            h("div", {class: "grow"}, h("div", {}, a.playbook_id || "playbook", " ", h("span", {class: "muted"}, (a.pattern_id ? "for " + a.pattern_id + " · " : "")
                + "requested by " + a.requested_by + (a.node_id ? " on " + a.node_id : "") + " · " + time(a.created_at) + " · " + a.event_id)),
              h("div", {class: "muted"}, a.reason)),
            h("button", {class: "ok", onclick: () => decide(a.event_id, "approve")}, a.details && a.details.awaiting === "confirmation" ? "Confirm done" : "Approve"),
            h("button", {class: "no", onclick: () => decide(a.event_id, "reject")}, "Reject")))
            : h("p", {class: "empty"}, "No approvals waiting."));
        }

        // Mined clusters worth a pattern: promoting one asks for its id and an existing playbook.
        function renderSuggestions(list) {
          const items = (list && list.suggestions) || [];
          fill("suggestions", items.length ? items.map(c => h("div", {class: "approval"},
            h("div", {class: "grow"}, h("div", {}, h("code", {}, c.template)),
              h("div", {class: "muted"}, c.count + " seen · last " + time(c.last_seen) + " · " + (c.sources || []).join(", ") + " · " + c.cluster_id)),
            h("button", {class: "ok", onclick: () => promote(c.cluster_id)}, "Promote…")))
            : h("p", {class: "empty"}, "Nothing unknown has been seen."));
        }

        async function promote(id) {
          const pattern = prompt("Pattern id for cluster " + id + " (letters, digits, _):"); if (!pattern) return;
          const playbook = prompt("Playbook that fixes it (an existing playbook id):"); if (!playbook) return;
          const r = await fetch("/api/patterns/suggestions/" + encodeURIComponent(id) + "/promote",
                                {method: "POST", headers: authHeaders({"Content-Type": "application/json"}), body: JSON.stringify({id: pattern, playbook})});
          if (r.status === 401) { askForToken(!!sessionStorage.getItem(TOKEN_KEY)); return; }
          if (!r.ok) { const e = await r.json().catch(() => ({})); alert((e.error && e.error.message) || ("failed: " + r.status)); }
          refresh();
        }

        async function decide(id, verb) {
          const headers = authHeaders({"Content-Type": "application/json"});
          const r = await fetch("/api/approvals/" + encodeURIComponent(id) + "/" + verb, {method: "POST", headers, body: JSON.stringify({decided_by: "dashboard"})});
          if (r.status === 401) { askForToken(!!sessionStorage.getItem(TOKEN_KEY)); return; }
          if (!r.ok) { const e = await r.json().catch(() => ({})); alert((e.error && e.error.message) || ("failed: " + r.status)); }
          refresh();
        }

        async function refresh() {
          if (login.style.display === "flex") return;
          try {
            const node = document.getElementById("node").value.trim(), only = node ? "&node=" + encodeURIComponent(node) : "";
            const [d, runs, approvals, health] = await Promise.all([getJSON("/api/startup/dashboard"), getJSON("/api/agent/runs?limit=12" + only),
              getJSON("/api/approvals?status=pending&limit=20" + only), fetch("/health", {cache: "no-store"}).then(r => r.json()).catch(() => null)]);
            renderDashboard(d); renderRuns(runs); renderApprovals(approvals);
            renderSuggestions(await getJSON("/api/patterns/suggestions?limit=10").catch(() => null));
            // The store's state: a PostgreSQL that went away shows here while Grace retries.
            const store = health ? "node " + health.node_id + " · " + health.store + " " + (health.database === "ok" ? "ok" : "unavailable: " + health.database) : "";
            renderTimeline(selectedRun ? await getJSON("/api/agent/runs/" + encodeURIComponent(selectedRun) + "/timeline").catch(() => null) : null);
            document.getElementById("dot").className = "dot"; document.getElementById("banner").style.display = "none";
            fill("updated", "live · " + (store ? store + " · " : "") + "updated " + new Date().toLocaleTimeString());
          } catch (e) {
            if (e instanceof NeedsToken) { askForToken(e.refused); fill("updated", "waiting for the API token"); return; }
            const health = await fetch("/health", {cache: "no-store"}).then(r => r.json()).catch(() => null);
            const banner = document.getElementById("banner");
            document.getElementById("dot").className = "dot off"; banner.style.display = "block";
            banner.textContent = health ? "The store (" + health.store + ") is unavailable: " + health.database + "; Grace keeps retrying…"
                                        : "Grace is not answering; retrying…";
            fill("updated", health ? "store unavailable" : "offline");
          }
        }
        refresh();
        setInterval(refresh, POLL);
        </script></body></html>

        """
}
