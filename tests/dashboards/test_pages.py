"""The dashboard page (dashboards.pages) on hand-computed fixtures: every figure as DOLISA reads it, which
submissions count, and the link of every number to the submissions behind it."""

from __future__ import annotations

import re

import pytest

from activities.models import OutputTarget
from core import dataversion
from programs.models import Agency
from tests.factories import OutputProgressFactory

from .helpers import (
    SOURCES,
    body,
    communes,
    fragment,
    links,
    page,
    province_link,
    row,
    sub,
    table,
    text,
    three_districts,
    value,
    with_budget,
)

pytestmark = pytest.mark.django_db


def test_province_value_is_sum_over_sum_as_shown(login):
    """Three districts 3/4, 1/1, 0/5: the page shows 40% (4/10) for the province, each district's own
    value in its cell with a sign, and 'Chưa đạt'."""
    three_districts()
    content = body(page(login("dolisa"), "cut=quarter&quarter=1"))
    one = text(row(table(content, "targets"), "data-indicator", "1"))
    assert "40%" in one and "4/10" in one and "Chưa đạt" in one and "3/11 huyện" in one
    assert "58,3%" not in content
    districts = table(content, "districts")
    an_phu = Agency.objects.get(code="ubnd-an-phu").unit.code
    tri_ton = Agency.objects.get(code="ubnd-tri-ton").unit.code
    assert "75%" in text(row(districts, "data-district", an_phu)) and "3/4" in text(
        row(districts, "data-district", an_phu)
    )
    cell = re.search(r'<td[^>]*data-standing="(\w+)"[^>]*data-indicator="1"', row(districts, "data-district", tri_ton))
    assert cell.group(1) == "met"
    assert "✓" in row(districts, "data-district", tri_ton)  # colour is never the only signal


def test_returned_submission_does_not_count_until_accepted(login):
    value("ubnd-an-phu", 1, "2", 2, 2)
    returned = value("ubnd-tri-ton", 1, "2", 0, 8, status="returned")
    c = login("dolisa")
    assert "2/2" in text(row(table(body(page(c, "cut=quarter&quarter=1")), "targets"), "data-indicator", "2"))
    # the switch that includes pending reports does not include a returned one either
    assert "2/2" in text(row(table(body(page(c, "cut=quarter&quarter=1&pending=1")), "targets"), "data-indicator", "2"))
    returned.status = "accepted"
    returned.save(update_fields=["status"])
    dataversion.bump(returned.quarter.program_id)  # a write around the services moves the data version itself
    assert "2/10" in text(row(table(body(page(c, "cut=quarter&quarter=1")), "targets"), "data-indicator", "2"))


def test_pending_switch_changes_the_numbers_and_says_so(login):
    value("ubnd-an-phu", 1, "1", 2, 2)
    value("ubnd-phu-tan", 1, "1", 0, 2, status="submitted")
    c = login("dolisa")
    accepted = body(page(c, "cut=quarter&quarter=1"))
    assert "Chỉ số liệu đã được Sở duyệt" in text(fragment(accepted, "div", "data-testid", "scope"))
    assert "100%" in text(row(table(accepted, "targets"), "data-indicator", "1"))
    pending = body(page(c, "cut=quarter&quarter=1&pending=1"))
    assert "Gồm cả báo cáo đã gửi, chưa duyệt" in text(fragment(pending, "div", "data-testid", "scope"))
    one = text(row(table(pending, "targets"), "data-indicator", "1"))
    assert "50%" in one and "2/4" in one
    assert 'name="pending" value="1" checked' in pending


def test_counts_add_up_over_quarters_and_states_take_the_latest(login):
    dental = OutputTarget.objects.get(activity__group__program__year=2018, quantity=800)  # sum
    kept = OutputTarget.objects.get(activity__group__program__year=2018, quantity=8)  # latest
    OutputProgressFactory(submission=sub("so-ldtbxh", 1), output=dental, quantity=150)
    OutputProgressFactory(submission=sub("so-ldtbxh", 2), output=dental, quantity=250)
    OutputProgressFactory(submission=sub("so-y-te", 2), output=dental, quantity=100)
    OutputProgressFactory(submission=sub("ubnd-tan-chau", 1), output=kept, quantity=3)
    OutputProgressFactory(submission=sub("ubnd-tan-chau", 2), output=kept, quantity=4)
    OutputProgressFactory(submission=sub("ubnd-long-xuyen", 1), output=kept, quantity=3)
    content = body(page(login("dolisa"), "cut=ytd&quarter=2"))
    outputs = table(content, "outputs")
    dental_row = text(row(outputs, "data-output", dental.code))
    assert "800 trẻ em" in dental_row and " 500 " in f" {dental_row} " and "62,5%" in dental_row
    assert "Sở LĐTBXH: 400" in dental_row and "Sở Y tế: 100" in dental_row
    kept_row = text(row(outputs, "data-output", kept.code))
    assert " 7 " in f" {kept_row} " and "87,5%" in kept_row  # 4 + 3, not 3 + 4 + 3
    q2 = body(page(login("dolisa"), "cut=quarter&quarter=2"))
    assert " 350 " in f" {text(row(table(q2, 'outputs'), 'data-output', dental.code))} "


