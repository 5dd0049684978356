"""The quarterly form as an Excel workbook: downloaded for one agency and quarter, filled offline with
openpyxl (as an officer would in Excel), uploaded back and checked by the same rules as the web form."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from programs.models import Agency, Quarter
from reporting.fields import initial_from
from reporting.models import IndicatorValue, Submission
from reporting.selectors import form_spec, submission_values
from reporting.workbook.build import CONTENT_TYPE
from reporting.workbook.identity import ID_SHEET
from reporting.workbook.read import MAX_UPLOAD_BYTES
from tests.reporting.helpers import make_submission, post_data, url_for

pytestmark = pytest.mark.django_db

OWN = "ubnd-cho-moi"
HEADER_ROW = 4


# ------------------------------------------------------------------------------------------------
# Helpers: what the officer does
# ------------------------------------------------------------------------------------------------
def client_for(username: str | None) -> Client:
    c = Client()
    if username:
        c.force_login(User.objects.get(username=username))
    return c


def download_url(code: str = OWN, quarter: int = 1) -> str:
    return reverse("reporting:workbook_download", kwargs={"year": 2018, "quarter": quarter, "code": code})


def upload_url(code: str = OWN, quarter: int = 1) -> str:
    return reverse("reporting:workbook_upload", kwargs={"year": 2018, "quarter": quarter, "code": code})


def download(username: str = OWN, code: str = OWN, quarter: int = 1) -> bytes:
    response = client_for(username).get(download_url(code, quarter))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPE
    return response.content


def upload(content: bytes, username: str = OWN, code: str = OWN, quarter: int = 1, name: str = "bao-cao.xlsx",
           follow: bool = False):  # fmt: skip
    book = SimpleUploadedFile(name, content, content_type=CONTENT_TYPE)
    return client_for(username).post(upload_url(code, quarter), {"book": book}, follow=follow)


def find(ws, key: str, header: str):
    """The cell on the row whose code (column A) is `key`, under the column headed `header`."""
    columns = [c.column for c in ws[HEADER_ROW] if c.value == header]
    assert columns, f"no column {header!r} on sheet {ws.title!r}"
    for row in ws.iter_rows(min_row=HEADER_ROW + 1, max_col=1):
        if str(row[0].value) == key:
            return ws.cell(row=row[0].row, column=columns[0])
    raise AssertionError(f"no row {key!r} on sheet {ws.title!r}")


def fill(content: bytes, edits: list[tuple[str, str, str, object]]) -> bytes:
    """Open the workbook, set (sheet, row code, column header) → value, save it (as Excel would)."""
    wb = openpyxl.load_workbook(io.BytesIO(content))
    for sheet, key, header, value in edits:
        find(wb[sheet], key, header).value = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def stored(code: str = OWN, quarter: int = 1) -> dict:
    """Every value of the agency's form as stored (the form's initial data), version included."""
    agency = Agency.objects.get(code=code)
    q = Quarter.objects.get(program__year=2018, number=quarter)
    spec = form_spec(agency=agency, quarter=q)
    sub = Submission.objects.filter(agency=agency, quarter=q).first()
    if sub is None:
        sub = Submission(agency=agency, quarter=q, version=0)
        return initial_from(spec=spec, values=submission_values(submission=sub), submission=None)
    return initial_from(spec=spec, values=submission_values(submission=sub), submission=sub)


def changed(before: dict, after: dict) -> dict:
    return {k: after[k] for k in after if k != "version" and (before.get(k) or None) != (after.get(k) or None)}


def spec_of(code: str = OWN, quarter: int = 1):
    return form_spec(
        agency=Agency.objects.get(code=code), quarter=Quarter.objects.get(program__year=2018, number=quarter)
    )


@pytest.fixture
def draft(program, clock):
    """Chợ Mới's Q1 draft (indicators 8/10), five days before the deadline."""
    return make_submission(OWN, status="draft")


