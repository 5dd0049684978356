"""The synthetic-data generator (for benchmarks) builds programs the portal can compute on."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dashboards.figures import cut_quarter, figures_compute
from programs.models import AdminUnit, Program
from reporting.models import Submission

pytestmark = pytest.mark.django_db


def test_two_provinces_over_two_years_make_programs_the_figures_read(program):
    """Two synthetic provinces over two years: four programs, every agency's report for every quarter, and figures
    that compute."""
    call_command("generate_scale_data", provinces=2, years=2, allow_sqlite=True)
    provinces = AdminUnit.objects.filter(code__in=["S01", "S02"], level=1)
    assert provinces.count() == 2
    programs = Program.objects.filter(province__in=provinces)
    assert programs.count() == 4
    synthetic = programs.get(province__code="S01", year=2019)
    agencies = (
        synthetic.province.agencies.count()
        + AdminUnit.objects.filter(parent=synthetic.province, agencies__isnull=False).count()
    )
    assert Submission.objects.filter(quarter__program=synthetic).count() == agencies * 4
    figures = figures_compute(cut=cut_quarter(program=synthetic, number=4, year_to_date=True))
    one = next(i for i in figures.indicators if i.indicator.code == "1")
    assert one.province.denominator > 0
    assert one.province.numerator <= one.province.denominator
    assert len(figures.compliance) == 4


def test_refuses_sqlite_without_the_flag(program):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the refusal is for SQLite")
    with pytest.raises(CommandError):
        call_command("generate_scale_data", provinces=1, years=1)
