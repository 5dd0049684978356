"""Years side by side: each published year's whole-year results matched by code, Σ numerators over
Σ denominators per year; a year that does not hold an item shows nothing for it; a change of the units'
layout between years is said."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from activities.models import OutputTarget
from dashboards.trend import layout_changes, trend_compute
from programs import years
from programs.models import AdminUnit, Agency, Program, Quarter
from targets.models import Indicator
from tests.factories import IndicatorValueFactory, OutputProgressFactory, ProgramFactory, SubmissionFactory

pytestmark = pytest.mark.django_db


def _value(program, agency, indicator, num, den, quarter=4):
    quarter_row = Quarter.objects.get(program=program, number=quarter)
    s = SubmissionFactory(agency=Agency.objects.get(code=agency), quarter=quarter_row)
    IndicatorValueFactory(submission=s, indicator=Indicator.objects.get(target__program=program, code=indicator),
                          numerator=num, denominator=den)  # fmt: skip
    return s


@pytest.fixture
def two_years(program):
    y2019 = years.program_next_year(source=program, decision_number="1/QĐ-UBND", decision_date=dt.date(2019, 3, 1),
                                    signer_name="A", signer_title="B")  # fmt: skip
    # 2018: 3/4 and 1/6 -> 4/10 = 40%; 2019: 9/10 and 0/10 -> 9/20 = 45%
    _value(program, "ubnd-an-phu", "4", 3, 4)
    _value(program, "ubnd-tri-ton", "4", 1, 6)
    s = _value(y2019, "ubnd-an-phu", "4", 9, 10)
    _value(y2019, "ubnd-tri-ton", "4", 0, 10)
    output = OutputTarget.objects.get(activity__group__program=y2019, code="III.3.a")
    OutputProgressFactory(submission=s, output=output, quantity=12)
    years.output_remove(output=OutputTarget.objects.get(activity__group__program=y2019, code="III.5.a"))
    years.program_publish(program=y2019)
    return program, y2019


def test_each_year_is_its_sum_over_sum_beside_the_year_before(two_years):
    program, _ = two_years
    trend = trend_compute(province_id=program.province_id)
    assert trend.years == [2018, 2019] and trend.previous(2019) == 2018
    row = next(r for r in trend.indicators if r.code == "4")
    assert row.cells[2018].value == Decimal(40) and row.cells[2019].value == Decimal(45)
    assert row.cells[2018].goal == Decimal(85)
    assert next(r for r in trend.indicators if r.code == "1").cells[2018].value is None  # not reported, not 0
    outputs = {r.code: r for r in trend.outputs}
    assert outputs["III.3 / III.3.a"].cells[2019].value == Decimal(12)
    assert outputs["III.3 / III.3.a"].cells[2018].value is None
    assert 2019 not in outputs["III.5 / III.5.a"].cells  # taken out of 2019: no cell, not 0


def test_a_draft_year_is_not_in_the_trend(program):
    years.program_next_year(source=program, decision_number="1", decision_date=dt.date(2019, 3, 1), signer_name="A",
                            signer_title="B")  # fmt: skip
    assert trend_compute(province_id=program.province_id).years == [2018]


def test_the_trend_page_is_for_the_leaders_with_a_fixed_number_of_queries(two_years, login,
                                                                           django_assert_max_num_queries):  # fmt: skip
    viewer = login("viewer", Client())
    with django_assert_max_num_queries(80):
        body = viewer.get("/dashboard/2019/trend/").content.decode()
    assert '<td class="num" data-year="2018"><span class="standing-far">40%</span>' in body
    assert '<td class="num" data-year="2019"><span class="standing-far">45%</span>' in body
    assert login("ubnd-tri-ton", Client()).get("/dashboard/2019/trend/").status_code == 403


def test_a_change_of_the_units_layout_between_years_is_said(program):
    """Tịnh Biên became a thị xã on 10/04/2023 (Nghị quyết 721/NQ-UBTVQH15): a trend from 2023 to 2024 says so."""
    province = program.province
    y2023 = ProgramFactory(province=province, year=2023, decision_date=dt.date(2023, 3, 1))
    y2024 = ProgramFactory(province=province, year=2024, decision_date=dt.date(2024, 3, 1))
    changes = layout_changes(programs=[program, y2023, y2024])
    ended = [(c.after_year, c.unit, c.what) for c in changes]
    assert (2024, "Huyện Tịnh Biên", "ended") in ended
    assert (2024, "Thị xã Tịnh Biên", "began") in ended
    assert all(c.after_year == 2024 for c in changes)
    assert AdminUnit.objects.get(code="890").valid_to == dt.date(2023, 4, 9)
    assert Program.objects.filter(province=province).count() == 3
