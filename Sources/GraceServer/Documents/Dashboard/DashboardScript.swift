/// The dashboard's script: a hash router over six views (overview, runs, run, approvals, patterns,
/// audit) drawn from the JSON API, kept current by `GET /api/events`. Compiled into the binary
/// with the page (``DashboardPage``), so a copied binary never lacks its page and nothing is
/// fetched from elsewhere.
enum DashboardScript {
    static let js = #"""
"use strict";
// ---- The API token: asked for once (when /health says one is required or a call answers 401), kept for this tab only. ----
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
// A plain link cannot carry the token: links to data (data-auth) are fetched with it and shown
// in a new tab, as the answer itself (a blob of this page's origin).
document.addEventListener("click", async event => {
  const link = event.target.closest && event.target.closest("a[data-auth]");
  if (!link || !sessionStorage.getItem(TOKEN_KEY) || event.button !== 0 || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  const tab = window.open("", "_blank");
  const r = await fetch(link.getAttribute("href"), {cache: "no-store", headers: authHeaders()});
  if (r.status === 401) { if (tab) tab.close(); askForToken(true); return; }
  const type = (r.headers.get("Content-Type") || "text/plain").split(";")[0];
  const shown = type === "application/json" ? type : type === "text/html" && link.getAttribute("href") === "/docs" ? type : "text/plain";
  const address = URL.createObjectURL(new Blob([await r.text()], {type: shown}));
  if (tab) tab.location = address; else window.location = address;
});
login.addEventListener("submit", event => {
  event.preventDefault();
  if (!tokenInput.value) return;
  sessionStorage.setItem(TOKEN_KEY, tokenInput.value); tokenInput.value = ""; login.style.display = "none";
  render(true); live.restart();
});

// ---- Small helpers ----
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v; else if (k === "style") el.style.cssText = v;
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v); else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(3)) if (c !== null && c !== undefined && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}
function fill(id, ...children) {
  const el = typeof id === "string" ? document.getElementById(id) : id;
  if (el) el.replaceChildren(...children.flat(3).filter(c => c !== null && c !== undefined && c !== false));
  return el;
}
function pill(status) { return h("span", {class: "pill s-" + status}, status); }
function ms(v) { if (v === null || v === undefined) return "–"; return v < 1000 ? (Math.round(v * 10) / 10) + " ms" : v < 120000 ? (Math.round(v / 10) / 100) + " s" : Math.round(v / 6000) / 10 + " min"; }
function parseTime(ts) { return Date.parse(String(ts).replace(/(\.\d{3})\d+/, "$1")); }
function time(ts) { if (!ts) return "–"; const d = parseTime(ts); return isNaN(d) ? ts : new Date(d).toLocaleString(); }
function colour(status) {
  return {success: "var(--good)", passed: "var(--good)", passed_after_heal: "var(--warn)", warning: "var(--warn)", partial: "var(--warn)", pending: "var(--idle)",
          running: "var(--run)", active: "var(--run)", failed: "var(--bad)", aborted: "var(--bad)", skipped: "var(--idle)"}[status] || "var(--idle)";
}
function runLink(id) { return h("a", {href: "#/runs/" + encodeURIComponent(id), class: "mono"}, id); }
function empty(text) { return h("p", {class: "empty"}, text); }
async function getJSON(path) {
  const r = await fetch(path, {cache: "no-store", headers: authHeaders()});
  if (r.status === 401) throw new NeedsToken(!!sessionStorage.getItem(TOKEN_KEY));
  if (!r.ok) { const e = await r.json().catch(() => ({})); throw new Error((e.error && e.error.message) || (path + " answered " + r.status)); }
  return r.json();
}
async function post(path, body) {
  const r = await fetch(path, {method: "POST", headers: authHeaders({"Content-Type": "application/json"}), body: JSON.stringify(body || {})});
  if (r.status === 401) { askForToken(!!sessionStorage.getItem(TOKEN_KEY)); return null; }
  const answer = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error((answer.error && answer.error.message) || ("failed: " + r.status));
  return answer;
}
function query(params) { const q = new URLSearchParams(); for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) q.set(k, v); const s = q.toString(); return s ? "?" + s : ""; }
function notice(el, text, bad) { fill(el, h("span", {class: bad ? "error" : "muted", role: "status"}, text)); }

