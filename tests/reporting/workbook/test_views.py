"""Who may download and upload the workbook (reporting.views.workbook), and the Excel card on the
report page."""

from __future__ import annotations

import pytest

from tests.reporting.helpers import make_submission, url_for

from .helpers import OWN, client_for, download, download_url, fill, spec_of, stored, upload, upload_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "username,expected",
    [(None, 302), (OWN, 200), ("so-y-te", 404), ("ubnd-an-phu", 404), ("dolisa", 200), ("admin", 200),
     ("viewer", 404)],
)  # fmt: skip
def test_who_may_download_the_workbook(draft, username, expected):
    """The workbook downloads for those who may read the report; others get 404 or the login page."""
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
    [(OWN, "2018-03-10", True), (OWN, "2018-03-21", False), ("dolisa", "2018-03-10", False)],
)
def test_excel_card_on_the_report_page(draft, clock, username, today, upload_form):
    """Everyone who reads the report can download it; the upload form shows only while the agency may edit."""
    clock(today)
    html = client_for(username).get(url_for(OWN)).content.decode()
    assert download_url() in html
    assert (upload_url() in html) is upload_form
