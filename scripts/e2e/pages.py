"""What the browser tests do to and check on a page: waits, forms, axe-core, contrast, sizes,
keyboard focus, screenshots, and the mail outbox. The tests themselves are in test_pages.py."""

import base64
import email.parser as email_parser
import email.policy as email_policy
import json
import os
import time
import urllib.error
import urllib.request
import uuid
from urllib.parse import urlparse

from axe_selenium_python import Axe
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

# name -> (width, height, emulate a phone: touch-style viewport, meta viewport honoured)
VIEWPORTS = {"phone": (390, 844, True), "desktop": (1280, 900, False)}
WAIT_SECONDS = 15
REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
# axe-selenium-python bundles axe-core 3.1.1 (2018); axe-core-python ships 4.4.3 as a plain file.
# Either is injected with axe-selenium-python's Axe class; the newer one is used when installed.
try:
    import axe_core_python

    AXE_SCRIPT = os.path.join(os.path.dirname(axe_core_python.__file__), "axe.min.js")
except ImportError:  # install.sh installs it; without it, the bundled older axe-core
    AXE_SCRIPT = None
if AXE_SCRIPT is None or not os.path.exists(AXE_SCRIPT):
    AXE_SCRIPT = Axe(None).script_url


# ----------------------------------------------------------------------------- window and waits


def set_viewport(driver, name, height=None):
    """The exact CSS viewport of `name` (Chromium's window size includes its invisible frame)."""
    width, normal_height, mobile = VIEWPORTS[name]
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height or normal_height, "deviceScaleFactor": 1, "mobile": mobile},
    )
    driver.viewport = name


def wait(driver, seconds=WAIT_SECONDS):
    return WebDriverWait(driver, seconds, poll_frequency=0.1)


def wait_ready(driver):
    try:
        wait(driver).until(lambda d: d.execute_script("return document.readyState") == "complete")
    except TimeoutException:
        raise AssertionError(f"{driver.current_url} did not finish loading within {WAIT_SECONDS} s") from None


def url(driver, path):
    return driver.base_url + path


def path_of(driver):
    return urlparse(driver.current_url).path


def open_page(driver, path):
    """Loads a page and waits until it has loaded and has the layout's <main id="main">."""
    driver.get(url(driver, path))
    wait_ready(driver)
    if not driver.find_elements(By.CSS_SELECTOR, "main#main"):
        raise AssertionError(
            f"GET {path} → {driver.current_url} (title {driver.title!r}) has no <main id=\"main\">; "
            f"the page starts: {page_text(driver)[:300]!r}"
        )


def expect_path(driver, path, seconds=WAIT_SECONDS):
    """Waits until the browser's address has the path `path` (the query string aside)."""
    try:
        wait(driver, seconds).until(lambda d: path_of(d) == path)
    except TimeoutException:
        raise AssertionError(
            f"expected to be on {path}, but the browser is on {driver.current_url} "
            f"(title {driver.title!r}; page text starts {page_text(driver)[:200]!r})"
        ) from None


def page_text(driver):
    try:
        return driver.find_element(By.TAG_NAME, "body").text
    except WebDriverException:
        return ""


def find(driver, css, what=None):
    """The visible element for `css`, waiting for it; a clear failure naming the page when absent."""
    try:
        return wait(driver).until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))
    except TimeoutException:
        present = driver.find_elements(By.CSS_SELECTOR, css)
        state = "present but not visible" if present else "absent"
        raise AssertionError(
            f"{what or css}: `{css}` is {state} on {path_of(driver)} after {WAIT_SECONDS} s "
            f"(title {driver.title!r}; page text starts {page_text(driver)[:200]!r})"
        ) from None


def find_present(driver, css, what=None):
    """Like find, for elements that need not be visible (checkboxes styled by their label, say)."""
    try:
        return wait(driver).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))
    except TimeoutException:
        raise AssertionError(f"{what or css}: `{css}` is absent on {path_of(driver)}") from None


def submit(driver, button_css):
    """Clicks a submit button (or a link) and waits until the next page has loaded."""
    button = find(driver, button_css)
    token = uuid.uuid4().hex
    driver.execute_script("window.__inyeonPage = arguments[0]", token)
    button.click()

    def next_page_loaded(d):
        try:  # while the old page unloads, the driver may answer with transient errors
            return d.execute_script("return window.__inyeonPage !== arguments[0] && document.readyState === 'complete'", token)
        except WebDriverException:
            return False

    try:
        wait(driver).until(next_page_loaded)
    except TimeoutException:
        raise AssertionError(
            f"clicking {button_css} on {path_of(driver)} did not load a new page within {WAIT_SECONDS} s "
            f"(a browser-side validation message may have stopped the form)"
        ) from None