# ------------------------------------------------------------------------------------------------
# The workbook as downloaded
# ------------------------------------------------------------------------------------------------
def test_workbook_is_made_for_the_agency(draft):
    """Its sheets hold the agency's indicators, communes, activities and outputs, with the current values,
    instructions in Vietnamese, protected sheets with only the input cells unlocked, and validation."""
    wb = openpyxl.load_workbook(io.BytesIO(download()))
    spec = spec_of()
    assert wb.sheetnames == ["Hướng dẫn", "Chỉ số", "Xã", "Hoạt động", "Chỉ tiêu đầu ra", "Kinh phí", "Chung", ID_SHEET]
    assert wb[ID_SHEET].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    guide = "\n".join(str(c.value) for c in wb["Hướng dẫn"]["B"] if c.value)
    assert "huyện Chợ Mới" in guide and "Cách điền" in guide and "15/03/2018" in guide

    ind = spec.indicators[0]
    num = find(wb["Chỉ số"], ind.code, "Tử số")
    assert num.value == 8 and find(wb["Chỉ số"], ind.code, "Mẫu số").value == 10
    assert find(wb["Chỉ số"], ind.code, "Tử số là").value == ind.numerator_label
    assert [str(c.value) for c in wb["Xã"]["A"][HEADER_ROW:]] == [c.code for c in spec.communes]
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


def test_provincial_agency_workbook_has_no_district_sheets(program, clock):
    wb = openpyxl.load_workbook(io.BytesIO(download("so-y-te", "so-y-te")))
    assert wb.sheetnames == ["Hướng dẫn", "Hoạt động", "Chỉ tiêu đầu ra", "Chung", ID_SHEET]


# ------------------------------------------------------------------------------------------------
# The round trip
# ------------------------------------------------------------------------------------------------
def test_filled_workbook_changes_exactly_those_values(draft):
    """Downloaded, filled with openpyxl and uploaded: exactly the edited values change, as one edit
    (version + 1, history by the uploader)."""
    spec = spec_of()
    ind, commune, item = spec.indicators[0], spec.communes[0], spec.activities[0]
    output = spec.outputs[0]
    flag_header = find_header_of(spec, 0)
    before = stored()
    content = fill(
        download(),
        [
            ("Chỉ số", ind.code, "Tử số", 9),
            ("Xã", commune.code, flag_header, "Có"),
            ("Hoạt động", item.activity.code, "Tình trạng", "Đang triển khai"),
            ("Hoạt động", item.activity.code, "Trẻ em nam", 12),
            ("Hoạt động", item.activity.code, "Kinh phí đã chi (đồng)", "15.000.000"),
            ("Chỉ tiêu đầu ra", output.code, "Số lượng đạt trong quý", 3),
            ("Kinh phí", "1", "Số tiền (đồng)", 150_000_000),
            ("Chung", "1", "Ý kiến của cơ quan", "- Thiếu cán bộ chuyên trách\n- Cần tập huấn"),
        ],
    )
    response = upload(content, follow=True)
    assert response.redirect_chain == [(url_for(OWN), 302)]
    assert "Đã nhận tệp Excel: đã lưu 8 thay đổi" in response.content.decode()
    after = stored()
    a = item.activity.pk
    assert changed(before, after) == {
        f"ind-{ind.pk}-num": 9,
        f"com-{commune.pk}-{spec.flags[0]}": True,
        f"act-{a}-status": "in_progress",
        f"act-{a}-boys": 12,
        f"act-{a}-money": 15_000_000,
        f"out-{output.pk}": 3,
        "district_budget": 150_000_000,
        "difficulties": "- Thiếu cán bộ chuyên trách\n- Cần tập huấn",
    }
    assert after["version"] == before["version"] + 1
    history = IndicatorValue.history.filter(indicator=ind, submission_id=draft.pk).order_by("-history_date").first()
    assert history.numerator == 9 and history.history_user.username == OWN


def find_header_of(spec, index: int) -> str:
    """The Xã sheet's header for the index-th ticked criterion (as written: '<code>. <criterion>')."""
    wb_headers = openpyxl.load_workbook(io.BytesIO(download()))["Xã"][HEADER_ROW]
    return [c.value for c in wb_headers][2 + index]


