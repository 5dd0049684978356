"""The Excel round trip in real Chromium: a district (UBND huyện Chợ Mới), five days before the Q1 deadline,
downloads its workbook from its report page, fills it offline (openpyxl stands in for Excel), uploads it
through the page and sees its figures in the form. A workbook with a mistake is refused first, cell by cell."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

try:
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips these tests (fails them under PORTAL_REQUIRE_SERVICES=1)
    expect = None

pytestmark = pytest.mark.e2e

REPORTER = "ubnd-cho-moi"
Q1_FORM = re.compile(r"/2018/q1/ubnd-cho-moi/$")
TODAY_BEFORE_Q1_DEADLINE = "2018-03-15"  # the Q1 deadline is 20/03/2018: five days left
HEADER_ROW = 4


def _find(ws, key: str, header: str):
    """The cell on the row whose code (column A) is `key`, under the column headed `header`."""
    column = next(c.column for c in ws[HEADER_ROW] if c.value == header)
    row = next(r[0].row for r in ws.iter_rows(min_row=HEADER_ROW + 1, max_col=1) if str(r[0].value) == key)
    return ws.cell(row=row, column=column)


def _fill(path, edits) -> bytes:
    wb = openpyxl.load_workbook(path)
    for sheet, key, header, value in edits:
        _find(wb[sheet], key, header).value = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _upload(page, content: bytes) -> None:
    card = page.get_by_test_id("workbook")
    card.locator("input[type=file]").set_input_files(
        files=[{"name": "bao-cao-quy-1.xlsx", "mimeType": "application/octet-stream", "buffer": content}]
    )
    with page.expect_navigation():
        card.get_by_role("button", name="Tải tệp lên").click()


def test_reporter_fills_the_workbook_offline_and_sees_its_figures(page, portal, sign_in, shot, settings, tmp_path):
    settings.PORTAL_CLOCK_TODAY = TODAY_BEFORE_Q1_DEADLINE
    sign_in(page, REPORTER)
    page.locator('[data-quarter="1"]').get_by_role("link", name="Nhập báo cáo").click()
    expect(page).to_have_url(Q1_FORM)
    card = page.get_by_test_id("workbook")
    expect(card).to_contain_text("Làm báo cáo bằng Excel")

    # ---- 1. Download the workbook made for Chợ Mới.
    with page.expect_download() as info:
        card.get_by_test_id("workbook-download").click()
    download = info.value
    assert download.suggested_filename == "bao-cao-quy-1-2018-ubnd-cho-moi.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["Hướng dẫn", "Chỉ số", "Xã"]
    first_commune = str(wb["Xã"]["A5"].value)
    criterion = wb["Xã"].cell(row=HEADER_ROW, column=3).value

    # ---- 2. A first try with a numerator above its denominator: refused, cell by cell, nothing saved.
    wrong = _fill(path, [("Chỉ số", "1", "Tử số", 140), ("Chỉ số", "1", "Mẫu số", 130)])
    _upload(page, wrong)
    expect(page.get_by_test_id("workbook-refused")).to_contain_text("Không có số liệu nào được lưu.")
    errors = page.get_by_test_id("cell-error")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("Chỉ số")
    expect(errors.first).to_contain_text("C5")
    expect(errors.first).to_contain_text("Tử số (140) không được lớn hơn mẫu số (130).")
    shot(page, "workbook-upload-refused")

    # ---- 3. The corrected workbook, uploaded from the same page.
    content = _fill(
        path,
        [
            ("Chỉ số", "1", "Tử số", 120),
            ("Chỉ số", "1", "Mẫu số", 130),
            ("Chỉ số", "2", "Tử số", 4),
            ("Chỉ số", "2", "Mẫu số", 4),
            ("Chỉ số", "3", "Tử số", 15000),
            ("Chỉ số", "3", "Mẫu số", 15500),
            ("Chỉ số", "4", "Tử số", 300),
            ("Chỉ số", "4", "Mẫu số", 380),
            ("Xã", first_commune, criterion, "Có"),
            ("Hoạt động", "I.1.4", "Tình trạng", "Đang triển khai"),
            ("Hoạt động", "I.1.4", "Trẻ em nam", 35),
            ("Hoạt động", "I.1.4", "Kinh phí đã chi (đồng)", 12_500_000),
            ("Kinh phí", "H", "Số tiền (đồng)", 150_000_000),
        ],
    )
    _upload(page, content)

    # ---- 4. Back on the form, with the figures from the workbook.
    expect(page).to_have_url(Q1_FORM)
    expect(page.locator("main .alert", has_text="Đã nhận tệp Excel")).to_contain_text("đã lưu 13 thay đổi")
    expect(page.get_by_test_id("status").locator("[data-status]")).to_have_attribute("data-status", "draft")
    expect(page.locator('fieldset[data-indicator="1"] input[name$="-num"]')).to_have_value("120")
    expect(page.locator('fieldset[data-indicator="4"] input[name$="-den"]')).to_have_value("380")
    expect(page.locator("input[name=district_budget]")).to_have_value("150.000.000")
    expect(page.get_by_test_id("summary")).to_contain_text("1/18 xã")
    activity = page.locator('details[data-activity="I.1.4"]')
    expect(activity.locator('select[name$="-status"]')).to_have_value("in_progress")
    expect(activity.locator('input[name$="-boys"]')).to_have_value("35")
    expect(activity.locator('input[name$="-money"]')).to_have_value("12.500.000")
    shot(page, "workbook-upload-saved")
