"""The figures selector on hand-computed fixtures: what the dashboard and the reports both show."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from activities.models import OutputTarget
from dashboards.figures import Standing, cut_quarter, figures_compute, standing
from programs.models import Agency
from tests.factories import (
    ActivityProgressFactory,
    AgencyFactory,
    CommuneStatusFactory,
    IndicatorValueFactory,
    OutputProgressFactory,
)

from .helpers import communes, ind, sub, with_budget

pytestmark = pytest.mark.django_db

# The queries of figures_compute: the submissions, indicator values, commune ticks, output progress and
# activity progress of the cut (FIGURES); and, while the structure cache is cold, the program's quarters,
# agencies and districts (3), its targets with their indicators (1), its activities with their roles and
# output targets (3) (STRUCTURE). A cut reads its quarters from the cached frame: no query of its own.
FIGURES, STRUCTURE = 5, 7


def test_province_value_is_sum_over_sum_not_mean_of_percentages(program):
    # three districts: 3/4 (75%), 1/1 (100%), 0/5 (0%) → mean of percentages 58,3%; the rule gives 4/10 = 40%
    for code, (num, den) in {"ubnd-an-phu": (3, 4), "ubnd-tri-ton": (1, 1), "ubnd-cho-moi": (0, 5)}.items():
        IndicatorValueFactory(submission=sub(code, 1), indicator=ind("1"), numerator=num, denominator=den)
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    one = next(i for i in figures.indicators if i.indicator.code == "1")
    assert (one.province.numerator, one.province.denominator) == (4, 10)
    assert one.value == Decimal(40)
    assert one.met is False
    assert one.reporting == 3
    cells = {c.district.short_name: c for c in one.districts}
    assert cells["An Phú"].ratio.value == Decimal(75)
    assert cells["An Phú"].standing == "far"
    assert cells["Tri Tôn"].standing == "met"
    assert cells["Long Xuyên"].ratio is None and cells["Long Xuyên"].standing == "none"


def test_returned_and_draft_submissions_do_not_count_until_accepted(program):
    IndicatorValueFactory(submission=sub("ubnd-an-phu", 1), indicator=ind("2"), numerator=2, denominator=2)
    IndicatorValueFactory(submission=sub("ubnd-tri-ton", 1, "returned"), indicator=ind("2"), numerator=0, denominator=9)
    IndicatorValueFactory(submission=sub("ubnd-cho-moi", 1, "draft"), indicator=ind("2"), numerator=0, denominator=9)
    pending = sub("ubnd-phu-tan", 1, "submitted")
    IndicatorValueFactory(submission=pending, indicator=ind("2"), numerator=1, denominator=2)

    accepted = figures_compute(cut=cut_quarter(program=program, number=1))
    two = next(i for i in accepted.indicators if i.indicator.code == "2")
    assert (two.province.numerator, two.province.denominator) == (2, 2)

    with_pending = figures_compute(cut=cut_quarter(program=program, number=1, include_pending=True))
    two = next(i for i in with_pending.indicators if i.indicator.code == "2")
    assert (two.province.numerator, two.province.denominator) == (3, 4)


def test_ratios_take_each_districts_latest_quarter_over_the_year(program):
    IndicatorValueFactory(submission=sub("ubnd-an-phu", 1), indicator=ind("4"), numerator=10, denominator=20)
    IndicatorValueFactory(submission=sub("ubnd-an-phu", 2), indicator=ind("4"), numerator=18, denominator=20)
    IndicatorValueFactory(submission=sub("ubnd-tri-ton", 1), indicator=ind("4"), numerator=5, denominator=10)
    ytd = figures_compute(cut=cut_quarter(program=program, number=2, year_to_date=True))
    four = next(i for i in ytd.indicators if i.indicator.code == "4")
    # An Phú's Q2 (18/20) and Tri Tôn's Q1 (5/10): 23/30
    assert (four.province.numerator, four.province.denominator) == (23, 30)
    course = {quarter.number: (r.numerator, r.denominator) for quarter, r in four.by_quarter}
    assert course == {1: (15, 30), 2: (18, 20)}


def test_ticked_indicators_take_denominators_from_the_unit_tree(program):
    s = sub("ubnd-long-xuyen", 1)  # Long Xuyên: 13 communes
    communes = list(s.agency.unit.children.order_by("order"))
    assert len(communes) == 13
    for c in communes[:4]:
        CommuneStatusFactory(submission=s, commune=c, safe_home_pilot=True, child_friendly=True)
    CommuneStatusFactory(submission=s, commune=communes[4], safe_home_full=True, child_friendly=True)
    # looked at every commune and ticked none: 0 of 7 communes, and no commune at 100%
    sub("ubnd-chau-doc", 1, communes_checked=True)
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    by_code = {i.indicator.code: i for i in figures.indicators}
    assert (by_code["5a"].province.numerator, by_code["5a"].province.denominator) == (4, 20)
    assert (by_code["6"].province.numerator, by_code["6"].province.denominator) == (5, 20)
    assert (by_code["5b"].province.numerator, by_code["5b"].province.denominator) == (1, 2)


def test_blank_ticks_are_not_reported_not_zero(program):
    """A district that ticked no commune and did not confirm it looked at them all has not reported
    targets 5–6: "chưa báo cáo", out of the province's denominator and of the count that reported;
    ticking one commune reports that indicator only."""
    lx = sub("ubnd-long-xuyen", 1)  # 13 communes: one child-friendly commune ticked, no Safe Home tick
    CommuneStatusFactory(submission=lx, commune=communes("ubnd-long-xuyen")[0], child_friendly=True)
    sub("ubnd-an-phu", 1)  # 14 communes, nothing ticked, nothing confirmed: not reported
    sub("ubnd-chau-doc", 1, communes_checked=True)  # 7 communes, none meets: reported, 0
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    by_code = {i.indicator.code: i for i in figures.indicators}
    assert (by_code["6"].province.numerator, by_code["6"].province.denominator) == (1, 20)  # 13 + 7, not + 14
    assert (by_code["5a"].province.numerator, by_code["5a"].province.denominator) == (0, 7)  # Long Xuyên: none
    assert (by_code["5b"].province.numerator, by_code["5b"].province.denominator) == (0, 1)
    assert (by_code["6"].reporting, by_code["5a"].reporting) == (2, 1)
    cells = {c.district.short_name: c for c in by_code["6"].districts}
    assert cells["An Phú"].ratio is None and cells["An Phú"].standing == Standing.NONE
    assert cells["Châu Đốc"].ratio.value == 0 and cells["Châu Đốc"].standing == Standing.FAR
    long_xuyen = {c.district.short_name: c for c in by_code["5a"].districts}["Long Xuyên"]
    assert long_xuyen.standing == Standing.NONE


def test_outputs_sum_counts_over_quarters_and_take_the_latest_state(program):
    dental = OutputTarget.objects.get(activity__group__program=program, quantity=800)  # sum
    kept = OutputTarget.objects.get(activity__group__program=program, quantity=8)  # latest
    assert (dental.aggregation, kept.aggregation) == ("sum", "latest")
    dolisa_q1, dolisa_q2 = sub("so-ldtbxh", 1), sub("so-ldtbxh", 2)
    health_q2 = sub("so-y-te", 2)
    OutputProgressFactory(submission=dolisa_q1, output=dental, quantity=150)
    OutputProgressFactory(submission=dolisa_q2, output=dental, quantity=250)
    OutputProgressFactory(submission=health_q2, output=dental, quantity=100)
    tan_chau_q1, tan_chau_q2 = sub("ubnd-tan-chau", 1), sub("ubnd-tan-chau", 2)
    OutputProgressFactory(submission=tan_chau_q1, output=kept, quantity=3)
    OutputProgressFactory(submission=tan_chau_q2, output=kept, quantity=4)
    OutputProgressFactory(submission=sub("ubnd-long-xuyen", 1), output=kept, quantity=3)

    ytd = figures_compute(cut=cut_quarter(program=program, number=2, year_to_date=True))
    by_id = {o.output.pk: o for o in ytd.outputs}
    assert by_id[dental.pk].achieved == 500  # 150 + 250 + 100
    assert by_id[dental.pk].share == Decimal(500) * 100 / 800
    assert {c.agency.code: c.value for c in by_id[dental.pk].contributions} == {"so-ldtbxh": 400, "so-y-te": 100}
    assert by_id[kept.pk].achieved == 7  # Tân Châu's latest (4) + Long Xuyên's (3), not 3 + 4 + 3
    q2_only = figures_compute(cut=cut_quarter(program=program, number=2))
    assert {o.output.pk: o.achieved for o in q2_only.outputs}[dental.pk] == 350


def test_activity_totals_and_accounts(program):
    """An activity's children and money add up over the agencies that report it, with its states and accounts."""
    dental = OutputTarget.objects.get(activity__group__program=program, quantity=800).activity
    ActivityProgressFactory(submission=sub("so-ldtbxh", 1), activity=dental, children_boys=40, children_girls=35,
                            money_spent=12_500_000, account="Khám nha khoa cho 75 trẻ em.")  # fmt: skip
    ActivityProgressFactory(submission=sub("so-y-te", 1), activity=dental, status="done", children_girls=5)
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    act = next(a for g in figures.groups for a in g.activities if a.activity.pk == dental.pk)
    assert (act.children_boys, act.children_girls, act.money) == (40, 40, 12_500_000)
    assert act.statuses == {"in_progress": 1, "done": 1}
    assert [a.text for a in act.accounts] == ["Khám nha khoa cho 75 trẻ em."]


