"""The dashboard's filters (dashboards.filters): the cut of the portal's clock, one quarter or the year to date,
bad filters told and ignored, an agency and a district that disagree reconciled, and each role's scope: a
viewer reads accepted figures only, a reporter its own agency only (anything else answers 404)."""

from __future__ import annotations

import html
import re

import pytest

from activities.models import OutputTarget
from programs.models import Agency
from tests.factories import OutputProgressFactory

from .helpers import (
    SOURCES,
    URL,
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
)

pytestmark = pytest.mark.django_db


def test_default_cut_is_the_year_to_date_of_the_portal_clock(login, settings):
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    content = body(page(login("dolisa")))
    assert "Lũy kế từ đầu năm đến hết quý 2/2018" in text(fragment(content, "div", "data-testid", "scope"))
    settings.PORTAL_CLOCK_TODAY = "2018-02-01"
    assert "quý 1/2018" in text(fragment(body(page(login("dolisa"))), "div", "data-testid", "scope"))


def test_cut_of_one_quarter_says_so_and_changes_the_numbers(login):
    value("ubnd-an-phu", 1, "4", 10, 20)
    value("ubnd-an-phu", 2, "4", 18, 20)
    c = login("dolisa")
    ytd = body(page(c, "cut=ytd&quarter=2"))
    assert "90%" in text(row(table(ytd, "targets"), "data-indicator", "4"))
    q1 = body(page(c, "cut=quarter&quarter=1"))
    assert "Riêng quý 1/2018" in text(fragment(q1, "div", "data-testid", "scope"))
    assert "50%" in text(row(table(q1, "targets"), "data-indicator", "4"))


def test_bad_filters_get_a_message_and_change_nothing(login, settings):
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    content = body(page(login("dolisa"), "quarter=7&cut=abc&agency=khong-co&district=999"))
    warnings = " ".join(text(w) for w in re.findall(r'data-testid="filter-warning">(.*?)</div>', content, re.S))
    assert "Quý “7” không hợp lệ" in warnings and "Cách tính “abc” không hợp lệ" in warnings
    assert "khong-co" in warnings and "999" in warnings
    assert "Lũy kế từ đầu năm đến hết quý 2/2018 · Toàn tỉnh" in text(fragment(content, "div", "data-testid", "scope"))


def test_agency_and_district_filters_that_disagree_are_reconciled_with_a_message(login):
    tri_ton = Agency.objects.get(code="ubnd-tri-ton").unit.code
    content = body(page(login("dolisa"), f"agency=ubnd-an-phu&district={tri_ton}"))
    assert "UBND huyện An Phú thuộc Huyện An Phú: đã lọc theo Huyện An Phú." in text(content)
    assert "Ủy ban nhân dân huyện An Phú" in text(fragment(content, "div", "data-testid", "scope"))
    content = body(page(login("dolisa"), f"agency=so-y-te&district={tri_ton}"))
    assert "Sở Y tế là cơ quan cấp tỉnh: đã bỏ bộ lọc huyện." in text(content)
    assert "Sở Y tế" in text(fragment(content, "div", "data-testid", "scope"))


def test_district_filter_shows_that_district_only(login):
    three_districts()
    an_phu = Agency.objects.get(code="ubnd-an-phu")
    content = body(page(login("dolisa"), f"cut=quarter&quarter=1&district={an_phu.unit.code}"))
    # its own value (3/4), beside the province's (4/10) and its place (2nd of the 3 that reported)
    one = text(row(table(content, "district-indicators"), "data-indicator", "1"))
    assert "75% 3/4" in one and "40% 4/10" in one and "2/3" in one
    assert re.findall(r'<tr data-district="([^"]+)" class="table-info" data-own="1"', content) == [an_phu.unit.code]
    assert "Huyện An Phú" in text(fragment(content, "div", "data-testid", "scope"))


def test_viewer_reads_the_province_accepted_only(login):
    value("ubnd-an-phu", 1, "1", 2, 2)
    pending = value("ubnd-phu-tan", 1, "1", 0, 2, status="submitted")
    c = login("viewer")
    content = body(page(c, "cut=quarter&quarter=1&pending=1"))  # the switch is ignored for viewers
    assert "Chỉ số liệu đã được Sở duyệt" in text(fragment(content, "div", "data-testid", "scope"))
    assert "2/2" in text(row(table(content, "targets"), "data-indicator", "1"))
    assert 'name="pending"' not in content
    href = province_link(content, "1")
    assert "pending" not in href
    assert source_agencies(body(get(c, href + "&pending=1"))) == ["ubnd-an-phu"]
    # the sent-but-not-accepted report is counted as sent, but the viewer cannot open it
    sent = [h for h in links(row(table(content, "compliance"), "data-quarter", "1")) if "part=sent" in h][0]
    sent_page = body(get(c, sent))
    phu_tan = row(table(sent_page, "sources"), "data-agency", pending.agency.code)
    assert "Mở báo cáo" not in phu_tan


def test_reporter_sees_its_own_agency_only(login):
    three_districts()
    c = login("ubnd-an-phu")
    an_phu = Agency.objects.get(code="ubnd-an-phu")
    content = body(page(c, "cut=quarter&quarter=1"))
    assert an_phu.name in text(fragment(content, "div", "data-testid", "scope"))
    assert "75% 3/4" in text(row(table(content, "district-indicators"), "data-indicator", "1"))
    assert re.findall(r'<tr data-district="([^"]+)" class="table-info" data-own="1"', content) == [an_phu.unit.code]
    assert 'name="agency"' not in content and 'name="district"' not in content
    own = re.findall(r'<td class="num">(.*?)</td>', row(table(content, "compliance"), "data-quarter", "1"), re.S)
    assert [text(c) for c in own][:5] == ["1", "1", "1", "0", "0"]  # expected, sent, on time, late, missing
    # its own agency and district may be named; another one answers 404
    page(c, f"cut=quarter&quarter=1&agency={an_phu.code}")
    page(c, f"cut=quarter&quarter=1&district={an_phu.unit.code}")
    tri_ton = Agency.objects.get(code="ubnd-tri-ton")
    page(c, "agency=ubnd-tri-ton", status=404)
    page(c, f"district={tri_ton.unit.code}", status=404)
    get(c, f"{SOURCES}?what=indicator&code=1&agency=ubnd-tri-ton", 404)
    get(c, f"{URL}export.xlsx?agency=ubnd-tri-ton", 404)
    get(c, f"{URL}export.csv?table=targets&district={tri_ton.unit.code}", 404)
    # the drill-down of its value lists its own submission only
    href = html.unescape(re.search(r'data-testid="district-value">\s*<a[^>]*href="([^"]+)"', content).group(1))
    assert source_agencies(body(get(c, href))) == ["ubnd-an-phu"]


def test_provincial_reporter_sees_its_outputs_and_reporting(login):
    dental = OutputTarget.objects.get(activity__group__program__year=2018, quantity=800)
    OutputProgressFactory(submission=sub("so-y-te", 1), output=dental, quantity=100)
    OutputProgressFactory(submission=sub("so-ldtbxh", 1), output=dental, quantity=300)
    content = body(page(login("so-y-te"), "cut=quarter&quarter=1"))
    assert 'data-testid="no-targets"' in content and 'data-testid="targets"' not in content
    dental_row = text(row(table(content, "outputs"), "data-output", dental.code))
    assert "Sở Y tế: 100" in dental_row and "Sở LĐTBXH" not in dental_row
    get(login("so-y-te"), f"{URL}?agency=so-ldtbxh", 404)
