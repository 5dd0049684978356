"""Last year's result beside this year's (dashboards.previous): the same cut a year back, matched by code,
accepted reports only; an item new this year shows "–"; no year before, no column. Worked out by hand on
two years of the same province (2018, and 2019 made from it)."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from activities.models import Activity, OutputTarget
from core import dataversion
from dashboards.figures import cut_quarter
from dashboards.previous import last_year_compute, last_year_of
from documents import services as compiling
from documents.models import ReportVersion
from documents.pdf import RenderedPdf
from programs import years
from programs.models import Agency, ProvincialReport, Quarter
from programs.selectors import program_last_year
from reporting.models import Submission
from targets.models import Indicator, Target
from tests.factories import IndicatorFactory, IndicatorValueFactory, OutputProgressFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def _submission(program, agency, quarter, status=Submission.Status.ACCEPTED):
    return SubmissionFactory(agency=Agency.objects.get(code=agency),
                             quarter=Quarter.objects.get(program=program, number=quarter), status=status)  # fmt: skip


def _value(sub, code, num, den):
    indicator = Indicator.objects.get(target__program=sub.quarter.program, code=code)
    IndicatorValueFactory(submission=sub, indicator=indicator, numerator=num, denominator=den)


def _output(sub, code, quantity):
    output = OutputTarget.objects.get(activity__group__program=sub.quarter.program, code=code)
    OutputProgressFactory(submission=sub, output=output, quantity=quantity)


@pytest.fixture
def two_years(program):
    """2018 with accepted reports of An Phú (Q1, Q2) and Tri Tôn (Q1), and a report of Châu Đốc awaiting
    review (never counted for last year); 2019 made from it, with an output target and an indicator new
    that year, published, with An Phú's Q1.

    Indicator 4, 2018: Q1 An Phú 3/4 + Tri Tôn 1/6 = 4/10 = 40%; to the end of Q2 each district's latest:
    An Phú 5/8 (Q2) + Tri Tôn 1/6 (Q1) = 6/14 = 42,857…% (printed 42,9%). Output III.3.a (sessions, summed
    over the quarters): 7 in Q1 + 5 in Q2 = 12 to the end of Q2, 7 in Q1 alone."""
    q1 = _submission(program, "ubnd-an-phu", 1)
    _value(q1, "4", 3, 4)
    _output(q1, "III.3.a", 7)
    _value(_submission(program, "ubnd-tri-ton", 1), "4", 1, 6)
    q2 = _submission(program, "ubnd-an-phu", 2)
    _value(q2, "4", 5, 8)
    _output(q2, "III.3.a", 5)
    _value(_submission(program, "ubnd-chau-doc", 2, Submission.Status.SUBMITTED), "4", 100, 100)
    y2019 = years.program_next_year(source=program, decision_number="1/QĐ-UBND", decision_date=dt.date(2019, 3, 1),
                                    signer_name="A", signer_title="B")  # fmt: skip
    years.output_add(activity=Activity.objects.get(group__program=y2019, code="III.3"), code="III.3.z",
                     label="Chỉ tiêu mới năm 2019", quantity=5, unit="cuộc", aggregation="sum")  # fmt: skip
    IndicatorFactory(target=Target.objects.get(program=y2019, number=4), code="4b", order=99)
    years.program_publish(program=y2019)
    now = _submission(y2019, "ubnd-an-phu", 1)
    _value(now, "4", 9, 10)
    _output(now, "III.3.a", 2)
    return program, y2019


def _rows(body: str, attr: str) -> dict[str, str]:
    """Each row's last-year cell (its text, tags left out), by the row's data-indicator / data-output."""
    found = {}
    for code, row in re.findall(rf'<tr {attr}="([^"]+)">(.*?)</tr>', body, re.S):
        cell = re.search(r'<td class="num" data-testid="last-year">(.*?)</td>', row, re.S)
        found[code] = re.sub(r"<[^>]+>", " ", cell.group(1)).split()[0] if cell else None
    return found


def test_last_year_is_the_same_cut_a_year_back_accepted_only(two_years):
    program, y2019 = two_years
    assert program_last_year(program=y2019).pk == program.pk
    ytd = last_year_of(cut=cut_quarter(program=y2019, number=2, year_to_date=True, include_pending=True))
    assert ytd.year == 2018 and ytd.heading == "6 tháng đầu năm 2018"
    ind = ytd.indicator("4")
    assert (ind.province.numerator, ind.province.denominator) == (6, 14)  # Châu Đốc's pending 100/100 left out
    assert ind.value == Decimal(6) * 100 / Decimal(14)
    assert ytd.output("III.3", "III.3.a").achieved == 12
    assert ytd.indicator("4b") is None and ytd.output("III.3", "III.3.z") is None  # new in 2019
    one = last_year_of(cut=cut_quarter(program=y2019, number=1))
    assert one.heading == "Quý 1/2018" and one.indicator("4").value == Decimal(40)
    assert one.output("III.3", "III.3.a").achieved == 7
    year = last_year_of(cut=cut_quarter(program=y2019, number=4, year_to_date=True))
    assert year.heading == "Năm 2018"
    assert last_year_of(cut=cut_quarter(program=y2019, number=3, year_to_date=True)).heading == "Đến hết quý 3/2018"


def test_a_year_without_a_published_year_before_has_none(two_years):
    program, _y2019 = two_years
    assert program_last_year(program=program) is None
    assert last_year_compute(cut=cut_quarter(program=program, number=2), program=None) is None


def test_the_dashboard_shows_last_years_figure_beside_this_years(two_years, login):
    dolisa = login("dolisa", Client())
    body = dolisa.get("/dashboard/2019/?cut=ytd&quarter=2").content.decode()
    assert body.count('data-testid="last-year-head"') == 2  # the targets' table and the outputs'
    assert ">6 tháng đầu năm 2018</th>" in body
    indicators = _rows(body, "data-indicator")
    assert indicators["4"] == "42,9%" and indicators["1"] == "–"  # not reported in 2018: "–", never 0
    assert indicators["4b"] == "–"  # new in 2019
    outputs = _rows(body, "data-output")
    assert outputs["III.3.a"] == "12" and outputs["III.3.z"] == "–"
    quarter = dolisa.get("/dashboard/2019/?cut=quarter&quarter=1").content.decode()
    assert ">Quý 1/2018</th>" in quarter and _rows(quarter, "data-indicator")["4"] == "40%"


def test_a_district_filter_keeps_last_years_district(two_years, login):
    district = Agency.objects.get(code="ubnd-an-phu").unit.code
    body = login("dolisa", Client()).get(f"/dashboard/2019/?cut=ytd&quarter=2&district={district}").content.decode()
    assert _rows(body, "data-indicator")["4"] == "62,5%"  # An Phú alone: 5/8


def test_a_year_without_a_year_before_shows_no_column(two_years, login):
    body = login("dolisa", Client()).get("/dashboard/2018/?cut=ytd&quarter=2").content.decode()
    assert "last-year" not in body


def test_the_cached_dashboard_follows_last_years_data(two_years, login):
    """Last year's figures are part of the cached page: a report of last year accepted later shows."""
    program, _y2019 = two_years
    dolisa = login("dolisa", Client())
    assert _rows(dolisa.get("/dashboard/2019/?cut=quarter&quarter=1").content.decode(), "data-indicator")["4"] == "40%"
    sub = Submission.objects.get(quarter__program=program, agency__code="ubnd-chau-doc")
    sub.quarter = Quarter.objects.get(program=program, number=1)
    sub.status = Submission.Status.ACCEPTED
    sub.save()
    dataversion.bump(program.pk)  # as reporting.services does with an acceptance
    body = dolisa.get("/dashboard/2019/?cut=quarter&quarter=1").content.decode()
    assert _rows(body, "data-indicator")["4"] == "94,5%"  # (4 + 100) / (10 + 100)


