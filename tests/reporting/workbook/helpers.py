"""What an officer does with the workbook, for the workbook tests: download it, fill it offline with
openpyxl (as in Excel), upload it back; and what the portal then stores."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from accounts.models import User
from programs.models import Agency, Quarter
from reporting.fields import initial_from
from reporting.models import Submission
from reporting.selectors import form_spec, submission_values
from reporting.workbook.build import CONTENT_TYPE

OWN = "ubnd-cho-moi"
HEADER_ROW = 4


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


def find_header_of(spec, index: int) -> str:
    """The Xã sheet's header for the index-th ticked criterion (as written: '<code>. <criterion>')."""
    wb_headers = openpyxl.load_workbook(io.BytesIO(download()))["Xã"][HEADER_ROW]
    return [c.value for c in wb_headers][2 + index]