follow = submit  # a link: the same click and wait


def fill(driver, css, text):
    field = find(driver, css)
    field.clear()
    field.send_keys(text)
    typed = field.get_attribute("value")
    assert typed == text, f"typing into {css} on {path_of(driver)} left {typed!r}, not {text!r}"
    return field


def set_checked(driver, css, checked=True):
    box = find_present(driver, css)
    if box.is_selected() != checked:
        try:
            box.click()
        except WebDriverException:  # covered by a styled label: click that instead
            driver.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']").click()
    assert box.is_selected() == checked, f"{css} on {path_of(driver)} could not be {'checked' if checked else 'unchecked'}"


def html_classes(driver):
    return set((driver.find_element(By.TAG_NAME, "html").get_attribute("class") or "").split())


# ----------------------------------------------------------------------------- browser log


def _drain_log(driver):
    try:
        entries = driver.get_log("browser")
    except WebDriverException:
        entries = []
    if not hasattr(driver, "inyeon_log"):
        driver.inyeon_log = []
        driver.inyeon_log_checked = 0
    driver.inyeon_log.extend(entries)
    return entries


def browser_log(driver):
    _drain_log(driver)
    return list(driver.inyeon_log)


def console_problems(driver):
    """Errors in the browser console since the last check: blocked scripts or styles (CSP), missing
    files, script errors. The page's own 4xx status (a form answered with its errors) is not one."""
    _drain_log(driver)
    fresh = driver.inyeon_log[driver.inyeon_log_checked:]
    driver.inyeon_log_checked = len(driver.inyeon_log)
    problems = []
    for entry in fresh:
        message = entry.get("message", "")
        if entry.get("level") != "SEVERE" or "favicon.ico" in message:
            continue
        if "Failed to load resource" in message and message.split(" ", 1)[0].split("?")[0] in _document_urls(driver):
            continue
        problems.append(f"browser console: {message[:300]}")
    return problems


def _document_urls(driver):
    here = driver.current_url.split("#")[0].split("?")[0]
    return {here, here.rstrip("/")}


# ----------------------------------------------------------------------------- accessibility

AXE_OPTIONS = json.dumps({"resultTypes": ["violations"]})


def axe_problems(driver, label):
    """axe-core's serious and critical violations on the page as it is now."""
    driver.set_script_timeout(60)
    axe = Axe(driver, script_url=AXE_SCRIPT)
    if driver.execute_script("return typeof window.axe") != "object":
        axe.inject()  # once per page load
    results = axe.run(options=AXE_OPTIONS)
    problems = []
    for violation in results.get("violations", []):
        if violation.get("impact") not in ("serious", "critical"):
            continue
        targets = [" ".join(t) if isinstance(t, list) else str(t) for node in violation["nodes"] for t in node["target"]]
        shown = ", ".join(targets[:4]) + (f" (+{len(targets) - 4} more)" if len(targets) > 4 else "")
        problems.append(f"axe [{label}] {violation['id']} ({violation['impact']}): {violation['help']} — {shown}")
    return problems


OVERFLOW_JS = r"""
const doc = document.documentElement;
const limit = Math.min(window.innerWidth, doc.clientWidth) + 1;
const result = {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, clientWidth: doc.clientWidth, offenders: []};
if (doc.scrollWidth <= limit) return result;
const wide = new Set();
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.height > 0 && (r.right > limit || r.left < -1)) wide.add(el);
}
for (const el of wide) {
  if ([...el.children].some(c => wide.has(c))) continue;  // report the innermost
  const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  result.offenders.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
    ' (right edge ' + Math.round(el.getBoundingClientRect().right) + ' px) "' + text + '"');
  if (result.offenders.length >= 5) break;
}
return result;
"""


def overflow_problems(driver, label):
    """Horizontal scrolling: the page must fit the window's width."""
    found = driver.execute_script(OVERFLOW_JS)
    if found["scrollWidth"] <= min(found["innerWidth"], found["clientWidth"]) + 1:
        return []
    return [
        f"[{label}] the page scrolls sideways: scrollWidth {found['scrollWidth']} px > window width "
        f"{min(found['innerWidth'], found['clientWidth'])} px; widest: {'; '.join(found['offenders']) or '?'}"
    ]


