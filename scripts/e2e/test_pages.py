"""Inyeon's server-rendered pages in a real browser (headless Chromium), at phone and desktop size:
the flows a person goes through, axe-core, 7:1 contrast, 18 px text, 48 px targets, keyboard use
and screenshots (.build/e2e-screenshots). Each test gets its own browser, so no cookies are shared."""

from urllib.parse import urlparse

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import pages
from pages import check_page, expect_path, fill, find, find_present, follow, open_page, path_of, submit, wait

WEAK_PASSWORD = "12345678"


def expect_step(driver, step):
    bar = find_present(driver, "progress#signup-progress", f"sign-up step {step}'s progress bar")
    value, maximum = bar.get_attribute("value"), bar.get_attribute("max")
    assert (value, maximum) == (str(step), "3"), (
        f"on {path_of(driver)} progress#signup-progress is {value} of {maximum}; expected step {step} of 3"
    )


def link_path(element):
    return urlparse(element.get_attribute("href")).path


def expect_signed_in(driver):
    links = driver.find_elements(By.CSS_SELECTOR, 'nav a[href="/settings"]')
    assert links, f"signed in, the menu on {path_of(driver)} should link to /settings; it has " + ", ".join(
        repr(a.get_attribute("href")) for a in driver.find_elements(By.CSS_SELECTOR, "nav a")
    )


def new_account(driver):
    email, password = pages.unique_email(), pages.strong_password()
    pages.create_account(driver.base_url, email, password)
    return email, password


# ----------------------------------------------------------------------------- landing and keyboard


def test_landing(driver):
    open_page(driver, "/")
    find(driver, "h1", "the landing page's heading")
    assert link_path(find(driver, "a#start-signup")) == "/signup", "a#start-signup must lead to /signup"
    assert link_path(find(driver, "a#login-link")) == "/login", "a#login-link must lead to /login"
    check_page(driver, "landing")


def test_landing_skip_link_is_first_and_visible_on_focus(driver):
    open_page(driver, "/")
    pages.press_tab(driver)
    first = pages.focused(driver)
    assert first is not None and first["tag"] == "a" and "skip-link" in first["className"].split(), (
        f"the first Tab on / should focus a.skip-link; it focused {pages.describe_focus(first)}"
    )
    assert pages.focus_is_visible(first), (
        f"the focused skip link shows no focus indicator (outline-style {first['outlineStyle']}, "
        f"outline-width {first['outlineWidth']} px, box-shadow {first['boxShadow']})"
    )
    on_screen = first["top"] >= 0 and first["left"] >= 0 and first["bottom"] <= first["innerHeight"] and first["right"] <= first["innerWidth"]
    assert on_screen and first["width"] > 1 and first["height"] > 1, (
        f"the focused skip link must be on screen; its box is top {first['top']}, left {first['left']}, "
        f"{first['width']}×{first['height']} px in a {first['innerWidth']}×{first['innerHeight']} window"
    )
    driver.switch_to.active_element.send_keys(Keys.ENTER)
    try:
        wait(driver).until(lambda d: d.execute_script(
            "const m = document.getElementById('main'); const a = document.activeElement;"
            "return location.hash === '#main' && !!m && (a === m || m.contains(a));"
        ))
    except TimeoutException:
        raise AssertionError(
            f"Enter on the skip link should move focus into main#main; focus is on {pages.describe_focus(pages.focused(driver))} "
            f"and the address is {driver.current_url}"
        ) from None


KEYBOARD_PAGES = {
    "/": ["start-signup", "login-link"],
    "/signup": ["consent-all", "consent-terms", "terms-link", "consent-privacy", "privacy-link", "consent-marketing", "next"],
    "/support": ["support-category", "support-message", "support-email", "support-send"],
    "/login": ["email", "password", "login", "forgot-password"],
    "/password-reset": ["email", "send-code"],
}


@pytest.mark.parametrize("path", list(KEYBOARD_PAGES))
def test_keyboard_reaches_every_control(driver, path):
    open_page(driver, path)
    order = pages.tab_through(driver)
    reached = [info["id"] for info in order]
    missing = [name for name in KEYBOARD_PAGES[path] if name not in reached]
    assert not missing, (
        f"Tab on {path} never reaches #{', #'.join(missing)}; it goes through: "
        + " → ".join(pages.describe_focus(info) for info in order)
    )
    hidden = [pages.describe_focus(info) for info in order if not pages.focus_is_visible(info)]
    assert not hidden, f"on {path} these show no focus indicator when reached with Tab: {', '.join(hidden)}"


