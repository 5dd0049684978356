"""Each role's path at 1366 and 390 pixels wide, in real Chromium: the leaders land on the six targets; a
locked district (Tri Tôn, returned after its deadline as in the demo) asks DOLISA to reopen its report,
DOLISA grants it from its queue on the first screen, and the district edits its report again."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import LOCALE, TIMEOUT_MS, save_shot

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under PORTAL_REQUIRE_SERVICES=1)
    expect = None

pytestmark = pytest.mark.e2e

WIDTHS = {1366: {"width": 1366, "height": 900}, 390: {"width": 390, "height": 844}}
REPORTER = "ubnd-tri-ton"  # demo.submissions.RETURNED_Q1


@pytest.fixture(params=sorted(WIDTHS))
def width(request) -> int:
    return request.param


@pytest.fixture
def new_page(browser, portal, request, width):
    """new_page(): a fresh browser context (its own cookies) at the test's width; all closed at the end."""
    contexts = []

    def _new():
        phone = width < 500
        context = browser.new_context(locale=LOCALE, viewport=WIDTHS[width], is_mobile=phone, has_touch=phone)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new
    rep = getattr(request.node, "rep_call", None)
    for i, context in enumerate(contexts):
        if rep is not None and rep.failed and context.pages:
            print(f"\nscreenshot of the failure: {save_shot(context.pages[0], f'FAILED-{request.node.nodeid}-{i}')}")
        context.close()


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def test_the_leaders_first_screen_shows_the_six_targets(new_page, portal, sign_in, settings, width):
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    page = sign_in(new_page(), "viewer")
    page.goto(portal + "/")
    targets = page.get_by_test_id("targets-summary").locator("[data-target]")
    expect(targets).to_have_count(6)
    for n in range(1, 7):
        expect(targets.nth(n - 1)).to_contain_text(f"Mục tiêu {n}")
    expect(page.get_by_test_id("attention")).to_be_visible()
    expect(page.get_by_test_id("latest-issued")).to_be_visible()
    _no_sideways_scroll(page)


def test_a_locked_reporter_asks_to_reopen_dolisa_grants_it_the_reporter_edits(new_page, portal, sign_in, settings,
                                                                             width):  # fmt: skip
    from tests.reporting.helpers import make_submission

    settings.PORTAL_CLOCK_TODAY = "2018-03-15"
    make_submission(REPORTER, status="submitted")
    make_submission("ubnd-an-phu", status="submitted")  # DOLISA returns Tri Tôn's after the deadline, as the demo
    settings.PORTAL_CLOCK_TODAY = "2018-03-23"
    officer = sign_in(new_page(), "dolisa")
    officer.goto(portal + "/")
    officer.get_by_test_id("queue").get_by_role("link", name="Tri Tôn").click()
    officer.locator("#return_comment").fill("Mẫu số mục tiêu 3 chưa khớp số liệu BHXH huyện.")
    officer.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    expect(officer.locator("main .alert-success")).to_contain_text("Đã trả lại báo cáo")
    settings.PORTAL_CLOCK_TODAY = "2018-04-02"  # the seven days given have passed: locked

    reporter = sign_in(new_page(), REPORTER)
    reporter.goto(portal + "/")
    expect(reporter.get_by_test_id("returned")).to_contain_text("Mẫu số mục tiêu 3 chưa khớp số liệu BHXH huyện.")
    reporter.get_by_test_id("returned").get_by_role("link").click()
    expect(reporter.get_by_test_id("lock")).to_contain_text("cần Sở mở lại")
    expect(reporter.get_by_role("button", name="Lưu nháp")).to_have_count(0)
    reporter.get_by_label("Lý do đề nghị Sở mở lại báo cáo").fill("Cần sửa mẫu số mục tiêu 3 theo BHXH huyện.")
    reporter.get_by_role("button", name="Đề nghị mở lại").click()
    expect(reporter.get_by_test_id("reopen-pending")).to_contain_text("Cần sửa mẫu số mục tiêu 3 theo BHXH huyện.")
    _no_sideways_scroll(reporter)

    officer.goto(portal + "/")
    request = officer.get_by_test_id("reopen-queue").locator(f'[data-agency="{REPORTER}"]')
    expect(request).to_contain_text("Cần sửa mẫu số mục tiêu 3 theo BHXH huyện.")
    request.get_by_role("button", name="Đồng ý mở lại").click()
    expect(officer.locator("main .alert-success")).to_contain_text("Đã mở lại báo cáo")
    expect(officer.get_by_test_id("reopen-count")).to_have_text("0")
    _no_sideways_scroll(officer)

    reporter.reload()
    expect(reporter.get_by_test_id("reopen-requests")).to_contain_text("Sở đã đồng ý mở lại")
    difficulties = reporter.locator('textarea[name="difficulties"]')
    if not difficulties.is_visible():
        reporter.locator('button[data-bs-target="#sec-gen"]').click()
    difficulties.fill("Đã rà soát lại mẫu số theo BHXH huyện.")
    reporter.get_by_role("button", name="Lưu nháp").click()
    expect(reporter.locator("main .alert-success")).to_contain_text("Đã lưu nháp")
    expect(reporter.locator('textarea[name="difficulties"]')).to_have_value("Đã rà soát lại mẫu số theo BHXH huyện.")
