"""Every page each role reaches, on a phone (390 px) and a desk (1366 px), on the demo's data as of 10/05/2018:
no page scrolls sideways on the phone, and axe-core (axe-playwright-python, which ships axe-core's script)
finds no serious or critical violation of WCAG 2.1 AA at either width.

The crawl follows links from the first screen (tests/e2e/crawl.py): one page per shape of address (two
quarterly reports), at most 16 a role, files, the admin and the API left out; the pages every role sees
alike (the program, the calendar, one's password) are checked for the first role that reaches them. The
test prints the pages it checked, per role."""

from __future__ import annotations

import pytest

from demo.incidents import demo_incidents_create
from demo.submissions import DEMO_TODAY, demo_submissions_create
from tests.e2e.conftest import LOCALE, PHONE, TIMEOUT_MS
from tests.e2e.crawl import axe_problems, crawl, horizontal_scroll

pytestmark = pytest.mark.e2e

ROLES = ("viewer", "dolisa", "admin", "so-y-te", "ubnd-cho-moi")
WIDE = {"width": 1366, "height": 900}


@pytest.fixture
def demo(e2e_program, settings):
    settings.PORTAL_CLOCK_TODAY = DEMO_TODAY.isoformat()
    assert demo_submissions_create(program=e2e_program) > 0
    demo_incidents_create(program=e2e_program)
    return e2e_program


def _context(browser, **kwargs):
    context = browser.new_context(locale=LOCALE, **kwargs)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _check_role(browser, portal, sign_in, axe, role: str, done: set[str]) -> tuple[list[str], list[str]]:
    """The pages ``role`` reaches, and what is wrong with them at 390 and 1366 px."""
    problems: list[str] = []

    def on_phone(p, url):
        if scroll := horizontal_scroll(p):
            problems.append(f"{role} 390px {url}: scrolls sideways {scroll}")
        problems.extend(f"{role} 390px {url}: {x}" for x in axe_problems(p, axe))

    phone = _context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    desk = _context(browser, viewport=WIDE)
    try:
        pages = crawl(sign_in(phone.new_page(), role), portal, visit=on_phone, done=done)
        wide = sign_in(desk.new_page(), role)
        for url in pages:
            wide.goto(portal + url)
            problems.extend(f"{role} 1366px {url}: {x}" for x in axe_problems(wide, axe))
    finally:
        phone.close()
        desk.close()
    return pages, problems


def test_every_page_of_every_role_fits_a_phone_and_passes_axe(browser, portal, demo, sign_in):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    checked: dict[str, list[str]] = {}
    problems: list[str] = []
    done: set[str] = set()  # a page of the same shape is checked once, by the first role that reaches it
    for role in ROLES:
        checked[role], found = _check_role(browser, portal, sign_in, axe, role, done)
        problems += found
    print("\npages checked at 390 and 1366 px:")
    for role, pages in checked.items():
        print(f"  {role} ({len(pages)}): {' '.join(pages)}")
    _phone_checks(browser, portal, sign_in)
    assert all(len(pages) >= 4 for pages in checked.values()), checked
    assert any("/incidents/new/" in pages for pages in checked.values()), "the incident form is among them"
    assert not problems, "\n".join(problems)


def _phone_checks(browser, portal, sign_in) -> None:
    """On a phone: the review queue's buttons and the outputs table's "Thực hiện" and "Tỷ lệ" are on screen."""
    phone = _context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        pg = sign_in(phone.new_page(), "dolisa")
        pg.goto(portal + "/")
        buttons = pg.get_by_test_id("queue").locator("a.btn").all()
        assert buttons, "the demo's queue has reports waiting"
        for button in buttons:
            box = button.bounding_box()
            assert box["x"] + box["width"] <= PHONE["width"], box
            assert box["height"] >= 44, box  # a touch target
        pg.goto(portal + "/dashboard/2018/")
        outputs = pg.get_by_test_id("outputs")
        edge = outputs.locator("xpath=..").bounding_box()
        for name in ("Thực hiện", "Tỷ lệ"):
            head = outputs.get_by_role("columnheader", name=name, exact=True).bounding_box()
            assert head["x"] + head["width"] <= edge["x"] + edge["width"] + 1, (name, head, edge)
        switch = pg.locator(".lang-switch").bounding_box()
        assert switch["height"] < 60, "the language switch sits on one line"
    finally:
        phone.close()
