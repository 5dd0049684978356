"""Incidents by kind and district appear on the dashboard and in the provincial reports, for their period."""

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import User
from dashboards.figures import cut_report, figures_compute
from documents.annex import annex_workbook
from documents.pdf import report_pdf
from programs.models import AdminUnit, ProvincialReport
from tests.incidents.factories import IncidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def incidents(program):
    cho_moi = AdminUnit.objects.get(parent=program.province, short_name="Chợ Mới")
    tri_ton = AdminUnit.objects.get(parent=program.province, short_name="Tri Tôn")
    filer = User.objects.get(username="so-y-te")
    commune = cho_moi.children.order_by("order").first()
    IncidentFactory(filed_by=filer, commune=commune, occurred_on=dt.date(2018, 5, 2), kind="violence",
                    boys_6_11=1, girls_11_16=2)  # fmt: skip
    IncidentFactory(filed_by=filer, commune=commune, occurred_on=dt.date(2018, 4, 20), kind="drowning_injury",
                    boys_6_11=1)  # fmt: skip
    IncidentFactory(filed_by=filer, commune=tri_ton.children.order_by("order").first(), occurred_on=dt.date(2018, 2, 9),
                    kind="sexual_abuse", girls_11_16=1)  # with the factory's boy aged 6–11: 2 children  # fmt: skip


def section(body: str) -> str:
    start = body.index('id="incidents"')
    return body[start : body.index("</section>", start)]


def test_dashboard_shows_the_cuts_incidents(login, program, incidents):
    c = login("viewer")
    q2 = section(c.get("/dashboard/2018/?cut=quarter&quarter=2").content.decode())
    assert 'data-district="' in q2
    cho_moi_row = re.search(r'data-district="893">(.*?)</tr>', q2, re.S).group(1)
    assert '1 <span class="text-muted">(3)</span>' in cho_moi_row  # violence: 1 case, 3 children
    assert '2 <span class="text-muted">(4)</span>' in cho_moi_row  # total: 2 cases, 4 children
    tri_ton_row = re.search(r'data-district="891">(.*?)</tr>', q2, re.S).group(1)
    assert "(1)" not in tri_ton_row  # its case was in Q1
    ytd = section(c.get("/dashboard/2018/?cut=ytd&quarter=2").content.decode())
    assert 'data-testid="incidents-total">3 (6)<' in ytd  # the province's total over the year to date


def test_a_district_sees_its_own_district_and_a_provincial_agency_none(login, program, incidents):
    own = section(login("ubnd-cho-moi").get("/dashboard/2018/?cut=ytd&quarter=2").content.decode())
    assert 'data-district="893"' in own and 'data-district="891"' not in own
    assert 'id="incidents"' not in login("so-gddt").get("/dashboard/2018/").content.decode()


def test_the_six_month_report_and_its_annex_show_them(program, incidents):
    report = ProvincialReport.objects.get(program=program, kind="six_month")
    figures = figures_compute(cut=cut_report(report=report))
    pdf = report_pdf(report=report, figures=figures, issued_on=dt.date(2018, 5, 20), doc_number=7)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Các vụ việc được báo cáo đột xuất" in text
    assert "Vụ việc xảy ra từ 01/01/2018 đến 30/06/2018" in text
    wb = load_workbook(io.BytesIO(annex_workbook(report=report, figures=figures, issued_on=dt.date(2018, 5, 20),
                                                 doc_number=7)))  # fmt: skip
    ws = wb["Báo cáo đột xuất"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    total = next(r for r in rows if r[0] == "Toàn tỉnh")
    assert total[-2:] == [3, 6]
