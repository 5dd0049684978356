"""The Ministry's view in real Chromium: the department's demo account (cuc-bvcste) signs in and lands on the
national table with An Giang and the two synthetic provinces; An Giang's DOLISA officer sees none of the
other provinces, and is refused their pages and the Ministry's."""

from __future__ import annotations

import pytest

from demo.provinces import SYNTHETIC, synthetic_province_load, synthetic_submissions_create

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under PORTAL_REQUIRE_SERVICES=1)
    expect = None

pytestmark = pytest.mark.e2e


@pytest.fixture
def provinces(e2e_program, settings):
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    programs = [synthetic_province_load(code=code, letter=letter) for code, letter, _missing in SYNTHETIC]
    synthetic_submissions_create(program=programs[0], officer="gla-dolisa")
    return programs


def test_the_department_sees_the_nation_and_an_giang_sees_only_itself(page, portal, sign_in, provinces, shot):
    sign_in(page, "cuc-bvcste")
    assert page.url.endswith("/ministry/")
    table = page.get_by_test_id("ministry-provinces")
    for name in ("Tỉnh An Giang", "Tỉnh Mẫu A (dữ liệu giả lập)", "Tỉnh Mẫu B (dữ liệu giả lập)"):
        expect(table).to_contain_text(name)
    expect(page.get_by_test_id("province-GLA")).to_contain_text("100")  # every report of Q2 accepted
    expect(page.get_by_test_id("ministry-not-sent")).to_contain_text("Tỉnh Mẫu B")
    expect(page.get_by_test_id("ministry-national")).to_be_visible()
    shot(page, "ministry-national")
    page.context.clear_cookies()

    sign_in(page, "dolisa")
    for path in ("/submissions/2018/", "/dashboard/2018/", "/reports/2018/", "/programs/2018/"):
        page.goto(portal + path)
        expect(page.locator("main")).not_to_contain_text("Mẫu A")
        expect(page.locator("main")).not_to_contain_text("Mẫu B")
    for path in ("/ministry/", "/submissions/2018/q1/gla-so-y-te/", "/programs/2018/agencies/gla-so-y-te/"):
        response = page.goto(portal + path)
        assert response.status == 404, path
