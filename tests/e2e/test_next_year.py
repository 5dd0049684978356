"""Browser journey of issue 15: DOLISA makes the 2019 program from 2018 — a target's goal changed, an
activity dropped, an output added — and publishes it; a district then sees the changed form for 2019,
while 2018 stays exactly as it was."""

from __future__ import annotations

import re

import pytest

from programs.exchange import program_export

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under PORTAL_REQUIRE_SERVICES=1)
    expect = None

pytestmark = pytest.mark.e2e

DISTRICT = "ubnd-tri-ton"
FORM_2019 = f"/submissions/2019/q1/{DISTRICT}/"


def test_dolisa_makes_2019_from_2018_and_a_district_sees_the_new_form(browser, page, portal, sign_in, shot,
                                                                       e2e_program):  # fmt: skip
    before_2018 = program_export(program=e2e_program)
    sign_in(page, "dolisa")

    # From the 2018 program to its editor, then "make 2019 from this year".
    page.goto(portal + "/programs/2018/")
    page.get_by_test_id("editor-link").click()
    page.get_by_test_id("next-year").click()
    page.fill("input[name=decision_number]", "412/QĐ-UBND")
    page.fill("input[name=decision_date]", "2019-03-01")
    page.fill("input[name=signer_name]", "Lê Văn Nưng")
    page.get_by_test_id("save").click()
    expect(page).to_have_url(portal + "/programs/2019/editor/")
    expect(page.get_by_test_id("status")).to_contain_text("Dự thảo")

    # A district cannot see the draft year.
    district = browser.new_context(locale="vi-VN")
    district_page = district.new_page()
    sign_in(district_page, DISTRICT)
    assert district_page.goto(portal + FORM_2019).status == 404

    # Target 4: 85% -> 90% (the target and its indicator).
    page.get_by_test_id("edit-target-4").click()
    page.fill("input[name=goal]", "90")
    page.fill("input[name=goal_4]", "90")
    page.get_by_test_id("save").click()
    expect(page.locator("[data-target='4']")).to_contain_text("90%")

    # Drop activity I.1.4 (every district supported it).
    page.get_by_test_id("remove-activity-I.1.4").click()
    expect(page.locator("[data-activity='I.1.4']")).to_have_count(0)

    # Add an output to I.1.6 (every district supports it).
    page.get_by_test_id("add-output-I.1.6").click()
    page.fill("input[name=code]", "I.1.6.b")
    page.fill("input[name=label]", "Xã có nhóm công tác bảo vệ trẻ em hoạt động thường xuyên")
    page.fill("input[name=quantity]", "40")
    page.fill("input[name=unit]", "xã")
    page.select_option("select[name=aggregation]", "latest")
    page.get_by_test_id("save").click()
    expect(page.locator("[data-output='I.1.6.b']")).to_contain_text("40")

    # What changed from 2018, side by side.
    page.get_by_test_id("changes-link").click()
    changes = page.get_by_test_id("changes")
    expect(changes.locator("tr[data-kind='changed'][data-code='4']").first).to_contain_text("90")
    expect(changes.locator("tr[data-kind='removed'][data-code='I.1.4']")).to_have_count(1)
    expect(changes.locator("tr[data-kind='added'][data-code='I.1.6 / I.1.6.b']")).to_have_count(1)
    shot(page, "program-2019-changes")

    # Publish.
    page.goto(portal + "/programs/2019/editor/")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("status")).to_contain_text("Đã ban hành")

    # The district's 2019 form: the new goal, no I.1.4, the new output.
    district_page.goto(portal + FORM_2019)
    expect(district_page.get_by_text(re.compile(r"chỉ tiêu 90%"))).to_have_count(1)
    expect(district_page.locator("[data-activity='I.1.4']")).to_have_count(0)
    expect(district_page.locator("[data-output='I.1.6.b']")).to_have_count(1)
    shot(district_page, "district-form-2019")

    # 2018 is unchanged: its form, its page, its program file.
    district_page.goto(portal + f"/submissions/2018/q1/{DISTRICT}/")
    expect(district_page.locator("[data-activity='I.1.4']")).to_have_count(1)
    expect(district_page.locator("[data-output='I.1.6.b']")).to_have_count(0)
    expect(district_page.get_by_text(re.compile(r"chỉ tiêu 85%"))).to_have_count(1)
    page.goto(portal + "/programs/2018/")
    expect(page.get_by_test_id("goal-4")).to_have_text("85%")
    district.close()
    assert program_export(program=e2e_program) == before_2018
