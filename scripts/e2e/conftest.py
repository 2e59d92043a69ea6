"""Fixtures for Inyeon's browser tests: a headless Chromium per test and per window size.

Run them with `scripts/e2e/run.sh BINARY` (it starts the server); see that script for the
environment this file reads: INYEON_BASE_URL, INYEON_OUTBOX, INYEON_SCREENSHOTS and, optionally,
INYEON_FAILURES (where a failing test leaves a screenshot, the page's HTML and the browser log).
"""

import os
import re
import sys

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(__file__))

import pages  # noqa: E402  (after the path is set)

CHROMEDRIVER = "/usr/bin/chromedriver"


def pytest_configure(config):
    config.addinivalue_line("markers", "viewport(name): the window size a test ran at (phone or desktop)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test, so the driver fixture knows whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, "report_" + report.when, report)


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("INYEON_BASE_URL", "").rstrip("/")
    if not url:
        pytest.fail(
            "INYEON_BASE_URL is not set. Run `scripts/e2e/run.sh BINARY` (it starts the server), or start a "
            "server yourself and set INYEON_BASE_URL (and INYEON_OUTBOX, its MAIL_OUTBOX_DIR).",
            pytrace=False,
        )
    return url


def _new_chromium():
    options = webdriver.ChromeOptions()
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--lang=ko-KR",
        "--window-size=1280,1100",
        "--hide-scrollbars",
        "--disable-extensions",
        "--no-first-run",
    ):
        options.add_argument(argument)
    # --lang alone does not change navigator.language or Accept-Language in headless Chromium.
    options.add_experimental_option("prefs", {"intl.accept_languages": "ko-KR,ko"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    if os.path.exists("/usr/bin/chromium"):
        options.binary_location = "/usr/bin/chromium"
    if not os.path.exists(CHROMEDRIVER):
        pytest.fail(f"{CHROMEDRIVER} is missing: run scripts/e2e/install.sh", pytrace=False)
    try:
        return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as error:
        pytest.fail(f"Chromium did not start through {CHROMEDRIVER}: {error.msg}", pytrace=False)


@pytest.fixture(params=list(pages.VIEWPORTS), ids=list(pages.VIEWPORTS))
def driver(request, base_url):
    """A fresh headless Chromium (no cookies) at one window size; always quits, even on failure."""
    yield from _browser(request, base_url, request.param)


@pytest.fixture
def second_driver(request, base_url, driver):
    """Another fresh Chromium with cookies of its own, at the same window size as `driver`, open at the
    same time: the second person of a test about two people. Its failure artifacts end in `-second`."""
    yield from _browser(request, base_url, driver.viewport, suffix="-second")


def _browser(request, base_url, viewport, suffix=""):
    browser = _new_chromium()
    try:
        pages.set_viewport(browser, viewport)
        browser.base_url = base_url
        yield browser
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            _keep_failure_artifacts(browser, request.node, suffix)
    finally:
        try:
            browser.quit()
        except WebDriverException:
            pass


def _keep_failure_artifacts(browser, node, suffix=""):
    folder = os.environ.get("INYEON_FAILURES", "/tmp/inyeon-e2e-failures")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", node.name) + suffix
    try:
        os.makedirs(folder, exist_ok=True)
        stem = os.path.join(folder, name)
        try:
            pages.screenshot(browser, node.name, path=stem + ".png")
        except Exception:
            browser.save_screenshot(stem + ".png")
        with open(stem + ".html", "w", encoding="utf-8") as file:
            file.write(f"<!-- {browser.current_url} -->\n" + browser.page_source)
        with open(stem + ".log", "w", encoding="utf-8") as file:
            for entry in pages.browser_log(browser):
                file.write(f"{entry.get('level')} {entry.get('message')}\n")
        node.add_report_section("call", "artifacts", f"screenshot, HTML and browser log of the failure: {stem}.*")
        print(f"\n[e2e] {node.name}{suffix} failed at {browser.current_url}; screenshot, HTML and browser log: {stem}.*")
    except Exception as error:  # the artifacts help; their absence must not hide the real failure
        print(f"\n[e2e] could not keep the failure artifacts of {node.name}: {error}")