def test_reporting_rate_timeliness_and_days_late(program, settings):
    settings.PORTAL_CLOCK_TODAY = "2018-04-01"
    sub("ubnd-an-phu", 1)
    sub("ubnd-tri-ton", 1, "returned")  # sent, then returned: it was submitted
    sub("so-y-te", 1, "submitted", days_late=3)
    sub("so-gddt", 1, "accepted", days_late=1)
    sub("ubnd-cho-moi", 1, "draft")  # never sent: missing
    sub("mttq-tinh", 1, "submitted", days_late=5)  # requested (VIII.2.10): sent, counted apart, never late
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    row = figures.compliance[0]
    assert len(row.expected) == 20  # the 26 agencies less the six bodies the decision only requests
    assert (len(row.on_time), len(row.late), len(row.missing)) == (2, 2, 16)
    assert [s.agency.code for s in row.requested_sent] == ["mttq-tinh"]
    assert len(row.requested_missing) == 5 and row.requested == 6
    assert "mttq-tinh" not in {s.agency.code for s in row.late}
    assert row.rate == Decimal(4) * 100 / 20
    assert row.timeliness == Decimal(2) * 100 / 20
    assert sorted(s.days_late for s in row.late) == [1, 3]
    assert row.days_late_total == 4
    assert "ubnd-cho-moi" in {a.code for a in row.missing}
    assert row.due is True


