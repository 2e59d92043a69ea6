"""The operator console in a real browser, at phone and desktop size: an admin made with `inyeon
staff`, a rollout plan started from the console while signed-in people use the service, the two
cohorts' figures and their SVG charts growing, pause and resume, a rollback only after its
confirmation (the flag off for everyone, audited), the moderation queue with a customer-centre
ticket closed from it, feedback per phase, the audit log filtered, security events and the mail
outbox. Every page is checked like the others (axe, contrast, sizes at normal and very large text,
a clean console). A person who is not staff is refused; a signed-out one is sent to the login."""

import os
import secrets
import subprocess
import threading
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import pages
from pages import check_page, expect_path, fill, find, find_present, open_page, path_of, submit, wait


def inyeon(*arguments):
    """The service's own command line against the server's database, with the server's keys."""
    binary = os.environ.get("INYEON_BINARY")
    if not binary:
        pytest.skip("INYEON_BINARY is not set (scripts/e2e/run.sh BINARY sets it)")
    environment = dict(os.environ, JWT_SECRET=os.environ["INYEON_E2E_JWT_SECRET"],
                       DATA_ENCRYPTION_KEY=os.environ["INYEON_E2E_DATA_ENCRYPTION_KEY"], LOG_LEVEL="error", APP_ENV="development")
    done = subprocess.run([binary, *arguments], env=environment, capture_output=True, text=True, timeout=120, cwd="/tmp")
    assert done.returncode == 0, f"inyeon {' '.join(arguments)} failed ({done.returncode}): {done.stderr[-500:]}"
    return done.stdout.strip()


@pytest.fixture(scope="module")
def staff(base_url):
    """An admin, a moderator and a person, made through the API and `inyeon staff`."""
    people = {}
    for role in ("admin", "moderator", "user"):
        email, password = pages.unique_email(role), pages.strong_password()
        pages.create_account(base_url, email, password, name={"admin": "관리자", "moderator": "상담원", "user": "회원"}[role])
        if role != "user":
            said = inyeon("staff", "--email", email, "--role", role)
            assert f"user -> {role}" in said, said
        people[role] = (email, password)
    return people


@pytest.fixture(scope="module")
def tokens(base_url):
    """Ten signed-in people, whose requests the cohorts count."""
    found = []
    for index in range(10):
        email, password = pages.unique_email(f"cohort{index}"), pages.strong_password()
        pages.create_account(base_url, email, password, name=f"사람{index}")
        status, body = pages.api_call(base_url, "POST", "/api/auth/login", {"email": email, "password": password})
        assert status == 200, body
        found.append(body["data"]["accessToken"])
    return found


class Traffic:
    """The ten people asking the service for their sessions, over and over, until stopped."""

    def __init__(self, base_url, tokens):
        self.base_url, self.tokens, self.stopped, self.requests = base_url, tokens, threading.Event(), 0
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stopped.is_set():
            for token in self.tokens:
                pages.api_call(self.base_url, "GET", "/api/auth/sessions", token=token)
                self.requests += 1

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stopped.set()
        self.thread.join(timeout=30)


def reset_flag(base_url, flag):
    """Back to the environment's setting (on in these tests), so the other tests find AI insights on."""
    token = inyeon("token", "issue", "--name", "e2e-console", "--scope", "flags:write", "--ttl", "5m")
    status, body = pages.api_call(base_url, "DELETE", f"/api/admin/flags/{flag}", token=token)
    assert status == 200, body


