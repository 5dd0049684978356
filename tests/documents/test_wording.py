"""What the compiled report says (documents.wording), read back from the rendered PDF: the document's
date, a report with nothing accepted yet, the signer, the section on incidents."""

from __future__ import annotations

import datetime as dt

import pytest

from documents.wording import doc_date
from tests.incidents.helpers import three_incidents

from .helpers import pdf_text, render, squash

pytestmark = pytest.mark.django_db


def test_dates_take_leading_zeros_for_small_days_and_months_1_and_2(program):
    text = squash(pdf_text(render("quarterly", issued_on=dt.date(2018, 2, 5), doc_number=3)))
    assert "An Giang, ngày 05 tháng 02 năm 2018" in text
    assert "Số: 03/BC-SLĐTBXH" in text
    assert doc_date(dt.date(2018, 11, 15)) == ("15", "11", "2018")
    assert doc_date(dt.date(2018, 5, 9)) == ("09", "5", "2018")


def test_a_report_without_any_accepted_submission_still_renders(program):
    text = squash(pdf_text(render("annual")))
    assert "Quý I: 0/26 cơ quan, đơn vị đã gửi báo cáo" in text
    assert "chưa có số liệu được duyệt" in text
    assert "0/6 mục tiêu cụ thể đạt chỉ tiêu đề ra; 6 mục tiêu chưa có số liệu" in text


def test_the_signer_is_the_configured_name_or_a_dotted_line(program, settings):
    settings.PORTAL_REPORT_SIGNER_NAME = ""
    text = squash(pdf_text(render("quarterly")))
    assert "PHÓ GIÁM ĐỐC" in text and "…………" in text
    settings.PORTAL_REPORT_SIGNER_NAME = "Trần Thị Mai"
    assert "Trần Thị Mai" in squash(pdf_text(render("quarterly")))


def test_the_incidents_section_names_the_reports_period(program):
    """The six-month report has a section on the incidents reported at once, for the half year."""
    three_incidents(program)
    text = squash(pdf_text(render("six_month", doc_number=7)))
    assert "Các vụ việc được báo cáo đột xuất" in text
    assert "Vụ việc xảy ra từ 01/01/2018 đến 30/06/2018" in text