def test_budget_against_the_floors(program):
    """The floor is per commune (VII.2 "Cấp xã thấp nhất 20 triệu/xã/năm"): the communes' total is their sum,
    and a commune below 20.000.000 đ is named even when the total is above 20 triệu × communes."""
    names = [c.name for c in communes("ubnd-cho-moi")]  # 18 communes
    amounts = [15_000_000, 19_999_999] + [25_000_000] * 16  # total 434.999.999 đ, above 18 × 20 triệu
    with_budget("ubnd-cho-moi", 1, district=120_000_000, amounts=amounts)
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    row = next(r for r in figures.budget if r.district.short_name == "Chợ Mới")
    assert (row.district_floor, row.commune_floor, row.communes_floor) == (150_000_000, 20_000_000, 360_000_000)
    assert row.communes_budget == 434_999_999
    assert [(c.name, c.amount) for c in row.below] == [(names[0], 15_000_000), (names[1], 19_999_999)]
    assert (row.district_shortfall, row.communes_shortfall) == (30_000_000, 5_000_001)
    assert (row.communes_standing, row.standing) == (Standing.FAR, Standing.FAR)
    an_phu = next(r for r in figures.budget if r.district.short_name == "An Phú")
    assert an_phu.district_budget is None and an_phu.communes_budget is None and an_phu.standing == Standing.NONE


