"""The workbook as downloaded (reporting.workbook.build): made for one agency and quarter, with its
current values, instructions, protected sheets with only the input cells unlocked, and validations."""

from __future__ import annotations

import io

import openpyxl
import pytest

from reporting.workbook.identity import ID_SHEET

from .helpers import HEADER_ROW, download, find, spec_of

pytestmark = pytest.mark.django_db


def test_workbook_is_made_for_the_agency(draft):
    """Its sheets hold the agency's indicators, communes, activities and outputs, with the current values,
    instructions in Vietnamese, protected sheets with only the input cells unlocked, and validation."""
    wb = openpyxl.load_workbook(io.BytesIO(download()))
    spec = spec_of()
    assert wb.sheetnames == ["Hướng dẫn", "Chỉ số", "Xã", "Hoạt động", "Chỉ tiêu đầu ra", "Kinh phí", "Chung", ID_SHEET]
    assert wb[ID_SHEET].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    guide = "\n".join(str(c.value) for c in wb["Hướng dẫn"]["B"] if c.value)
    assert "huyện Chợ Mới" in guide and "Cách điền" in guide and "Hạn gửi báo cáo: 20/03/2018" in guide

    ind = spec.indicators[0]
    num = find(wb["Chỉ số"], ind.code, "Tử số")
    assert num.value == 8 and find(wb["Chỉ số"], ind.code, "Mẫu số").value == 10
    assert find(wb["Chỉ số"], ind.code, "Tử số là").value == ind.numerator_label
    assert [str(c.value) for c in wb["Xã"]["A"][HEADER_ROW:]] == [*(c.code for c in spec.communes), "RS"]
    # the district's budget, then each commune's against the floor per commune; no typed communes' total
    assert [str(c.value) for c in wb["Kinh phí"]["A"][HEADER_ROW:]] == ["H", *(c.code for c in spec.communes)]
    assert find(wb["Kinh phí"], spec.communes[0].code, "Mức tối thiểu theo quyết định").value == "20.000.000 đ"
    assert find(wb["Kinh phí"], spec.communes[0].code, "Số tiền (đồng)").protection.locked is False
    assert len(list(wb["Hoạt động"].iter_rows(min_row=HEADER_ROW + 1))) == len(spec.activities)
    assert len(list(wb["Chỉ tiêu đầu ra"].iter_rows(min_row=HEADER_ROW + 1))) == len(spec.outputs)

    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title
    assert num.protection.locked is False
    assert wb["Chỉ số"]["A5"].protection.locked and wb["Chỉ số"]["B5"].protection.locked
    validations = {dv.type: dv for dv in wb["Chỉ số"].data_validations.dataValidation}
    assert num.coordinate in validations["whole"].sqref
    flags = {dv.type: dv for dv in wb["Xã"].data_validations.dataValidation}["list"]
    assert flags.formula1 == '"Có,Không"' and "C5" in flags.sqref
    status = {dv.type: dv for dv in wb["Hoạt động"].data_validations.dataValidation}["list"]
    assert "Đang triển khai" in status.formula1


@pytest.mark.parametrize(
    "quarter, note",
    [(1, "Đây là báo cáo quý (hạn gửi 20/03/2018), trước khi kỳ báo cáo kết thúc (31/03/2018): nhập số liệu của "
         "Quý 1/2018 từ ngày 01/01/2018 tính đến ngày báo cáo."),
     (4, "Đây là báo cáo năm (hạn gửi 15/11/2018), trước khi kỳ báo cáo kết thúc (31/12/2018): nhập số liệu của "
         "Quý 4/2018 từ ngày 01/10/2018 tính đến ngày báo cáo. Sở tổng hợp cùng số liệu đã được duyệt của các quý "
         "trước."),
     (3, None)],
)  # fmt: skip
def test_a_report_due_before_its_period_ends_says_its_figures_run_to_the_day_of_reporting(program, clock, quarter,
                                                                                          note):  # fmt: skip
    """Q1 (due 20/03) and the annual report (Q4, due 15/11) say which report and period they are, and that the
    figures run to the day of reporting; Q3, without a deadline, says "chưa quy định hạn" and nothing more."""
    wb = openpyxl.load_workbook(io.BytesIO(download(quarter=quarter)))
    guide = [str(c.value) for c in wb["Hướng dẫn"]["B"] if c.value]
    if note is None:
        assert "Hạn gửi báo cáo: chưa quy định hạn" in guide and not [g for g in guide if "ngày báo cáo" in g]
    else:
        assert note in guide


def test_provincial_agency_workbook_has_no_district_sheets(program, clock):
    wb = openpyxl.load_workbook(io.BytesIO(download("so-y-te", "so-y-te")))
    assert wb.sheetnames == ["Hướng dẫn", "Hoạt động", "Chỉ tiêu đầu ra", "Chung", ID_SHEET]