def check_accessibility(driver, name):
    """axe-core (serious and critical), 7:1 contrast and text and target sizes at the page's own text
    size, then all of them again with the very large text size forced on <html> (`text-xlarge`,
    which the site's CSS scales by), where the page must also still fit the window's width. Fails
    listing every problem."""
    problems = accessibility_problems(driver, name)
    assert not problems, _report(driver, name, problems)


def accessibility_problems(driver, name):
    problems = _problems_at_this_size(driver, "normal text")
    had = driver.execute_script("return document.documentElement.classList.contains('text-xlarge')")
    driver.execute_script("document.documentElement.classList.add('text-xlarge')")
    try:
        _settle(driver)
        problems += _problems_at_this_size(driver, "text-xlarge")
        problems += overflow_problems(driver, "text-xlarge")
    finally:
        if not had:
            driver.execute_script("document.documentElement.classList.remove('text-xlarge')")
            _settle(driver)
    return problems


def _problems_at_this_size(driver, label):
    return axe_problems(driver, label) + contrast_problems(driver, label=label) + size_problems(driver, label=label)


# Contrast of every visible piece of text on the page (header, menu, main and footer alike) against
# what is behind it (WCAG 2 formula): every element with a text node of its own.
TEXT_ELEMENTS_JS = r"""
function textElements() {
  const found = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim() || found.has(el)) continue;
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'OPTION', 'OPTGROUP'].includes(el.tagName)) continue;
    found.add(el);
  }
  return [...found];
}
function shown(el) {
  const style = getComputedStyle(el), rect = el.getBoundingClientRect();
  return style.visibility !== 'hidden' && style.display !== 'none' && rect.width > 1 && rect.height > 1;
}
"""

CONTRAST_JS = TEXT_ELEMENTS_JS + r"""
const minimum = arguments[0];
const canvas = document.createElement('canvas');
canvas.width = canvas.height = 1;
const ctx = canvas.getContext('2d', {willReadFrequently: true});
function rgba(css) {
  const m = /^rgba?\(([^)]*)\)$/.exec(css.trim());
  if (m) {
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  }
  ctx.clearRect(0, 0, 1, 1); ctx.fillStyle = 'rgba(0,0,0,0)'; ctx.fillStyle = css; ctx.fillRect(0, 0, 1, 1);
  const d = ctx.getImageData(0, 0, 1, 1).data;
  return [d[0], d[1], d[2], d[3] / 255];
}
function over(top, bottom) {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
}
function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function hex(c) { return '#' + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join(''); }
const failures = [];
for (const el of textElements()) {
  if (el.closest('[aria-hidden="true"]') || el.disabled || !shown(el)) continue;
  const style = getComputedStyle(el);
  const layers = [];
  for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
    const bg = rgba(getComputedStyle(n).backgroundColor);
    if (bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
  }
  let background = [255, 255, 255, 1];
  for (const layer of layers.reverse()) background = over(layer, background);
  const color = over(rgba(style.color), background);
  const [l1, l2] = [luminance(color), luminance(background)].sort((a, b) => b - a);
  const ratio = (l1 + 0.05) / (l2 + 0.05);
  if (ratio < minimum) {
    const text = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join(' ').trim().replace(/\s+/g, ' ');
    failures.push({tag: el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''), text: text.slice(0, 40),
                   ratio: Math.floor(ratio * 100) / 100, color: hex(color), background: hex(background)});
  }
}
return failures;
"""


def contrast_problems(driver, minimum=7.0, label="normal text"):
    """Every visible piece of text on the page (not only in <main>) against what is behind it."""
    return [
        f"[{label}] contrast {f['ratio']}:1 < {minimum:g}:1 for <{f['tag']}> \"{f['text']}\" ({f['color']} on {f['background']})"
        for f in driver.execute_script(CONTRAST_JS, minimum)
    ]