def test_query_count_does_not_grow_with_agencies_districts_or_quarters(program):
    def queries(number, ytd):
        with CaptureQueriesContext(connection) as ctx:
            figures_compute(cut=cut_quarter(program=program, number=number, year_to_date=ytd))
        return len(ctx)

    from django.core.cache import cache

    from programs import structure

    sub("ubnd-an-phu", 1)
    cold = queries(1, False)  # the program's structure is read, then cached
    small = queries(1, False)
    # From a warm structure: the figures alone; cold, the program's structure first.
    assert (cold, small) == (STRUCTURE + FIGURES, FIGURES)
    for code in ["ubnd-tri-ton", "ubnd-cho-moi", "so-y-te", "so-gddt", "ubnd-long-xuyen"]:
        for n in (1, 2, 3):
            s = sub(code, n)
            IndicatorValueFactory(
                submission=s, indicator=ind("1"), numerator=1, denominator=2
            ) if s.agency.is_district else None
    assert queries(1, False) == small
    assert queries(3, True) == small
    cache.clear()
    structure.clear_local()
    assert queries(3, True) == cold


def test_filters_by_district_and_agency(program):
    for code in ["ubnd-an-phu", "ubnd-tri-ton"]:
        IndicatorValueFactory(submission=sub(code, 1), indicator=ind("1"), numerator=1, denominator=2)
    an_phu = Agency.objects.get(code="ubnd-an-phu")
    figures = figures_compute(cut=cut_quarter(program=program, number=1, district=an_phu.unit))
    one = next(i for i in figures.indicators if i.indicator.code == "1")
    assert [c.district.short_name for c in one.districts] == ["An Phú"]
    assert (one.province.numerator, one.province.denominator) == (1, 2)
    figures = figures_compute(cut=cut_quarter(program=program, number=1, agency=an_phu))
    assert [a.code for a in figures.compliance[0].expected] == ["ubnd-an-phu"]
    assert dt.date(2018, 3, 20) == figures.compliance[0].quarter.entry_deadline


def test_a_frame_loaded_once_gives_the_same_figures_in_fewer_queries(program):
    """The dashboard loads the program's quarters, agencies and districts once (to read its filters) and
    hands them to the cut: the figures are the same, and no query more."""
    from dashboards.figures import program_frame

    for code, (num, den) in {"ubnd-an-phu": (3, 4), "ubnd-tri-ton": (1, 1)}.items():
        IndicatorValueFactory(submission=sub(code, 1), indicator=ind("1"), numerator=num, denominator=den)
    frame = program_frame(program=program)
    with CaptureQueriesContext(connection) as plain:
        alone = figures_compute(cut=cut_quarter(program=program, number=2, year_to_date=True))
    with CaptureQueriesContext(connection) as framed:
        shared = figures_compute(cut=cut_quarter(program=program, number=2, year_to_date=True, frame=frame))
    # On the frame, the figures alone; without it, the program's targets and activities too (4), which the
    # first call caches for the second (the cut's quarters come from the cached frame either way).
    assert (len(framed), len(plain)) == (FIGURES, FIGURES + 4)
    one = [(i.province.numerator, i.province.denominator) for i in alone.indicators]
    assert one == [(i.province.numerator, i.province.denominator) for i in shared.indicators]
    assert cut_quarter(program=program, number=2, frame=frame) == cut_quarter(program=program, number=2)


def test_course_value_of_a_quarter_equals_that_quarters_own_figure(program):
    """The drill-down behind a course value (quarter n of a year-to-date cut) is the one-quarter cut of n."""
    IndicatorValueFactory(submission=sub("ubnd-an-phu", 1), indicator=ind("4"), numerator=10, denominator=20)
    IndicatorValueFactory(submission=sub("ubnd-an-phu", 2), indicator=ind("4"), numerator=18, denominator=20)
    IndicatorValueFactory(submission=sub("ubnd-tri-ton", 1), indicator=ind("4"), numerator=5, denominator=10)
    ytd = figures_compute(cut=cut_quarter(program=program, number=2, year_to_date=True))
    four = next(i for i in ytd.indicators if i.indicator.code == "4")
    for quarter, ratio in four.by_quarter:
        own = figures_compute(cut=cut_quarter(program=program, number=quarter.number))
        mine = next(i for i in own.indicators if i.indicator.code == "4")
        assert (ratio.numerator, ratio.denominator) == (mine.province.numerator, mine.province.denominator)


