"""What a 58-year-old needs beyond the main journey, in a real browser at phone and desktop size: the
shortest way from the landing page to the first introductions (counted in taps and typed fields),
a profile that starts empty and whose error summary moves the focus to each field, a district
picker that reaches every 군, the legal pages from sign-up, help, safety and the customer centre,
reporting a card before any match, read-aloud on the questionnaire, and a header that stays small
at very large text. Every page is checked like the others (axe, contrast, sizes at normal and very
large text, a clean console)."""

import secrets

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import pages
from pages import check_page, expect_path, fill, find, find_present, follow, open_page, path_of, submit, wait

# The goal the issue set: from the landing page to the first introductions.
MAX_TAPS, MAX_TYPED = 25, 8


class Counted:
    """A person's hands: every tap and every typed field on the way, as a phone would count them.
    Typing into a field is one tap to focus it and one typed field; choosing from a list is two taps
    (open it, pick); a checkbox, radio button, button or link is one tap."""

    def __init__(self, driver):
        self.driver, self.taps, self.typed, self.steps = driver, 0, 0, []

    def tap(self, css, what, loads=True):
        self.taps += 1
        self.steps.append(what)
        (submit if loads else lambda d, c: find(d, c).click())(self.driver, css)

    def check(self, css, what):
        self.taps += 1
        self.steps.append(what)
        pages.set_checked(self.driver, css)

    def type(self, css, text, what):
        self.taps += 1
        self.typed += 1
        self.steps.append(what)
        fill(self.driver, css, text)

    def choose(self, css, value, what):
        self.taps += 2
        self.steps.append(what)
        Select(find(self.driver, css)).select_by_value(value)


def test_landing_to_first_introductions_in_few_taps(driver):
    name, email, password = "최미경" + secrets.token_hex(2), pages.unique_email("shortest"), pages.strong_password()
    hand = Counted(driver)
    open_page(driver, "/")
    hand.tap("a#start-signup", "가입 시작하기")
    hand.check("#consent-all", "전체 동의")
    hand.tap("button#next", "다음")
    hand.type("#display-name", name, "이름")
    hand.type("#email", email, "이메일")
    hand.type("#password", password, "비밀번호")
    hand.tap("button#next", "다음")
    hand.type("#code", pages.verification_code(email), "확인 코드")
    hand.tap("button#verify", "확인")
    expect_path(driver, "/home")
    hand.tap("a#go-profile", "프로필 쓰기")
    expect_path(driver, "/profile")
    assert find(driver, "#display-name").get_attribute("value") == name, "the name from sign-up should already be in the profile"
    hand.type("#birth-year", "1968", "태어난 해")
    hand.check("#gender-female", "여성")
    hand.choose("#marital-status", "widowed", "혼인 상태")
    hand.type("#children-count", "2", "자녀 수")
    hand.choose("#region", "경기", "시·도")
    hand.choose("#place", "경기|성남시 분당구", "시·군·구")
    hand.check("#seeking-male", "남성")
    hand.tap("button#save-profile", "저장하기")
    errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#error-summary li") if e.is_displayed()]
    assert not errors, f"saving the shortest profile answered with: {errors}"
    expect_path(driver, "/recommendations")
    find(driver, "h1", "the introductions page")
    print(f"\n[e2e] landing → first introductions at {driver.viewport} size: {hand.taps} taps, {hand.typed} typed fields "
          f"({' → '.join(hand.steps)})")
    assert hand.taps <= MAX_TAPS and hand.typed <= MAX_TYPED, (
        f"{hand.taps} taps and {hand.typed} typed fields from the landing page to the first introductions; "
        f"the goal is at most {MAX_TAPS} and {MAX_TYPED}: {' → '.join(hand.steps)}"
    )