SIZES_JS = TEXT_ELEMENTS_JS + r"""
const minFont = arguments[0], minTarget = arguments[1];
function describe(el) {
  const text = (el.textContent || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
  return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.type && el.tagName !== 'BUTTON' ? '[type=' + el.type + ']' : '') + (text ? ' "' + text + '"' : '');
}
const out = [];
const fields = 'input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), select, textarea';
for (const el of [...textElements(), ...document.body.querySelectorAll(fields)]) {
  if (!shown(el)) continue;
  const size = parseFloat(getComputedStyle(el).fontSize);
  if (size < minFont - 0.01) out.push('font-size ' + size + ' px < ' + minFont + ' px: ' + describe(el));
}
const targets = 'a[href], button, input[type=submit], input[type=button], input[type=reset], input[type=image], ' + fields;
for (const el of document.body.querySelectorAll(targets)) {
  if (!shown(el)) continue;
  // A link in running text (WCAG 2.5.8's inline exception): inline, inside a paragraph, or inside a
  // list item, definition or table cell that has words of its own besides the link.
  if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') {
    if (el.closest('p')) continue;
    const block = el.closest('li, dd, td');
    if (block && block.textContent.replace(/\s+/g, '') !== el.textContent.replace(/\s+/g, '')) continue;
  }
  const height = el.getBoundingClientRect().height;
  if (height < minTarget - 0.5) out.push('target ' + Math.round(height * 10) / 10 + ' px tall < ' + minTarget + ' px: ' + describe(el));
}
return out;
"""


def size_problems(driver, min_font=18, min_target=48, label="normal text"):
    """Every visible piece of text on the page and every form field at least 18 px; every link,
    button and field on the page (header, menu and footer included) at least 48 px tall (a link in
    running text, that is inline in a paragraph, or in a list item, definition or table cell with
    words of its own, and checkboxes/radios, whose label is the target, are exempt)."""
    return [f"[{label}] {problem}" for problem in driver.execute_script(SIZES_JS, min_font, min_target)]


def layout_problems(driver):
    """The layout every page shares."""
    found = driver.execute_script(
        r"""
        const q = s => document.querySelector(s);
        const skip = q('a.skip-link');
        return {lang: document.documentElement.getAttribute('lang'), skip: skip && skip.getAttribute('href'),
                header: !!q('header'), nav: !!q('nav'), navLinks: document.querySelectorAll('header nav a').length,
                main: !!q('main#main'), mains: document.querySelectorAll('main').length,
                h1: document.querySelectorAll('h1').length};
        """
    )
    problems = []
    if not (found["lang"] or "").lower().startswith("ko"):
        problems.append(f'<html lang> is {found["lang"]!r}, not "ko"')
    if found["skip"] != "#main":
        problems.append(f"a.skip-link to #main is missing (href {found['skip']!r})")
    if not found["header"]:
        problems.append("<header> is missing")
    if not found["nav"]:
        problems.append("<nav> is missing")
    if found["navLinks"] > 4:
        # The main menu, in the header (the staff console's own section menu is inside the page).
        problems.append(f"the menu has {found['navLinks']} links (`header nav a`); at most 4")
    if not found["main"] or found["mains"] != 1:
        problems.append(f"expected exactly one <main id=\"main\"> (found {found['mains']} <main>)")
    if found["h1"] != 1:
        problems.append(f"expected exactly one <h1>, found {found['h1']}")
    return problems


def check_contrast(driver, name, minimum=7.0):
    problems = contrast_problems(driver, minimum)
    assert not problems, _report(driver, name, problems)


def check_sizes(driver, name):
    problems = size_problems(driver)
    assert not problems, _report(driver, name, problems)


def check_page(driver, name, shot=True):
    """Everything a page must pass, collected into one failure: the screenshot `name` (first, so it
    exists even when a check fails), the shared layout, axe, 7:1 contrast of all text on the page,
    text and target sizes, each at normal and at very large text, no sideways scrolling at very
    large text, a clean console."""
    if shot:
        screenshot(driver, name)
    problems = layout_problems(driver)
    problems += accessibility_problems(driver, name)
    problems += console_problems(driver)
    assert not problems, _report(driver, name, problems)


def _report(driver, name, problems):
    lines = "\n  - ".join(problems)
    return f"page {name!r} ({getattr(driver, 'viewport', '?')}, {path_of(driver)}) has {len(problems)} problem(s):\n  - {lines}"


def _settle(driver):
    """Two animation frames: styles recalculated and laid out after a class change or a resize."""
    driver.set_script_timeout(60)
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; requestAnimationFrame(() => requestAnimationFrame(() => done(true)));"
    )


# ----------------------------------------------------------------------------- keyboard


def press_tab(driver, shift=False):
    actions = ActionChains(driver)
    if shift:
        actions.key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT)
    else:
        actions.send_keys(Keys.TAB)
    actions.perform()