def test_district_filter_keeps_that_districts_outputs_and_accounts(program):
    dental = OutputTarget.objects.get(activity__group__program=program, quantity=800)
    an_phu = sub("ubnd-an-phu", 1)
    OutputProgressFactory(submission=an_phu, output=dental, quantity=20)
    OutputProgressFactory(submission=sub("ubnd-tri-ton", 1), output=dental, quantity=30)
    OutputProgressFactory(submission=sub("so-y-te", 1), output=dental, quantity=100)
    ActivityProgressFactory(submission=an_phu, activity=dental.activity, difficulties="Thiếu kinh phí.")
    figures = figures_compute(cut=cut_quarter(program=program, number=1, district=an_phu.agency.unit))
    out = next(o for o in figures.outputs if o.output.pk == dental.pk)
    assert out.achieved == 20 and [c.agency.code for c in out.contributions] == ["ubnd-an-phu"]
    assert [s.agency.code for s in figures.counted] == ["ubnd-an-phu"]
    assert [a.agency.code for a in figures.difficulties] == ["ubnd-an-phu"]


def test_contributions_keep_the_quantity_of_each_counted_submission(program):
    dental = OutputTarget.objects.get(activity__group__program=program, quantity=800)  # sum
    kept = OutputTarget.objects.get(activity__group__program=program, quantity=8)  # latest
    q1, q2 = sub("so-ldtbxh", 1), sub("so-ldtbxh", 2)
    OutputProgressFactory(submission=q1, output=dental, quantity=150)
    OutputProgressFactory(submission=q2, output=dental, quantity=250)
    t1, t2 = sub("ubnd-tan-chau", 1), sub("ubnd-tan-chau", 2)
    OutputProgressFactory(submission=t1, output=kept, quantity=3)
    OutputProgressFactory(submission=t2, output=kept, quantity=4)
    by_id = {
        o.output.pk: o for o in figures_compute(cut=cut_quarter(program=program, number=2, year_to_date=True)).outputs
    }
    assert by_id[dental.pk].contributions[0].parts == [(q1.pk, 150), (q2.pk, 250)]
    assert by_id[kept.pk].contributions[0].parts == [(t2.pk, 4)]  # only the latest state counts


def test_accounts_name_their_activity(program):
    """A difficulty written on an activity names it; one written for the whole report names none."""
    dental = OutputTarget.objects.get(activity__group__program=program, quantity=800).activity
    s = sub("so-ldtbxh", 1)
    s.difficulties = "Khó khăn chung."
    s.save()
    ActivityProgressFactory(submission=s, activity=dental, difficulties="Thiếu bác sĩ nha khoa.")
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    assert {(a.text, a.activity.code if a.activity else None) for a in figures.difficulties} == {
        ("Thiếu bác sĩ nha khoa.", dental.code),
        ("Khó khăn chung.", None),
    }


def test_budget_rows_say_whether_the_floors_are_met(program):
    with_budget("ubnd-cho-moi", 1, district=150_000_000, amounts=[20_000_000] * 18)  # every floor reached
    with_budget("ubnd-tri-ton", 1, district=150_000_000, amounts=[20_000_000] * 14)  # 15 communes: one blank
    with_budget("ubnd-an-phu", 1, district=150_000_000, amounts=[19_000_000] + [None] * 13)  # one known below
    rows = {r.district.short_name: r for r in figures_compute(cut=cut_quarter(program=program, number=1)).budget}
    assert (rows["Chợ Mới"].district_met, rows["Chợ Mới"].communes_met, rows["Chợ Mới"].standing) == (
        True, True, Standing.MET)  # fmt: skip
    assert (rows["Tri Tôn"].communes_reported, rows["Tri Tôn"].communes_unreported) == (14, 1)
    assert (rows["Tri Tôn"].communes_met, rows["Tri Tôn"].standing) == (None, Standing.NONE)
    assert (rows["An Phú"].communes_met, rows["An Phú"].standing) == (False, Standing.FAR)
    assert (rows["Tân Châu"].district_met, rows["Tân Châu"].communes_met) == (None, None)


