"""Dates and the long quarterly form in real Chromium, on the demo's data as of 10/05/2018.

- With the browser in English (en-US), every date field still shows and takes dd/mm/yyyy: DOLISA's reopen
  date reads 17/05/2018 (a week on) for 17 May, a date typed 17/05/2018 is kept as 17 May, the calendar button writes
  dd/mm/yyyy too, and a day that does not exist gets a Vietnamese message.
- The form groups thousands as the user types (1.234.567; 1,234,567 in the English interface), shows the
  percentage beside each numerator and denominator, keeps its section menu in view, goes to the next
  empty field, shows activity titles in full, and a returned report shows DOLISA's reason at the top."""

from __future__ import annotations

import re

import pytest

from demo.submissions import DEMO_TODAY, demo_submissions_create
from tests.e2e.conftest import DESKTOP, TIMEOUT_MS
from tests.e2e.crawl import axe_problems

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under PORTAL_REQUIRE_SERVICES=1)
    expect = None

pytestmark = pytest.mark.e2e

DRAFT = "/submissions/2018/q2/ubnd-phu-tan/"  # a district's Q2 draft in the demo
ACCEPTED_Q1 = "/submissions/2018/q1/so-y-te/"  # past its deadline: DOLISA may reopen it
RETURNED_Q1 = "/submissions/2018/q1/ubnd-tri-ton/"  # returned by DOLISA in the demo


@pytest.fixture
def demo(e2e_program, settings):
    settings.PORTAL_CLOCK_TODAY = DEMO_TODAY.isoformat()
    assert demo_submissions_create(program=e2e_program) > 0
    return e2e_program


