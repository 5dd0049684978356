"""The national figures: Σ numerators over Σ denominators across provinces (never the mean of the provinces'
ratios), each province's figure and reporting rate, the ranking, and a query count that does not grow with
the number of provinces."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ministry.selectors import national_view
from tests.ministry.helpers import YEAR, province_with

pytestmark = pytest.mark.django_db


def three_provinces():
    # A: 9/10 and 1/10 -> 10/20 = 50 %; B: 90/100 -> 90 %; C: 0/0 and one agency silent -> no figure.
    a = province_with("Tỉnh A", [(9, 10), (1, 10)])
    b = province_with("Tỉnh B", [(90, 100), None])
    c = province_with("Tỉnh C", [(0, 0), None, None])
    return a, b, c


def test_national_figure_is_the_sum_of_numerators_over_the_sum_of_denominators():
    """(9 + 1 + 90 + 0) / (10 + 10 + 100 + 0) = 100/120 = 83.33 %; the mean of the ratios (50 % and 90 %) would
    be 70 %."""
    a, b, c = three_provinces()
    view = national_view(year=YEAR)
    (indicator,) = view.indicators
    assert (indicator.national.numerator, indicator.national.denominator) == (100, 120)
    assert indicator.national.percent.quantize(Decimal("0.01")) == Decimal("83.33")
    assert indicator.by_province[a.pk].percent == Decimal(50)
    assert indicator.by_province[b.pk].percent == Decimal(90)
    assert indicator.by_province[c.pk].percent is None  # 0 over 0: no figure


def test_reporting_rates_ranking_and_not_sent():
    """Rates are accepted reports over the agencies the program names: A 2/2, B 1/2, C 1/3; national 4/7. B meets
    the 90 % goal and ranks first; A (all reported) before C. No province has issued its six-month report."""
    a, b, c = three_provinces()
    view = national_view(year=YEAR)
    rates = {r.program.pk: r.rate for r in view.provinces}
    assert rates[a.pk] == Decimal(100) and rates[b.pk] == Decimal(50)
    assert rates[c.pk].quantize(Decimal("0.01")) == Decimal("33.33")
    assert view.national_rate.quantize(Decimal("0.01")) == Decimal("57.14")
    assert [r.program.pk for r in view.provinces] == [b.pk, a.pk, c.pk]
    assert [r.rank for r in view.provinces] == [1, 2, 3]
    assert {r.program.pk for r in view.not_sent_six_month} == {a.pk, b.pk, c.pk}


def test_only_accepted_reports_count():
    program = province_with("Tỉnh A", [(5, 10)])
    other = province_with("Tỉnh B", [(5, 10)])
    other.quarters.get().submissions.update(status="submitted")
    (indicator,) = national_view(year=YEAR).indicators
    assert (indicator.national.numerator, indicator.national.denominator) == (5, 10)
    assert set(indicator.by_province) == {program.pk}


def queries_for(provinces: int) -> int:
    for n in range(provinces):
        province_with(f"Tỉnh {n}", [(n, 10), (1, 10), None])
    with CaptureQueriesContext(connection) as ctx:
        national_view(year=YEAR)
    return len(ctx.captured_queries)


def test_query_count_is_constant_as_provinces_grow():
    """The same number of queries with 2 provinces as with 4 (aggregates, not a query per province)."""
    two = queries_for(2)
    assert queries_for(2) == two  # 4 provinces now
    assert two <= 8