// ---- Views: the hash holds the view and its state, so a view can be shared by its URL. ----
function route() {
  const [path, qs] = (location.hash.slice(1) || "/").split("?");
  const parts = path.split("/").filter(Boolean), params = new URLSearchParams(qs || "");
  if (parts[0] === "runs" && parts[1]) return {name: "run", id: decodeURIComponent(parts[1]), params};
  return {name: views[parts[0]] ? parts[0] : "overview", params};
}
let mounted = null;
async function render(again) {
  if (login.style.display === "flex") return;
  const r = route(), key = location.hash;
  for (const a of document.querySelectorAll("nav.views a")) a.className = a.dataset.view === (r.name === "run" ? "runs" : r.name) ? "on" : "";
  const view = views[r.name];
  const root = document.getElementById("view");
  if (mounted !== key || again === true) { mounted = key; root.replaceChildren(view.mount(r)); }
  try {
    await view.update(r);
    setBanner(null);
  } catch (e) {
    if (e instanceof NeedsToken) { askForToken(e.refused); fill("updated", "waiting for the API token"); return; }
    const health = await fetch("/health", {cache: "no-store"}).then(x => x.json()).catch(() => null);
    setBanner(health ? (health.database === "ok" ? String(e.message) : "The store (" + health.store + ") is unavailable: " + health.database + "; Grace keeps retrying…")
                     : "Grace is not answering; retrying…");
  }
}
function setBanner(text) { const b = document.getElementById("banner"); b.style.display = text ? "block" : "none"; b.textContent = text || ""; }
window.addEventListener("hashchange", () => render());
function go(name, params) { location.hash = "#/" + name + query(params); }

function waterfall(rows, span) {
  span = Math.max(span, 1);
  const grid = h("div", {class: "wf"});
  for (const r of rows) {
    const left = Math.max(0, 100 * r.start / span), width = Math.max(100 * (r.dur || 0) / span, 0.4);
    grid.append(h("div", {class: "name", title: r.title || r.name, style: r.depth ? "padding-left:" + (14 * r.depth) + "px" : null}, r.name, r.sub ? h("small", {}, r.sub) : null),
      h("div", {class: "track", title: r.title || ""}, h("div", {class: "bar", style: "left:" + left + "%;width:" + Math.min(width, 100 - left) + "%;background:" + colour(r.status)})),
      h("div", {class: "dur"}, r.extra || ms(r.dur)));
  }
  grid.append(h("div", {}), h("div", {class: "axis"}, h("span", {}, "0"), h("span", {}, ms(span / 2)), h("span", {}, ms(span))), h("div", {}));
  return grid;
}
function card(label, value, sub, extra) { return h("div", {class: "card"}, h("div", {class: "label"}, label), h("div", {class: "value"}, value), h("div", {class: "sub"}, sub || ""), extra || null); }
function section(title, id, ...rest) { return h("section", {}, h("h2", {}, title, ...rest), h("div", {id})); }

const views = {};