def test_blank_budgets_are_not_reported_and_left_out_of_the_count(program):
    """Nine districts report their budgets in full, eight of them above every floor; two leave theirs blank:
    8 of the 9 that reported meet the floors (not 8 of 11, and a blank is never 0 đ)."""
    districts = ["ubnd-long-xuyen", "ubnd-chau-doc", "ubnd-an-phu", "ubnd-tan-chau", "ubnd-phu-tan", "ubnd-chau-phu",
                 "ubnd-tinh-bien", "ubnd-tri-ton", "ubnd-chau-thanh"]  # fmt: skip
    for code in districts:
        n = len(communes(code))
        short = code == "ubnd-tinh-bien"
        with_budget(code, 1, district=150_000_000, amounts=[18_000_000 if short else 20_000_000] * n)
    sub("ubnd-cho-moi", 1)  # reported nothing of its budget
    sub("ubnd-thoai-son", 1, district_budget=None)
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    assert (len(figures.budget_met), len(figures.budget_reported), len(figures.budget)) == (8, 9, 11)
    rows = {r.district.short_name: r for r in figures.budget}
    assert rows["Chợ Mới"].standing == Standing.NONE and rows["Chợ Mới"].communes_budget is None
    assert len(rows["Tịnh Biên"].below) == 14


# Each district's communes (2018 layout) and its count of collaborators: 1.872 over 156 communes.
COLLABORATORS = {
    "ubnd-long-xuyen": (13, 130), "ubnd-chau-doc": (7, 140), "ubnd-an-phu": (14, 168), "ubnd-tan-chau": (14, 140),
    "ubnd-phu-tan": (18, 216), "ubnd-chau-phu": (13, 156), "ubnd-tinh-bien": (14, 168), "ubnd-tri-ton": (15, 180),
    "ubnd-chau-thanh": (13, 156), "ubnd-cho-moi": (18, 216), "ubnd-thoai-son": (17, 202),
}  # fmt: skip


def test_an_average_per_commune_is_the_sum_of_counts_over_the_sum_of_communes(program):
    """ "bình quân 12 cộng tác viên/xã": each district enters its count; the province's figure is Σ counts ÷ Σ
    communes (1.872 ÷ 156 = 12,0), a district's its count ÷ its communes; never the mean of the districts'
    averages (which would be 12,4 here: Châu Đốc's 20/commune over 7 communes weighs as much as Chợ Mới's 12
    over 18). A provincial agency's figure is not counted."""
    rate = OutputTarget.objects.get(activity__group__program=program, quantity=12)
    assert rate.aggregation == OutputTarget.Aggregation.PER_COMMUNE
    for code, (n, count) in COLLABORATORS.items():
        assert len(communes(code)) == n
        OutputProgressFactory(submission=sub(code, 1), output=rate, quantity=count)
    OutputProgressFactory(submission=sub("so-ldtbxh", 1), output=rate, quantity=12)
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    out = {o.output.pk: o for o in figures.outputs}[rate.pk]
    assert (out.count, out.communes) == (1872, 156)
    assert out.per_commune == Decimal(12) and out.achieved == 12
    assert out.share == Decimal(100)
    by_agency = {c.agency.code: c for c in out.contributions}
    assert "so-ldtbxh" not in by_agency
    assert by_agency["ubnd-chau-doc"].per_commune == Decimal(20)  # 140 ÷ 7
    assert by_agency["ubnd-thoai-son"].per_commune == Decimal(202) / 17
    mean_of_averages = sum(Decimal(c) / n for n, c in COLLABORATORS.values()) / 11
    assert round(mean_of_averages, 1) == Decimal("12.4")