def test_a_rollout_from_the_console_with_its_charts_and_a_confirmed_rollback(driver, staff, tokens):
    email, password = staff["admin"]
    pages.sign_in(driver, email, password)
    try:
        open_page(driver, "/admin")
        find(driver, "#flags-table", "the flags with their plans")
        check_page(driver, "console-flags")
        find(driver, "#flag-aiInsights", "AI insights among the flags").click()
        expect_path(driver, "/admin/rollouts/aiInsights")
        fill(driver, "#plan-steps", "50, 100")
        fill(driver, "#plan-minutes", "60")
        fill(driver, "#plan-people-input", "1000")
        with Traffic(driver.base_url, tokens) as traffic:
            submit(driver, "#rollout-start")
            expect_path(driver, "/admin/rollouts/aiInsights")
            assert find(driver, "#plan-status").get_attribute("data-status") == "running"
            assert find(driver, "#flag-setting").text == "50%", "the flag follows the plan's first step"
            # The charts fill as the driver keeps the cohorts' figures (every 2 s in these tests).
            deadline = time.monotonic() + 40
            while True:
                open_page(driver, "/admin/rollouts/aiInsights")
                lines = driver.find_elements(By.CSS_SELECTOR, "svg#chart-errors path")
                rows = driver.find_elements(By.CSS_SELECTOR, "#history-table tbody tr")
                if len(lines) == 2 and len(rows) >= 3:
                    break
                assert time.monotonic() < deadline, f"no charts after 40 s of traffic ({traffic.requests} requests): {pages.page_text(driver)[:400]!r}"
                time.sleep(2)
        print(f"\n[e2e] {traffic.requests} requests while the charts filled; {len(rows)} moments kept")
        rows = driver.find_elements(By.CSS_SELECTOR, "#cohorts-table tbody tr")
        assert len(rows) == 8, f"every measure is shown: {[r.text for r in rows]}"
        assert "– (0)" not in rows[0].text, f"both cohorts have requests counted: {rows[0].text!r}"
        for chart in ("chart-errors", "chart-latency"):
            svg = find_present(driver, f"svg#{chart}", chart)
            assert svg.get_attribute("role") == "img" and svg.get_attribute("aria-labelledby"), "a chart is an image with a title"
        check_page(driver, "console-rollout")

        submit(driver, "#rollout-pause")
        assert find(driver, "#plan-status").get_attribute("data-status") == "paused"
        submit(driver, "#rollout-resume")
        assert find(driver, "#plan-status").get_attribute("data-status") == "running"

        find(driver, "#rollout-rollback", "the rollback button").click()
        expect_path(driver, "/admin/rollouts/aiInsights/rollback")
        find(driver, "#rollback-warning", "what a rollback does")
        check_page(driver, "console-rollback-confirm")
        find(driver, "#rollback-cancel").click()
        expect_path(driver, "/admin/rollouts/aiInsights")
        assert find(driver, "#plan-status").get_attribute("data-status") == "running", "cancelling changes nothing"
        find(driver, "#rollout-rollback").click()
        fill(driver, "#rollback-reason", "e2e: 켜진 그룹의 응답이 느림")
        submit(driver, "#rollback-confirm")
        expect_path(driver, "/admin/rollouts/aiInsights")
        assert find(driver, "#plan-status").get_attribute("data-status") == "rolled_back"
        assert find(driver, "#flag-setting").text == "false", "rolled back: off for everyone"
        find(driver, "#console-notice", "the notice that it is off")
        assert "e2e: 켜진 그룹의 응답이 느림" in find(driver, "#plan-reason").text
        # Audited, with the operator and the reason: the history on the page and the filtered log.
        history = " ".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, "table.audit-entries tbody tr"))
        for action in ("rollout.started", "rollout.paused", "rollout.resumed", "rollout.rolled_back", "flag.changed"):
            assert action in history, f"{action} is not in the flag's history: {history[:600]!r}"
        open_page(driver, "/admin/audit")
        fill(driver, "#filter-action", "rollout.")
        submit(driver, "#filter-apply")
        shown = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "table.audit-entries tbody tr td.code")]
        assert shown and all(action.startswith("rollout.") for action in shown), shown
        assert "rollout.rolled_back" in shown
        check_page(driver, "console-audit")
    finally:
        reset_flag(driver.base_url, "aiInsights")


def test_the_queue_feedback_security_and_mail_pages(driver, staff):
    # A ticket from someone signed out, to be closed from the queue.
    open_page(driver, "/support")
    Select(find(driver, "#support-category")).select_by_value("safety")
    note = "콘솔 시험 " + secrets.token_hex(3)
    fill(driver, "#support-message", note)
    fill(driver, "#support-email", pages.unique_email("ticket"))
    submit(driver, "button#support-send")
    email, password = staff["admin"]
    pages.sign_in(driver, email, password)
    open_page(driver, "/admin/moderation")
    card = next(c for c in driver.find_elements(By.CSS_SELECTOR, "li.card") if note in c.text)
    case_id = card.get_attribute("id")
    check_page(driver, "console-moderation")
    submit(driver, f"#{case_id}-actioned")
    expect_path(driver, "/admin/moderation")
    find(driver, "#console-notice", "the notice that the case is closed")
    assert not driver.find_elements(By.CSS_SELECTOR, f"#{case_id}"), "a closed case leaves the queue"
    open_page(driver, "/admin/audit?action=moderation.case_reviewed")
    assert case_id.removeprefix("case-") in pages.page_text(driver), "the review is audited with the case"

    open_page(driver, "/admin/feedback")
    find(driver, "#feedback-table", "the averages per phase")
    check_page(driver, "console-feedback")
    open_page(driver, "/admin/security")
    find(driver, "#security-table", "the security events")
    assert "account.role_changed" in pages.page_text(driver), "granting the staff roles is a security event"
    check_page(driver, "console-security")
    open_page(driver, "/admin/mail")
    find(driver, "#mail-counts", "the outbox's counts")
    check_page(driver, "console-mail")


def test_only_staff_get_in(driver, staff):
    open_page(driver, "/admin")
    assert path_of(driver) == "/login", "signed out: the login first"
    email, password = staff["user"]
    pages.sign_in(driver, email, password)
    open_page(driver, "/admin/rollouts/aiInsights")
    assert "관리자만" in pages.page_text(driver), pages.page_text(driver)[:200]
    assert not driver.find_elements(By.CSS_SELECTOR, "footer #console-link"), "no console link for a person"
    driver.delete_all_cookies()
    email, password = staff["moderator"]
    pages.sign_in(driver, email, password)
    open_page(driver, "/admin")
    expect_path(driver, "/admin/moderation")
    sections = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".console-nav a")]
    assert all(s.endswith("/admin/moderation") for s in sections), f"a moderator sees the queue only: {sections}"
    open_page(driver, "/admin/audit")
    assert "관리자만" in pages.page_text(driver)
