"""Incidents by kind and district, the numbers that the dashboard and the provincial reports show."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from incidents.selectors import incidents_by_kind_and_district
from programs.models import AdminUnit

from .factories import IncidentFactory
from .helpers import AN_PHU, CHO_MOI, communes_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(program):
    """Q1: Chợ Mới 2 violence (1 + 2 children), 1 drowning (1); An Phú 1 violence (4). Q2: Chợ Mới 1 abuse (1).
    Next year: one more, outside the program's year."""
    filer = User.objects.get(username="so-y-te")
    cm, ap = communes_of(program, CHO_MOI)[0], communes_of(program, AN_PHU)[2]
    IncidentFactory(filed_by=filer, commune=cm, occurred_on=dt.date(2018, 1, 5), kind="violence", boys_6_11=1)
    IncidentFactory(filed_by=filer, commune=cm, occurred_on=dt.date(2018, 3, 31), kind="violence", boys_6_11=0,
                    girls_under_6=1, girls_16_18=1)  # fmt: skip
    IncidentFactory(filed_by=filer, commune=cm, occurred_on=dt.date(2018, 2, 1), kind="drowning_injury")
    IncidentFactory(filed_by=filer, commune=ap, occurred_on=dt.date(2018, 3, 1), kind="violence", boys_6_11=4)
    IncidentFactory(filed_by=filer, commune=cm, occurred_on=dt.date(2018, 4, 1), kind="sexual_abuse", boys_6_11=0,
                    girls_11_16=1)  # fmt: skip
    IncidentFactory(filed_by=filer, commune=cm, occurred_on=dt.date(2019, 1, 2), kind="violence")


def _cell(table, district_code: str, kind: str):
    row = next(r for r in table.rows if r.district.code == district_code)
    i = [k for k, _label in table.kinds].index(kind)
    return row.cells[i].cases, row.cells[i].children


def test_the_first_quarter_by_kind_and_district(program, cases):
    """Q1: every district, every kind, the cases and children of each cell, each kind and the province."""
    table = incidents_by_kind_and_district(program=program, quarters=list(program.quarters.filter(number=1)))
    assert (table.date_from, table.date_to) == (dt.date(2018, 1, 1), dt.date(2018, 3, 31))
    assert len(table.rows) == 11
    assert [label for _k, label in table.kinds] == [
        "Xâm hại tình dục", "Bạo lực", "Mua bán", "Đuối nước, tai nạn thương tích", "Lao động trẻ em", "Khác",
    ]  # fmt: skip
    assert _cell(table, CHO_MOI, "violence") == (2, 3)
    assert _cell(table, CHO_MOI, "drowning_injury") == (1, 1)
    assert _cell(table, AN_PHU, "violence") == (1, 4)
    assert _cell(table, CHO_MOI, "sexual_abuse") == (0, 0)
    violence = table.totals[1]
    assert (violence.cases, violence.children) == (3, 7)
    assert (table.total.cases, table.total.children) == (4, 8)
    cho_moi = next(r for r in table.rows if r.district.code == CHO_MOI)
    assert (cho_moi.total.cases, cho_moi.total.children) == (3, 4)


def test_six_months_of_one_district(program, cases):
    """The first half year of one district: its row only, with its totals."""
    quarters = list(program.quarters.filter(number__in=[1, 2]))
    table = incidents_by_kind_and_district(
        program=program, quarters=quarters, district=AdminUnit.objects.get(code=CHO_MOI)
    )
    assert [r.district.code for r in table.rows] == [CHO_MOI]
    assert (table.total.cases, table.total.children) == (4, 5)
    assert _cell(table, CHO_MOI, "sexual_abuse") == (1, 1)


def test_whole_year_by_default_and_date_range(program, cases):
    """Without a period the program's year (a case of 2019 is left out); or between two dates."""
    assert incidents_by_kind_and_district(program=program).total.cases == 5  # 2019's case is not the program's
    table = incidents_by_kind_and_district(program=program, date_from=dt.date(2018, 3, 1), date_to=dt.date(2018, 3, 31))
    assert (table.total.cases, table.total.children) == (2, 6)


def test_a_period_without_incidents_is_empty(program, cases):
    """A quarter without incidents gives an empty table."""
    table = incidents_by_kind_and_district(program=program, quarters=list(program.quarters.filter(number=4)))
    assert table.is_empty and table.total.cases == 0


def test_two_queries_whatever_the_number_of_incidents(program, cases):
    with CaptureQueriesContext(connection) as ctx:
        incidents_by_kind_and_district(program=program)
    assert len(ctx) == 2


def test_include_renders_the_table(program, cases):
    """The include prints the period, each cell as cases (children), the province's total, or says there were none."""
    from django.template.loader import render_to_string

    table = incidents_by_kind_and_district(program=program, quarters=list(program.quarters.filter(number=1)))
    html = render_to_string("incidents/_by_kind_and_district.html", {"table": table})
    assert "Vụ việc xảy ra từ 01/01/2018 đến 31/03/2018. Mỗi ô: số vụ (số trẻ em)." in html
    assert '<td class="num fw-bold" data-testid="incidents-total">4 (8)</td>' in html
    assert "Chợ Mới" in html and "Toàn tỉnh" in html
    empty = incidents_by_kind_and_district(program=program, quarters=list(program.quarters.filter(number=4)))
    html = render_to_string("incidents/_by_kind_and_district.html", {"table": empty})
    assert "Không có báo cáo đột xuất nào về vụ việc xảy ra từ 01/10/2018 đến 31/12/2018." in html