def test_an_average_per_commune_over_the_districts_that_reported(program):
    """Two districts reported (Chợ Mới 18 communes, 216; Châu Đốc 7, 140): 356 ÷ 25 = 14,24, not ÷ 156."""
    rate = OutputTarget.objects.get(activity__group__program=program, quantity=12)
    OutputProgressFactory(submission=sub("ubnd-cho-moi", 1), output=rate, quantity=216)
    OutputProgressFactory(submission=sub("ubnd-chau-doc", 1), output=rate, quantity=140)
    district = figures_compute(cut=cut_quarter(program=program, number=1))
    out = {o.output.pk: o for o in district.outputs}[rate.pk]
    assert (out.count, out.communes, out.per_commune) == (356, 25, Decimal("14.24"))


def test_the_standings_labels_are_the_decisions_words():
    """Met, near (within NEAR_GOAL_POINTS of the goal), far and not reported, in the decision's words."""
    with translation.override("vi"):
        assert [str(s.label) for s in Standing] == ["Đạt", "Gần đạt", "Chưa đạt", "Chưa báo cáo"]
    assert standing(Decimal("95"), Decimal("100")) == Standing.NEAR
    assert standing(Decimal("89.9"), Decimal("100")) == Standing.FAR
    assert standing(None, Decimal("100")) == Standing.NONE


def test_a_quarter_not_yet_due_or_without_a_deadline_is_not_due(program, settings):
    """On 10/05 only Q1 is due (20/03); Q2 (20/05) and Q4 (15/11) are not yet, Q3 has no deadline: nothing of
    theirs counts as missing, the snapshot keeps Q3's deadline as none, and the dashboard says so."""
    from dashboards.snapshot import figures_snapshot

    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    figures = figures_compute(cut=cut_quarter(program=program, number=4, year_to_date=True))
    assert [c.due for c in figures.compliance] == [True, False, False, False]
    assert [c["deadline"] for c in figures_snapshot(figures)["compliance"]] == ["2018-03-20", "2018-05-20", None,
                                                                                "2018-11-15"]  # fmt: skip


def test_the_submissions_handed_on_carry_their_agency_and_quarter_without_a_query(program):
    """figures_compute reads the submissions as rows and sets on each the agency and quarter of the
    program's frame (issue 17): the pages, the sources and the reports read them, and their links, without
    a query; an agency that carries no duty under the program (not in the frame) is read with them."""
    dental = OutputTarget.objects.get(activity__group__program=program, quantity=800).activity
    ActivityProgressFactory(submission=sub("so-y-te", 1), activity=dental, account="Khám cho 40 trẻ em.")
    sub("ubnd-an-phu", 2, "submitted", days_late=2, difficulties="Thiếu cán bộ.")
    IndicatorValueFactory(submission=sub("ubnd-tri-ton", 2), indicator=ind("1"), numerator=3, denominator=4)
    outsider = AgencyFactory(unit=program.province, code="hoi-thu")  # no duty under the program
    sub("hoi-thu", 2)
    figures = figures_compute(cut=cut_quarter(program=program, number=2, year_to_date=True, include_pending=True))
    with CaptureQueriesContext(connection) as queries:
        counted = {s.agency.code: (s.quarter.number, s.get_absolute_url()) for s in figures.counted}
        late = [(s.agency.code, s.quarter.program.year, s.days_late) for s in figures.compliance[1].late]
        accounts = [
            (a.agency.code, a.quarter.number, a.text)
            for a in figures.difficulties + figures.groups[0].activities[0].accounts
        ]
        cell = next(c for c in next(i for i in figures.indicators if i.indicator.code == "1").districts if c.ratio)
    assert len(queries) == 0
    assert counted == {
        "so-y-te": (1, "/submissions/2018/q1/so-y-te/"), "ubnd-an-phu": (2, "/submissions/2018/q2/ubnd-an-phu/"),
        "ubnd-tri-ton": (2, "/submissions/2018/q2/ubnd-tri-ton/"), "hoi-thu": (2, "/submissions/2018/q2/hoi-thu/"),
    }  # fmt: skip
    assert late == [("ubnd-an-phu", 2018, 2)]
    assert ("ubnd-an-phu", 2, "Thiếu cán bộ.") in accounts
    assert (cell.agency.code, cell.quarter.number, cell.ratio.numerator, cell.ratio.denominator) == (
        "ubnd-tri-ton",
        2,
        3,
        4,
    )
    assert outsider.code in counted
