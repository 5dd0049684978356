"""First browser journey: a DOLISA officer signs in and reads the 2018 program (Decision 535/QĐ-UBND)."""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under PORTAL_REQUIRE_SERVICES=1)
    expect = None

pytestmark = pytest.mark.e2e

GOALS = {1: "100%", 2: "100%", 3: "100%", 4: "85%", 5: "100%", 6: "100%"}
OVERVIEW = "/programs/2018/"


def _is_png(path) -> bool:
    return path.is_file() and path.stat().st_size > 0 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_anonymous_visitor_lands_on_sign_in(page, portal):
    page.goto(portal + OVERVIEW)

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/programs/2018/$"))
    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()


def test_dolisa_reads_the_program_overview(page, portal, sign_in, shot):
    sign_in(page, "dolisa")

    # Signing in lands on the home page (by role); the header leads to the program overview.
    expect(page).to_have_url(portal + "/")
    expect(page.get_by_test_id("whoami")).to_contain_text("dolisa")
    page.locator("#mainnav").get_by_role("button", name="Chương trình", exact=True).click()
    page.locator("#mainnav").get_by_role("link", name="Chương trình 2018").click()
    expect(page).to_have_url(portal + OVERVIEW)
    expect(page.get_by_test_id("decision")).to_contain_text("535/QĐ-UBND")

    # The six specific targets and their goals.
    expect(page.get_by_test_id("targets").locator("tbody tr")).to_have_count(6)
    for number, goal in GOALS.items():
        expect(page.get_by_test_id(f"goal-{number}")).to_have_text(goal)

    # The 11 districts.
    districts = page.get_by_test_id("districts")
    expect(districts.get_by_role("link")).to_have_count(11)

    path = shot(page, "program-overview")
    assert _is_png(path), path

    # A district and its communes.
    districts.get_by_role("link", name=re.compile("Thành phố Long Xuyên")).click()
    expect(page).to_have_url(re.compile(r"/programs/2018/districts/[^/]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thành phố Long Xuyên")
    expect(page.get_by_test_id("commune-count")).to_have_text("13")
    expect(page.get_by_test_id("communes").locator("tbody tr")).to_have_count(13)

    # Back to the overview, then English and back to Vietnamese from the header.
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="Chương trình 2018").click()
    expect(page).to_have_url(portal + OVERVIEW)

    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(portal + OVERVIEW)
    expect(page.get_by_role("heading", name="Specific targets")).to_be_visible()
    expect(page.get_by_test_id("decision")).to_contain_text("535/QĐ-UBND")

    page.get_by_role("button", name="VI", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_url(portal + OVERVIEW)
    expect(page.get_by_role("heading", name="Mục tiêu cụ thể")).to_be_visible()


def test_overview_on_a_phone(phone_page, portal, sign_in, shot):
    page = phone_page
    sign_in(page, "dolisa")

    # The navbar collapses behind its toggler, which opens it on a tap; its links lead to the overview.
    toggler = page.locator("button.navbar-toggler")
    expect(toggler).to_be_visible()
    expect(page.get_by_test_id("whoami")).to_be_hidden()
    toggler.click()
    expect(page.get_by_test_id("whoami")).to_be_visible()
    page.locator("#mainnav").get_by_role("button", name="Chương trình", exact=True).click()
    page.locator("#mainnav").get_by_role("link", name="Chương trình 2018").click()
    expect(page).to_have_url(portal + OVERVIEW)
    expect(toggler).to_be_visible()
    expect(page.get_by_test_id("whoami")).to_be_hidden()
    expect(page.get_by_test_id("goal-4")).to_have_text("85%")

    # No horizontal scrolling: wide tables scroll inside their own box.
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    path = shot(page, "program-overview-phone")
    assert _is_png(path), path
    assert widths["scroll"] <= widths["inner"] + 1, f"page is wider than the phone: {widths}"