FOCUSED_JS = r"""
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const s = getComputedStyle(el), r = el.getBoundingClientRect();
return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name'), type: el.getAttribute('type'),
        href: el.getAttribute('href'), className: typeof el.className === 'string' ? el.className : '',
        text: (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40),
        outlineStyle: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth) || 0, boxShadow: s.boxShadow,
        top: r.top, left: r.left, bottom: r.bottom, right: r.right, width: r.width, height: r.height,
        innerWidth: window.innerWidth, innerHeight: window.innerHeight};
"""


def focused(driver):
    return driver.execute_script(FOCUSED_JS)


def focus_is_visible(info):
    return (info["outlineStyle"] != "none" and info["outlineWidth"] > 0) or (info["boxShadow"] or "none") != "none"


def tab_through(driver, limit=40):
    """Presses Tab until focus leaves the page or cycles; the focused elements in order."""
    seen = []
    for _ in range(limit):
        press_tab(driver)
        info = focused(driver)
        if info is None:
            break
        key = (info["tag"], info["id"], info["name"], info["href"], info["text"])
        if seen and key == seen[0]["key"]:
            break
        info["key"] = key
        seen.append(info)
    return seen


def describe_focus(info):
    if info is None:
        return "nothing (the page itself)"
    label = info["tag"] + (f"#{info['id']}" if info["id"] else "") + (f"[name={info['name']}]" if info["name"] else "")
    return label + (f" \"{info['text']}\"" if info["text"] else "")


# ----------------------------------------------------------------------------- screenshots


def screenshot(driver, name, path=None):
    """<INYEON_SCREENSHOTS>/<name>-<phone|desktop>.png (or `path`) of the whole page: the viewport is
    made as tall as the page for the shot, then restored."""
    viewport = getattr(driver, "viewport", "desktop")
    if path is None:
        folder = os.environ.get("INYEON_SCREENSHOTS") or os.path.join(REPO, ".build", "e2e-screenshots")
        path = os.path.join(folder, f"{name}-{viewport}.png")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    height = driver.execute_script(
        "return Math.max(document.body ? document.body.scrollHeight : 0, document.documentElement.scrollHeight)"
    )
    full = min(max(int(height), VIEWPORTS[viewport][1]), 12000)
    set_viewport(driver, viewport, height=full)
    try:
        _settle(driver)
        assert driver.save_screenshot(path), f"could not write the screenshot {path}"
    finally:
        set_viewport(driver, viewport)
        _settle(driver)
    return path


# ----------------------------------------------------------------------------- accounts and mail


def unique_email(prefix="e2e"):
    return f"{prefix}-{uuid.uuid4().hex[:12]}@example.com"


def strong_password():
    return "calm-river-" + uuid.uuid4().hex[:10]


def outbox_dir():
    folder = os.environ.get("INYEON_OUTBOX")
    if not folder:
        raise AssertionError("INYEON_OUTBOX is not set: point it at the server's MAIL_OUTBOX_DIR (run.sh does)")
    return folder


def mails_to(email):
    """The plain-text bodies of the mails to `email` in INYEON_OUTBOX (MIME .eml files), newest first."""
    folder = outbox_dir()
    found = []
    if os.path.isdir(folder):
        for entry in os.scandir(folder):
            if not entry.name.endswith(".eml"):
                continue
            try:
                with open(entry.path, "rb") as file:
                    message = email_parser.BytesParser(policy=email_policy.default).parse(file)
                stamp = entry.stat().st_mtime_ns
            except (FileNotFoundError, UnicodeDecodeError):
                continue
            if str(message["To"]).strip() != email:
                continue
            body = message.get_body(preferencelist=("plain",))
            found.append((stamp, entry.name, body.get_content() if body else ""))
    return [text for _, _, text in sorted(found, reverse=True)]


def line_from_newest_mail(email, prefix, seconds=WAIT_SECONDS):
    """What follows `prefix` on a line of the newest mail to `email`; waits for the mail to arrive."""
    deadline = time.monotonic() + seconds
    while True:
        mails = mails_to(email)
        if mails:
            for line in mails[0].splitlines():
                if line.strip().startswith(prefix):
                    value = line.strip()[len(prefix):].strip()
                    if value:
                        return value
        if time.monotonic() > deadline:
            if not mails:
                raise AssertionError(f"no mail to {email} in {outbox_dir()} after {seconds} s")
            raise AssertionError(f"the newest mail to {email} has no line `{prefix}…`:\n{mails[0][:500]}")
        time.sleep(0.2)


def verification_code(email, seconds=WAIT_SECONDS):
    """The sign-up confirmation code in the newest mail to `email` (its line `확인 코드: <code>`)."""
    return line_from_newest_mail(email, "확인 코드: ", seconds)