def test_a_compiled_report_shows_last_years_column(two_years, settings, tmp_path, monkeypatch):
    """The six-month report of 2019: its targets' and outputs' tables and its annex carry 2018's first half."""
    _program, y2019 = two_years
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_CLOCK_TODAY = "2019-05-20"
    monkeypatch.setattr(compiling, "body_pdf", lambda body, **kw: RenderedPdf(b"%PDF-1.7 fake report", None))
    report = ProvincialReport.objects.get(program=y2019, kind="six_month")
    created, _ = compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
    version = compiling.version_compile(version_id=created.pk)
    assert version.status == ReportVersion.Status.DONE, version.error
    body = (tmp_path / version.html_path).read_text()
    assert body.count('<th class="value last-year">6 tháng đầu năm 2018</th>') == 1
    assert re.search(r'<td class="stt">4</td>.*?<td class="num last-year">42,9%</td>', body, re.S)
    assert re.search(r'<td class="stt">4b</td>.*?<td class="num last-year">–</td>', body, re.S)
    assert '<th class="last-year">6 tháng đầu năm 2018</th>' in body
    assert re.search(r"Chỉ tiêu mới năm 2019</td>.*?<td class=\"num last-year\">–</td>", body, re.S)
    wb = load_workbook(io.BytesIO((tmp_path / version.xlsx_path).read_bytes()))
    rows = list(wb["So với cùng kỳ năm trước"].iter_rows(values_only=True))
    assert rows[1][-2:] == ("Kết quả năm 2019", "6 tháng đầu năm 2018")
    by_code = {r[1]: r for r in rows[2:]}
    assert by_code["4"][-1] == 42.9 and by_code["4b"][-1] is None
    assert by_code["III.3 / III.3.a"][-2:] == (2, 12) and by_code["III.3 / III.3.z"][-1] is None