// Overview: the node's state at a glance, the newest runs and the selected one's steps.
let selectedRun = null;
views.overview = {
  mount() {
    return h("div", {class: "stack"},
      h("div", {class: "cards", id: "cards"}),
      section("Last boot", "boot-wf", h("span", {id: "boot-meta", class: "muted"})),
      h("div", {class: "two"}, section("Issues", "issues"), section("Recommendations", "recs")),
      h("section", {}, h("h2", {}, "Recent runs ", h("a", {href: "#/runs", class: "muted"}, "explore all →")),
        h("div", {class: "runs"}, h("ul", {class: "plain runlist", id: "runs"}), h("div", {}, h("div", {id: "run-head", class: "muted"}), h("div", {id: "run-wf"})))),
      h("div", {class: "two"}, section("Pending approvals", "approvals"), section("Metrics", "metrics")),
      section("Failures no pattern names yet", "suggestions"));
  },
  async update() {
    const [d, runs, approvals] = await Promise.all([getJSON("/api/startup/dashboard"), getJSON("/api/agent/runs?limit=12"), getJSON("/api/approvals?status=pending&limit=20")]);
    renderDashboard(d);
    const list = runs.runs;
    if (!selectedRun && list.length) selectedRun = (list.find(r => r.status === "active") || list[0]).run_id;
    fill("runs", list.length ? list.map(r => h("li", {class: r.run_id === selectedRun ? "sel" : "", tabindex: "0",
        onclick: () => { selectedRun = r.run_id; render(); }, onkeydown: e => { if (e.key === "Enter") { selectedRun = r.run_id; render(); } }},
      pill(r.status), h("div", {}, h("div", {class: "id"}, r.run_id), h("div", {class: "meta"}, r.kind + " · " + r.subsystem + (r.agent ? " · " + r.agent : "") + " · " + time(r.started_at)))))
      : h("li", {class: "empty"}, "No runs yet."));
    renderPending(approvals.approvals, "approvals");
    renderSuggestions(await getJSON("/api/patterns/suggestions?limit=10").catch(() => null));
    const t = selectedRun ? await getJSON("/api/agent/runs/" + encodeURIComponent(selectedRun) + "/timeline").catch(() => null) : null;
    if (!t) { fill("run-head", "Select a run."); fill("run-wf"); return; }
    fill("run-head", runLink(t.run.run_id), " · ", t.run.trigger, " · ", t.run.subsystem, " · ", pill(t.run.status), " · ", t.log_entries + " log lines", t.run.goal ? " · goal: " + t.run.goal : "");
    fill("run-wf", t.steps.length ? stepWaterfall(t.steps) : empty("No steps yet."));
  },
};
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
  if (d.service) cards.push(card("Service", d.service.state || d.service.status, d.service.starts_today + " starts in 24 h · " + d.service.verifications_passed + " verified · run " + d.service.run_id));
  if (Array.isArray(d.predicted_failures) && d.predicted_failures.length)
    cards.push(card("Predicted failures", d.predicted_failures.length, d.predicted_failures.slice(0, 2).map(f => f.pattern_id || f.pattern || f.id || "").join(", ")));
  fill("cards", cards);
  const last = d.last_boot;
  fill("boot-meta", last ? last.run_id + " · " + last.profile + " · " + last.stages_passed + " passed, " + last.stages_failed + " failed" + (last.rolled_back ? " · rolled back" : "") : "");
  if (!last) fill("boot-wf", empty("No boot report yet."));
  else {
    let offset = 0;
    const rows = last.stages.map(s => { const r = {name: s.name, sub: s.critical ? "critical" : "optional", status: s.status, start: offset, dur: s.duration_ms, title: s.findings.join("\n")}; offset += s.duration_ms; return r; });
    fill("boot-wf", waterfall(rows, offset));
  }
  fill("issues", d.issues.length ? h("ul", {class: "plain"}, d.issues.map(i => h("li", {class: "issue"}, i))) : empty("Nothing needs attention."));
  fill("recs", d.recommendations.length ? h("ul", {class: "plain"}, d.recommendations.map(i => h("li", {class: "rec"}, i))) : empty("No recommendations."));
  fill("metrics", d.critical_metrics.length
    ? h("ul", {class: "plain"}, d.critical_metrics.map(m => h("li", {}, pill(m.band), " ", h("span", {class: "mono"}, m.metric_id), " = ", m.value === null ? "–" : m.value)))
    : empty(total ? "No metric is critical." : "No metric snapshots yet."));
}
// Steps by their real start and end, children (OTLP spans) under their parent.
function stepWaterfall(steps) {
  const start = s => parseTime(s.started_at || s.timestamp);
  const end = s => s.ended_at ? parseTime(s.ended_at) : (s.duration_ms !== null && s.duration_ms !== undefined ? start(s) + s.duration_ms : start(s));
  const bySpan = new Map(steps.filter(s => s.span_id).map(s => [s.span_id, s]));
  const children = new Map(), roots = [];
  for (const s of steps) { const parent = s.parent_span_id && bySpan.get(s.parent_span_id); if (parent) { if (!children.has(parent.step_id)) children.set(parent.step_id, []); children.get(parent.step_id).push(s); } else roots.push(s); }
  const ordered = [];
  const walk = (s, depth) => { ordered.push([s, depth]); for (const c of (children.get(s.step_id) || []).sort((a, b) => start(a) - start(b))) walk(c, depth + 1); };
  roots.sort((a, b) => start(a) - start(b)).forEach(s => walk(s, 0));
  const t0 = Math.min(...steps.map(start)), t1 = Math.max(...steps.map(end));
  return waterfall(ordered.map(([s, depth]) => ({name: s.description || s.step_type, sub: s.step_type, status: s.status, depth, start: start(s) - t0,
    dur: Math.max(0, end(s) - start(s)), title: s.step_type + " · " + s.status, extra: s.ended_at || s.duration_ms !== null ? null : s.status})), t1 - t0);
}