# ----------------------------------------------------------------------------- sign-up


def test_signup_three_steps(driver):
    email, name, password = pages.unique_email("signup"), "박서연", pages.strong_password()

    open_page(driver, "/")
    follow(driver, "a#start-signup")
    expect_path(driver, "/signup")

    # Step 1: consents.
    expect_step(driver, 1)
    for box in ("#consent-terms", "#consent-privacy", "#consent-marketing"):
        find_present(driver, box)
    check_page(driver, "signup-1")
    pages.set_checked(driver, "#consent-terms")
    pages.set_checked(driver, "#consent-privacy")
    submit(driver, "button#next")

    # Step 2: the account; a too-common password first.
    expect_step(driver, 2)
    check_page(driver, "signup-2")
    fill(driver, "#display-name", name)
    fill(driver, "#email", email)
    fill(driver, "#password", WEAK_PASSWORD)
    submit(driver, "button#next")
    expect_step(driver, 2)
    error = find(driver, "#password-error", f"the error for the weak password {WEAK_PASSWORD!r}")
    assert error.text.strip(), "#password-error is empty"
    field = find(driver, "#password")
    assert field.get_attribute("aria-invalid") == "true", "#password should have aria-invalid=\"true\" after the error"
    assert "password-error" in (field.get_attribute("aria-describedby") or "").split(), (
        "#password should point at its error with aria-describedby=\"password-error\", so screen readers read it"
    )
    assert find(driver, "#email").get_attribute("value") == email, "the e-mail typed before the error was lost"
    assert find(driver, "#display-name").get_attribute("value") == name, "the name typed before the error was lost"
    check_page(driver, "signup-2-error")
    fill(driver, "#password", password)
    submit(driver, "button#next")

    # Step 3: the code from the e-mail.
    expect_step(driver, 3)
    check_page(driver, "signup-3")
    fill(driver, "#code", pages.verification_code(email))
    submit(driver, "button#verify")

    expect_path(driver, "/home")
    find(driver, "h1", "the home page's heading")
    expect_signed_in(driver)
    check_page(driver, "home")


# ----------------------------------------------------------------------------- login and logout


def test_login_wrong_then_right_password(driver):
    email, password = new_account(driver)
    open_page(driver, "/login")
    check_page(driver, "login")

    fill(driver, "#email", email)
    fill(driver, "#password", password + "-wrong")
    submit(driver, "button#login")
    error = find(driver, "#login-error", "the error after a wrong password")
    assert error.text.strip(), "#login-error is empty"
    assert find(driver, "#email").get_attribute("value") == email, "the e-mail typed before the wrong password was lost"
    check_page(driver, "login-error")

    fill(driver, "#password", password)
    submit(driver, "button#login")
    assert path_of(driver) != "/login", f"the right password should sign in; still on /login: {pages.page_text(driver)[:200]!r}"
    assert not driver.find_elements(By.CSS_SELECTOR, "#login-error"), "#login-error is still shown after the right password"
    expect_signed_in(driver)


def test_forgotten_password_then_a_new_one_then_signed_in(driver):
    email, password = new_account(driver)
    open_page(driver, "/login")
    follow(driver, "a#forgot-password")
    expect_path(driver, "/password-reset")
    check_page(driver, "password-reset")
    fill(driver, "#email", email)
    submit(driver, "button#send-code")
    find_present(driver, "#code", "the field for the code mailed to reset the password")
    check_page(driver, "password-reset-code")

    # "Show password" shows what is typed, and hides it again.
    new_password = pages.strong_password()
    fill(driver, "#new-password", new_password)
    reveal = find(driver, "button.reveal-password", "the button that shows the new password")
    reveal.click()
    assert find(driver, "#new-password").get_attribute("type") == "text", "the show-password button should show the password"
    reveal.click()
    assert find(driver, "#new-password").get_attribute("type") == "password", "pressed again, it should hide the password"

    fill(driver, "#code", pages.line_from_newest_mail(email, "재설정 코드: "))
    submit(driver, "button#reset-password")
    expect_path(driver, "/home")
    expect_signed_in(driver)

    # Signed out, the old password no longer works and the new one does.
    open_page(driver, "/login")
    driver.delete_all_cookies()
    open_page(driver, "/login")
    fill(driver, "#email", email)
    fill(driver, "#password", password)
    submit(driver, "button#login")
    find(driver, "#login-error", "the error for the old password")
    fill(driver, "#password", new_password)
    submit(driver, "button#login")
    assert path_of(driver) != "/login", f"the new password should sign in; still on /login: {pages.page_text(driver)[:200]!r}"


