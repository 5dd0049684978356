"""A district's dashboard (issue 14): its indicators beside the province's and its place among the districts,
every district ranked, its own duties only, and a share only of the plans the program names per district;
never the province's whole plan as its own. Numbers computed by hand."""

from __future__ import annotations

import re

import pytest

from activities.models import OutputTarget
from dashboards.figures import PlanBasis, cut_quarter, district_plan, district_rank, figures_compute
from programs.models import Agency
from programs.selectors import program_frame
from tests.factories import OutputProgressFactory

from .helpers import body, page, row, sub, table, text, three_districts, value

pytestmark = pytest.mark.django_db
CHO_MOI = "893"  # the GSO codes of the program's districts
AN_PHU = "886"


def output(code):
    return OutputTarget.objects.get(activity__group__program__year=2018, code=code)


def outputs_of(content: str) -> list[str]:
    return re.findall(r'<tr data-output="([^"]+)"', table(content, "district-outputs"))


def test_a_district_sees_its_value_the_provinces_and_its_place(login):
    """An Phú 3/4 (75%), Tri Tôn 1/1 (100%), Chợ Mới 0/5 (0%): An Phú's own 75%, the province's 4/10 = 40%,
    and An Phú second of the three districts that reported; the other districts ranked beside it."""
    three_districts()
    content = body(page(login("ubnd-an-phu"), "cut=quarter&quarter=1"))
    one = text(row(table(content, "district-indicators"), "data-indicator", "1"))
    assert "75% 3/4" in one and "40% 4/10" in one and "2/3" in one
    assert "Chưa đạt" in one  # its own 75% against the indicator's goal of 100%, a rate every district is held to
    ranks = table(content, "district-ranks")
    tri_ton = Agency.objects.get(code="ubnd-tri-ton").unit.code
    assert "100% hạng 1/3" in text(re.search(r'data-indicator="1".*?</td>', row(ranks, "data-district", tri_ton),
                                             re.S).group(0))  # fmt: skip
    assert "0% hạng 3/3" in text(row(ranks, "data-district", CHO_MOI))
    assert 'data-district="886" class="table-info" data-own="1"' in ranks
    assert "Toàn tỉnh 40%" in text(re.search(r"<tfoot>.*</tfoot>", ranks, re.S).group(0))
    # the province's matrix of districts is not the district's: it has its own table
    assert 'data-testid="districts"' not in content


def test_districts_with_the_same_value_share_a_place(program):
    """An Phú 3/4 and Phú Tân 6/8 (both 75%) share the second place after Tri Tôn (100%); Chợ Mới (0%) is 4th
    of 4; a district that has not reported has no place."""
    three_districts()
    value("ubnd-phu-tan", 1, "1", 6, 8)
    an_phu = Agency.objects.get(code="ubnd-an-phu").unit
    figures = figures_compute(cut=cut_quarter(program=program, number=1, district=an_phu))
    one = figures.district.indicators[0]
    assert (one.province.numerator, one.province.denominator) == (10, 18)
    assert figures.district.rank(one) == (2, 4)
    by_name = {c.district.short_name: district_rank(one, c.district.pk) for c in one.districts}
    assert (by_name["Tri Tôn"], by_name["Phú Tân"], by_name["Chợ Mới"], by_name["Long Xuyên"]) == (
        (1, 4), (2, 4), (4, 4), None,
    )  # fmt: skip


def test_only_the_districts_own_duties_are_listed(login):
    """Chợ Mới supports the swimming-cage activity (I.2.5), but its second output names An Phú, Tịnh Biên and
    Tri Tôn only; it has no role in the school social work points (I.1.8) nor in the heart surgery fund
    (I.7.1): those rows are other bodies' duties and are absent, on its own dashboard and on the province's
    filtered to it."""
    for content in (body(page(login("ubnd-cho-moi"))), body(page(login("dolisa"), f"district={CHO_MOI}"))):
        shown = outputs_of(content)
        assert "I.2.5.a" in shown and "I.1.10.a" in shown and "V.2.a" in shown
        assert not {"I.2.5.b", "I.1.8.a", "I.1.8.b", "I.7.1.a", "I.1.9.a", "I.5.4.a"} & set(shown)
        assert len(shown) == 19
    # An Phú is named in I.2.5.b: it is its duty, one district of three, so its plan is 1 district
    shown = outputs_of(body(page(login("ubnd-an-phu"))))
    assert "I.2.5.b" in shown and "I.2.5.a" not in shown


