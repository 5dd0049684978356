"""The 2018 program as loaded from programs/data/program_2018.yaml is faithful to Decision 535/QĐ-UBND."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest

from activities.models import Activity, ActivityGroup, ActivityRole, OutputTarget
from programs.models import AdminUnit, Agency, ProvincialReport
from programs.selectors import units_valid_on
from targets.models import Indicator, Target

pytestmark = pytest.mark.django_db

AGENCY_CODES = [
    "so-ldtbxh", "so-tai-chinh", "so-tu-phap", "cong-an-tinh", "so-gddt", "so-vhttdl", "so-tttt", "so-noi-vu",
    "so-y-te", "mttq-tinh", "hoi-lhpn-tinh", "tinh-doan", "vks-tinh", "toa-an-tinh", "hoi-bao-tro",
    "ubnd-long-xuyen", "ubnd-chau-doc", "ubnd-tan-chau", "ubnd-an-phu", "ubnd-chau-phu", "ubnd-chau-thanh",
    "ubnd-cho-moi", "ubnd-phu-tan", "ubnd-thoai-son", "ubnd-tinh-bien", "ubnd-tri-ton",
]  # fmt: skip


def test_program_header(program):
    """The decision's number, date, signer, title, objective and legal bases."""
    assert program.decision_number == "535/QĐ-UBND"
    assert program.decision_date == dt.date(2018, 3, 15)
    assert program.signer_name == "Nguyễn Thanh Bình"
    assert "PHÓ CHỦ TỊCH" in program.signer_title
    assert program.title == "Chương trình công tác Bảo vệ, chăm sóc trẻ em tỉnh An Giang năm 2018"
    assert program.general_objective.startswith("Xây dựng môi trường an toàn, thân thiện")
    texts = " ".join(program.legal_bases.values_list("text", flat=True))
    for ref in ["1555/QĐ-TTg", "516/QĐ-UBND", "559/", "Luật Tổ chức chính quyền địa phương"]:
        assert ref in texts


def test_six_targets_with_their_goals(program):
    goals = list(Target.objects.filter(program=program).order_by("number").values_list("number", "goal"))
    assert goals == [(1, 100), (2, 100), (3, 100), (4, 85), (5, 100), (6, 100)]


def test_target_indicators(program):
    """Targets 1–4 are typed by the 11 districts; 5a, 5b and 6 are ticked communes, each with its flag."""
    indicators = {i.code: i for i in Indicator.objects.filter(target__program=program)}
    assert set(indicators) == {"1", "2", "3", "4", "5a", "5b", "6"}
    for code in "1234":
        assert indicators[code].input == Indicator.Input.FIGURES
        assert indicators[code].reporters.count() == 11
    assert indicators["4"].goal == Decimal("85")
    assert (indicators["5a"].input, indicators["5a"].flag) == ("commune_flag", "safe_home_pilot")
    assert (indicators["5b"].input, indicators["5b"].flag) == ("district_any_commune_flag", "safe_home_full")
    assert (indicators["6"].input, indicators["6"].flag) == ("commune_flag", "child_friendly")
    assert all(i.reporters.filter(kind=Agency.Kind.DISTRICT).count() == 11 for i in indicators.values())


def test_activity_lines_and_groups(program):
    """Lines I.1–I.10 with their legal bases, then groups III, IV and V; every activity has a lead agency."""
    groups = list(ActivityGroup.objects.filter(program=program).order_by("order"))
    assert [g.code for g in groups] == [f"I.{n}" for n in range(1, 11)] + ["III", "IV", "V"]
    for g in groups[:10]:
        assert g.legal_basis, f"{g.code} has no legal basis"
    assert "1040/QĐ-UBND" in groups[0].legal_basis
    assert "15/2014/TT-BLĐTBXH" in groups[9].legal_basis
    # every group has its sub-items, each with a lead agency
    for g in groups:
        assert g.activities.exists()
    assert not Activity.objects.filter(group__program=program).exclude(roles__role=ActivityRole.Role.LEAD).exists()


