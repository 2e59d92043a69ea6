"""The journeys through Inyeon that take more than one page: two people (two browsers at once) who
sign up, take the values assessment, fill in their profiles, like each other, talk live over the
chat socket, see the scam warning, and block; the feedback page; an assessment that resumes where
it stopped. Every page on the way is checked like the single pages in test_pages.py (axe, 7:1
contrast of all text on the page, 18 px text and 48 px targets, each at normal and very large text,
and a clean console) and photographed."""

import os
import secrets
import struct
import tempfile
import time
import uuid
import zlib
from urllib.parse import parse_qs, urlparse

from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import pages
from pages import check_page, expect_path, fill, find, find_present, follow, open_page, path_of, submit, wait

LIVE_SECONDS = 5  # a message, reply or warning must reach the other browser this fast, without a reload
ASSESSMENT_QUESTIONS = 20
SCAM_TEXT = "급하게 돈이 필요해요. 300만원만 송금해 주실 수 있나요?"


# ----------------------------------------------------------------------------- people


class Person:
    """One person of the journey and their browser."""

    def __init__(self, driver, label, name, gender, seeking, marital):
        self.driver, self.label, self.name = driver, label, name
        self.gender, self.seeking, self.marital = gender, seeking, marital
        self.email = pages.unique_email("journey")
        self.password = pages.strong_password()
        self.user_id = None

    def __repr__(self):
        return f"{self.label} ({self.name})"


def unique_name(base):
    """Seeded demo people and earlier runs live in the same district: a name nobody else has."""
    return base + secrets.token_hex(2)


def shared_answers():
    """The answers (1-4, one per question) both people of a journey give, so that they agree; drawn
    anew for each journey, so that people left by earlier runs against the same server agree less
    with them and do not crowd them out of each other's ten recommendations."""
    return [secrets.randbelow(4) + 1 for _ in range(ASSESSMENT_QUESTIONS)]


def take_assessment(person, answers, check=None):
    """From /home through the twenty questions to /assessment/done, then on to /profile."""
    driver = person.driver
    follow(driver, "a#go-assessment")
    expect_path(driver, "/assessment/1")
    for number in range(1, ASSESSMENT_QUESTIONS + 1):
        expect_path(driver, f"/assessment/{number}")
        bar = find_present(driver, "progress#assessment-progress", f"question {number}'s progress bar")
        value, maximum = bar.get_attribute("value"), bar.get_attribute("max")
        assert (value, maximum) == (str(number), str(ASSESSMENT_QUESTIONS)), (
            f"{person}: on /assessment/{number} progress#assessment-progress is {value} of {maximum}"
        )
        assert find(driver, "legend#question-text").text.strip(), f"/assessment/{number}: legend#question-text is empty"
        for option in range(1, 5):
            find(driver, f"#answer-{option}", f"answer {option} of question {number}")
        if number > 1:
            find(driver, "a#previous-question", f"the way back from question {number}")
        if check and number == 1:
            check(driver, "assessment")
        submit(driver, f"#answer-{answers[number - 1]}")
    expect_path(driver, "/assessment/done")
    follow(driver, "a#to-profile")
    expect_path(driver, "/profile")


def select_value(driver, css, value):
    element = find(driver, css)
    values = [option.get_attribute("value") for option in element.find_elements(By.TAG_NAME, "option")]
    assert value in values, f"{css} on {path_of(driver)} has no option {value!r}; it offers {values}"
    Select(element).select_by_value(value)
    assert element.get_attribute("value") == value, f"{css} on {path_of(driver)} did not take {value!r}"


