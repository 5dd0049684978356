"""Reading an uploaded workbook (reporting.workbook.read): what is not an .xlsx, a changed shape, and
cells that cannot be read are refused by cell; choices are read in either language."""

from __future__ import annotations

import io

import openpyxl
import pytest

from .helpers import (
    HEADER_ROW,
    OWN,
    changed,
    client_for,
    download,
    download_url,
    fill,
    find_header_of,
    spec_of,
    stored,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "content,message",
    [
        (b"ma,so\n1,2\n", "Tệp không phải tệp Excel .xlsx hợp lệ"),
        (b"PK\x03\x04 broken zip", "Tệp không phải tệp Excel .xlsx hợp lệ"),
        (b"", "Tệp tải lên rỗng."),
    ],
)
def test_other_content_is_refused(draft, content, message):
    response = upload(content)
    assert response.status_code == 200
    assert any(message in str(e) for e in response.context["file_errors"])


def test_rows_moved_or_removed_are_refused(draft):
    wb = openpyxl.load_workbook(io.BytesIO(download()))
    ws = wb["Xã"]
    ws.protection.sheet = False
    ws.delete_rows(6)
    buf = io.BytesIO()
    wb.save(buf)
    before = stored()
    [error] = upload(buf.getvalue()).context["cell_errors"]
    assert str(error).startswith("Sheet 'Xã', ô A6: Mã")
    assert stored() == before


def test_unknown_choice_and_formula_without_result_are_cell_errors(draft):
    spec = spec_of()
    item = spec.activities[0]
    content = fill(
        download(),
        [
            ("Hoạt động", item.activity.code, "Tình trạng", "Sắp xong"),
            ("Xã", spec.communes[0].code, find_header_of(spec, 0), "Có lẽ"),
            ("Chỉ số", spec.indicators[1].code, "Tử số", "=1+2"),  # openpyxl stores no computed result
        ],
    )
    errors = [str(e) for e in upload(content).context["cell_errors"]]
    assert len(errors) == 3
    assert errors[0].startswith("Sheet 'Chỉ số', ô C6: Ô có công thức nhưng chưa có kết quả tính")
    assert errors[1] == "Sheet 'Xã', ô C5: Vui lòng chọn “Có” hoặc “Không”."
    assert errors[2].startswith(f"Sheet 'Hoạt động', ô D{5 + spec.activities.index(item)}: Tình trạng không hợp lệ")


def test_workbook_made_in_english_comes_back_under_vietnamese(draft):
    """A workbook downloaded under the English interface is read the same way (choices in either language)."""
    item = spec_of().activities[0]
    english = client_for(OWN)
    english.cookies["django_language"] = "en"
    content = english.get(download_url()).content
    wb = openpyxl.load_workbook(io.BytesIO(content))
    status = {dv.type: dv for dv in wb.worksheets[3].data_validations.dataValidation}["list"].formula1
    label = status.strip('"').split(",")[1]  # the second status, as the English workbook lists it
    ws = wb.worksheets[3]
    row = next(r[0].row for r in ws.iter_rows(min_row=HEADER_ROW + 1, max_col=1) if r[0].value == item.activity.code)
    ws.cell(row=row, column=4).value = label
    buf = io.BytesIO()
    wb.save(buf)
    before = stored()
    assert upload(buf.getvalue()).status_code == 302
    assert changed(before, stored()) == {f"act-{item.activity.pk}-status": "in_progress"}