def api_post(base_url, path, body):
    request = urllib.request.Request(
        base_url + path, data=json.dumps(body).encode(), method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def create_account(base_url, email, password, name="김하늘"):
    """An account made through the JSON API (sign-up, then the e-mailed code), for the tests whose
    subject is not the sign-up pages."""
    status, body = api_post(
        base_url, "/api/auth/signup",
        {"email": email, "password": password, "name": name, "consents": {"terms": True, "privacy": True}},
    )
    assert 200 <= status < 300, f"POST /api/auth/signup for {email} answered {status}: {body[:300]}"
    code = verification_code(email)
    status, body = api_post(base_url, "/api/auth/verify-email", {"email": email, "code": code})
    assert 200 <= status < 300, f"POST /api/auth/verify-email for {email} answered {status}: {body[:300]}"


def api_call(base_url, method, path, body=None, token=None):
    """A JSON request to the API, signed in with `token` when given: (status, decoded body or text)."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(
        base_url + path, data=None if body is None else json.dumps(body).encode(), method=method, headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8", "replace")
            status = response.status
    except urllib.error.HTTPError as error:
        text, status = error.read().decode("utf-8", "replace"), error.code
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def create_person(base_url, name, gender, email=None, password=None, place=("서울", "마포구")):
    """An account with a profile (through the JSON API), signed in: (user id, access token, e-mail, password).
    `place` (시·도, 시·군·구) away from 마포구 keeps a test's people from being crowded out by others."""
    email, password = email or unique_email(), password or strong_password()
    create_account(base_url, email, password, name=name)
    status, body = api_call(base_url, "POST", "/api/auth/login", {"email": email, "password": password})
    assert status == 200, f"login for {email} answered {status}: {body}"
    token = body["data"]["accessToken"]
    profile = {
        "displayName": name, "birthYear": 1966, "gender": gender, "seeking": "male" if gender == "female" else "female",
        "maritalStatus": "widowed",
        "children": {"count": 1, "ageGroups": ["adult"], "livingTogether": False, "preference": "no_preference"},
        "occupation": {"industry": "education", "position": "교사", "schedule": "regular"},
        "lifestyle": {"livingArrangement": "alone", "ownsHome": True, "fitness": "moderate", "social": "high", "travel": "quarterly"},
        "location": {"city": place[0], "district": place[1]} if place != ("서울", "마포구")
        else {"city": "서울", "district": "마포구", "latitude": 37.56631, "longitude": 126.90192},
        "interests": ["등산", "사진"], "bio": "산책과 사진을 좋아합니다.", "communicationStyle": "supportive",
        "preferences": {"ageMin": 45, "ageMax": 70, "maxDistanceKm": 30, "maritalStatuses": ["widowed", "divorced", "single"],
                        "occupationImportance": 2, "lifestyleImportance": 3},
        "privacy": {"showAge": True, "showLocation": True, "searchable": True, "allowPublicListing": False},
    }
    status, body = api_call(base_url, "PUT", "/api/me/profile", profile, token)
    assert status == 200, f"saving the profile of {email} answered {status}: {body}"
    payload = token.split(".")[1]
    user_id = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"]
    return user_id, token, email, password


def sign_up(driver, name, email, password):
    """An account made through the three sign-up pages (consents, account, the e-mailed code); ends
    signed in on /home. test_signup_three_steps checks those pages themselves."""
    open_page(driver, "/signup")
    set_checked(driver, "#consent-terms")
    set_checked(driver, "#consent-privacy")
    submit(driver, "button#next")
    fill(driver, "#display-name", name)
    fill(driver, "#email", email)
    fill(driver, "#password", password)
    submit(driver, "button#next")
    find_present(driver, "#code", f"step 3 of signing up {email} (the field for the e-mailed code)")
    fill(driver, "#code", verification_code(email))
    submit(driver, "button#verify")
    expect_path(driver, "/home")


def sign_in(driver, email, password):
    open_page(driver, "/login")
    fill(driver, "#email", email)
    fill(driver, "#password", password)
    submit(driver, "button#login")
    errors = driver.find_elements(By.CSS_SELECTOR, "#login-error")
    assert not (errors and errors[0].is_displayed()), f"signing in as {email} failed: {errors[0].text!r}"
    assert path_of(driver) != "/login", f"signing in as {email} stayed on /login: {page_text(driver)[:200]!r}"