def test_the_profile_error_summary_moves_focus_and_the_picker_reaches_a_gun_in_gangwon(driver):
    email, password = pages.unique_email("profile"), pages.strong_password()
    pages.create_account(driver.base_url, email, password, name="정옥순")
    pages.sign_in(driver, email, password)
    open_page(driver, "/profile")
    for css in ("#gender-female", "#gender-male", "#seeking-male", "#seeking-female"):
        assert not find_present(driver, css).is_selected(), f"{css} is chosen for her before she chose anything"
    assert find(driver, "#marital-status").get_attribute("value") == "", "a marital status is chosen for her"
    assert find(driver, "#place").get_attribute("disabled"), "the 시·군·구 list waits for a 시·도"
    submit(driver, "button#save-profile")
    summary = find(driver, "#error-summary", "the error summary at the top of the failed profile")
    active = driver.execute_script("return document.activeElement && document.activeElement.id")
    assert active == "error-summary", f"after a failed save the focus should be on #error-summary, not #{active}"
    links = [a.get_attribute("href").split("#")[1] for a in summary.find_elements(By.CSS_SELECTOR, "a")]
    assert links[:3] == ["birth-year", "gender-female", "marital-status"], f"the summary's links, in the form's order: {links}"
    check_page(driver, "profile-errors")
    summary.find_element(By.CSS_SELECTOR, "a[href='#birth-year']").click()
    wait(driver).until(lambda d: d.execute_script("return document.activeElement && document.activeElement.id") == "birth-year")
    summary = find(driver, "#error-summary")
    summary.find_element(By.CSS_SELECTOR, "a[href='#region']").click()
    wait(driver).until(lambda d: d.execute_script("return document.activeElement && document.activeElement.id") == "region")

    # 강원 first; then only its 시·군·구 are offered, 양구군 among them.
    Select(find(driver, "#region")).select_by_value("강원")
    offered = [o.get_attribute("value") for o in find(driver, "#place").find_elements(By.TAG_NAME, "option") if o.get_attribute("value")]
    assert offered and all(v.startswith("강원|") for v in offered), f"after choosing 강원, #place offers {offered[:5]}…"
    assert "강원|양구군" in offered and len(offered) == 18, f"강원 has 18 시·군·구; #place offers {len(offered)}"
    Select(find(driver, "#place")).select_by_value("강원|양구군")
    fill(driver, "#birth-year", "1967")
    age = find(driver, "#birth-year-help").text
    assert "만" in age and any(ch.isdigit() for ch in age), f"the birth year should show the age it means; it shows {age!r}"
    pages.set_checked(driver, "#gender-female")
    Select(find(driver, "#marital-status")).select_by_value("divorced")
    fill(driver, "#children-count", "0")
    pages.set_checked(driver, "#seeking-male")
    submit(driver, "button#save-profile")
    expect_path(driver, "/recommendations")
    open_page(driver, "/profile")
    assert find(driver, "#place").get_attribute("value") == "강원|양구군", "the chosen 군 was not kept"
    assert find(driver, "#region").get_attribute("value") == "강원"


def test_signup_links_the_legal_pages_and_agrees_to_all(driver):
    open_page(driver, "/signup")
    pages.set_checked(driver, "#consent-all")
    for box in ("#consent-terms", "#consent-privacy", "#consent-marketing"):
        assert find_present(driver, box).is_selected(), f"전체 동의 should tick {box}"
    pages.set_checked(driver, "#consent-marketing", False)
    assert not find_present(driver, "#consent-all").is_selected(), "unticking one item should untick 전체 동의"
    check_page(driver, "signup-1")
    follow(driver, "a#terms-link")
    expect_path(driver, "/terms")
    check_page(driver, "terms")
    open_page(driver, "/signup")
    follow(driver, "a#privacy-link")
    expect_path(driver, "/privacy")
    text = pages.page_text(driver)
    for required in ("privacy@inyeon.kr", "Anthropic", "쿠키", "보유"):
        assert required in text, f"the privacy policy should mention {required!r}"
    check_page(driver, "privacy")