def test_a_like_is_noticed_listed_and_answered(driver):
    her_id, her_token, email, password = pages.create_person(driver.base_url, "윤정희", "female")
    him_id, him_token, _, _ = pages.create_person(driver.base_url, "배성민", "male")
    status, body = pages.api_call(driver.base_url, "POST", "/api/matching/decisions", {"userId": her_id, "decision": "like"}, him_token)
    assert status == 200, f"his like answered {status}: {body}"

    pages.sign_in(driver, email, password)
    menu = find(driver, 'nav a[href="/notifications"]', "알림 in the menu")
    assert any(ch.isdigit() for ch in menu.text), f"the menu should show the unread count; it says {menu.text!r}"
    follow(driver, 'nav a[href="/notifications"]')
    expect_path(driver, "/notifications")
    assert "배성민" in pages.page_text(driver), "the notice should name who is interested"
    check_page(driver, "notifications")
    follow(driver, "a#go-likes")
    expect_path(driver, "/likes")
    find(driver, f"#received-{him_id}", "his card in 나에게 관심 보낸 분")
    check_page(driver, "likes")
    submit(driver, f"button#like-back-{him_id}")
    assert path_of(driver) == "/matches", f"answering his like should lead to the conversations; at {path_of(driver)}"
    find(driver, "#new-match", "the new match notice")


def test_logout(driver):
    email, password = new_account(driver)
    pages.sign_in(driver, email, password)
    if not driver.find_elements(By.CSS_SELECTOR, "button#logout"):
        open_page(driver, "/settings")
    submit(driver, "button#logout")
    open_page(driver, "/settings")
    assert not driver.find_elements(By.CSS_SELECTOR, "button#logout"), "after logging out, /settings still offers button#logout"


# ----------------------------------------------------------------------------- settings


def test_settings_remembered(driver):
    email, password = new_account(driver)
    pages.sign_in(driver, email, password)
    open_page(driver, "/settings")

    sizes = {radio.get_attribute("value") for radio in driver.find_elements(By.CSS_SELECTOR, "input[type=radio][name=textSize]")}
    assert sizes == {"normal", "large", "xlarge"}, f"input[name=textSize] radios have values {sorted(sizes)}; expected normal, large, xlarge"
    for control in ("#high-contrast", "#reduced-motion"):
        assert find_present(driver, control).get_attribute("type") == "checkbox", f"{control} should be a checkbox"
    languages = {option.get_attribute("value") for option in find(driver, "select#language").find_elements(By.TAG_NAME, "option")}
    assert {"ko", "en"} <= languages, f"select#language offers {sorted(languages)}; expected ko and en"
    find(driver, "button#save-settings")
    find(driver, "#read-aloud").click()  # must not raise a script error (checked with the console below)
    check_page(driver, "settings")

    pages.set_checked(driver, "input[name=textSize][value=xlarge]")
    pages.set_checked(driver, "#high-contrast")
    submit(driver, "button#save-settings")

    driver.refresh()
    pages.wait_ready(driver)
    classes = pages.html_classes(driver)
    assert {"text-xlarge", "high-contrast"} <= classes, f"after saving and reloading, <html class> is {sorted(classes)}"
    assert find_present(driver, "input[name=textSize][value=xlarge]").is_selected(), "the saved text size is not selected"
    assert find_present(driver, "#high-contrast").is_selected(), "the saved high-contrast choice is not checked"
    check_page(driver, "settings-xlarge-contrast")

    open_page(driver, "/home")
    classes = pages.html_classes(driver)
    assert {"text-xlarge", "high-contrast"} <= classes, f"on the next page (/home) <html class> is {sorted(classes)}"
    check_page(driver, "home-xlarge-contrast", shot=False)
