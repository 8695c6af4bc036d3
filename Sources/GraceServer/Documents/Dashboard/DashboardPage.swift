/// The web dashboard at `/`: one self-contained page (no build step, no external assets; its
/// style and script are compiled in, ``DashboardStyle`` and ``DashboardScript``) with views to
/// investigate runs, approvals, patterns and the audit log, kept live by `GET /api/events`.
///
/// The page holds no data, so it is served without the token; every data call sends
/// `Authorization: Bearer` with the token the page asked for when the server first answered 401.
/// The token is kept in `sessionStorage`: this tab only, gone when it closes.
enum DashboardPage {
    static let html = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Grace</title>
        <link rel="icon" href="data:,">
        <style>
        \(DashboardStyle.css)
        </style></head><body>
        <header><h1>Grace</h1><span id="boot-pill" class="pill s-unknown">unknown</span>
        <nav class="views" aria-label="views"><a href="#/" data-view="overview">Overview</a><a href="#/runs" data-view="runs">Runs</a>
        <a href="#/approvals" data-view="approvals">Approvals</a><a href="#/patterns" data-view="patterns">Patterns</a><a href="#/audit" data-view="audit">Audit</a></nav>
        <span class="grow"></span>
        <span class="live" aria-live="polite"><span id="dot" class="dot off"></span><span id="updated">connecting…</span></span>
        <nav class="links"><a href="/docs" data-auth>API docs</a><a href="/openapi.json" data-auth>OpenAPI</a><a href="/metrics" data-auth>Metrics</a></nav></header>
        <div id="banner" role="alert"></div>
        <form id="login"><label for="token">This Grace needs its API token (GRACE_API_TOKEN):</label>
        <input id="token" type="password" autocomplete="off" size="28" placeholder="API token"><button type="submit">Use token</button>
        <span id="login-note" class="muted">kept for this tab only</span></form>
        <main id="view"></main>
        <script>
        \(DashboardScript.js)
        </script></body></html>

        """
}