def test_reporting_rate_timeliness_and_days_late(login, settings):
    settings.PORTAL_CLOCK_TODAY = "2018-04-01"
    sub("ubnd-an-phu", 1)
    sub("ubnd-tri-ton", 1, "returned")
    sub("so-y-te", 1, "submitted", days_late=3)
    sub("so-gddt", 1, "accepted", days_late=1)
    sub("ubnd-cho-moi", 1, "draft")
    sub("toa-an-tinh", 1, "submitted", days_late=4)  # requested (VIII.2.10): apart, never late
    content = body(page(login("dolisa"), "cut=quarter&quarter=1"))
    cells = re.findall(r'<td class="num">(.*?)</td>', row(table(content, "compliance"), "data-quarter", "1"), re.S)
    assert [text(c) for c in cells] == ["20", "4", "2", "2 4 ngày trễ", "16", "20%", "10%"]
    missing = text(fragment(content, "details", "data-testid", "missing-list"))
    assert "16 cơ quan, đơn vị chưa gửi báo cáo" in missing and "UBND huyện Chợ Mới" in missing
    assert "UBND huyện An Phú" not in missing and "MTTQ" not in missing
    requested = text(fragment(content, "p", "data-testid", "requested"))
    assert "được đề nghị phối hợp (mục VIII.2.10): 1/6 đã gửi báo cáo" in requested
    assert "TAND tỉnh" not in requested and "UBMTTQVN tỉnh" in requested  # sent, so not among those still to send


def test_budget_against_the_floors(login):
    """The budget table shows the district's amount and what it lacks, the communes' total (their sum) and
    names each commune below 20.000.000 đ; a district that left its budget blank says "chưa báo cáo"."""
    names = [c.name for c in communes("ubnd-cho-moi")]  # 18 communes
    with_budget("ubnd-cho-moi", 1, district=120_000_000, amounts=[15_000_000, 12_000_000] + [25_000_000] * 16)
    sub("ubnd-an-phu", 1)
    content = body(page(login("dolisa"), "cut=quarter&quarter=1"))
    cho_moi = Agency.objects.get(code="ubnd-cho-moi").unit.code
    line = text(row(table(content, "budget"), "data-district", cho_moi))
    assert "120.000.000 đ" in line and "thiếu 30.000.000 đ" in line and "427.000.000 đ" in line
    below = text(fragment(row(table(content, "budget"), "data-district", cho_moi), "td", "data-testid",
                          "communes-below"))  # fmt: skip
    assert below == f"{names[0]} (15.000.000 đ); {names[1]} (12.000.000 đ)"
    an_phu = text(row(table(content, "budget"), "data-district", Agency.objects.get(code="ubnd-an-phu").unit.code))
    assert an_phu.startswith("An Phú chưa báo cáo 14 chưa báo cáo chưa báo cáo")  # never "0 đ"


def test_the_budget_count_is_over_the_districts_that_reported(login):
    """8 of the 9 districts that reported meet every floor, two left their budget blank: "8/9 ... 9/11 đã báo
    cáo", never "8/11" nor "0/11"."""
    for code in ["ubnd-long-xuyen", "ubnd-chau-doc", "ubnd-an-phu", "ubnd-tan-chau", "ubnd-phu-tan",
                 "ubnd-chau-phu", "ubnd-tinh-bien", "ubnd-tri-ton", "ubnd-chau-thanh"]:  # fmt: skip
        amount = 19_000_000 if code == "ubnd-tinh-bien" else 20_000_000
        with_budget(code, 1, district=150_000_000, amounts=[amount] * len(communes(code)))
    sub("ubnd-cho-moi", 1)
    sub("ubnd-thoai-son", 1)
    content = body(page(login("dolisa"), "cut=quarter&quarter=1"))
    kpi = text(fragment(content, "a", "href", "#budget"))
    assert kpi.startswith("8/9 huyện đã báo cáo bố trí đủ kinh phí tối thiểu") and "9/11 đã báo cáo" in kpi


def test_every_number_links_to_the_drill_down(login):
    three_districts()
    sub("ubnd-an-phu", 2, district_budget=150_000_000)
    content = body(page(login("dolisa"), "cut=ytd&quarter=2"))
    for testid in ("targets", "districts", "compliance", "budget"):
        hrefs = links(table(content, testid))
        assert hrefs and all(h.startswith(SOURCES + "?") for h in hrefs), testid
    href = province_link(content, "1")
    assert "what=indicator" in href and "code=1" in href and "cut=ytd" in href and "quarter=2" in href
