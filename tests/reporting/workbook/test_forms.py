"""The upload form (reporting.workbook.forms): a file is required, and a too large one is refused."""

from __future__ import annotations

import pytest

from reporting.workbook.read import MAX_UPLOAD_BYTES

from .helpers import OWN, client_for, upload, upload_url

pytestmark = pytest.mark.django_db


def test_too_large_file_is_refused(draft):
    response = upload(b"PK" + b"0" * MAX_UPLOAD_BYTES)
    assert "Tệp quá lớn" in response.context["file_errors"][0]


def test_no_file_is_refused(draft):
    response = client_for(OWN).post(upload_url())
    assert response.context["file_errors"] == ["Vui lòng chọn tệp Excel (.xlsx) để tải lên."]
