"""Quarterly report journey in real Chromium, through the UI only: a district (UBND huyện Chợ Mới) fills in and
sends its Q1 2018 report, DOLISA returns it with a comment, the district corrects and resends it, DOLISA accepts it
and sees the history of the change. A second, shorter journey checks the form at phone width."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import DESKTOP, LOCALE, TIMEOUT_MS, save_shot

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under PORTAL_REQUIRE_SERVICES=1)
    expect = None

pytestmark = pytest.mark.e2e

REPORTER = "ubnd-cho-moi"
OFFICER = "dolisa"
Q1_FORM = re.compile(r"/2018/q1/ubnd-cho-moi/$")  # where the UI leads; never typed in
TODAY_BEFORE_Q1_DEADLINE = "2018-03-15"  # the Q1 deadline is 20/03/2018 (VIII.1): five days left

# Indicator code (= target number) → numerator, denominator.
INDICATORS = {"1": ("120", "130"), "2": ("4", "4"), "3": ("15000", "15500"), "4": ("300", "380")}
# Commune rows (0-based) ticked in each of the three columns (pilot safe home, full safe home, child-friendly).
TICKS = {0: (0, 1, 2), 1: (0, 1), 2: (3,)}
ACTIVITY = "I.1.4"
COMMENT = "Tử số mục tiêu 1 chưa khớp danh sách, đề nghị rà soát."


def _is_png(path) -> bool:
    return path.is_file() and path.stat().st_size > 0 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _status(page, status: str, label: str) -> None:
    badge = page.get_by_test_id("status").locator("[data-status]")
    expect(badge).to_have_attribute("data-status", status)
    expect(badge).to_have_text(label)


def _open_section(page, section_id: str):
    """Open an accordion section (if closed) and return its body once the collapse has finished."""
    body = page.locator(f"#{section_id}")
    button = page.locator(f'button[data-bs-target="#{section_id}"]')
    if button.get_attribute("aria-expanded") != "true":
        button.click()
    expect(body).to_have_class(re.compile(r"(^|\s)show(\s|$)"))
    expect(body).not_to_have_class(re.compile(r"collapsing"))
    return body


def _indicator(page, code: str, part: str):
    return page.locator(f'fieldset[data-indicator="{code}"] input[name$="-{part}"]')


def _open_from_matrix(officer) -> None:
    """From DOLISA's first screen, open Chợ Mới's Q1 report through the matrix of agencies × quarters."""
    row = officer.get_by_test_id("matrix").get_by_role("row", name=re.compile("Chợ Mới"))
    row.get_by_role("link").first.click()
    expect(officer).to_have_url(Q1_FORM)


def _alert(page, text: str):
    return page.locator("main .alert", has_text=text)


@pytest.fixture
def officer_page(browser, portal, request):
    """A second browser context (its own cookies) for DOLISA, next to the reporter's `page`."""
    context = browser.new_context(locale=LOCALE, viewport=DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    try:
        yield pg
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            try:
                print(f"\nscreenshot of the failure (dolisa): {save_shot(pg, f'FAILED-{request.node.nodeid}-dolisa')}")
            except Exception as exc:
                print(f"\nno failure screenshot (dolisa): {exc}")
        context.close()


def test_quarterly_report_submitted_returned_resubmitted_accepted(page, officer_page, portal, sign_in, shot, settings):
    settings.PORTAL_CLOCK_TODAY = TODAY_BEFORE_Q1_DEADLINE

    # ---- 1. The district signs in and lands on its home: four quarter cards, Q1 due in five days.
    sign_in(page, REPORTER)
    expect(page).to_have_url(portal + "/")
    expect(page.get_by_test_id("demo-clock")).to_contain_text("15/03/2018")
    cards = page.get_by_test_id("quarters").locator("[data-quarter]")
    expect(cards).to_have_count(4)
    q1 = page.locator('[data-quarter="1"]')
    expect(q1.get_by_test_id("days-left")).to_contain_text("còn 5 ngày")
    expect(q1.locator("[data-status]")).to_have_attribute("data-status", "none")
    q1.get_by_role("link", name="Nhập báo cáo").click()
    expect(page).to_have_url(Q1_FORM)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chợ Mới")
    _status(page, "none", "Chưa có")

    # ---- 2. Fill in the form, section by section.
    # Indicators (open on arrival).
    _open_section(page, "sec-ind")
    for code, (num, den) in INDICATORS.items():
        _indicator(page, code, "num").fill(num)
        _indicator(page, code, "den").fill(den)

    # Communes: a few ticks in each column.
    communes = _open_section(page, "sec-com")
    rows = communes.locator("tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 4, rows.count()
    for column, row_indexes in TICKS.items():
        for r in row_indexes:
            rows.nth(r).locator("input[type=checkbox]").nth(column).check()

    # Budget, typed with Vietnamese thousands separators: the district's, then two communes' (one below 20 triệu).
    _open_section(page, "sec-bud")
    page.locator("input[name=district_budget]").fill("150.000.000")
    commune_budgets = page.get_by_test_id("commune-budgets").locator("input")
    commune_budgets.nth(0).fill("25.000.000")
    commune_budgets.nth(1).fill("18.000.000")

    # One activity block.
    _open_section(page, "sec-act")
    activity = page.locator(f'details[data-activity="{ACTIVITY}"]')
    activity.locator("summary").click()
    expect(activity).to_have_attribute("open", "")
    activity.locator('select[name$="-status"]').select_option(label="Đang triển khai")
    activity.locator('input[name$="-boys"]').fill("35")
    activity.locator('input[name$="-girls"]').fill("41")
    activity.locator('input[name$="-money"]').fill("12.500.000")
    activity.locator('textarea[name$="-account"]').fill("Tổ chức 2 buổi truyền thông tại xã Kiến An và Mỹ Hội Đông.")

    filled = shot(page, "quarterly-form-filled")
    assert _is_png(filled), filled

    page.get_by_role("button", name="Lưu nháp").click()
    expect(_alert(page, "Đã lưu nháp")).to_be_visible()
    expect(page).to_have_url(Q1_FORM)
    _status(page, "draft", "Nháp")
    summary = page.get_by_test_id("summary")
    expect(summary.locator(".col", has_text="Chỉ số (mục tiêu 1–4)")).to_contain_text("4/4")
    expect(summary).to_contain_text("3/18 xã")
    expect(summary).to_contain_text("2/18 xã")
    expect(summary).to_contain_text("1/18 xã")
    expect(summary.locator(".col", has_text="Hoạt động đã cập nhật")).to_contain_text("1/")
    # The saved values come back as typed (money with its thousands separators).
    expect(_indicator(page, "1", "num")).to_have_value("120")
    expect(page.locator("input[name=district_budget]")).to_have_value("150.000.000")
    expect(commune_budgets.nth(1)).to_have_value("18.000.000")
    expect(page.get_by_test_id("communes-total")).to_contain_text("43.000.000 đ")
    expect(page.get_by_test_id("communes-total")).to_contain_text("2/18 xã đã nhập")
    expect(page.get_by_test_id("communes-below")).to_contain_text("dưới mức tối thiểu: Thị trấn Mỹ Luông")
    expect(activity.locator('input[name$="-money"]')).to_have_value("12.500.000")
    expect(activity.locator('select[name$="-status"]')).to_have_value("in_progress")
    expect(rows.nth(0).locator("input[type=checkbox]").nth(0)).to_be_checked()

    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(_alert(page, "Đã gửi báo cáo")).to_be_visible()
    _status(page, "submitted", "Đã gửi")
    expect(page.get_by_test_id("lock")).to_be_visible()
    expect(page.get_by_role("button", name="Gửi báo cáo")).to_have_count(0)
    expect(_indicator(page, "1", "num")).to_be_disabled()

    # ---- 3. DOLISA, in its own browser context, finds the report in its queue and returns it.
    officer = officer_page
    sign_in(officer, OFFICER)
    expect(officer).to_have_url(portal + "/")
    expect(officer.get_by_role("heading", name=re.compile("Báo cáo chờ xem xét"))).to_be_visible()
    queued = officer.get_by_test_id("queue").locator("li", has_text="Chợ Mới")
    expect(queued).to_have_count(1)
    expect(queued.locator("[data-status]")).to_have_attribute("data-status", "submitted")
    queued.get_by_role("link", name="Xem xét").click()
    expect(officer).to_have_url(Q1_FORM)
    _status(officer, "submitted", "Đã gửi")

    review = officer.get_by_test_id("review")
    return_form = review.locator("form", has=officer.locator('input[name=action][value="return"]'))
    return_form.locator("textarea[name=comment]").fill(COMMENT)
    return_form.get_by_role("button", name="Trả lại để chỉnh sửa").click()
    expect(_alert(officer, "Đã trả lại báo cáo")).to_be_visible()
    expect(officer).to_have_url(portal + "/")  # on to the next report waiting: none, so back to the queue
    _open_from_matrix(officer)
    _status(officer, "returned", "Bị trả lại")

    # ---- 4. The district reloads, reads the comment, corrects target 1's numerator and resends.
    page.reload()
    _status(page, "returned", "Bị trả lại")
    transitions = page.get_by_test_id("transitions")
    expect(transitions).to_contain_text(COMMENT)
    expect(transitions.locator("li").last).to_contain_text(OFFICER)
    _open_section(page, "sec-ind")
    numerator = _indicator(page, "1", "num")
    expect(numerator).to_be_enabled()
    expect(numerator).to_have_value("120")
    numerator.fill("125")
    page.get_by_role("button", name="Gửi lại báo cáo").click()
    expect(_alert(page, "Đã gửi báo cáo")).to_be_visible()
    _status(page, "resubmitted", "Đã gửi lại")
    expect(_indicator(page, "1", "num")).to_have_value("125")

    # ---- 5. DOLISA accepts; the history shows the corrected numerator, the steps show the whole cycle.
    officer.reload()
    _status(officer, "resubmitted", "Đã gửi lại")
    officer.get_by_test_id("review").get_by_role("button", name="Duyệt báo cáo").click()
    expect(_alert(officer, "Đã duyệt báo cáo")).to_be_visible()
    _open_from_matrix(officer)
    _status(officer, "accepted", "Đã duyệt")
    expect(officer.get_by_test_id("review").get_by_role("button", name="Duyệt báo cáo")).to_have_count(0)

    history = officer.get_by_test_id("history")
    expect(history).to_be_visible()
    change = history.locator("tbody tr").filter(has=officer.locator("td:nth-child(4)", has_text=re.compile(r"^tử số$")))
    change = change.filter(has=officer.locator("td:nth-child(5)", has_text=re.compile(r"^120$")))
    expect(change).to_have_count(1)
    cells = change.locator("td")
    expect(cells.nth(1)).to_have_text(REPORTER)
    expect(cells.nth(2)).to_contain_text("1.")
    expect(cells.nth(4)).to_have_text("120")
    expect(cells.nth(5)).to_have_text("125")

    steps = officer.get_by_test_id("transitions").locator("li > strong")
    expect(steps).to_have_text(["Gửi báo cáo", "Trả lại", "Gửi lại", "Duyệt"])
    expect(officer.get_by_test_id("transitions")).to_contain_text(COMMENT)

    reviewed = shot(officer, "quarterly-review-history")
    assert _is_png(reviewed), reviewed

    # The district sees the accepted report, read-only.
    page.reload()
    _status(page, "accepted", "Đã duyệt")
    expect(page.get_by_test_id("lock")).to_contain_text("đã được duyệt")
    expect(page.get_by_test_id("history")).to_have_count(0)  # the change history is DOLISA's

    # ---- Double-check in the database what the UI did.
    from reporting.models import ActivityProgress, CommuneStatus, IndicatorValue, Submission, Transition

    sub = Submission.objects.get(agency__code=REPORTER, quarter__program__year=2018, quarter__number=1)
    assert sub.status == Submission.Status.ACCEPTED
    assert sub.days_late == 0
    assert sub.district_budget == 150_000_000
    budgets = CommuneStatus.objects.filter(submission=sub, budget__isnull=False).order_by("commune__order")
    assert list(budgets.values_list("budget", flat=True)) == [25_000_000, 18_000_000]
    values = {
        v.indicator.code: (v.numerator, v.denominator)
        for v in IndicatorValue.objects.filter(submission=sub).select_related("indicator")
    }
    assert values == {"1": (125, 130), "2": (4, 4), "3": (15000, 15500), "4": (300, 380)}
    ticks = CommuneStatus.objects.filter(submission=sub)
    assert sum(t.safe_home_pilot for t in ticks) == 3
    assert sum(t.safe_home_full for t in ticks) == 2
    assert sum(t.child_friendly for t in ticks) == 1
    progress = ActivityProgress.objects.get(submission=sub, activity__code=ACTIVITY)
    assert progress.status == ActivityProgress.Status.IN_PROGRESS
    assert (progress.children_boys, progress.children_girls, progress.money_spent) == (35, 41, 12_500_000)
    assert progress.account.startswith("Tổ chức 2 buổi")
    steps_db = list(Transition.objects.filter(submission=sub).values_list("action", "actor__username", "comment"))
    assert steps_db == [
        ("submit", REPORTER, ""),
        ("return", OFFICER, COMMENT),
        ("resubmit", REPORTER, ""),
        ("accept", OFFICER, ""),
    ]


def test_quarterly_form_on_a_phone(phone_page, portal, sign_in, shot, settings):
    settings.PORTAL_CLOCK_TODAY = TODAY_BEFORE_Q1_DEADLINE
    page = phone_page
    sign_in(page, REPORTER)

    q1 = page.locator('[data-quarter="1"]')
    expect(q1.get_by_test_id("days-left")).to_contain_text("còn 5 ngày")
    q1.get_by_role("link", name="Nhập báo cáo").click()
    expect(page).to_have_url(Q1_FORM)

    # The indicators section is open on arrival; closing and reopening it works with a tap.
    body = _open_section(page, "sec-ind")
    page.locator('button[data-bs-target="#sec-ind"]').click()
    expect(body).to_be_hidden()
    _open_section(page, "sec-ind")
    _indicator(page, "1", "num").fill("120")
    _indicator(page, "1", "den").fill("130")

    # Another section opens too, and its fields are reachable.
    _open_section(page, "sec-bud")
    page.locator("input[name=district_budget]").fill("150.000.000")

    save = page.get_by_role("button", name="Lưu nháp")
    save.scroll_into_view_if_needed()
    expect(save).to_be_visible()
    save.click()
    expect(_alert(page, "Đã lưu nháp")).to_be_visible()
    _status(page, "draft", "Nháp")
    expect(page.get_by_test_id("summary")).to_contain_text("1/4")
    expect(_indicator(page, "1", "num")).to_have_value("120")
    expect(page.locator("input[name=district_budget]")).to_have_value("150.000.000")

    # No horizontal scrolling, with the sections open.
    _open_section(page, "sec-com")
    _open_section(page, "sec-act")
    page.locator("details[data-activity]").first.locator("summary").click()
    widths = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
    path = shot(page, "quarterly-form-phone")
    assert _is_png(path), path
    assert widths["scroll"] <= widths["inner"] + 1, f"page is wider than the phone: {widths}"