def test_every_output_quantity_of_the_decision(program):
    outputs = list(OutputTarget.objects.filter(activity__group__program=program))
    quantities = Counter(o.quantity for o in outputs)
    # 08, 04, 01 ×4, 156 ×3, 2 offices, 12 per commune, 07 cages, 11 forums, 01 contest, 9 communes, 800, 100,
    # 200, 11 panels, 5 billion, 100 cases, 20/1.000 ×2, 30/30, 5 districts, 11 districts, 15 criteria
    expected = Counter({8: 1, 4: 1, 1: 5, 156: 3, 2: 1, 12: 1, 7: 1, 11: 3, 9: 1, 800: 1, 100: 2, 200: 1,
                        5_000_000_000: 1, 20: 2, 1000: 2, 30: 2, 5: 1, 15: 1})  # fmt: skip
    for quantity, n in expected.items():
        assert quantities[quantity] >= n, f"{n}× quantity {quantity} expected, found {quantities[quantity]}"
    by_label = {(o.quantity, o.unit) for o in outputs}
    for pair in [(800, "trẻ em"), (200, "trẻ em"), (5_000_000_000, "đồng"), (100, "ca"), (7, "lồng bơi")]:
        assert pair in by_label
    money = next(o for o in outputs if o.unit == "đồng")
    assert money.aggregation == OutputTarget.Aggregation.SUM
    kept = next(o for o in outputs if o.quantity == 8)
    assert kept.aggregation == OutputTarget.Aggregation.LATEST
    assert {u.short_name for u in kept.units.all()} == {"Tân Châu", "Long Xuyên", "Thoại Sơn"}
    cages = next(o for o in outputs if o.quantity == 7)
    assert {u.short_name for u in cages.units.all()} == {"Chợ Mới", "Phú Tân", "Tân Châu", "Tịnh Biên"}
    enhance = next(o for o in outputs if o.quantity == 9)
    assert {u.short_name for u in enhance.units.all()} == {"Châu Phú", "Chợ Mới", "An Phú", "Châu Đốc"}
    assert {o.aggregation for o in outputs} == {"sum", "latest", "average", "per_commune"}
    assert {o.quantity for o in outputs if o.aggregation == "average"} == {15}  # the criteria kept
    # "bình quân 12 cộng tác viên/xã" (B.I.1): entered as a count, divided by communes
    assert [(o.quantity, o.unit) for o in outputs if o.aggregation == "per_commune"] == [(12, "cộng tác viên/xã")]


def test_who_does_what_as_written(program):
    """VIII.2.10's six bodies are requested, not directed; where the text names no lead DOLISA leads (VIII.2.1);
    a role the text does not give is marked as the portal's reading; the Social Work Centre and the People's
    Committee's issuing of policies are named; the panels stand where B.I.6 puts them; target 2's data holders
    are the bodies B.I.6 names."""
    requested = set(Agency.objects.filter(is_requested=True).values_list("code", flat=True))
    assert requested == {"mttq-tinh", "hoi-lhpn-tinh", "tinh-doan", "vks-tinh", "toa-an-tinh", "hoi-bao-tro"}

    def roles(code):
        rows = ActivityRole.objects.filter(activity__group__program=program, activity__code=code)
        return {(r.agency.code, r.role, r.source) for r in rows.select_related("agency")}

    iii3, iv3 = roles("III.3"), roles("IV.3")
    assert ("so-ldtbxh", "lead", "decision") in iii3 and ("tinh-doan", "support", "portal") in iii3
    assert ("so-ldtbxh", "lead", "decision") in iv3 and ("hoi-lhpn-tinh", "support", "portal") in iv3
    assert ("ubnd-an-phu", "support", "decision") in iv3  # "tại 156 xã, phường, thị trấn"
    # I.6.5 names its partners: all the decision's
    assert roles("I.6.5") == {("so-ldtbxh", "lead", "decision"), ("so-tu-phap", "support", "decision"),
                              ("cong-an-tinh", "support", "decision"), ("so-y-te", "support", "decision")}  # fmt: skip
    assert not ActivityRole.objects.filter(role="lead", source="portal").exists()
    activities = {a.code: a for a in Activity.objects.filter(group__program=program)}
    for code in ("I.1.9", "I.6.3", "I.6.4"):
        assert "Trung tâm Công tác xã hội" in activities[code].note
    assert "Ủy ban nhân dân tỉnh ban hành" in activities["I.6.7"].note
    panels = OutputTarget.objects.get(activity__group__program=program, code="I.6.4.a")
    assert panels.label.endswith("tại 11 huyện, thị và một số xã, phường, thị trấn")
    holders = Indicator.objects.get(target__program=program, code="2").data_holders.values_list("code", flat=True)
    assert set(holders) == {"so-ldtbxh", "cong-an-tinh", "so-y-te", "so-tu-phap"}


