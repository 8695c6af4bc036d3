"""The dashboard in a real browser (issue 19): Playwright driving Debian's Chromium against a real
`grace up` that scripts/browser-test.sh started and seeded. Every check reads what the page shows.

Environment: GRACE_URL, GRACE_TOKEN, GRACE_FAILED_RUN (a run with a failed step),
GRACE_APPROVAL (a pending approval's id), SHOTS (folder for screenshots), CHROMIUM.
"""
import json
import os
import sys
import urllib.request

from playwright.sync_api import expect, sync_playwright

URL = os.environ["GRACE_URL"]
TOKEN = os.environ["GRACE_TOKEN"]
FAILED_RUN = os.environ["GRACE_FAILED_RUN"]
APPROVAL = os.environ["GRACE_APPROVAL"]
SHOTS = os.environ["SHOTS"]
TIMEOUT = 15_000


def api(method, path, body=None):
    request = urllib.request.Request(URL + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": "Bearer " + TOKEN, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def watch(page, problems, label):
    """Records every console error, page error and HTTP error of `page`."""

    def response(r):
        if r.status >= 400:
            problems.append("HTTP%s %d from %s" % (label, r.status, r.url))

    def console(m):
        if m.type == "error":
            problems.append("console%s error: %s" % (label, m.text))

    page.on("response", response)
    page.on("console", console)
    page.on("pageerror", lambda e: problems.append("page error%s: %s" % (label, e)))


def main():
    problems = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(TIMEOUT)
        watch(page, problems, "")

        def shot(name):
            page.screenshot(path=os.path.join(SHOTS, name + ".png"), full_page=True)
            print("browser-test: screenshot", name)

        # The token is asked for once, then kept for the tab.
        page.goto(URL + "/")
        page.fill("#token", TOKEN)
        page.click("#login button")
        expect(page.locator("#cards .card").first).to_be_visible()
        expect(page.locator("#updated")).to_contain_text("live")
        shot("overview")

        # Runs explorer: filter by status, page by cursor, the URL keeps the view.
        page.click("nav.views a[data-view=runs]")
        expect(page.locator("#runs-table tbody tr")).to_have_count(25)
        shot("runs")
        page.click("#runs-older")
        expect(page.locator("#runs-pager")).to_contain_text("newest")
        assert "cursor=" in page.url, page.url
        page.select_option("form.filters select[name=status]", "failed")
        page.click("form.filters button[type=submit]")
        expect(page.locator("#runs-table tbody tr")).to_have_count(1)
        assert "status=failed" in page.url, page.url
        page.goto(URL + "/#/runs?q=TIMEOUT")
        expect(page.locator("#runs-table tbody tr")).to_have_count(1)
        expect(page.locator("#runs-table")).to_contain_text(FAILED_RUN)

        # A run: the failed step's error, and its first log line (paged from the first).
        page.click("#runs-table a:has-text('%s')" % FAILED_RUN)
        expect(page.locator(".step-error")).to_contain_text("timeout after 2.3s")
        expect(page.locator("#run-logs tbody tr").first).to_contain_text("run started")
        expect(page.locator("#run-logs tbody tr").first.locator("td").first).to_have_text("1")
        shot("run")

        # A boot's run lists the audit entries that name it (however old), linked back to the run.
        page.goto(URL + "/#/runs?kind=boot")
        page.locator("#runs-table tbody tr a").first.click()
        expect(page.locator("#run-audit")).to_contain_text("boot.")
        expect(page.locator("#run-audit a.mono").first).to_be_visible()

        # Live: a run made elsewhere appears without a reload.
        page.click("nav.views a[data-view=runs]")
        expect(page.locator("#runs-table tbody tr").first).to_be_visible()
        page.evaluate("window.__same_document = true")
        made = api("POST", "/api/agent/runs?subsystem=live-check")
        expect(page.locator("#runs-table")).to_contain_text(made["run_id"])
        assert page.evaluate("window.__same_document === true"), "the page was reloaded"

        # Approvals: approve the healer's pending approval with a reason, and see its outcome.
        page.click("nav.views a[data-view=approvals]")
        row = page.locator(".approval[data-id='%s']" % APPROVAL)
        expect(row).to_be_visible()
        shot("approvals-pending")
        row.locator("input").fill("checked the pid file by hand")
        row.locator("button.ok").click()
        outcome = page.locator("#approval-history tr[data-id='%s']" % APPROVAL)
        expect(outcome).to_contain_text("checked the pid file by hand")
        expect(outcome.locator(".pill")).to_have_text("succeeded", timeout=60_000)
        shot("approvals")

        # Patterns and their fixes' records, and the boots chart.
        page.click("nav.views a[data-view=patterns]")
        expect(page.locator("#patterns")).to_contain_text("database_locked")
        expect(page.locator("#boot-chart .chart div")).to_have_count(3)  # two `grace boot`s and `grace up`
        # Charts over time: 30 days, each boot's health score, the healer's detection and the approved fix.
        expect(page.locator("#day-boots .chart > div")).to_have_count(30)
        expect(page.locator("#health-chart .chart > div")).to_have_count(3)
        expect(page.locator("#day-detections")).to_contain_text("unclean_shutdown")
        expect(page.locator("#day-fixes")).to_contain_text("1 of 1 succeeded")
        shot("patterns")

        # Audit: verify the chain from the page.
        page.click("nav.views a[data-view=audit]")
        expect(page.locator("#audit tbody tr").first).to_be_visible()
        page.click("#verify")
        expect(page.locator("#verdict")).to_contain_text("intact")
        shot("audit")

        # Phone width: the run view still reads.
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        watch(phone, problems, " (phone)")
        phone.goto(URL + "/")
        phone.fill("#token", TOKEN)
        phone.click("#login button")
        phone.goto(URL + "/#/runs/" + FAILED_RUN)
        expect(phone.locator(".step-error")).to_contain_text("timeout after 2.3s", timeout=TIMEOUT)
        phone.screenshot(path=os.path.join(SHOTS, "run-phone.png"), full_page=True)
        print("browser-test: screenshot run-phone")
        browser.close()

    if problems:
        print("browser-test: the page logged errors:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    print("browser-test: all checks passed, no console errors; screenshots in " + SHOTS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