// Runs explorer: filters and text search in the URL, cursor paging.
const RUN_FILTERS = ["status", "kind", "trigger", "subsystem", "node", "since", "until", "q"];
views.runs = {
  mount(r) {
    const p = r.params, val = k => p.get(k) || "";
    const select = (name, options) => h("label", {}, name, h("select", {name}, h("option", {value: ""}, "any"), options.map(o => h("option", {value: o, selected: val(name) === o}, o))));
    const text = (name, label, attrs) => h("label", {}, label, h("input", Object.assign({name, value: val(name)}, attrs || {})));
    const local = ts => ts ? ts.replace(/Z$/, "").slice(0, 16) : "";
    const form = h("form", {class: "filters", onsubmit: e => {
      e.preventDefault();
      const data = new FormData(e.target), params = {};
      for (const k of RUN_FILTERS) { let v = (data.get(k) || "").trim(); if ((k === "since" || k === "until") && v) v = v + ":00Z"; params[k] = v; }
      go("runs", params);
    }},
      select("status", ["active", "success", "partial", "failed", "aborted"]), select("kind", ["agent", "boot", "target"]),
      select("trigger", ["manual", "scheduled", "autonomous", "event", "boot"]),
      text("subsystem", "subsystem", {size: 12}), text("node", "node", {size: 10}),
      h("label", {}, "started from (UTC)", h("input", {name: "since", type: "datetime-local", value: local(val("since"))})),
      h("label", {}, "until (UTC)", h("input", {name: "until", type: "datetime-local", value: local(val("until"))})),
      text("q", "search descriptions and details", {size: 24, type: "search", placeholder: "timeout, agent name, run id…"}),
      h("button", {type: "submit"}, "Apply"), h("a", {href: "#/runs"}, "clear"));
    return h("section", {}, h("h2", {}, "Runs ", h("span", {id: "runs-count", class: "muted"})), form,
      h("div", {class: "scroll"}, h("table", {id: "runs-table"})), h("div", {class: "pager", id: "runs-pager"}));
  },
  async update(r) {
    const p = r.params, params = {limit: 25};
    for (const k of RUN_FILTERS.concat(["cursor"])) if (p.get(k)) params[k] = p.get(k);
    const page = await getJSON("/api/agent/runs" + query(params));
    fill("runs-table", h("thead", {}, h("tr", {}, ["status", "run", "kind", "subsystem", "agent", "trigger", "node", "started", "duration"].map(c => h("th", {}, c)))),
      h("tbody", {}, page.runs.length ? page.runs.map(run => h("tr", {class: run.status === "failed" ? "bad" : null},
        h("td", {}, pill(run.status)), h("td", {}, runLink(run.run_id)), h("td", {}, run.kind), h("td", {}, run.subsystem), h("td", {}, run.agent || "–"),
        h("td", {}, run.trigger), h("td", {}, run.node_id || "–"), h("td", {}, time(run.started_at)), h("td", {class: "num"}, run.ended_at ? ms(run.duration_ms) : "running")))
        : h("tr", {}, h("td", {colspan: 9, class: "empty"}, "No run matches these filters."))));
    fill("runs-count", page.runs.length + (page.has_more ? "+" : "") + " shown" + (p.get("cursor") ? " (a later page)" : ""));
    const here = {}; for (const k of RUN_FILTERS) if (p.get(k)) here[k] = p.get(k);
    fill("runs-pager", p.get("cursor") ? h("a", {href: "#/runs" + query(here)}, "« newest") : null,
      page.next_cursor ? h("a", {href: "#/runs" + query(Object.assign({}, here, {cursor: page.next_cursor})), id: "runs-older"}, "older runs »") : h("span", {class: "muted"}, "no older runs"));
  },
};