def test_unchanged_workbook_changes_nothing(draft):
    """Uploading the workbook as downloaded changes no value, even texts a spreadsheet would take for formulas
    or whose line endings it rewrites."""
    data = post_data(OWN, **{"proposals": '=HYPERLINK("http://x")', "difficulties": "- một\r\n- hai"})
    client_for(OWN).post(url_for(OWN), {**data, "action": "save"})
    before = stored()
    assert before["proposals"].startswith("=")
    content = download()
    cell = find(openpyxl.load_workbook(io.BytesIO(content))["Chung"], "2", "Ý kiến của cơ quan")
    assert cell.value == '\'=HYPERLINK("http://x")'  # never a formula in the officer's Excel
    response = upload(content, follow=True)
    assert response.redirect_chain == [(url_for(OWN), 302)]
    assert changed(before, stored()) == {}
    assert "Đã nhận tệp Excel: không có số liệu nào thay đổi." in response.content.decode()


def test_first_report_can_start_from_the_workbook(program, clock):
    """An agency with no report yet downloads an empty workbook; its upload creates the draft."""
    spec = spec_of("so-y-te")
    item = spec.activities[0]
    content = fill(download("so-y-te", "so-y-te"), [("Hoạt động", item.activity.code, "Tình trạng", "Đã hoàn thành")])
    assert upload(content, "so-y-te", "so-y-te").status_code == 302
    sub = Submission.objects.get(agency__code="so-y-te", quarter__number=1)
    assert sub.status == "draft" and sub.version == 1
    assert sub.activity_progress.get(activity=item.activity).status == "done"


# ------------------------------------------------------------------------------------------------
# Refusals: nothing changes
# ------------------------------------------------------------------------------------------------
def test_errors_in_three_cells_are_listed_and_nothing_changes(draft):
    spec = spec_of()
    ind, item = spec.indicators[0], spec.activities[0]
    before = stored()
    content = fill(
        download(),
        [
            ("Chỉ số", ind.code, "Tử số", 12),  # above its denominator (10)
            ("Hoạt động", item.activity.code, "Trẻ em nam", -3),
            ("Hoạt động", item.activity.code, "Kinh phí đã chi (đồng)", 1500.5),
            ("Chỉ tiêu đầu ra", spec.outputs[0].code, "Số lượng đạt trong quý", 4),  # valid, but not saved either
        ],
    )
    response = upload(content)
    assert response.status_code == 200
    errors = [str(e) for e in response.context["cell_errors"]]
    row = 5 + spec.activities.index(item)
    assert errors == [
        "Sheet 'Chỉ số', ô C5: Tử số (12) không được lớn hơn mẫu số (10).",
        f"Sheet 'Hoạt động', ô E{row}: Không được nhập số âm.",
        f"Sheet 'Hoạt động', ô G{row}: Số tiền phải là số nguyên đồng, không có phần lẻ.",
    ]
    assert not response.context["file_errors"]
    html = response.content.decode()
    assert "Không có số liệu nào được lưu." in html and html.count('data-testid="cell-error"') == 3
    assert stored() == before


def test_workbook_of_another_agency_is_refused(draft):
    content = download("dolisa", "so-y-te")  # DOLISA may download any agency's workbook
    response = upload(content)
    assert response.status_code == 200
    [error] = response.context["file_errors"]
    assert "Sở Y tế" in error and "không phải báo cáo Quý 1/2018 của Ủy ban nhân dân huyện Chợ Mới" in error
    assert stored() == stored()  # sanity
    assert Submission.objects.get(pk=draft.pk).version == draft.version


def test_workbook_of_another_quarter_is_refused(draft):
    before = stored()
    response = upload(fill(download(quarter=2), []), quarter=1)
    [error] = response.context["file_errors"]
    assert "Quý 2/2018" in error
    assert stored() == before


@pytest.mark.parametrize("how", ["token", "forged", "removed"])
def test_tampered_identity_is_refused(draft, how):
    from django.core import signing

    wb = openpyxl.load_workbook(io.BytesIO(download()))
    ws = wb[ID_SHEET]
    if how == "token":
        ws["B1"] = ws["B1"].value[:-3] + "abc"
    elif how == "forged":  # the other quarter's identity, signed with another key
        ws["B1"] = signing.dumps(
            {"a": OWN, "y": 2018, "q": 1, "v": 99, "l": "x"}, key="guess", salt="reporting.workbook"
        )
    else:
        wb.remove(ws)
    buf = io.BytesIO()
    wb.save(buf)
    before = stored()
    [error] = upload(buf.getvalue()).context["file_errors"]
    assert "không phải tệp Excel do cổng tạo cho báo cáo này" in error
    assert stored() == before


