"""The dashboard in real Chromium, on the demo's submissions as of 10/05/2018: DOLISA opens it from the header,
includes the reports not yet accepted and back, changes the cut from the year to date to the first quarter
only and sees the numbers change, follows target 1's province value to the submissions behind it and opens
one. A second journey checks the page at phone width."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from core.formatting import fmt_pct
from dashboards.figures import cut_quarter, figures_compute
from demo.submissions import DEMO_TODAY, demo_submissions_create

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under PORTAL_REQUIRE_SERVICES=1)
    expect = None

pytestmark = pytest.mark.e2e


def _is_png(path) -> bool:
    return path.is_file() and path.stat().st_size > 0 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _target_one(program, **cut):
    """Target 1's province value as the page should show it, and the submissions behind it."""
    figures = figures_compute(cut=cut_quarter(program=program, **cut))
    one = next(i for i in figures.indicators if i.indicator.code == "1")
    with translation.override("vi"):
        return fmt_pct(one.value), one


@pytest.fixture
def demo(e2e_program, settings):
    settings.PORTAL_CLOCK_TODAY = DEMO_TODAY.isoformat()
    assert demo_submissions_create(program=e2e_program) > 0
    return e2e_program


def test_dolisa_changes_the_cut_and_follows_a_number_to_its_submissions(page, portal, demo, sign_in, shot):
    ytd, _ = _target_one(demo, number=2, year_to_date=True)
    ytd_pending, _ = _target_one(demo, number=2, year_to_date=True, include_pending=True)
    q1, q1_figures = _target_one(demo, number=1)
    assert len({ytd, ytd_pending, q1}) == 3, (ytd, ytd_pending, q1)  # the demo makes each cut differ

    # ---- 1. From the header to the dashboard: the year to date, accepted figures only.
    sign_in(page, "dolisa")
    page.locator("#mainnav").get_by_role("link", name="Bảng điều khiển").click()
    expect(page).to_have_url(portal + "/dashboard/2018/")
    scope = page.get_by_test_id("scope")
    expect(scope.get_by_test_id("cut")).to_have_text("Lũy kế từ đầu năm đến hết quý 2/2018")
    expect(scope.get_by_test_id("counting")).to_have_text("Chỉ số liệu đã được Sở duyệt")
    value = page.get_by_test_id("targets").locator('tr[data-indicator="1"]').get_by_test_id("province-value")
    expect(value).to_have_text(ytd)
    # the charts are drawn (Chart.js from static/vendor), each next to its table
    for chart in ("chart-targets", "chart-compliance", "chart-budget"):
        assert page.evaluate(f"() => !!window.Chart && !!window.Chart.getChart('{chart}')"), chart
    assert _is_png(shot(page, "dashboard-ytd"))

    # ---- 2. The switch includes the reports sent but not yet accepted (applied on change), and back.
    page.get_by_label("Gồm cả báo cáo đã gửi, chưa duyệt").check()
    expect(scope.get_by_test_id("counting")).to_have_text("Gồm cả báo cáo đã gửi, chưa duyệt")
    expect(page).to_have_url(re.compile(r"pending=1"))
    expect(value).to_have_text(ytd_pending)
    page.get_by_label("Gồm cả báo cáo đã gửi, chưa duyệt").uncheck()
    expect(scope.get_by_test_id("counting")).to_have_text("Chỉ số liệu đã được Sở duyệt")
    expect(value).to_have_text(ytd)

    # ---- 3. The first quarter only: the statement and the numbers change.
    page.get_by_test_id("cut-choices").get_by_role("link", name="Riêng quý").click()
    page.get_by_test_id("quarter-choices").get_by_role("link", name="Quý 1/2018").click()
    expect(scope.get_by_test_id("cut")).to_have_text("Riêng quý 1/2018")
    expect(page).to_have_url(re.compile(r"cut=quarter&quarter=1|quarter=1.*cut=quarter"))
    expect(value).to_have_text(q1)
    expect(page.get_by_test_id("compliance").locator("tbody tr")).to_have_count(1)
    assert _is_png(shot(page, "dashboard-q1"))

    # ---- 4. Target 1's value leads to the submissions behind it, with what each contributed.
    value.click()
    expect(page).to_have_url(re.compile(r"/dashboard/2018/sources/\?.*what=indicator"))
    expect(page.get_by_test_id("sources-title")).to_contain_text("Chỉ số 1")
    expect(page.get_by_test_id("scope").get_by_test_id("cut")).to_have_text("Riêng quý 1/2018")
    rows = page.get_by_test_id("sources").locator("tbody tr")
    expect(rows).to_have_count(len(q1_figures.submission_ids))
    expect(page.get_by_test_id("sources").locator("tfoot")).to_contain_text(q1)
    path = shot(page, "dashboard-sources")
    assert _is_png(path), path

    # ---- 5. ... and each opens its submission.
    first = rows.first
    agency = first.get_attribute("data-agency")
    first.get_by_test_id("open-submission").click()
    expect(page).to_have_url(re.compile(rf"/submissions/2018/q1/{agency}/$"))
    expect(page.get_by_test_id("status").locator("[data-status]")).to_have_attribute("data-status", "accepted")
    assert _is_png(shot(page, "dashboard-source-submission"))


def test_dashboard_at_phone_width(phone_page, portal, demo, sign_in, shot):
    sign_in(phone_page, "dolisa")
    phone_page.goto(portal + "/dashboard/2018/")
    expect(phone_page.get_by_test_id("scope")).to_be_visible()
    # the page itself does not scroll sideways: wide tables scroll inside their own box
    width = phone_page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, width
    box = phone_page.locator("#chart-targets").bounding_box()
    assert box and 0 < box["width"] <= 390, box
    assert _is_png(shot(phone_page, "dashboard-phone"))