// Run detail: the run, its steps by real time, each step's details and error, and its log lines from the first.
const LOG_PAGE = 50;
views.run = {
  mount(r) {
    return h("div", {class: "stack"},
      h("section", {}, h("h2", {}, "Run ", h("span", {class: "mono", id: "run-title"}, r.id), h("a", {href: "#/runs", class: "muted"}, "← all runs")), h("dl", {class: "kv", id: "run-kv"})),
      section("Steps", "run-steps-wf"), h("section", {}, h("div", {class: "scroll"}, h("table", {id: "run-steps"}))),
      h("section", {}, h("h2", {}, "Log lines ", h("span", {id: "log-count", class: "muted"})), h("div", {class: "scroll"}, h("table", {id: "run-logs"})), h("div", {class: "pager", id: "log-pager"})),
      section("Audit entries of this run", "run-audit"));
  },
  async update(r) {
    const id = encodeURIComponent(r.id), offset = Math.max(0, parseInt(r.params.get("logs") || "0", 10) || 0);
    const logsQuery = query({playbook_id: r.params.get("playbook"), verification_id: r.params.get("verification"), offset, limit: LOG_PAGE});
    const [t, logs, audit] = await Promise.all([getJSON("/api/agent/runs/" + id + "/timeline"), getJSON("/api/agent/runs/" + id + "/logs" + logsQuery),
                                                getJSON("/api/audit" + query({mentions: r.id, limit: 200})).catch(e => ({entries: [], error: String(e.message || e)}))]);
    const run = t.run;
    const kv = [["status", pill(run.status)], ["kind", run.kind], ["trigger", run.trigger], ["subsystem", run.subsystem], ["agent", run.agent], ["goal", run.goal],
      ["node", run.node_id], ["started", time(run.started_at)], ["ended", run.ended_at ? time(run.ended_at) : "running"], ["duration", run.ended_at ? ms(run.duration_ms) : "–"],
      ["playbooks executed", run.playbooks_executed], ["verifications", run.verifications_passed + " passed, " + run.verifications_failed + " failed"],
      ["trace", run.trace_id ? h("span", {class: "mono"}, run.trace_id) : null], ["metadata", run.metadata ? h("pre", {}, JSON.stringify(run.metadata, null, 2)) : null]];
    fill("run-kv", kv.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
    fill("run-steps-wf", t.steps.length ? stepWaterfall(t.steps) : empty("No steps yet."));
    const base = "#/runs/" + id;
    fill("run-steps", h("thead", {}, h("tr", {}, ["status", "step", "started", "duration", "details", "links"].map(c => h("th", {}, c)))),
      h("tbody", {}, t.steps.map(s => {
        const error = s.details && (s.details.error || s.details.exception || s.details.message);
        const links = [h("a", {href: base + query({playbook: s.playbook_id, verification: s.verification_id})}, s.log_entries + " log lines")];
        if (s.playbook_id) links.push(" · playbook ", h("a", {href: "#/patterns"}, s.playbook_id));
        if (s.verification_id) links.push(" · verification ", h("span", {class: "mono"}, s.verification_id));
        return h("tr", {class: s.status === "failed" ? "bad step" : "step"}, h("td", {}, pill(s.status)),
          h("td", {}, h("div", {}, s.description || s.step_type), h("small", {class: "muted"}, s.step_type + (s.span_id ? " · span " + s.span_id : ""))),
          h("td", {}, time(s.started_at || s.timestamp)), h("td", {class: "num"}, ms(s.duration_ms)),
          h("td", {}, error ? h("div", {class: "error step-error"}, String(error)) : null, s.details ? h("pre", {}, JSON.stringify(s.details, null, 2)) : h("span", {class: "muted"}, "–")),
          h("td", {}, links));
      })));
    const narrowed = r.params.get("playbook") || r.params.get("verification");
    fill("log-count", logs.total + " in all" + (narrowed ? " for " + (r.params.get("verification") || r.params.get("playbook")) : "") + (logs.total ? " · lines " + (offset + 1) + "–" + (offset + logs.entries.length) : ""));
    fill("run-logs", h("thead", {}, h("tr", {}, ["#", "time", "level", "event", "message", "subsystem"].map(c => h("th", {}, c)))),
      h("tbody", {}, logs.entries.length ? logs.entries.map((e, i) => h("tr", {class: (e.level === "error" || e.level === "critical") ? "bad log-line" : "log-line"},
        h("td", {class: "num"}, offset + i + 1), h("td", {class: "mono"}, time(e.timestamp)), h("td", {}, e.level || ""), h("td", {}, e.event_type || ""),
        h("td", {}, e.message || ""), h("td", {}, e.subsystem || "")))
        : h("tr", {}, h("td", {colspan: 6, class: "empty"}, "No log lines carry this run id."))));
    const page = o => base + query({playbook: r.params.get("playbook"), verification: r.params.get("verification"), logs: o});
    fill("log-pager", offset > 0 ? [h("a", {href: page(0)}, "« first"), h("a", {href: page(Math.max(0, offset - LOG_PAGE))}, "‹ earlier")] : null,
      offset + logs.entries.length < logs.total ? [h("a", {href: page(offset + LOG_PAGE)}, "later ›"), h("a", {href: page(Math.max(0, logs.total - LOG_PAGE))}, "last »")] : null,
      narrowed ? h("a", {href: base}, "all the run's lines") : null);
    fill("run-audit", audit.error ? h("p", {class: "error"}, "The audit log could not be read: " + audit.error)
      : audit.entries.length ? auditTable(audit.entries) : empty("No audit entry names this run."));
  },
};

// Approvals: pending ones to decide, with a reason; the history with outcomes.
views.approvals = {
  mount() {
    return h("div", {class: "stack"}, section("Waiting for a decision", "pending"),
      h("section", {}, h("h2", {}, "History"), h("div", {class: "scroll"}, h("table", {id: "approval-history"}))));
  },
  async update() {
    const [pending, all] = await Promise.all([getJSON("/api/approvals?status=pending&limit=50"), getJSON("/api/approvals?limit=100")]);
    renderPending(pending.approvals, "pending", true);
    const decided = all.approvals.filter(a => a.status !== "pending");
    fill("approval-history", h("thead", {}, h("tr", {}, ["outcome", "playbook", "pattern", "requested", "decided", "by", "reason"].map(c => h("th", {}, c)))),
      h("tbody", {}, decided.length ? decided.map(a => h("tr", {class: "decided", "data-id": a.event_id}, h("td", {}, pill(a.status)), h("td", {}, a.playbook_id || "–"), h("td", {}, a.pattern_id || "–"),
        h("td", {}, time(a.created_at), h("br"), h("small", {class: "muted"}, a.requested_by + " · " + a.event_id)), h("td", {}, time(a.decided_at)),
        h("td", {}, a.decision_by || "–", a.decision_claimed_by ? h("small", {class: "muted"}, " (says " + a.decision_claimed_by + ")") : null),
        h("td", {}, a.decision_reason || h("span", {class: "muted"}, "–"), a.run_id ? [h("br"), runLink(a.run_id)] : null)))
        : h("tr", {}, h("td", {colspan: 7, class: "empty"}, "Nothing decided yet."))));
  },
};
function renderPending(items, target, withReason) {
  fill(target, items.length ? items.map(a => {
    const reason = withReason ? h("input", {placeholder: "reason (kept in the audit log)", size: 28, "aria-label": "reason for " + a.event_id}) : null;
    const status = h("span", {class: "muted"});
    const decide = async verb => {
      try { await post("/api/approvals/" + encodeURIComponent(a.event_id) + "/" + verb, {decided_by: "dashboard", reason: reason && reason.value ? reason.value : undefined}); notice(status, verb === "approve" ? "approved" : "rejected"); }
      catch (e) { notice(status, e.message, true); }
      render();
    };
    return h("div", {class: "approval", "data-id": a.event_id},
      h("div", {class: "grow"}, h("div", {}, a.playbook_id || "playbook", " ", h("span", {class: "muted"}, (a.pattern_id ? "for " + a.pattern_id + " · " : "")
          + "requested by " + a.requested_by + (a.node_id ? " on " + a.node_id : "") + " · " + time(a.created_at) + " · " + a.event_id)),
        h("div", {class: "muted"}, a.reason)),
      reason, h("button", {class: "ok", onclick: () => decide("approve")}, a.details && a.details.awaiting === "confirmation" ? "Confirm done" : "Approve"),
      h("button", {class: "no", onclick: () => decide("reject")}, "Reject"), status);
  }) : empty("No approvals waiting."));
}

// Patterns: what Grace recognises, how its fixes fared (success rate and Wilson lower bound), and unknown failures to promote.
views.patterns = {
  mount() {
    return h("div", {class: "stack"}, h("section", {}, h("h2", {}, "Patterns and fixes ", h("span", {id: "health-score", class: "muted"})), h("div", {class: "scroll"}, h("table", {id: "patterns"}))),
      section("Failures no pattern names yet", "suggestions"), section("Boots over time", "boot-chart"),
      h("section", {}, h("h2", {}, "The last 30 days"), h("div", {class: "charts"},
        h("figure", {}, h("figcaption", {}, "Boots per day, by status"), h("div", {id: "day-boots"})),
        h("figure", {}, h("figcaption", {}, "Detections per day, by pattern"), h("div", {id: "day-detections"})),
        h("figure", {}, h("figcaption", {}, "Fixes executed per day, by outcome"), h("div", {id: "day-fixes"})),
        h("figure", {}, h("figcaption", {}, "Health score after each boot"), h("div", {id: "health-chart"})))));
  },
  async update() {
    const [summary, boots, history] = await Promise.all([getJSON("/api/patterns"), getJSON("/api/agent/runs?kind=boot&limit=60"), getJSON("/api/history?days=30")]);
    renderHistory(history, 30);
    fill("health-score", "health score " + summary.health_score + " of 100");
    const pct = v => v === null || v === undefined ? "–" : Math.round(v * 1000) / 10 + "%";
    fill("patterns", h("thead", {}, h("tr", {}, ["pattern", "risk", "tier", "seen", "fix", "attempts", "success", "lower bound (95%)", "best"].map(c => h("th", {}, c)))),
      h("tbody", {}, summary.patterns.flatMap(p => (p.fixes.length ? p.fixes : [null]).map((f, i) => h("tr", {},
        h("td", {}, i ? "" : [h("div", {class: "mono"}, p.pattern_id), h("small", {class: "muted"}, p.title)]), h("td", {}, i ? "" : p.risk_level), h("td", {}, i ? "" : p.autonomy_tier),
        h("td", {class: "num"}, i ? "" : p.occurrences), h("td", {class: "mono"}, f ? f.playbook_id : "–"), h("td", {class: "num"}, f ? f.attempts : "–"),
        h("td", {class: "num"}, f ? pct(f.success_rate) : "–"), h("td", {class: "num"}, f ? pct(f.lower_bound) : "–"), h("td", {}, f && f.playbook_id === p.best_fix ? "best" : ""))))));
    renderSuggestions(await getJSON("/api/patterns/suggestions?limit=20").catch(() => null));
    fill("boot-chart", boots.runs.length ? statusChart(boots.runs.slice().reverse()) : empty("No boots recorded yet."));
  },
};
// Boots by status over time: one bar per boot, its height its duration, its colour its status.
function statusChart(runs) {
  const longest = Math.max(1, ...runs.map(r => r.duration_ms || 0));
  return [h("div", {class: "chart", role: "img", "aria-label": runs.length + " boots by duration and status"}, runs.map(r => h("div", {title: r.run_id + " · " + r.status + " · " + ms(r.duration_ms) + " · " + time(r.started_at)},
      h("span", {style: "height:" + Math.max(3, 88 * (r.duration_ms || 0) / longest) + "px;background:" + colour(r.status)})))),
    h("div", {class: "legend"}, ["success", "partial", "failed", "active"].map(s => h("span", {}, h("i", {style: "background:" + colour(s)}), s)),
      h("span", {}, "oldest left · height: duration (longest " + ms(longest) + ")"))];
}
// Charts over time from /api/history: one column per UTC day (oldest left, empty days kept so the
// axis is time), stacked by status, pattern or outcome; the health score one bar per boot.
const palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
function renderHistory(history, count) {
  const start = Date.parse(history.since);
  const days = Array.from({length: count}, (_, i) => new Date(start + i * 86400000).toISOString().slice(0, 10));
  const byDay = key => Object.fromEntries(history.days.map(d => [d.day, key(d)]));
  const statuses = ["success", "partial", "failed", "active"];
  fill("day-boots", dayChart(days, byDay(d => d.boots), statuses, colour, "boots"));
  const patterns = [...new Set(history.days.flatMap(d => Object.keys(d.decisions)))].sort();
  const patternColour = p => palette[patterns.indexOf(p) % palette.length];
  fill("day-detections", patterns.length ? dayChart(days, byDay(d => d.decisions), patterns, patternColour, "detections", p => p || "(no pattern)")
    : empty("No detections in these days."));
  const fixes = byDay(d => ({succeeded: d.fixes_succeeded, "did not succeed": d.fixes_executed - d.fixes_succeeded}));
  const executed = history.days.reduce((n, d) => n + d.fixes_executed, 0), succeeded = history.days.reduce((n, d) => n + d.fixes_succeeded, 0);
  fill("day-fixes", executed ? [dayChart(days, fixes, ["succeeded", "did not succeed"], k => k === "succeeded" ? "var(--good)" : "var(--bad)", "fixes"),
    h("div", {class: "legend"}, succeeded + " of " + executed + " succeeded (" + Math.round(1000 * succeeded / executed) / 10 + "%)")] : empty("No fixes executed in these days."));
  const scores = history.health_scores;
  fill("health-chart", scores.length ? [h("div", {class: "chart", role: "img", "aria-label": scores.length + " health scores, the last " + scores[scores.length - 1].score},
      scores.map(s => h("div", {title: s.score + " of 100 · " + s.run_id + " · " + time(s.at)},
        h("span", {style: "height:" + Math.max(3, 88 * s.score / 100) + "px;background:" + (s.score >= 80 ? "var(--good)" : s.score >= 50 ? "var(--warn)" : "var(--bad)")})))),
    h("div", {class: "legend"}, h("span", {}, "oldest left · height: score of 100 · recorded since scores were kept"))] : empty("No boot has recorded a health score in these days."));
}
function dayChart(days, byDay, keys, colourOf, what, name = k => k) {
  const total = d => keys.reduce((n, k) => n + ((byDay[d] || {})[k] || 0), 0);
  const top = Math.max(1, ...days.map(total));
  return [h("div", {class: "chart", role: "img", "aria-label": days.map(total).reduce((a, b) => a + b, 0) + " " + what + " over " + days.length + " days"},
      days.map(d => h("div", {title: d + " · " + (keys.filter(k => (byDay[d] || {})[k]).map(k => name(k) + " " + byDay[d][k]).join(", ") || "none")},
        keys.filter(k => (byDay[d] || {})[k]).map(k => h("span", {style: "height:" + 88 * byDay[d][k] / top + "px;background:" + colourOf(k)}))))),
    h("div", {class: "legend"}, keys.map(k => h("span", {}, h("i", {style: "background:" + colourOf(k)}), name(k))),
      h("span", {}, days[0] + " to " + days[days.length - 1] + " · tallest " + top))];
}
function renderSuggestions(list) {
  const items = (list && list.suggestions) || [];
  fill("suggestions", items.length ? items.map(c => h("div", {class: "approval"},
    h("div", {class: "grow"}, h("div", {}, h("code", {}, c.template)), h("div", {class: "muted"}, c.count + " seen · last " + time(c.last_seen) + " · " + (c.sources || []).join(", ") + " · " + c.cluster_id)),
    h("button", {class: "ok", onclick: () => promote(c.cluster_id)}, "Promote…")))
    : empty("Nothing unknown has been seen."));
}
async function promote(id) {
  const pattern = prompt("Pattern id for cluster " + id + " (letters, digits, _):"); if (!pattern) return;
  const playbook = prompt("Playbook that fixes it (an existing playbook id):"); if (!playbook) return;
  try { await post("/api/patterns/suggestions/" + encodeURIComponent(id) + "/promote", {id: pattern, playbook}); } catch (e) { alert(e.message); }
  render();
}

// Audit: the hash-chained log, paged; verify walks the whole chain and names the first bad entry.
views.audit = {
  mount() {
    return h("section", {}, h("h2", {}, "Audit log ", h("button", {id: "verify", onclick: verifyChain}, "Verify the chain"), h("span", {id: "verdict"})),
      h("div", {class: "scroll", id: "audit"}), h("div", {class: "pager", id: "audit-pager"}));
  },
  async update(r) {
    const before = r.params.get("before");
    const list = await getJSON("/api/audit" + query({limit: 50, before}));
    fill("audit", list.entries.length ? auditTable(list.entries) : empty("No audit entries."));
    const last = list.entries[list.entries.length - 1];
    fill("audit-pager", before ? h("a", {href: "#/audit"}, "« newest") : null,
      last && last.sequence > 1 && list.entries.length === 50 ? h("a", {href: "#/audit?before=" + last.sequence, id: "audit-older"}, "older »") : h("span", {class: "muted"}, "the first entry is on this page"));
  },
};
// A resource such as `boot/run_…` links its run.
function resourceCell(resource) {
  const run = /^(.*\/)?(run_\w+)$/.exec(resource || "");
  return run ? h("span", {}, run[1] || "", runLink(run[2])) : resource;
}

function auditTable(entries) {
  return h("table", {}, h("thead", {}, h("tr", {}, ["#", "time", "actor", "action", "resource", "result", "node", "hash"].map(c => h("th", {}, c)))),
    h("tbody", {}, entries.map(e => h("tr", {id: "audit-" + e.sequence, class: e.result === "failure" || e.result === "failed" ? "bad" : null},
      h("td", {class: "num"}, e.sequence), h("td", {class: "mono"}, time(e.timestamp)), h("td", {}, e.actor), h("td", {}, e.action),
      h("td", {}, resourceCell(e.resource)), h("td", {}, e.result), h("td", {}, e.node_id || "–"),
      h("td", {class: "mono", title: e.entry_hash}, String(e.entry_hash).slice(0, 12))))));
}
async function verifyChain() {
  notice("verdict", " verifying…");
  try {
    const v = await getJSON("/api/audit/verify");
    if (v.intact) notice("verdict", " intact: " + v.entries_checked + " entries checked");
    else {
      notice("verdict", " broken at entry " + v.first_bad_sequence + ": " + v.reason + " (" + v.entries_checked + " checked)", true);
      const row = document.getElementById("audit-" + v.first_bad_sequence); if (row) { row.classList.add("bad"); row.scrollIntoView({block: "center"}); }
    }
  } catch (e) { notice("verdict", " " + e.message, true); }
}

// ---- Live: the change feed as server-sent events, read with fetch so the token can go along. ----
const live = (() => {
  let lastEventID = null, controller = null, changes = 0, timer = null;
  const dot = () => document.getElementById("dot");
  function status(on, text) { dot().className = on ? "dot" : "dot off"; fill("updated", text); }
  function changed() { changes++; clearTimeout(timer); timer = setTimeout(() => render(), 250); }
  function handle(block) {
    let id = null, name = "message", data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("id: ")) id = line.slice(4); else if (line.startsWith("event: ")) name = line.slice(7); else if (line.startsWith("data: ")) data += line.slice(6);
    }
    if (id !== null) lastEventID = id;
    if (!data) return;
    if (name === "store_unavailable") { status(false, "store unavailable"); return; }
    changed();
    status(true, "live · " + changes + " change" + (changes === 1 ? "" : "s") + " · last " + name + " " + new Date().toLocaleTimeString());
  }
  let running = false;
  async function run() {
    running = true;
    try { await loop(); } finally { running = false; }
  }
  async function loop() {
    for (;;) {
      controller = new AbortController();
      try {
        const headers = authHeaders(); if (lastEventID !== null) headers["Last-Event-ID"] = lastEventID;
        const r = await fetch("/api/events", {headers, cache: "no-store", signal: controller.signal});
        if (r.status === 401) { askForToken(!!sessionStorage.getItem(TOKEN_KEY)); status(false, "waiting for the API token"); return; }
        if (!r.ok) throw new Error("events answered " + r.status);
        status(true, "live · connected " + new Date().toLocaleTimeString());
        if (lastEventID !== null) changed();
        const reader = r.body.getReader(), decoder = new TextDecoder();
        let buffer = "";
        for (;;) {
          const {value, done} = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, {stream: true});
          let end;
          while ((end = buffer.indexOf("\n\n")) >= 0) { handle(buffer.slice(0, end)); buffer = buffer.slice(end + 2); }
        }
      } catch (e) {
        if (e.name === "AbortError") continue;
      }
      status(false, "reconnecting…");
      await new Promise(resolve => setTimeout(resolve, 2000));
    }
  }
  return {start: run, restart() { if (running && controller) controller.abort(); else run(); }};
})();

// The token is asked for before the first data call when the server needs one (/health says so
// and needs none), so a first visit does not begin with refused requests.
(async () => {
  const health = await fetch("/health", {cache: "no-store"}).then(r => r.json()).catch(() => null);
  if (health && health.token_required && !sessionStorage.getItem(TOKEN_KEY)) { askForToken(false); fill("updated", "waiting for the API token"); return; }
  render();
  live.start();
})();
// What has no change event (boot reports, metric snapshots) is read again now and then.
setInterval(() => { if (route().name === "overview") render(); }, 30000);
"""#
}