def fill_profile(person, check=None):
    """The profile and wishes both people share: 제주시, 10 km, born 1966, looking for 45-70."""
    driver = person.driver
    expect_path(driver, "/profile")
    fill(driver, "#display-name", person.name)
    fill(driver, "#birth-year", "1966")
    pages.set_checked(driver, f"#gender-{person.gender}")
    select_value(driver, "#marital-status", person.marital)
    fill(driver, "#children-count", "1")
    industry = Select(find(driver, "#industry"))
    industry.select_by_index(min(1, len(industry.options) - 1))
    select_value(driver, "#region", "제주")
    select_value(driver, "#place", "제주|제주시")
    selected = Select(find(driver, "#place")).first_selected_option.text.strip()
    assert selected == "제주시", f"the option with value 제주|제주시 reads {selected!r}, not '제주시'"
    fill(driver, "#interests", "산책, 요리, 사진")
    fill(driver, "#bio", "주말에는 바닷가를 천천히 걷고, 저녁에는 음식을 만들어 나눠 먹는 것을 좋아합니다.")
    pages.set_checked(driver, f"#seeking-{person.seeking}")
    fill(driver, "#age-min", "45")
    fill(driver, "#age-max", "70")
    select_value(driver, "#distance", "10")
    for status in ("single", "divorced", "widowed"):
        pages.set_checked(driver, f"#want-{status}", True)
    pages.set_checked(driver, "#want-separated", False)
    find(driver, "select#occupation-importance")
    find(driver, "select#lifestyle-importance")
    for box in ("#show-age", "#show-location", "#searchable"):
        pages.set_checked(driver, box, True)
    find_present(driver, "#public-listing")
    if check:
        check(driver, "profile")
    submit(driver, "button#save-profile")
    errors = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "#form-error, .field-invalid .error") if e.is_displayed()]
    assert not errors, f"{person}: saving the profile answered with errors: {errors}"
    expect_path(driver, "/recommendations")


def card_of(viewer, other):
    """`other`'s card on `viewer`'s /recommendations (reloaded), found by the unique name; its user id."""
    driver = viewer.driver
    open_page(driver, "/recommendations")
    cards = driver.execute_script(
        """
        return [...document.querySelectorAll('article.card[data-user-id]')].map(card => {
          const id = card.getAttribute('data-user-id');
          const heading = document.getElementById('name-' + id);
          return {id: id, name: heading ? heading.textContent.trim() : null, inCard: !!heading && card.contains(heading)};
        });
        """
    )
    for card in cards:
        assert card["inCard"], f"article.card[data-user-id={card['id']}] on {viewer}'s /recommendations has no h2#name-{card['id']} inside it"
    found = [card["id"] for card in cards if card["name"] == other.name]
    assert found, (
        f"{other}'s card is not among the {len(cards)} cards on {viewer}'s /recommendations; the names there: "
        + ", ".join(repr(card["name"]) for card in cards)
    )
    user_id = found[0]
    find(driver, f"#like-{user_id}", f"the like button on {other}'s card")
    find(driver, f"#pass-{user_id}", f"the pass button on {other}'s card")
    return user_id


class PageChecks:
    """check_page on every page of the journey, without stopping it at the first page with a problem:
    the journey is long, and a page that fails axe, contrast or sizes does not stop the next step from
    working. Every problem is kept and the test fails with all of them at the end (`assert_clean`);
    a step that does not work (a missing element, a wrong address) still fails at once."""

    def __init__(self):
        self.failures = []

    def __call__(self, driver, name):
        try:
            check_page(driver, name)
        except AssertionError as failure:
            self.failures.append(str(failure))
            print(f"\n[e2e] {failure}")

    def assert_clean(self):
        assert not self.failures, f"{len(self.failures)} page(s) of the journey failed their checks:\n" + "\n".join(self.failures)


# ----------------------------------------------------------------------------- live page helpers


def mark_page(driver):
    """Tags the loaded document (once), so that `same_page` can tell whether it was reloaded since."""
    return driver.execute_script("return window.__inyeonStay || (window.__inyeonStay = arguments[0])", uuid.uuid4().hex)


def same_page(driver, token):
    try:
        return driver.execute_script("return window.__inyeonStay === arguments[0]", token)
    except WebDriverException:
        return False


def wait_live(person, conversation):
    try:
        wait(person.driver).until(lambda d: d.execute_script("return document.body.getAttribute('data-chat-live') === '1'"))
    except TimeoutException:
        raise AssertionError(
            f"{person}'s /chat/{conversation} did not go live (body[data-chat-live=\"1\"]) within {pages.WAIT_SECONDS} s; "
            f"browser console: {pages.console_problems(person.driver)}"
        ) from None


MESSAGE_JS = r"""
const wanted = arguments[0];
for (const item of document.querySelectorAll('ol#messages > li.message')) {
  const body = item.querySelector('p.message-text');
  if (!body || body.textContent.trim() !== wanted) continue;
  const warning = item.querySelector('p.safety-warning');
  const receipt = item.querySelector('span.read-receipt');
  const visible = el => !!el && el.getBoundingClientRect().height > 0 && getComputedStyle(el).visibility !== 'hidden';
  return {sequence: item.getAttribute('data-sequence'), mine: item.classList.contains('message-mine'),
          warning: warning ? warning.textContent.trim() : null, warningVisible: visible(warning),
          receipt: !!receipt && visible(receipt)};
}
return null;
"""