def test_a_province_plan_is_never_the_districts_own(login):
    """Chợ Mới (18 communes) reports 12 communes piloting case management (I.1.10.a, "156 xã": every commune,
    so its part is its 18: 66,7%), 222 collaborators (I.1.12.a, 12 per commune: 222 ÷ 18 = 12,3, 102,8%),
    itself as a district running the system (I.1.6.a, one of 11 named: 1/1, 100%) and 2 billboards
    (I.6.4.a, 11 for the province with no part named: 2, no percentage). The province's dashboard keeps its
    percentages of the province's plans (12/156 = 7,7%, 2/11 = 18,2%); the district's shows none of them
    and counts its reached plans against its own plans only (2 of 9), never "x/20 chỉ tiêu đầu ra đã đạt"."""
    s = sub("ubnd-cho-moi", 1)
    for code, qty in {"I.1.10.a": 12, "I.1.12.a": 222, "I.1.6.a": 1, "I.6.4.a": 2}.items():
        OutputProgressFactory(submission=s, output=output(code), quantity=qty)
    content = body(page(login("ubnd-cho-moi"), "cut=quarter&quarter=1"))
    duties = table(content, "district-outputs")
    assert text(row(duties, "data-output", "I.1.10.a")).endswith(
        "18 xã tất cả các xã của huyện toàn tỉnh: 156 xã 12 66,7%"
    )
    assert "12 cộng tác viên/xã" in text(row(duties, "data-output", "I.1.12.a"))
    assert text(row(duties, "data-output", "I.1.12.a")).endswith("12,3 222 cộng tác viên ÷ 18 xã 102,8%")
    assert text(row(duties, "data-output", "I.1.6.a")).endswith(
        "1 huyện một cho mỗi huyện được nêu tên toàn tỉnh: 11 huyện 1 100%"
    )
    billboards = text(row(duties, "data-output", "I.6.4.a"))
    assert billboards.endswith("không giao riêng toàn tỉnh: 11 biển pano 2 đóng góp –")
    assert "%" not in billboards
    for province_share in ("7,7%", "18,2%"):
        assert province_share not in content
    kpi = text(re.search(r'data-testid="kpi-district-outputs">(.*?)</a>', content, re.S).group(1))
    assert kpi == "4/19 nhiệm vụ của huyện đã có kết quả · 2/9 chỉ tiêu có kế hoạch riêng của huyện đã đạt"
    assert "chỉ tiêu đầu ra đã đạt kế hoạch" not in content
    assert 'data-testid="outputs"' not in content
    province = body(page(login("dolisa"), "cut=quarter&quarter=1"))
    assert "7,7%" in text(row(table(province, "outputs"), "data-output", "I.1.10.a"))
    assert "18,2%" in text(row(table(province, "outputs"), "data-output", "I.6.4.a"))
    assert "chỉ tiêu đầu ra đã đạt kế hoạch" in province


def test_a_districts_part_of_a_plan_only_where_the_program_names_it(program):
    """The one reading of a plan per district: a club named for Long Xuyên alone is its whole plan; "3 huyện"
    named is one each; "156 xã" is every commune; 12 collaborators per commune applies to each district;
    "9 xã of 4 districts" names no district's part."""
    frame = program_frame(program=program)
    unit = {d.code: d for d in frame.districts}
    total = sum(d.commune_count for d in frame.districts)
    named = {code: frozenset(output(code).units.values_list("pk", flat=True)) for code in
             ("I.1.9.a", "I.2.5.b", "I.1.10.a", "I.1.12.a", "I.4.1.a")}  # fmt: skip

    def plan(code, district):
        return district_plan(output(code), unit[district], named[code], total)

    assert total == 156
    assert plan("I.1.9.a", "883") == (1, PlanBasis.NAMED)
    assert plan("I.1.9.a", "884") == (None, None)
    assert plan("I.2.5.b", AN_PHU) == (1, PlanBasis.EACH)
    assert plan("I.2.5.b", CHO_MOI) == (None, None)
    assert plan("I.1.10.a", CHO_MOI) == (18, PlanBasis.COMMUNES)
    assert plan("I.1.12.a", CHO_MOI) == (12, PlanBasis.RATE)
    assert plan("I.4.1.a", CHO_MOI) == (None, None)


def test_a_district_reporters_first_screen_links_to_its_dashboard(login, client):
    """The district People's Committee's first screen links to its dashboard; a provincial body's has no such
    link (its dashboard has no district to set beside the province)."""
    assert 'data-testid="district-dashboard-link"' in body(login("ubnd-cho-moi").get("/"))
    client.logout()
    assert 'data-testid="district-dashboard-link"' not in body(login("so-y-te").get("/"))


def test_a_districts_outputs_file_has_its_own_plans_only(login):
    """The district's CSV of outputs: its 12 communes of its 18 (66,7%) for "156 xã", and 2 billboards as a
    contribution beside the province's 11, with no percentage; another district's output is not in it."""
    s = sub("ubnd-cho-moi", 1)
    for code, qty in {"I.1.10.a": 12, "I.6.4.a": 2}.items():
        OutputProgressFactory(submission=s, output=output(code), quantity=qty)
    content = login("ubnd-cho-moi").get("/dashboard/2018/export.csv?cut=quarter&quarter=1&table=outputs")
    lines = {line.split(";")[2]: line.split(";")[5:] for line in content.content.decode("utf-8-sig").splitlines()
             if line.count(";") == 9}  # fmt: skip
    assert lines["I.1.10.a"] == ["18", "tất cả các xã của huyện", "156", "12", "66,7"]
    assert lines["I.6.4.a"] == ["", "không giao riêng", "11", "2", ""]
    assert "I.2.5.b" not in lines and "I.1.8.a" not in lines
