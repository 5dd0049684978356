"""What the compiled report says (documents.wording), read back from the rendered PDF: the document's
date, a report with nothing accepted yet, quarters not yet due, whom it goes to ("Nơi nhận"), the signer,
the section on incidents, and the annual report's candidates for commendation."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from activities.models import ActivityGroup, ActivityRole, OutputTarget
from dashboards.figures import cut_report, figures_compute
from documents.annex import annex_workbook
from documents.wording import closing_section, commendation_section, doc_date
from programs.models import Agency, Quarter
from programs.selectors import district_communes
from reporting.models import Submission
from targets.models import Indicator
from tests.factories import (
    ActivityFactory,
    ActivityRoleFactory,
    CommuneStatusFactory,
    IndicatorValueFactory,
    OutputProgressFactory,
    OutputTargetFactory,
    SubmissionFactory,
)
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
    assert "Quý I: 0/20 cơ quan, đơn vị đã gửi báo cáo" in text
    assert "chưa có số liệu được duyệt" in text
    assert "0/6 mục tiêu cụ thể đạt chỉ tiêu đề ra; 6 mục tiêu chưa có số liệu" in text


def test_the_signer_is_the_configured_name_or_a_dotted_line(program, settings):
    """A draft prints the signer of the settings (a dotted line without a name); an issue its own."""
    settings.PORTAL_REPORT_SIGNER_NAME = ""
    settings.PORTAL_REPORT_SIGNER_TITLE = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    text = squash(pdf_text(render("quarterly", doc_number=None)))
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "…………" in text
    settings.PORTAL_REPORT_SIGNER_NAME = "Trần Thị Mai"
    settings.PORTAL_REPORT_SIGNER_TITLE = "GIÁM ĐỐC"
    text = squash(pdf_text(render("quarterly", doc_number=None)))
    assert "Trần Thị Mai" in text and "GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" not in text
    assert "Lê Văn Hùng" in squash(pdf_text(render("quarterly", signer="Lê Văn Hùng")))


@pytest.mark.parametrize(
    "kind, ministry",
    [("quarterly", "Bộ Lao động – Thương binh và Xã hội (b/c);"),
     ("six_month", "Cục Bảo vệ, chăm sóc trẻ em, Bộ Lao động – Thương binh và Xã hội (b/c);"),
     ("annual", "Cục Bảo vệ, chăm sóc trẻ em, Bộ Lao động – Thương binh và Xã hội (b/c);")],
)  # fmt: skip
def test_the_report_goes_to_the_peoples_committee_and_the_ministry(program, kind, ministry):
    """ "Nơi nhận" and the last words name both: the People's Committee and the Ministry (VIII.1), at six
    months and at the year its Department of Child Protection (VIII.2.1)."""
    closing = closing_section(report=report(kind), period="năm 2018")
    assert closing.recipients[:2] == ["Ủy ban nhân dân tỉnh (b/c);", ministry]
    assert closing.recipients[-1] == "Lưu: VT, BVCSTE."
    assert f"kính báo cáo Ủy ban nhân dân tỉnh và {ministry.removesuffix(' (b/c);')} xem xét" in closing.text
    text = squash(pdf_text(render(kind)))
    assert "Nơi nhận:" in text and "- Ủy ban nhân dân tỉnh (b/c);" in text


def test_quarters_not_yet_due_are_not_counted_as_missing(program, settings):
    """The annual report compiled on 10/05: Q1 is due (n/20 directed agencies sent), Q2 not yet (20/05), Q3 has no
    deadline, Q4 is due on 15/11; none of them reads "0/26 đã gửi", and the annex says "Chưa đến hạn"."""
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    SubmissionFactory(agency=Agency.objects.get(code="so-y-te"), quarter=Quarter.objects.get(program=program, number=2))
    text = squash(pdf_text(render("annual", doc_number=None, issued_on=dt.date(2018, 5, 10))))
    assert "Quý I: 0/20 cơ quan, đơn vị đã gửi báo cáo" in text
    assert "Quý II: chưa đến hạn gửi báo cáo (hạn 20/05/2018), đã có 1 cơ quan, đơn vị gửi" in text
    assert "Quý III: chưa quy định hạn gửi báo cáo" in text
    assert "Quý IV: chưa đến hạn gửi báo cáo (hạn 15/11/2018)" in text
    assert "Quý III/2018: chưa quy định hạn gửi báo cáo." in text
    for q in ("II", "III", "IV"):
        assert f"Quý {q}: 0/26" not in text and f"Quý {q}/2018 (hạn" not in text
    assert "Chưa đến hạn" in text  # the annex's cells of the quarters not due


def _met_everything(program, code: str, *, late_in_q2: bool = False, indicator_4=(90, 100)) -> None:
    """A district's reports of Q1, Q2 and Q4 (accepted), the last with every indicator at 100% (indicator 4:
    `indicator_4`, goal 85%) and every commune ticked; Q2 sent two days late if `late_in_q2`."""
    agency = Agency.objects.get(code=code)
    for n in (1, 2, 4):
        q = Quarter.objects.get(program=program, number=n)
        late = late_in_q2 and n == 2
        sent = dt.datetime.combine(q.entry_deadline + dt.timedelta(days=2 if late else 0), dt.time(9), tzinfo=dt.UTC)
        sub = SubmissionFactory(agency=agency, quarter=q, first_submitted_at=sent, days_late=2 if late else 0)
    for ind in Indicator.objects.filter(target__program=program, input=Indicator.Input.FIGURES):
        num, den = indicator_4 if ind.code == "4" else (10, 10)
        IndicatorValueFactory(submission=sub, indicator=ind, numerator=num, denominator=den)
    for commune in district_communes(program=program, district=agency.unit):
        CommuneStatusFactory(submission=sub, commune=commune, safe_home_pilot=True, safe_home_full=True,
                             child_friendly=True)  # fmt: skip


def _leads_one_output(program, code: str, *, achieved: int, late_in_q2: bool = False) -> None:
    """A provincial agency that leads one activity, with an output of 10, and reports `achieved` of it in
    Q1; its reports of Q1, Q2 and Q4 sent on time (Q2 late if `late_in_q2`)."""
    agency = Agency.objects.get(code=code)
    group = ActivityGroup.objects.filter(program=program).first()
    activity = ActivityFactory(group=group)
    ActivityRoleFactory(activity=activity, agency=agency, role=ActivityRole.Role.LEAD)
    output = OutputTargetFactory(activity=activity, quantity=10, aggregation=OutputTarget.Aggregation.SUM)
    for n in (1, 2, 4):
        q = Quarter.objects.get(program=program, number=n)
        late = late_in_q2 and n == 2
        sent = dt.datetime.combine(q.entry_deadline + dt.timedelta(days=2 if late else 0), dt.time(9), tzinfo=dt.UTC)
        sub = SubmissionFactory(agency=agency, quarter=q, first_submitted_at=sent, days_late=2 if late else 0)
        if n == 1:
            OutputProgressFactory(submission=sub, output=output, quantity=achieved)


def test_the_annual_report_lists_candidates_for_commendation(program, settings):
    """Article 2 and section VI: after 15/11 the annual report lists the districts whose indicators all meet
    their goals and the agencies whose led outputs are all achieved, each having sent every due quarter on
    time (Q1, Q2, Q4; Q3 has no deadline). Worked out by hand: An Phú (all met, on time) yes; Chợ Mới (all met,
    Q2 two days late) no; Châu Đốc (indicator 4 at 80% < 85%) no; Sở Tư pháp (10/10, on time) yes; Sở Nội vụ
    (5/10) no; Sở Y tế (10/10, Q2 late) no; the agencies that report nothing, no."""
    settings.PORTAL_CLOCK_TODAY = "2018-11-20"
    _met_everything(program, "ubnd-an-phu")
    _met_everything(program, "ubnd-cho-moi", late_in_q2=True)
    _met_everything(program, "ubnd-chau-doc", indicator_4=(80, 100))
    _leads_one_output(program, "so-tu-phap", achieved=10)
    _leads_one_output(program, "so-noi-vu", achieved=5)
    _leads_one_output(program, "so-y-te", achieved=10, late_in_q2=True)
    r = report("annual")
    section = commendation_section(figures=figures_compute(cut=cut_report(report=r)))
    assert section.districts == ["An Phú"] and section.agencies == ["Sở Tư pháp"]
    text = squash(pdf_text(render("annual", doc_number=None, issued_on=dt.date(2018, 11, 20))))
    assert "V. ĐỀ XUẤT KHEN THƯỞNG" in text and "VI. NHIỆM VỤ TRỌNG TÂM" in text
    assert "Căn cứ Điều 2 và mục VI (Khen thưởng) của Chương trình" in text
    assert "Huyện, thị xã, thành phố: An Phú." in text and "Sở, ban, ngành, đoàn thể tỉnh: Sở Tư pháp." in text
    six = squash(pdf_text(render("six_month", doc_number=None)))
    assert "KHEN THƯỞNG" not in six and "V. NHIỆM VỤ TRỌNG TÂM" in six


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
                                                    as_of=ISSUED["six_month"])))  # fmt: skip
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