def message(driver, text):
    return driver.execute_script(MESSAGE_JS, text)


def wait_message(person, text, seconds=LIVE_SECONDS, what="the message", condition=lambda m: True):
    try:
        return wait(person.driver, seconds).until(lambda d: (lambda m: m if m and condition(m) else None)(message(d, text)))
    except TimeoutException:
        listed = person.driver.execute_script(
            "return [...document.querySelectorAll('ol#messages > li.message p.message-text')].map(p => p.textContent.trim())"
        )
        raise AssertionError(
            f"{what} {text!r} was not in {person}'s ol#messages within {seconds} s ({path_of(person.driver)}); "
            f"the list holds {listed}; found: {message(person.driver, text)}"
        ) from None


def send_live(person, text, before_sending=None):
    """Types `text` and presses #send-message with the socket live: no page load, the box clears.
    `before_sending` runs between the typing and the press."""
    driver = person.driver
    token = mark_page(driver)
    fill(driver, "textarea#message-text", text)
    if before_sending:
        before_sending()
    find(driver, "button#send-message").click()
    try:
        wait(driver, LIVE_SECONDS).until(lambda d: d.find_element(By.CSS_SELECTOR, "textarea#message-text").get_attribute("value") == "")
    except TimeoutException:
        raise AssertionError(f"{person}: after #send-message the text box still holds {text!r} after {LIVE_SECONDS} s") from None
    assert same_page(driver, token), f"{person}: #send-message reloaded the page; with the socket live it should send over it"
    wait_message(person, text, what=f"{person}'s own message")


# ----------------------------------------------------------------------------- photo


