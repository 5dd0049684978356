"""The drill-down (dashboards.sources): the submissions behind a number, exactly those, with what each
contributed; an unknown number answers 404."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from activities.models import OutputTarget
from programs.models import Agency
from tests.factories import OutputProgressFactory

from .helpers import (
    SOURCES,
    body,
    fragment,
    get,
    links,
    page,
    province_link,
    row,
    source_agencies,
    sub,
    table,
    text,
    three_districts,
    value,
    with_budget,
)

pytestmark = pytest.mark.django_db


def test_drill_down_lists_exactly_the_contributing_submissions(login):
    contributing = three_districts()
    value("ubnd-phu-tan", 1, "1", 1, 2, status="submitted")  # not accepted: not behind the number
    sub("ubnd-long-xuyen", 1)  # accepted, but no value for indicator 1
    c = login("dolisa")
    href = province_link(body(page(c, "cut=quarter&quarter=1")), "1")
    content = body(get(c, href))
    assert sorted(source_agencies(content)) == sorted(s.agency.code for s in contributing)
    an_phu = text(row(table(content, "sources"), "data-agency", "ubnd-an-phu"))
    assert "3" in an_phu.split() and "4" in an_phu.split() and "75%" in an_phu
    assert "Cộng Toàn tỉnh 4 10 40%" in text(table(content, "sources"))
    opened = links(table(content, "sources"))
    expected = {
        reverse("reporting:submission", kwargs={"year": 2018, "quarter": 1, "code": s.agency.code})
        for s in contributing
    }
    assert set(opened) == expected
    assert get(c, opened[0]).status_code == 200


def test_drill_down_of_a_course_value_and_of_a_district_cell(login):
    value("ubnd-an-phu", 1, "4", 10, 20)
    value("ubnd-an-phu", 2, "4", 18, 20)
    value("ubnd-tri-ton", 1, "4", 5, 10)
    c = login("dolisa")
    content = body(page(c, "cut=ytd&quarter=2"))
    four = row(table(content, "targets"), "data-indicator", "4")
    q1_link = links(fragment(four, "td", "data-quarter", "1"))[0]
    q1 = body(get(c, q1_link))
    assert sorted(source_agencies(q1)) == ["ubnd-an-phu", "ubnd-tri-ton"]
    assert "15 30 50%" in text(table(q1, "sources"))
    an_phu = Agency.objects.get(code="ubnd-an-phu").unit.code
    cell = re.search(
        r'<td[^>]*data-indicator="4"[^>]*>(.*?)</td>', row(table(content, "districts"), "data-district", an_phu), re.S
    )
    cell_page = body(get(c, links(cell.group(1))[0]))
    assert re.findall(r'<tr data-agency="([^"]+)" data-quarter="(\d)"', table(cell_page, "sources")) == [
        ("ubnd-an-phu", "2")
    ]


def test_drill_down_of_outputs_compliance_and_budget(login):
    dental = OutputTarget.objects.get(activity__group__program__year=2018, quantity=800)
    OutputProgressFactory(submission=sub("so-ldtbxh", 1), output=dental, quantity=150)
    OutputProgressFactory(submission=sub("so-ldtbxh", 2), output=dental, quantity=250)
    sub("so-y-te", 1, "submitted", days_late=3)
    with_budget("ubnd-cho-moi", 2, district=120_000_000, amounts=[19_000_000] + [25_000_000] * 17)
    c = login("dolisa")
    content = body(page(c, "cut=ytd&quarter=2"))
    achieved = re.search(
        r'href="([^"]+)" data-testid="output-achieved"', row(table(content, "outputs"), "data-output", dental.code)
    )
    out = body(get(c, html.unescape(achieved.group(1))))
    assert re.findall(r'<tr data-agency="([^"]+)" data-quarter="(\d)"', table(out, "sources")) == [
        ("so-ldtbxh", "1"),
        ("so-ldtbxh", "2"),
    ]
    assert "400 trẻ em" in text(table(out, "sources"))
    late = [h for h in links(row(table(content, "compliance"), "data-quarter", "1")) if "part=late" in h][0]
    late_page = body(get(c, late))
    assert source_agencies(late_page) == ["so-y-te"] and "Trễ 3 ngày" in text(table(late_page, "sources"))
    cho_moi = Agency.objects.get(code="ubnd-cho-moi").unit.code
    budget = body(get(c, links(row(table(content, "budget"), "data-district", cho_moi))[0]))
    assert source_agencies(budget) == ["ubnd-cho-moi"] and "120.000.000 đ" in text(table(budget, "sources"))
    assert "444.000.000 đ" in text(table(budget, "sources")) and "(19.000.000 đ)" in text(table(budget, "sources"))


@pytest.mark.parametrize(
    "query",
    ["what=nothing", "what=indicator&code=99", "what=output&output=abc", "what=compliance&part=all", ""],
)
def test_drill_down_of_an_unknown_number_is_404(login, query):
    get(login("dolisa"), f"{SOURCES}?{query}", 404)