@pytest.fixture
def en_us_page(browser, portal):
    """A browser whose language is American English: its own date inputs would show mm/dd/yyyy."""
    context = browser.new_context(locale="en-US", viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


def _reopen(page, portal):
    """DOLISA's reopen form on an accepted Q1 report (by its fields: the interface follows the browser's
    language, English here)."""
    page.goto(portal + ACCEPTED_Q1)
    page.locator("details:has(#reopen_until)").evaluate("d => { d.open = true; }")
    return page.locator("#reopen_until"), page.locator("form:has(#reopen_until) button[type=submit]")


def test_dates_show_and_take_dd_mm_yyyy_in_an_english_browser(en_us_page, portal, demo, sign_in):
    page = sign_in(en_us_page, "dolisa")
    assert page.evaluate("navigator.language") == "en-US"
    until, send = _reopen(page, portal)
    expect(until).to_have_attribute("type", "text")
    expect(until).to_have_value("17/05/2018")  # a week after 10 May (selectors.reopen_default_until), day first
    expect(until).to_have_attribute("placeholder", "dd/mm/yyyy")

    # The calendar button's picker writes its choice day first.
    group = until.locator("xpath=..")
    expect(group.locator("button.day-button")).to_be_visible()
    group.locator("input.day-picker").evaluate(
        "p => { p.value = '2018-05-21'; p.dispatchEvent(new Event('change', {bubbles: true})); }"
    )
    expect(until).to_have_value("21/05/2018")

    # A day that does not exist: refused with a message, nothing changed.
    until.fill("31/02/2018")
    with page.expect_navigation():
        send.click()
    expect(page.locator("header")).not_to_contain_text("31/02/2018")
    expect(page.locator("main .alert-danger").first).to_be_visible()

    # Typed day first, loosely (17-5-2018): tidied when the field is left, and kept as 17 May.
    until, send = _reopen(page, portal)
    until.fill("17-5-2018")
    page.locator("#reopen_comment").click()
    expect(until).to_have_value("17/05/2018")
    with page.expect_navigation():
        send.click()
    expect(page.locator("header")).to_contain_text("17/05/2018")
    # Timestamps: date first.
    expect(page.get_by_test_id("transitions")).to_contain_text(re.compile(r"\d\d/\d\d/2018 \d\d:\d\d ·"))


def _indicator(page, code: str, part: str):
    return page.locator(f'fieldset[data-indicator="{code}"] input[name$="-{part}"]')


def test_the_form_groups_thousands_and_shows_each_percentage_live(page, portal, demo, sign_in):
    sign_in(page, "ubnd-phu-tan")
    page.goto(portal + DRAFT)
    num, den = _indicator(page, "1", "num"), _indicator(page, "1", "den")
    rate = page.locator('fieldset[data-indicator="1"]').get_by_test_id("rate")

    num.fill("")
    num.press_sequentially("12345")
    expect(num).to_have_value("12.345")
    den.fill("")
    den.press_sequentially("24690")
    expect(den).to_have_value("24.690")
    expect(rate).to_have_text("50%")
    den.fill("20000")
    expect(den).to_have_value("20.000")
    expect(rate).to_have_text("61,7%")
    den.fill("0")
    expect(rate).to_have_text("–")
    den.fill("24.690")
    expect(rate).to_have_text("50%")

    # Saved as typed; shown grouped again.
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu nháp").click()
    expect(page.locator("main .alert-danger")).to_have_count(0)
    expect(page.locator("main .alert-success").first).to_be_visible()
    expect(_indicator(page, "1", "num")).to_have_value("12.345")
    expect(page.locator('fieldset[data-indicator="1"]').get_by_test_id("rate")).to_have_text("50%")

    # English interface: English grouping, and the server reads it.
    page.locator(".lang-switch button[value=en]").click()
    page.wait_for_load_state()
    expect(_indicator(page, "1", "num")).to_have_value("12,345")
    _indicator(page, "2", "num").fill("")
    _indicator(page, "2", "num").press_sequentially("12345")
    expect(_indicator(page, "2", "num")).to_have_value("12,345")
    page.locator(".lang-switch button[value=vi]").click()
    page.wait_for_load_state()


def test_the_long_form_has_a_menu_the_next_empty_field_and_full_titles(page, portal, demo, sign_in):
    sign_in(page, "ubnd-phu-tan")
    page.goto(portal + DRAFT)
    menu = page.get_by_test_id("section-menu")
    assert menu.evaluate("m => getComputedStyle(m).position") == "sticky"
    # The editable form (the crawl meets only sent reports): no serious or critical axe-core violation.
    from axe_playwright_python.sync_playwright import Axe

    assert axe_problems(page, Axe()) == []
    for name in ("Chỉ số", "Hoạt động", "Kinh phí"):
        expect(menu.get_by_role("link", name=name)).to_be_visible()
    # The status says what it means, in words.
    expect(page.get_by_test_id("status-meaning")).to_contain_text("chưa gửi")
    # The sections that apply are open; the general remarks are not.
    for section in ("sec-ind", "sec-com", "sec-act", "sec-bud"):
        expect(page.locator(f"#{section}")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.locator("#sec-gen")).not_to_have_class(re.compile(r"\bshow\b"))
    # Activity titles in full (they were cut at 28 words).
    titles = page.locator(".activity-title").all_inner_texts()
    assert titles and max(len(t.split()) for t in titles) > 28, titles[:3]

    # The next empty field, from the top then onwards: each press moves to a later empty field.
    menu.get_by_test_id("next-missing").click()
    first = page.evaluate("document.activeElement.name")
    assert first, "a field has the focus"
    expect(page.locator(f'[name="{first}"]')).to_have_value("")
    expect(page.locator(f'[name="{first}"]')).to_be_in_viewport()
    menu.get_by_test_id("next-missing").click()
    second = page.evaluate("document.activeElement.name")
    assert second and second != first
    expect(menu.get_by_test_id("missing-status")).to_contain_text("ô còn trống")

    # The menu stays in view at the bottom of the page and opens a section.
    page.mouse.wheel(0, 20000)
    expect(menu).to_be_in_viewport()
    menu.get_by_role("link", name="Khó khăn, đề xuất").click()
    expect(page.locator("#sec-gen")).to_have_class(re.compile(r"\bshow\b"))


def test_a_returned_report_shows_the_reason_at_the_top(page, portal, demo, sign_in):
    sign_in(page, "ubnd-tri-ton")
    page.goto(portal + RETURNED_Q1)
    reason = page.get_by_test_id("return-reason")
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("Sở trả lại báo cáo")
    box = reason.bounding_box()
    form = page.locator("#submission-form").bounding_box()
    assert box["y"] < form["y"], "the reason stands above the form"