def test_agencies(program):
    """15 provincial agencies and 11 district People's Committees, each with duties and activities."""
    agencies = list(Agency.objects.order_by("order"))
    assert [a.code for a in agencies] == AGENCY_CODES
    kinds = Counter(a.kind for a in agencies)
    assert kinds == {"provincial": 15, "district": 11}
    for a in agencies:
        assert a.duties.filter(program=program).exists(), f"{a.code} has no duty"
        assert a.activity_roles.exists(), f"{a.code} leads or supports no activity"
        if a.kind == "district":
            assert a.unit.level == AdminUnit.Level.DISTRICT
    assert Agency.objects.get(code="ubnd-cho-moi").unit.name == "Huyện Chợ Mới"
    assert Agency.objects.get(code="ubnd-tinh-bien").unit.kind == AdminUnit.Kind.HUYEN


def test_units_2018_layout(program):
    """The 2018 layout: 11 districts and 156 communes of their 2018 kinds (Tịnh Biên still a huyện)."""
    layout = units_valid_on(day=program.decision_date)
    districts = layout.filter(level=AdminUnit.Level.DISTRICT, parent=program.province)
    assert districts.count() == 11
    assert Counter(districts.values_list("kind", flat=True)) == {"thanh_pho": 2, "thi_xa": 1, "huyen": 8}
    communes = layout.filter(level=AdminUnit.Level.COMMUNE, parent__parent=program.province)
    assert communes.count() == 156
    assert Counter(communes.values_list("kind", flat=True)) == {"xa": 119, "phuong": 21, "thi_tran": 16}
    assert communes.filter(name="Phường Đông Xuyên", parent__short_name="Long Xuyên").exists()
    tinh_bien = districts.get(short_name="Tịnh Biên")
    assert not tinh_bien.children.filter(kind="phuong").exists()
    assert tinh_bien.children.filter(kind="thi_tran").count() == 3
    assert tinh_bien.valid_to == dt.date(2023, 4, 9)


def test_units_after_2018_with_their_sources(program):
    """The changes after 2018 the file documents: Tịnh Biên a thị xã from 10/04/2023 (721/NQ-UBTVQH15), the
    district level ended on 30/06/2025 (203/2025/QH15), the merger with Kiên Giang noted (202/2025/QH15)."""
    town = AdminUnit.objects.get(code="890-TX")
    assert (town.kind, town.valid_from, town.valid_to) == ("thi_xa", dt.date(2023, 4, 10), dt.date(2025, 6, 30))
    assert "721/NQ-UBTVQH15" in town.note
    in_2024 = units_valid_on(day=dt.date(2024, 3, 1)).filter(level=AdminUnit.Level.DISTRICT, parent=program.province)
    assert in_2024.count() == 11 and in_2024.get(short_name="Tịnh Biên").kind == "thi_xa"
    assert not units_valid_on(day=dt.date(2025, 7, 1)).filter(level=AdminUnit.Level.DISTRICT).exists()
    assert "202/2025/QH15" in program.province.note


def test_calendar(program):
    """The decision's calendar (VIII.1): the agencies' deadlines 20/03 (Q1), 20/05 (Q2) and 15/11 (Q4), none
    for Q3; DOLISA's three reports with their quarters and no date of DOLISA's own (VIII.2.1 sets none)."""
    reports = {r.kind: r for r in ProvincialReport.objects.filter(program=program)}
    assert [r.due_date for r in reports.values()] == [None, None, None]
    assert [q.number for q in reports["quarterly"].quarters.all()] == [1]
    assert sorted(q.number for q in reports["six_month"].quarters.all()) == [1, 2]
    assert sorted(q.number for q in reports["annual"].quarters.all()) == [1, 2, 3, 4]
    deadlines = list(program.quarters.order_by("number").values_list("entry_deadline", flat=True))
    assert deadlines == [dt.date(2018, 3, 20), dt.date(2018, 5, 20), None, dt.date(2018, 11, 15)]


def test_budget_floors(program):
    """At least 150 million đồng a year per district and 20 million per commune."""
    assert program.district_budget_floor == 150_000_000
    assert program.commune_budget_floor == 20_000_000
