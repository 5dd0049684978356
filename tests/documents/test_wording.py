"""What the compiled report says (documents.wording), read back from the rendered PDF: the document's
date, a report with nothing accepted yet, the signer, the section on incidents."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from activities.models import OutputTarget
from dashboards.figures import cut_report, figures_compute
from documents.annex import annex_workbook
from documents.wording import doc_date
from programs.models import Agency
from reporting.models import Submission
from tests.factories import OutputProgressFactory, SubmissionFactory
from tests.incidents.helpers import three_incidents

from .helpers import COMMUNE_BELOW, ISSUED, pdf_text, quarter, render, report, seed, squash

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


def test_the_budget_section_names_each_commune_below_the_floor_per_commune(program):
    """VII.2's floor is per commune: the printed report names the commune below 20.000.000 đ with its amount,
    counts the districts over those that reported (not reported is not zero), and the annex names it too."""
    seed(program)
    text = squash(pdf_text(render("six_month")))
    name, amount = COMMUNE_BELOW
    assert f"Xã chưa được bố trí đủ mức tối thiểu 20.000.000 đ/xã/năm: An Phú: {name} (15.000.000 đ)." in text
    # An Phú (130 triệu, one commune short) and Chợ Mới (160 triệu, every commune at 20 triệu) reported in full
    assert "1/2 huyện, thị xã, thành phố đã báo cáo bố trí đủ kinh phí tối thiểu" in text
    assert "2/11 địa phương đã báo cáo đủ kinh phí" in text
    r = report("six_month")
    annex = load_workbook(io.BytesIO(annex_workbook(report=r, figures=figures_compute(cut=cut_report(report=r)),
                                                    issued_on=ISSUED["six_month"], doc_number=5)))  # fmt: skip
    rows = list(annex["Kinh phí"].iter_rows(values_only=True))
    an_phu = next(row for row in rows if row[0] == "Huyện An Phú")
    assert f"{name} (15.000.000)" in an_phu and an_phu[8] == 1 and "Chưa đạt" in an_phu


def test_the_requested_bodies_are_shown_apart_without_late_marks(program):
    """The six bodies VIII.2.10 requests are listed apart in the compliance annex, sent or not, never late;
    the compliance section counts them apart."""
    seed(program)
    late = SubmissionFactory(agency=Agency.objects.get(code="tinh-doan"), quarter=quarter(1))
    late.days_late = 9
    late.save(update_fields=["days_late"])
    text = squash(pdf_text(render("six_month")))
    assert "Các cơ quan được đề nghị phối hợp (mục VIII.2.10): 1/6 đã gửi báo cáo" in text
    annex = text[text.index("Các cơ quan được đề nghị phối hợp (mục VIII.2.10 của Chương trình") :]
    assert "Tỉnh Đoàn Đã gửi Chưa gửi" in annex and "Trễ" not in annex


def test_an_average_per_commune_is_printed_with_how_it_is_made(program):
    """ "12 cộng tác viên/xã": the report prints the province's Σ collaborators ÷ Σ communes."""
    seed(program)
    rate = OutputTarget.objects.get(activity__group__program=program, quantity=12)
    for code, count in {"ubnd-an-phu": 168, "ubnd-cho-moi": 198}.items():  # 14 and 18 communes
        s = Submission.objects.get(agency__code=code, quarter=quarter(1))  # seeded, accepted
        OutputProgressFactory(submission=s, output=rate, quantity=count)
    text = squash(pdf_text(render("six_month")))
    assert "11,4 cộng tác viên/xã (366 cộng tác viên ÷ 32 xã)" in text  # 366 / 32 = 11,44
