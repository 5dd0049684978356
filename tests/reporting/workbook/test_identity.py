"""A workbook carries its identity (reporting.workbook.identity): one made for another agency or
quarter, or with a changed or forged identity, is refused and nothing changes."""

from __future__ import annotations

import io

import openpyxl
import pytest

from reporting.models import Submission
from reporting.workbook.identity import ID_SHEET

from .helpers import OWN, download, fill, stored, upload

pytestmark = pytest.mark.django_db


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