def test_workbook_older_than_the_last_save_is_a_conflict(draft):
    """Downloaded, then someone saves on the web: the old workbook would overwrite that save, so it is refused."""
    content = fill(download(), [("Chỉ số", spec_of().indicators[0].code, "Tử số", 5)])
    make_submission(OWN, status="draft", num=7)  # a colleague saves 7/10 meanwhile
    before = stored()
    [error] = upload(content).context["file_errors"]
    assert "sau khi tệp Excel này được tải về" in error and "tải tệp Excel mới" in error
    assert stored() == before


def test_upload_after_the_deadline_is_refused(draft, clock):
    content = fill(download(), [("Chỉ số", spec_of().indicators[0].code, "Tử số", 5)])
    clock("2018-03-20")
    before = stored()
    [error] = upload(content).context["file_errors"]
    assert "Đã quá hạn nhập số liệu (15/03/2018)" in error
    assert stored() == before


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


def test_too_large_file_is_refused(draft):
    response = upload(b"PK" + b"0" * MAX_UPLOAD_BYTES)
    assert "Tệp quá lớn" in response.context["file_errors"][0]


def test_no_file_is_refused(draft):
    response = client_for(OWN).post(upload_url())
    assert response.context["file_errors"] == ["Vui lòng chọn tệp Excel (.xlsx) để tải lên."]


# ------------------------------------------------------------------------------------------------
# Who may download and upload
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "username,expected",
    [(None, 302), (OWN, 200), ("so-y-te", 404), ("ubnd-an-phu", 404), ("dolisa", 200), ("admin", 200),
     ("viewer", 404)],
)  # fmt: skip
def test_download_access(draft, username, expected):
    assert client_for(username).get(download_url()).status_code == expected


@pytest.mark.parametrize(
    "username,expected",
    [(None, 302), ("so-y-te", 404), ("ubnd-an-phu", 404), ("dolisa", 403), ("admin", 403), ("viewer", 404)],
)
def test_upload_access(draft, username, expected):
    """Only the agency's own reporter uploads; what a user may not see answers 404 first; nothing changes."""
    content = fill(download(), [("Chỉ số", spec_of().indicators[0].code, "Tử số", 5)])
    before = stored()
    assert upload(content, username).status_code == expected
    assert stored() == before


def test_accepted_report_is_readable_by_viewer_as_workbook(program, clock):
    make_submission("so-y-te", status="accepted")
    assert client_for("viewer").get(download_url("so-y-te")).status_code == 200


@pytest.mark.parametrize(
    "username,today,upload_form",
    [(OWN, "2018-03-10", True), (OWN, "2018-03-20", False), ("dolisa", "2018-03-10", False)],
)
def test_excel_card_on_the_report_page(draft, clock, username, today, upload_form):
    """Everyone who reads the report can download it; the upload form shows only while the agency may edit."""
    clock(today)
    html = client_for(username).get(url_for(OWN)).content.decode()
    assert download_url() in html
    assert (upload_url() in html) is upload_form


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


def test_save_racing_the_upload_is_still_a_conflict(draft):
    """Someone saves between the upload's checks and its write: submission_save's version check refuses it."""
    from reporting.workbook.imports import workbook_import
    from reporting.workbook.read import workbook_load

    content = fill(download(), [("Chỉ số", spec_of().indicators[0].code, "Tử số", 5)])
    stale = Submission.objects.get(pk=draft.pk)  # what the upload request loaded
    make_submission(OWN, status="draft", num=7)  # the other save lands now
    before = stored()
    result = workbook_import(
        submission=stale, user=User.objects.get(username=OWN), spec=spec_of(), loaded=workbook_load(content)
    )
    assert not result.ok and "sau khi tệp Excel này được tải về" in result.file_errors[0]
    assert stored() == before