def png_bytes(width=320, height=320):
    """A small gradient PNG, made here so that no image library is needed."""
    rows = b"".join(
        b"\x00" + bytes(v for x in range(width) for v in (x * 255 // width, y * 255 // height, 150)) for y in range(height)
    )

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def upload_photo(person):
    driver = person.driver
    with tempfile.NamedTemporaryFile(suffix=".png", delete=False) as file:
        file.write(png_bytes())
    try:
        before = len(driver.find_elements(By.CSS_SELECTOR, "li.photo-item"))
        find_present(driver, "input#photo-file").send_keys(file.name)
        try:
            wait(driver).until(lambda d: d.execute_script(
                "const p = document.getElementById('photo-preview'); return !!p && !p.hidden && p.complete && p.naturalWidth > 0"
            ))
        except TimeoutException:
            raise AssertionError("img#photo-preview did not show the chosen picture") from None
        submit(driver, "button#upload-photo")  # the script sends it, then reloads the page
        error = driver.find_elements(By.CSS_SELECTOR, "#photo-error")
        assert not (error and error[0].is_displayed()), f"uploading a 320×320 PNG failed: {error[0].text!r}"
        count = len(driver.find_elements(By.CSS_SELECTOR, "li.photo-item"))
        assert count == before + 1, f"after the upload /profile/photos lists {count} li.photo-item; expected {before + 1}"
    finally:
        os.unlink(file.name)


def expect_face(driver, css, what):
    """A photo that has really loaded (not a broken image): width and height set, lazy, decoded."""
    image = find(driver, css, what)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", image)
    try:
        wait(driver).until(lambda d: d.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image))
    except TimeoutException:
        raise AssertionError(f"{what}: {css} on {path_of(driver)} did not load ({image.get_attribute('src')})") from None
    for attribute in ("width", "height"):
        assert image.get_attribute(attribute), f"{what}: {css} has no {attribute} attribute (the page would jump as it loads)"
    assert image.get_attribute("loading") == "lazy", f"{what}: {css} is not loading=lazy"


# ----------------------------------------------------------------------------- the journey


def test_two_people_match_talk_and_block(driver, second_driver):
    started = time.monotonic()
    a = Person(driver, "A", unique_name("김정숙"), gender="female", seeking="male", marital="widowed")
    b = Person(second_driver, "B", unique_name("박영수"), gender="male", seeking="female", marital="divorced")
    check = PageChecks()
    answers = shared_answers()

    # Each signs up (three steps), takes the assessment and fills in the profile.
    for person in (a, b):
        pages.sign_up(person.driver, person.name, person.email, person.password)
        for link in ("#go-assessment", "#go-profile", "#go-recommendations"):
            find(person.driver, f"a{link}", f"the home page's link {link}")
        take_assessment(person, answers, check=check if person is a else None)
        fill_profile(person, check=check if person is a else None)

    # A's photos page: add one photo.
    open_page(a.driver, "/profile")
    follow(a.driver, "a#photos-link")
    expect_path(a.driver, "/profile/photos")
    upload_photo(a)
    check(a.driver, "photos")

    # A's own card as others see it: her photo on it.
    open_page(a.driver, "/profile")
    follow(a.driver, "a#preview-link")
    expect_path(a.driver, "/profile/preview")
    expect_face(a.driver, "article.card img.portrait-card", "A's photo on her own card's preview")
    check(a.driver, "profile-preview")

    # A likes B.
    b.user_id = card_of(a, b)
    check(a.driver, "recommendations")
    submit(a.driver, f"#like-{b.user_id}")
    expect_path(a.driver, "/recommendations")
    assert parse_qs(urlparse(a.driver.current_url).query).get("notice") == ["liked"], (
        f"a like without a match should lead to /recommendations?notice=liked, not {a.driver.current_url}"
    )
    find(a.driver, "#decision-notice", "the notice after a like")

    # B likes A: a match, and B lands on /matches?new=CONVERSATION. B sees A's face on her card first.
    a.user_id = card_of(b, a)
    expect_face(b.driver, f"#card-{a.user_id} img.portrait-card", "A's photo on her card in B's introductions")
    check(b.driver, "recommendations-with-face")
    submit(b.driver, f"#like-{a.user_id}")
    expect_path(b.driver, "/matches")
    new = parse_qs(urlparse(b.driver.current_url).query).get("new")
    assert new and new[0], f"the like that completes the match should lead to /matches?new=…, not {b.driver.current_url}"
    conversation = new[0]
    find(b.driver, "#new-match", "the new-match notice")
    find(b.driver, f"a#conversation-{conversation}", "the link to the new conversation on B's /matches")
    check(b.driver, "matches")

    # Both open the conversation: A from the menu's /matches, B from the new match.
    follow(a.driver, 'nav a[href="/matches"]')
    expect_path(a.driver, "/matches")
    follow(a.driver, f"a#conversation-{conversation}")
    follow(b.driver, f"a#conversation-{conversation}")
    for person in (a, b):
        expect_path(person.driver, f"/chat/{conversation}")
        find_present(person.driver, "ol#messages")  # empty, it has no height
        wait_live(person, conversation)
    expect_face(b.driver, ".person-head img.portrait-thumb", "A's face beside her name at the top of B's conversation")

    # A writes: B sees it without reloading; B answers: A sees it the same way.
    stay_a, stay_b = mark_page(a.driver), mark_page(b.driver)
    hello = "안녕하세요, " + b.name + "님. 만나서 반가워요."

    def b_sees_typing():
        try:
            wait(b.driver, LIVE_SECONDS).until(lambda d: d.find_element(By.CSS_SELECTOR, "#typing").is_displayed())
        except TimeoutException:
            raise AssertionError(f"while A types, B's #typing did not show within {LIVE_SECONDS} s") from None

    send_live(a, hello, before_sending=b_sees_typing)
    received = wait_message(b, hello, what="A's message, live at B")
    assert not received["mine"], "A's message is marked li.message-mine at B"
    reply = "반갑습니다, " + a.name + "님. 제주 어디쯤 사세요?"
    send_live(b, reply)
    wait_message(a, reply, what="B's reply, live at A")

    # B asks for money: A sees the calm warning beside it, live; B does not.
    send_live(b, SCAM_TEXT)
    warned = wait_message(a, SCAM_TEXT, what="B's request for money, live at A, with p.safety-warning beside it",
                          condition=lambda m: m["warning"] is not None)
    assert warned["warningVisible"] and warned["warning"], f"A's p.safety-warning beside the request for money is empty or hidden: {warned}"
    own = message(b.driver, SCAM_TEXT)
    assert own["warning"] is None, f"B, who sent the request for money, should not see p.safety-warning beside it; B sees {own['warning']!r}"
    assert same_page(a.driver, stay_a) and same_page(b.driver, stay_b), "a page was reloaded while messages were coming in live"
    check(a.driver, "conversation")
    check(b.driver, "conversation-with-face")

    # Read receipts, live: B has had the page open since A's message arrived, so A's page (never
    # reloaded) shows span.read-receipt beside it within LIVE_SECONDS; a receipt that appears only on
    # a fresh page fails.
    wait_message(a, hello, what="A's message with span.read-receipt, live at A (B read it)", condition=lambda m: m["receipt"])
    assert same_page(a.driver, stay_a), "A's page was reloaded before the read receipt showed; it must show live"

    # After a reload too, B (the sender) sees no warning beside the request for money.
    open_page(b.driver, f"/chat/{conversation}")
    own = message(b.driver, SCAM_TEXT)
    assert own and own["warning"] is None, f"after reloading, B sees beside the own request for money: {own}"

    # A blocks B (and reports): a confirmation page first, then /matches; B's conversation is closed.
    follow(a.driver, "a#block-link")
    expect_path(a.driver, f"/chat/{conversation}/block")
    find_present(a.driver, "#also-report")
    find(a.driver, "#block-reason")
    check(a.driver, "block-confirm")
    pages.set_checked(a.driver, "#also-report")
    fill(a.driver, "#block-reason", "돈을 보내 달라고 했어요.")
    submit(a.driver, "button#confirm-block")
    expect_path(a.driver, "/matches")
    b.driver.get(pages.url(b.driver, f"/chat/{conversation}"))
    pages.wait_ready(b.driver)
    expect_path(b.driver, "/matches")
    for person in (a, b):
        assert not person.driver.find_elements(By.CSS_SELECTOR, f"a#conversation-{conversation}"), (
            f"after the block, {person}'s /matches still links to the conversation (a#conversation-{conversation})"
        )
    print(f"\n[e2e] the journey of two people took {time.monotonic() - started:.0f} s at {driver.viewport} size")
    check.assert_clean()


# ----------------------------------------------------------------------------- feedback


def signed_in_new_person(driver):
    email, password = pages.unique_email("journey"), pages.strong_password()
    pages.create_account(driver.base_url, email, password, name=unique_name("이순자"))
    pages.sign_in(driver, email, password)


def test_feedback(driver):
    signed_in_new_person(driver)
    open_page(driver, "/home")
    follow(driver, "footer a#feedback-link")
    expect_path(driver, "/feedback")
    for control in ("#topic-matching", "#topic-service", "#topic-meeting", *(f"#rating-{n}" for n in range(1, 6))):
        assert find_present(driver, control).get_attribute("type") == "radio", f"{control} on /feedback should be a radio button"
    check_page(driver, "feedback")
    pages.set_checked(driver, "#topic-matching")
    pages.set_checked(driver, "#rating-4")
    fill(driver, "textarea#comment", "추천해 주신 분들이 모두 가까이 살아서 좋았어요. 글씨가 조금 더 컸으면 합니다.")
    submit(driver, "button#send-feedback")
    expect_path(driver, "/feedback")
    assert parse_qs(urlparse(driver.current_url).query).get("thanks") == ["1"], (
        f"sending feedback should lead to /feedback?thanks=1, not {driver.current_url}"
    )
    assert find(driver, "#feedback-thanks", "the thanks after sending feedback").text.strip(), "#feedback-thanks is empty"
    check_page(driver, "feedback-thanks")


# ----------------------------------------------------------------------------- assessment resumes


def test_assessment_resumes_where_it_stopped(driver):
    signed_in_new_person(driver)
    open_page(driver, "/assessment")
    expect_path(driver, "/assessment/1")
    chosen = {1: 2, 2: 4, 3: 1}
    for number, option in chosen.items():
        expect_path(driver, f"/assessment/{number}")
        submit(driver, f"#answer-{option}")
    expect_path(driver, "/assessment/4")

    open_page(driver, "/")
    open_page(driver, "/assessment")
    expect_path(driver, "/assessment/4")
    value = find_present(driver, "progress#assessment-progress").get_attribute("value")
    assert value == "4", f"the resumed question's progress#assessment-progress has value {value}, not 4"
    assert not driver.find_elements(By.CSS_SELECTOR, "a#next-question"), "question 4 is not answered yet, but a#next-question is offered"

    follow(driver, "a#previous-question")
    expect_path(driver, "/assessment/3")
    pressed = {n: find(driver, f"#answer-{n}").get_attribute("aria-pressed") for n in range(1, 5)}
    assert pressed == {1: "true", 2: "false", 3: "false", 4: "false"}, (
        f"on /assessment/3, answered with #answer-1, aria-pressed is {pressed}"
    )
    find(driver, "a#next-question", "the way forward from an answered question")
    check_page(driver, "assessment-answered")