def test_help_safety_and_the_customer_centre(driver):
    open_page(driver, "/")
    follow(driver, "footer a[href='/help']")
    expect_path(driver, "/help")
    find(driver, "#score", "what the score means")
    check_page(driver, "help")
    follow(driver, "footer a#safety-link")
    expect_path(driver, "/safety")
    find(driver, "#scam-signs", "the signs of a romance scam")
    check_page(driver, "safety")
    follow(driver, "footer a#support-link")
    expect_path(driver, "/support")
    submit(driver, "button#support-send")
    find(driver, "#error-summary", "the summary of what the ticket lacks")
    check_page(driver, "support-errors")
    Select(find(driver, "#support-category")).select_by_value("question")
    fill(driver, "#support-message", "사진은 몇 장까지 올릴 수 있나요?")
    fill(driver, "#support-email", pages.unique_email("ticket"))
    submit(driver, "button#support-send")
    assert "문의를 받았습니다" in pages.page_text(driver), f"sending a ticket should thank; {path_of(driver)} says {pages.page_text(driver)[:120]!r}"


def test_a_card_can_be_reported_before_any_match(driver):
    # In a 군 of their own, so that nobody else's card crowds his out of her ten introductions.
    place = ("강원", "양구군")
    _, _, email, password = pages.create_person(driver.base_url, "신고자" + secrets.token_hex(2), "female", place=place)
    him_id, _, _, _ = pages.create_person(driver.base_url, "이상한분" + secrets.token_hex(2), "male", place=place)
    pages.sign_in(driver, email, password)
    open_page(driver, "/recommendations")
    card = find_present(driver, f"#card-{him_id}", "his card among her introductions")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", card)
    find(driver, f"#report-open-{him_id}", "신고하기 on his card").click()
    pages.set_checked(driver, f"#report-money-{him_id}")
    fill(driver, f"#report-note-{him_id}", "첫 대화부터 코인 투자 이야기를 했어요.")
    submit(driver, f"#report-send-{him_id}")
    expect_path(driver, "/recommendations")
    find(driver, "#report-notice", "the thanks after a report")
    check_page(driver, "recommendations-reported")


def test_read_aloud_on_the_questionnaire(driver):
    email, password = pages.unique_email("aloud"), pages.strong_password()
    pages.create_account(driver.base_url, email, password, name="김말순")
    pages.sign_in(driver, email, password)
    open_page(driver, "/assessment/1")
    button = find(driver, "main button.read-aloud", "read-aloud on the question")
    button.click()  # must not raise a script error (the console is checked below)
    spoken = driver.execute_script(
        "return [...document.querySelectorAll('#question-text, button.answer')].map(e => e.textContent.trim()).filter(Boolean).length"
    )
    assert spoken >= 5, "the question and its four answers are on the page to be read"
    check_page(driver, "assessment-read-aloud")


def test_the_header_stays_small_at_very_large_text(driver):
    open_page(driver, "/")
    buttons = driver.find_elements(By.CSS_SELECTOR, "header form.text-size button")
    assert [b.get_attribute("value") for b in buttons] == ["normal", "large", "xlarge"], "가 / 가 / 가 in the header"
    submit(driver, "header form.text-size button[value=xlarge]")
    expect_path(driver, "/")
    assert "text-xlarge" in pages.html_classes(driver), "the header's largest 가 should make the text very large"
    assert find(driver, "header button[value=xlarge]").get_attribute("aria-pressed") == "true"
    share = driver.execute_script("return document.querySelector('header').getBoundingClientRect().height / window.innerHeight")
    limit = 0.25 if driver.viewport == "phone" else 0.15
    print(f"\n[e2e] at very large text the header takes {share:.0%} of the {driver.viewport} screen")
    assert share <= limit, f"at very large text the header takes {share:.0%} of the {driver.viewport} screen; at most {limit:.0%}"
    check_page(driver, "landing-xlarge")
    submit(driver, "header form.text-size button[value=normal]")
