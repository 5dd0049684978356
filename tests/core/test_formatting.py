"""One formatter for numbers, money, quantities and dates (core.formatting) and its template filters
(core's `portal` tags): dates day first, a moment date first in the portal's time zone, money by the
output target's `is_money`, not by how its unit is spelled."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from activities.models import OutputTarget
from core.formatting import fmt_date, fmt_datetime, fmt_quantity

UTC = dt.UTC


def render(text: str, **context) -> str:
    return Template("{% load portal %}" + text).render(Context(context))


def test_a_date_is_written_day_first():
    assert fmt_date(dt.date(2018, 3, 20)) == "20/03/2018"
    assert fmt_date(None) == "–"


def test_a_moment_is_written_date_first_in_the_portals_time_zone():
    """06:46 UTC is 13:46 in Asia/Ho_Chi_Minh; a moment late in the UTC day is the next local day."""
    assert fmt_datetime(dt.datetime(2018, 5, 2, 6, 46, tzinfo=UTC)) == "02/05/2018 13:46"
    assert fmt_datetime(dt.datetime(2018, 5, 2, 20, 0, tzinfo=UTC)) == "03/05/2018 03:00"
    assert fmt_datetime(None) == "–"
    assert fmt_date(dt.datetime(2018, 5, 2, 20, 0, tzinfo=UTC)) == "03/05/2018"


def test_the_template_filters_write_the_same():
    at = dt.datetime(2018, 5, 2, 6, 46, tzinfo=UTC)
    assert render("{{ d|vdate }} {{ t|vdatetime }}", d=dt.date(2018, 3, 20), t=at) == "20/03/2018 02/05/2018 13:46"
    assert render("{{ missing|vdate }}|{{ missing|vdatetime }}") == "–|–"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_djangos_own_formats_are_date_first_in_every_language(language):
    """What Django prints for a date or a moment without a format (the admin, {{ value }}) agrees."""
    at = dt.datetime(2018, 5, 2, 13, 46)
    with translation.override(language):
        assert formats.date_format(at, "DATETIME_FORMAT") == "02/05/2018 13:46"
        assert formats.date_format(at, "SHORT_DATETIME_FORMAT") == "02/05/2018 13:46"
        assert formats.date_format(at.date()) == "02/05/2018"


def test_money_is_told_by_the_output_not_by_the_units_spelling():
    assert fmt_quantity(5_000_000_000, "đồng", money=True) == "5.000.000.000 đ"
    assert fmt_quantity(800, "trẻ em", money=False) == "800 trẻ em"
    assert fmt_quantity(150_000_000, "VNĐ", money=True) == "150.000.000 đ"


def test_the_quantity_filter_takes_the_output():
    money = OutputTarget(quantity=5_000_000_000, unit="đồng")
    children = OutputTarget(quantity=800, unit="trẻ em")
    assert money.is_money and not children.is_money
    text = render("{{ a.quantity|qty:a }} · {{ b.quantity|qty:b }}", a=money, b=children)
    assert text == "5.000.000.000 đ · 800 trẻ em"
