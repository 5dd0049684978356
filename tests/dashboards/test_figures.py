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
from tests.factories import ActivityProgressFactory, CommuneStatusFactory, IndicatorValueFactory, OutputProgressFactory

from .helpers import ind, sub

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
    sub("ubnd-chau-doc", 1)  # reported, ticked nothing: 0 of 7 communes, and no commune at 100%
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    by_code = {i.indicator.code: i for i in figures.indicators}
    assert (by_code["5a"].province.numerator, by_code["5a"].province.denominator) == (4, 20)
    assert (by_code["6"].province.numerator, by_code["6"].province.denominator) == (5, 20)
    assert (by_code["5b"].province.numerator, by_code["5b"].province.denominator) == (1, 2)


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
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    row = figures.compliance[0]
    assert len(row.expected) == 26
    assert (len(row.on_time), len(row.late), len(row.missing)) == (2, 2, 22)
    assert row.rate == Decimal(4) * 100 / 26
    assert row.timeliness == Decimal(2) * 100 / 26
    assert sorted(s.days_late for s in row.late) == [1, 3]
    assert row.days_late_total == 4
    assert "ubnd-cho-moi" in {a.code for a in row.missing}
    assert row.due is True


def test_budget_against_the_floors(program):
    """A district's budgets against its floors: the shortfall of each; a district that did not report has none."""
    s = sub("ubnd-cho-moi", 1)  # 18 communes
    s.district_budget, s.communes_budget = 120_000_000, 400_000_000
    s.save()
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    row = next(r for r in figures.budget if r.district.short_name == "Chợ Mới")
    assert (row.district_floor, row.communes_floor) == (150_000_000, 360_000_000)
    assert (row.district_shortfall, row.communes_shortfall) == (30_000_000, 0)
    assert next(r for r in figures.budget if r.district.short_name == "An Phú").district_budget is None


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
    assert dt.date(2018, 3, 15) == figures.compliance[0].quarter.entry_deadline


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
    s = sub("ubnd-cho-moi", 1)  # 18 communes: floors 150 and 360 million
    s.district_budget, s.communes_budget = 150_000_000, 359_000_000
    s.save()
    rows = {r.district.short_name: r for r in figures_compute(cut=cut_quarter(program=program, number=1)).budget}
    assert (rows["Chợ Mới"].district_met, rows["Chợ Mới"].communes_met) == (True, False)
    assert (rows["An Phú"].district_met, rows["An Phú"].communes_met) == (None, None)


def test_rates_per_commune_are_averaged_not_summed(program):
    """ "12 cộng tác viên/xã": each district states its own rate; the province's is their mean."""
    rate = OutputTarget.objects.get(activity__group__program=program, quantity=12, aggregation="average")
    for code, value in {"ubnd-an-phu": 11, "ubnd-tri-ton": 12, "ubnd-cho-moi": 14}.items():
        OutputProgressFactory(submission=sub(code, 1), output=rate, quantity=value)
    figures = figures_compute(cut=cut_quarter(program=program, number=1))
    assert {o.output.pk: o.achieved for o in figures.outputs}[rate.pk] == 12  # (11 + 12 + 14) / 3 = 12,3


def test_the_standings_labels_are_the_decisions_words():
    """Met, near (within NEAR_GOAL_POINTS of the goal), far and not reported, in the decision's words."""
    with translation.override("vi"):
        assert [str(s.label) for s in Standing] == ["Đạt", "Gần đạt", "Chưa đạt", "Chưa báo cáo"]
    assert standing(Decimal("95"), Decimal("100")) == Standing.NEAR
    assert standing(Decimal("89.9"), Decimal("100")) == Standing.FAR
    assert standing(None, Decimal("100")) == Standing.NONE
