"""The one selector that computes the program's figures for a cut. The dashboard and the compiled
provincial reports both read them from here, so they can never disagree.

Rules, each in one place below:
- Only accepted submissions count, unless the cut includes those submitted and not yet accepted;
  a returned submission never counts until it is accepted again.
- An indicator's value for the province is the sum of the districts' numerators over the sum of
  their denominators, never a mean of percentages. A ratio is a state: over several quarters each
  district's latest counted quarter is used.
- Ticked indicators take their denominators from the unit tree: the communes of each district that
  reported (targets 5a, 6), or one per reporting district (5b: at least one commune at 100%).
- Not reported is not zero. A district's ticks for an indicator count as reported when it ticked at
  least one commune for it, or confirmed that it has looked at every commune ("đã rà soát tất cả các
  xã", Submission.communes_checked: then an unticked commune is one that does not meet it). A district
  that ticked none and confirmed nothing has not reported that indicator: it shows "chưa báo cáo"
  (Standing.NONE) and is left out of the province's numerator and denominator, like a district that
  typed no figure. A blank budget (the district's, or a commune's) is not reported either, never 0 đ.
  A submitted report does not by itself say "none of my communes": only the confirmation does.
- Budget (VII.2): a floor for the district (150 triệu/năm) and a floor for EACH commune (20
  triệu/xã/năm). A district reports each commune's allocation; the communes' total is their sum,
  never typed. A district's budget meets the decision when its own budget and every commune's reach
  their floors; it falls short when either is known to be below (the communes below are named); it
  is not reported while its own budget or a commune's is blank and nothing is known to be below. The
  count of districts that meet it is over the districts that reported (BudgetRow.standing).
- An output target that adds up (events, children, money) is summed over the cut's quarters; a
  state is each agency's latest counted value, summed over agencies; a level each district states
  for itself (15 criteria kept) is the mean of the districts' latest values. An average per commune
  ("bình quân 12 cộng tác viên/xã") is entered by each district as a count and divided by communes:
  the province's figure is the sum of the reporting districts' latest counts over the sum of their
  communes (all 156 when every district has reported), a district's its count over its communes;
  never a mean of the districts' averages. Provincial agencies do not enter it.
- Reporting compliance counts every submission sent (whatever its review), against every agency the
  decision directs, per quarter; days late come from the submission. The bodies the decision only
  requests ("Đề nghị", VIII.2.10: Agency.is_requested) are counted apart, sent or not, never late.
- A district filter keeps that district's figures only: its People's Committee's submissions count
  (indicators, budget, outputs, accounts) and its reporting.
- A district's view (Figures.district) sets it beside the province and the other districts: each
  indicator over every district, by the same rules, and the district's place among those that reported
  it. Its duties are the outputs of the activities its People's Committee is assigned (only the named
  districts' where an output names districts) and those it reported on. A province plan is the district's
  own only where the program names it (`district_plan`: the district alone, one of each named district,
  every commune, a level per commune or per district); otherwise its figure is a contribution, never a
  percentage of the province's goal.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ActivityRole, OutputTarget
from programs import calendar, structure
from programs.models import Agency, Program, ProvincialReport, Quarter
from programs.selectors import Frame, program_frame
from programs.snapshots import (
    ActivityInfo,
    AgencyInfo,
    GroupInfo,
    IndicatorInfo,
    OutputInfo,
    QuarterInfo,
    RoleInfo,
    TargetInfo,
    UnitInfo,
    groups_of,
    targets_of,
)
from reporting.models import ActivityProgress, CommuneStatus, IndicatorValue, OutputProgress, Submission
from targets.models import Indicator

S = Submission.Status
ACCEPTED_ONLY = frozenset({S.ACCEPTED})
WITH_PENDING = Submission.COUNTED  # the accepted and those awaiting review
NEAR_GOAL_POINTS = Decimal("10")  # a value within 10 percentage points of its goal is "near"


# ------------------------------------------------------------------------------------------------
# The cut
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cut:
    """Which figures: a program, the quarters it covers, which submissions count, optional filters."""

    program: Program
    quarters: tuple[QuarterInfo, ...]
    include_pending: bool = False
    district: UnitInfo | None = None
    agency: AgencyInfo | None = None
    frame: Frame | None = field(default=None, compare=False, repr=False)

    @property
    def statuses(self) -> frozenset[str]:
        return WITH_PENDING if self.include_pending else ACCEPTED_ONLY

    @property
    def last(self) -> QuarterInfo:
        return self.quarters[-1]

    @property
    def quarter_ids(self) -> set[int]:
        return {q.pk for q in self.quarters}


def cut_quarter(*, program: Program, number: int, year_to_date: bool = False, include_pending: bool = False,
                district: UnitInfo | None = None, agency: AgencyInfo | None = None,
                frame: Frame | None = None) -> Cut:  # fmt: skip
    """One quarter, or the year to date up to that quarter."""
    all_quarters = (frame if frame is not None else program_frame(program=program)).quarters
    quarters = [q for q in all_quarters if q.number <= number]
    if not year_to_date:
        quarters = [q for q in quarters if q.number == number]
    return Cut(program, tuple(quarters), include_pending, district, agency, frame)


def cut_report(*, report: ProvincialReport, include_pending: bool = False) -> Cut:
    """The quarters a provincial report covers."""
    quarters = tuple(QuarterInfo.of(q) for q in report.quarters.order_by("number"))
    return Cut(report.program, quarters, include_pending)


# ------------------------------------------------------------------------------------------------
# Results
# ------------------------------------------------------------------------------------------------
@dataclass
class Ratio:
    numerator: int = 0
    denominator: int = 0

    def add(self, other: Ratio) -> None:
        self.numerator += other.numerator
        self.denominator += other.denominator

    @property
    def value(self) -> Decimal | None:
        """The ratio in percent, unrounded (formatting rounds for display)."""
        if not self.denominator:
            return None
        return Decimal(self.numerator) * 100 / Decimal(self.denominator)


class Standing(models.TextChoices):
    """Where a figure stands against its goal, and the one wording of it: the dashboard, its exports,
    the printed report and its annex all say a standing with these labels (a test keeps them the only
    spelling)."""

    MET = "met", _("Đạt")
    NEAR = "near", _("Gần đạt")  # below the goal by at most NEAR_GOAL_POINTS percentage points
    FAR = "far", _("Chưa đạt")
    NONE = "none", _("Chưa báo cáo")  # not reported: no counted figure (never taken as zero)

    @classmethod
    def of_all(cls, standings: list[Standing]) -> Standing:
        """The standing of several figures together (a target of several indicators): not reported
        while one is not, met when all are, near when none is far."""
        if any(s == cls.NONE for s in standings):
            return cls.NONE
        if all(s == cls.MET for s in standings):
            return cls.MET
        if all(s in (cls.MET, cls.NEAR) for s in standings):
            return cls.NEAR
        return cls.FAR

    @classmethod
    def of_floor(cls, amount: int | None, floor: int) -> Standing:
        """An amount against a floor it must reach (a budget): met or far, never near."""
        if amount is None:
            return cls.NONE
        return cls.MET if amount >= floor else cls.FAR


def standing(value: Decimal | None, goal: Decimal) -> Standing:
    """Met, near (within 10 points of the goal), far, or none (no data): the colour of a cell."""
    if value is None:
        return Standing.NONE
    if value >= goal:
        return Standing.MET
    return Standing.NEAR if goal - value <= NEAR_GOAL_POINTS else Standing.FAR


@dataclass
class DistrictCell:
    district: UnitInfo
    agency: AgencyInfo | None
    ratio: Ratio | None
    quarter: Quarter | None = None  # of the counted submission
    submission_id: int | None = None
    standing: Standing = Standing.NONE


@dataclass
class IndicatorFigures:
    indicator: IndicatorInfo
    province: Ratio
    districts: list[DistrictCell]
    by_quarter: list[tuple[QuarterInfo, Ratio]]
    submission_ids: list[int]

    @property
    def value(self) -> Decimal | None:
        return self.province.value

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.value >= self.indicator.goal

    @property
    def standing(self) -> Standing:
        return standing(self.value, self.indicator.goal)

    @property
    def reporting(self) -> int:
        return sum(1 for c in self.districts if c.ratio is not None)


@dataclass
class TargetFigures:
    target: TargetInfo
    indicators: list[IndicatorFigures]

    @property
    def met(self) -> bool | None:
        results = [i.met for i in self.indicators]
        if any(r is None for r in results):
            return None
        return all(results)

    @property
    def standing(self) -> Standing:
        return Standing.of_all([i.standing for i in self.indicators])


@dataclass
class Contribution:
    agency: Agency
    value: int
    submission_ids: list[int]
    parts: list[tuple[int, int]] = field(default_factory=list)  # (submission id, quantity) counted in `value`
    communes: int | None = None  # an average per commune: the district's communes, `value` its count

    @property
    def per_commune(self) -> Decimal | None:
        """A district's average per commune: its count over its communes."""
        return Decimal(self.value) / self.communes if self.communes else None


@dataclass
class OutputFigures:
    output: OutputInfo
    achieved: int  # an average per commune: rounded to a whole number (`per_commune` is exact)
    contributions: list[Contribution]
    count: int | None = None  # an average per commune: Σ the districts' counts ...
    communes: int | None = None  # ... and Σ their communes

    @property
    def per_commune(self) -> Decimal | None:
        return Decimal(self.count) / self.communes if self.count is not None and self.communes else None

    @property
    def share(self) -> Decimal | None:
        if not self.output.quantity:
            return None
        achieved = self.per_commune if self.per_commune is not None else Decimal(self.achieved)
        return achieved * 100 / Decimal(self.output.quantity)

    @property
    def submission_ids(self) -> list[int]:
        return sorted({i for c in self.contributions for i in c.submission_ids})


@dataclass
class Account:
    agency: Agency
    quarter: Quarter
    text: str
    submission_id: int
    activity: ActivityInfo | None = None  # None: said of the whole report


@dataclass
class ActivityFigures:
    activity: ActivityInfo
    responsible: list[RoleInfo]
    outputs: list[OutputFigures]
    statuses: dict[str, int]
    children_boys: int
    children_girls: int
    money: int
    accounts: list[Account]
    difficulties: list[Account]
    proposals: list[Account]


@dataclass
class GroupFigures:
    group: GroupInfo
    activities: list[ActivityFigures]


@dataclass
class QuarterCompliance:
    quarter: QuarterInfo
    expected: list[AgencyInfo]  # the agencies the decision directs to report
    on_time: list[Submission]
    late: list[Submission]
    missing: list[AgencyInfo]
    due: bool  # the entry deadline has passed
    # The bodies the decision requests (VIII.2.10), apart: sent or not, never "late".
    requested_sent: list[Submission] = field(default_factory=list)
    requested_missing: list[AgencyInfo] = field(default_factory=list)

    @property
    def requested(self) -> int:
        return len(self.requested_sent) + len(self.requested_missing)

    @property
    def submitted(self) -> int:
        return len(self.on_time) + len(self.late)

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.submitted) * 100 / len(self.expected) if self.expected else None

    @property
    def timeliness(self) -> Decimal | None:
        """Share of the expected agencies that submitted on time."""
        return Decimal(len(self.on_time)) * 100 / len(self.expected) if self.expected else None

    @property
    def days_late_total(self) -> int:
        return sum(s.days_late for s in self.late)


@dataclass(frozen=True)
class CommuneBudget:
    """A commune's allocation for the year, as its district reported it."""

    commune_id: int
    name: str
    amount: int


@dataclass
class BudgetRow:
    """A district's budget for the year (VII.2): its own, and each of its communes' (the rule is in the
    module's docstring)."""

    district: UnitInfo
    agency: AgencyInfo | None
    communes: int  # in the unit tree
    district_budget: int | None
    commune_budgets: list[CommuneBudget]  # the communes that reported an amount, in the unit tree's order
    district_floor: int
    commune_floor: int  # per commune
    submission_id: int | None
    quarter: Quarter | None = None  # of the submission the budget comes from

    @property
    def communes_budget(self) -> int | None:
        """The communes' total: the sum of the amounts reported (None while none is)."""
        return sum(c.amount for c in self.commune_budgets) if self.commune_budgets else None

    @property
    def communes_floor(self) -> int:
        return self.commune_floor * self.communes

    @property
    def communes_reported(self) -> int:
        return len(self.commune_budgets)

    @property
    def communes_unreported(self) -> int:
        return max(0, self.communes - len(self.commune_budgets))

    @property
    def below(self) -> list[CommuneBudget]:
        """The communes whose allocation is below the floor per commune."""
        return [c for c in self.commune_budgets if c.amount < self.commune_floor]

    @property
    def district_shortfall(self) -> int | None:
        return None if self.district_budget is None else max(0, self.district_floor - self.district_budget)

    @property
    def communes_shortfall(self) -> int | None:
        """What the communes below the floor lack, together (a commune above it makes up for none)."""
        if not self.commune_budgets:
            return None
        return sum(self.commune_floor - c.amount for c in self.below)

    @property
    def district_met(self) -> bool | None:
        return None if self.district_budget is None else self.district_budget >= self.district_floor

    @property
    def communes_met(self) -> bool | None:
        standing = self.communes_standing
        return None if standing == Standing.NONE else standing == Standing.MET

    @property
    def district_standing(self) -> Standing:
        return Standing.of_floor(self.district_budget, self.district_floor)

    @property
    def communes_standing(self) -> Standing:
        """Far when a commune is below its floor; not reported while a commune's amount is blank; met
        when every commune's reaches it."""
        if self.below:
            return Standing.FAR
        if not self.commune_budgets or self.communes_unreported:
            return Standing.NONE
        return Standing.MET

    @property
    def standing(self) -> Standing:
        """The district's budget as a whole: far when either part is known to be short, then not
        reported while either is, met when both are."""
        parts = (self.district_standing, self.communes_standing)
        if Standing.FAR in parts:
            return Standing.FAR
        if Standing.NONE in parts:
            return Standing.NONE
        return Standing.MET


class PlanBasis(models.TextChoices):
    """Where a district's own plan for an output comes from: the program's text names it (the one
    reading of a province plan per district; a plan that names no per-district figure has none)."""

    NAMED = "named", _("kế hoạch nêu riêng huyện này")  # the output names this district alone
    EACH = "each", _("một cho mỗi huyện được nêu tên")  # "3 huyện (An Phú, Tịnh Biên, Tri Tôn)": one each
    COMMUNES = "communes", _("tất cả các xã của huyện")  # "156 xã, phường, thị trấn": every commune
    RATE = "rate", _("mức chung áp dụng cho từng huyện")  # an average per commune, a level each district states


@dataclass
class DistrictOutput:
    """One of a district's duties: an output of an activity its People's Committee is assigned (and,
    where the output names districts, one of them), or one it reported on, with its own figures (the cut
    keeps its submissions only) and its own plan where the program names one."""

    group: GroupFigures
    activity: ActivityFigures
    figures: OutputFigures
    plan: int | None  # the district's own plan, None where the program has a province total only
    basis: PlanBasis | None

    @property
    def achieved(self) -> Decimal | int:
        per_commune = self.figures.per_commune
        return per_commune if per_commune is not None else self.figures.achieved

    @property
    def share(self) -> Decimal | None:
        """The district's result against its own plan; never against a province-wide one."""
        if not self.plan:
            return None
        return Decimal(self.achieved) * 100 / Decimal(self.plan)

    @property
    def done(self) -> bool:
        return self.share is not None and self.share >= 100


@dataclass
class DistrictFigures:
    """A district's view: each indicator over every district (the province's value, every district's
    cell, for its place among them), and its own duties."""

    district: UnitInfo
    agency: AgencyInfo | None
    targets: list[TargetFigures]  # over every district: the province's values and each district's cell
    outputs: list[DistrictOutput]

    @property
    def indicators(self) -> list[IndicatorFigures]:
        return [i for t in self.targets for i in t.indicators]

    def rank(self, indicator: IndicatorFigures) -> tuple[int, int] | None:
        return district_rank(indicator, self.district.pk)


def district_rank(indicator: IndicatorFigures, district_id: int) -> tuple[int, int] | None:
    """(place, of how many): a district's place among the districts that reported the indicator,
    highest value first, ties sharing a place; None while it has not reported it."""
    values = [c.ratio.value for c in indicator.districts if c.ratio is not None and c.ratio.value is not None]
    own = next((c for c in indicator.districts if c.district.pk == district_id), None)
    if own is None or own.ratio is None or own.ratio.value is None:
        return None
    return 1 + sum(1 for v in values if v > own.ratio.value), len(values)


@dataclass
class Figures:
    cut: Cut
    targets: list[TargetFigures]
    groups: list[GroupFigures]
    compliance: list[QuarterCompliance]
    budget: list[BudgetRow]
    difficulties: list[Account] = field(default_factory=list)
    proposals: list[Account] = field(default_factory=list)
    counted: list[Submission] = field(default_factory=list)
    district: DistrictFigures | None = None  # a district's own view: the province beside it, its duties

    @property
    def indicators(self) -> list[IndicatorFigures]:
        return [i for t in self.targets for i in t.indicators]

    @property
    def budget_reported(self) -> list[BudgetRow]:
        """The districts whose budget can be judged (BudgetRow.standing is not "not reported")."""
        return [b for b in self.budget if b.standing != Standing.NONE]

    @property
    def budget_met(self) -> list[BudgetRow]:
        """The districts whose own budget and every commune's reach their floors."""
        return [b for b in self.budget if b.standing == Standing.MET]

    @property
    def outputs(self) -> list[OutputFigures]:
        return [o for g in self.groups for a in g.activities for o in a.outputs]

    def scoped_outputs(self) -> list[tuple[GroupFigures, ActivityFigures, OutputFigures]]:
        """The output targets the cut shows, with their group and activity: every one, or with an
        agency filter those of the activities the agency leads or supports and those it contributed to."""
        agency = self.cut.agency
        rows = []
        for g in self.groups:
            for a in g.activities:
                responsible = agency is None or any(r.agency_id == agency.pk for r in a.responsible)
                rows += [(g, a, o) for o in a.outputs if responsible or o.contributions]
        return rows


# ------------------------------------------------------------------------------------------------
# The computation
# ------------------------------------------------------------------------------------------------
def figures_compute(*, cut: Cut) -> Figures:
    """All figures for the cut, in a fixed number of queries whatever the number of agencies,
    districts, quarters or values."""
    program = cut.program
    frame = cut.frame if cut.frame is not None else program_frame(program=program)
    course_quarters = [q for q in frame.quarters if q.number <= cut.last.number]
    agencies = list(frame.agencies)
    districts = list(frame.districts)
    district_agency = {a.unit_id: a for a in agencies if a.is_district}
    if cut.district is not None:
        districts = [d for d in districts if d.pk == cut.district.pk]

    submissions = _submissions(program, frame)
    numbers = {q.pk: q.number for q in frame.quarters}
    counted = [s for s in submissions if s.status in cut.statuses and numbers[s.quarter_id] <= cut.last.number]
    if cut.agency is not None:
        counted = [s for s in counted if s.agency_id == cut.agency.pk]
    if cut.district is not None:
        counted = [s for s in counted if s.agency.unit_id == cut.district.pk]
    by_key = {(s.agency_id, s.quarter_id): s for s in counted}
    cut_ids = cut.quarter_ids
    ids = [s.pk for s in counted]
    communes = _commune_rows(ids)
    agency_communes = {district_agency[d.pk].pk: d.commune_count for d in frame.districts if d.pk in district_agency}

    targets = _targets(cut, program, districts, district_agency, by_key, course_quarters, communes)
    groups, difficulties, proposals = _activities(cut, program, agencies, counted, ids, agency_communes)
    return Figures(
        cut=cut,
        targets=targets,
        groups=groups,
        compliance=_compliance(cut, agencies, submissions),
        budget=_budget(cut, program, districts, district_agency, by_key, communes),
        difficulties=difficulties,
        proposals=proposals,
        counted=[s for s in counted if s.quarter_id in cut_ids],
        district=_district(cut, program, frame, submissions, district_agency, course_quarters, groups),
    )


def _submissions(program, frame: Frame) -> list[Submission]:
    """Every submission of the program, in the order they were made, each with its agency and quarter
    (and the quarter's program) set, in one query without joins. The agencies and quarters come from the
    program's frame, one instance of each shared by its submissions: reading them with each submission
    (select_related) made four model instances per row, most of the figures' time on a province's year
    (docs/benchmarks.md, issue 17)."""
    names = _submission_names()
    rows = Submission.objects.filter(quarter_id__in=[q.pk for q in frame.quarters]).order_by("pk").values_list(*names)
    if not isinstance(program, Program):
        program = program.instance()
    quarters = {q.pk: q.instance(program=program) for q in frame.quarters}
    agencies: dict[int, Agency] = {}
    known = {a.pk: a for a in frame.agencies}
    out = [Submission.from_db(DEFAULT_DB_ALIAS, names, row) for row in rows]
    missing = {s.agency_id for s in out if s.agency_id not in known}  # an agency without duties: rare
    extra = Agency.objects.in_bulk(missing) if missing else {}
    set_agency, set_quarter = Submission.agency.field.set_cached_value, Submission.quarter.field.set_cached_value
    for s in out:
        agency = agencies.get(s.agency_id)
        if agency is None:
            info = known.get(s.agency_id)
            agency = agencies[s.agency_id] = info.instance() if info is not None else extra[s.agency_id]
        set_agency(s, agency)
        set_quarter(s, quarters[s.quarter_id])
    return out


@functools.cache
def _submission_names() -> tuple[str, ...]:
    return tuple(f.attname for f in Submission._meta.concrete_fields)


def _latest(by_key: dict, agency_id: int, quarters: list[QuarterInfo]) -> Submission | None:
    """The agency's latest counted submission among these quarters."""
    for q in reversed(quarters):
        sub = by_key.get((agency_id, q.pk))
        if sub is not None:
            return sub
    return None


def _program_targets(program) -> tuple[TargetInfo, ...]:
    # One query: the targets come with their indicators (every target is measured by at least one).
    indicators = Indicator.objects.filter(target__program_id=program.pk).select_related("target")
    return targets_of(indicators.order_by("target__number", "order", "code"))


def _program_activities(program) -> tuple[GroupInfo, ...]:
    # Three queries: the activities with their groups (every group holds at least one), roles, outputs.
    activities = (
        Activity.objects.filter(group__program_id=program.pk)
        .select_related("group")
        .order_by("group__order", "order")
        .prefetch_related(
            Prefetch("roles", queryset=ActivityRole.objects.select_related("agency").order_by("role")),
            Prefetch("outputs", queryset=OutputTarget.objects.order_by("order")),
        )
    )
    return groups_of(activities)


def _commune_rows(ids: list[int]) -> dict[int, list]:
    """Each counted submission's rows of its communes (ticks and budget), in the unit tree's order, as
    light rows (one query): submission id -> rows."""
    rows = defaultdict(list)
    read = (
        CommuneStatus.objects.filter(submission_id__in=ids)
        .order_by("commune__order", "commune__code")
        .values_list("submission_id", "commune_id", "commune__name", "safe_home_pilot", "safe_home_full",
                     "child_friendly", "budget", named=True)
    )  # fmt: skip
    for cs in read:
        rows[cs.submission_id].append(cs)
    return rows


def _targets(cut, program, districts, district_agency, by_key, course_quarters, ticks) -> list[TargetFigures]:
    targets = structure.cached(f"targets:{program.pk}", lambda: _program_targets(program))
    values = defaultdict(dict)  # submission id -> indicator id -> IndicatorValue
    # Values are read as light rows, not model instances: a province's year holds thousands of them.
    rows = IndicatorValue.objects.filter(submission_id__in=list({s.pk for s in by_key.values()}))
    for v in rows.values_list("submission_id", "indicator_id", "numerator", "denominator", named=True):
        values[v.submission_id][v.indicator_id] = v
    communes = {d.pk: d.commune_count for d in districts}

    def ratio_of(ind: IndicatorInfo, sub: Submission, district: UnitInfo) -> Ratio | None:
        if ind.input == Indicator.Input.FIGURES:
            v = values[sub.pk].get(ind.pk)
            if v is None or v.numerator is None or v.denominator is None:
                return None
            return Ratio(v.numerator, v.denominator)
        ticked = sum(1 for cs in ticks[sub.pk] if getattr(cs, ind.flag))
        if not ticked and not sub.communes_checked:
            return None  # not reported: no commune ticked, nothing confirmed (the module's docstring)
        if ind.input == Indicator.Input.COMMUNE_FLAG:
            return Ratio(ticked, communes.get(district.pk, 0))
        return Ratio(1 if ticked else 0, 1)  # DISTRICT_ANY_COMMUNE_FLAG

    cut_quarters = list(cut.quarters)
    out = []
    for target in targets:
        figures = []
        for ind in target.indicators:
            province, cells, sources = Ratio(), [], []
            for d in districts:
                agency = district_agency.get(d.pk)
                sub = _latest(by_key, agency.pk, cut_quarters) if agency else None
                ratio = ratio_of(ind, sub, d) if sub else None
                if ratio is not None:
                    province.add(ratio)
                    sources.append(sub.pk)
                cells.append(
                    DistrictCell(d, agency, ratio, sub.quarter if sub else None, sub.pk if sub else None,
                                 standing(ratio.value if ratio else None, ind.goal))
                )  # fmt: skip
            course = []
            for q in course_quarters:
                r = Ratio()
                for d in districts:
                    agency = district_agency.get(d.pk)
                    sub = by_key.get((agency.pk, q.pk)) if agency else None
                    part = ratio_of(ind, sub, d) if sub else None
                    if part is not None:
                        r.add(part)
                course.append((q, r))
            figures.append(IndicatorFigures(ind, province, cells, course, sources))
        out.append(TargetFigures(target, figures))
    return out


def _activities(cut, program, agencies, counted, ids, agency_communes):
    groups = structure.cached(f"activities:{program.pk}", lambda: _program_activities(program))
    cut_ids = cut.quarter_ids
    in_cut = [s for s in counted if s.quarter_id in cut_ids]
    in_cut_ids = {s.pk for s in in_cut}
    sub_by_id = {s.pk: s for s in counted}
    rank = {s.id: (s.quarter.number, s.agency.order) for s in counted}  # the order accounts are listed in
    outputs = defaultdict(list)  # output id -> [(submission, quantity)]
    quantities = OutputProgress.objects.filter(submission_id__in=ids, quantity__isnull=False)
    for op in quantities.values_list("submission_id", "output_id", "quantity", named=True):
        outputs[op.output_id].append((sub_by_id[op.submission_id], op.quantity))
    progress = defaultdict(list)  # activity id -> [(submission, ActivityProgress)]
    progress_rows = ActivityProgress.objects.filter(submission_id__in=list(in_cut_ids)).values_list(
        "submission_id", "activity_id", "status", "children_boys", "children_girls", "money_spent", "account",
        "difficulties", "proposals", named=True,
    )  # fmt: skip
    for ap in progress_rows:
        progress[ap.activity_id].append((sub_by_id[ap.submission_id], ap))

    cut_quarters = list(cut.quarters)
    result, difficulties, proposals = [], [], []
    for g in groups:
        acts = []
        for a in g.activities:
            outs = [_output_figures(o, outputs.get(o.pk, []), cut_quarters, agency_communes) for o in a.outputs]
            statuses: dict[str, int] = defaultdict(int)
            boys = girls = money = 0
            accounts, diffs, props = [], [], []
            for sub, ap in sorted(progress.get(a.pk, []), key=lambda x: rank[x[0].id]):
                if ap.status:
                    statuses[ap.status] += 1
                boys += ap.children_boys or 0
                girls += ap.children_girls or 0
                money += ap.money_spent or 0
                for text, bucket in ((ap.account, accounts), (ap.difficulties, diffs), (ap.proposals, props)):
                    if text.strip():
                        bucket.append(Account(sub.agency, sub.quarter, text.strip(), sub.pk, a))
            difficulties += diffs
            proposals += props
            acts.append(ActivityFigures(a, list(a.roles), outs, dict(statuses), boys, girls, money, accounts,
                                        diffs, props))  # fmt: skip
        result.append(GroupFigures(g, acts))
    for sub in sorted(in_cut, key=lambda s: rank[s.id]):
        if sub.difficulties.strip():
            difficulties.append(Account(sub.agency, sub.quarter, sub.difficulties.strip(), sub.pk))
        if sub.proposals.strip():
            proposals.append(Account(sub.agency, sub.quarter, sub.proposals.strip(), sub.pk))
    return result, difficulties, proposals


def _output_figures(output: OutputInfo, rows: list[tuple[Submission, int]], quarters: list[QuarterInfo],
                    agency_communes: dict[int, int]) -> OutputFigures:  # fmt: skip
    numbers = {q.number for q in quarters}
    by_agency: dict[int, list[tuple[Submission, int]]] = defaultdict(list)
    for sub, qty in rows:
        if sub.quarter.number in numbers:
            by_agency[sub.agency_id].append((sub, qty))
    if output.is_per_commune:
        return _per_commune_figures(output, by_agency, agency_communes)
    contributions = []
    for entries in by_agency.values():
        entries.sort(key=lambda e: e[0].quarter.number)
        agency = entries[0][0].agency
        if output.aggregation == OutputTarget.Aggregation.SUM:
            parts = [(s.pk, q) for s, q in entries]
            contributions.append(Contribution(agency, sum(q for _, q in parts), [i for i, _ in parts], parts))
        else:  # the latest reported state
            sub, qty = entries[-1]
            contributions.append(Contribution(agency, qty, [sub.pk], [(sub.pk, qty)]))
    contributions.sort(key=lambda c: c.agency.order)
    total = sum(c.value for c in contributions)
    if output.aggregation == OutputTarget.Aggregation.AVERAGE and contributions:
        total = int((Decimal(total) / len(contributions)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return OutputFigures(output, total, contributions)


def _per_commune_figures(output: OutputInfo, by_agency: dict, agency_communes: dict[int, int]) -> OutputFigures:
    """An average per commune: each district's latest count over its communes; the province's Σ counts
    over Σ communes of the districts that reported (never a mean of their averages). Only districts count."""
    contributions = []
    for agency_id, entries in by_agency.items():
        if agency_id not in agency_communes:
            continue
        sub, qty = max(entries, key=lambda e: e[0].quarter.number)
        contributions.append(Contribution(sub.agency, qty, [sub.pk], [(sub.pk, qty)], agency_communes[agency_id]))
    contributions.sort(key=lambda c: c.agency.order)
    if not contributions:
        return OutputFigures(output, 0, [])
    count, communes = sum(c.value for c in contributions), sum(c.communes for c in contributions)
    achieved = int((Decimal(count) / communes).quantize(Decimal(1), rounding=ROUND_HALF_UP)) if communes else 0
    return OutputFigures(output, achieved, contributions, count=count, communes=communes)


def _compliance(cut, agencies, submissions) -> list[QuarterCompliance]:
    expected = agencies if cut.agency is None else [a for a in agencies if a.pk == cut.agency.pk]
    if cut.district is not None:
        expected = [a for a in expected if a.unit_id == cut.district.pk]
    subs = {(s.agency_id, s.quarter_id): s for s in submissions}
    directed = [a for a in expected if not a.is_requested]
    rows = []
    for q in cut.quarters:
        on_time, late, missing, requested_sent, requested_missing = [], [], [], [], []
        for a in expected:
            s = subs.get((a.pk, q.pk))
            sent = s is not None and s.first_submitted_at is not None
            if a.is_requested:
                (requested_sent if sent else requested_missing).append(s if sent else a)
            elif not sent:
                missing.append(a)
            elif s.days_late:
                late.append(s)
            else:
                on_time.append(s)
        rows.append(QuarterCompliance(q, directed, on_time, late, missing, calendar.is_past(q.entry_deadline),
                                      requested_sent, requested_missing))  # fmt: skip
    return rows


def _budget(cut, program, districts, district_agency, by_key, commune_rows) -> list[BudgetRow]:
    """Each district's budget for the year (its own and each commune's), from its latest counted
    submission that states any of it."""
    rows = []
    quarters = list(cut.quarters)
    for d in districts:
        agency = district_agency.get(d.pk)
        source, communes = None, []
        if agency is not None:
            for q in reversed(quarters):
                sub = by_key.get((agency.pk, q.pk))
                if sub is None:
                    continue
                communes = [CommuneBudget(cs.commune_id, cs.commune__name, cs.budget)
                            for cs in commune_rows.get(sub.pk, []) if cs.budget is not None]  # fmt: skip
                if sub.district_budget is not None or communes:
                    source = sub
                    break
        rows.append(
            BudgetRow(
                district=d, agency=agency, communes=d.commune_count,
                district_budget=source.district_budget if source else None,
                commune_budgets=communes if source else [],
                district_floor=program.district_budget_floor, commune_floor=program.commune_budget_floor,
                submission_id=source.pk if source else None, quarter=source.quarter if source else None,
            )
        )  # fmt: skip
    return rows


# ------------------------------------------------------------------------------------------------
# A district's view
# ------------------------------------------------------------------------------------------------
def _output_districts(program) -> tuple[tuple[int, frozenset[int]], ...]:
    """Each output target's named districts (OutputTarget.units), one query, kept with the structure."""
    through = OutputTarget.units.through.objects.filter(outputtarget__activity__group__program_id=program.pk)
    named: dict[int, set[int]] = defaultdict(set)
    for output_id, unit_id in through.values_list("outputtarget_id", "adminunit_id"):
        named[output_id].add(unit_id)
    return tuple((k, frozenset(v)) for k, v in named.items())


def district_plan(output: OutputInfo, district: UnitInfo, named: frozenset[int],
                  communes_total: int) -> tuple[int | None, PlanBasis | None]:  # fmt: skip
    """A district's own share of a province plan, only where the program names it (PlanBasis); else
    (None, None): the plan is the province's total and the district's figure is a contribution to it."""
    if named == {district.pk}:
        return output.quantity, PlanBasis.NAMED
    if output.unit == "huyện" and district.pk in named and output.quantity == len(named):
        return 1, PlanBasis.EACH
    if output.is_per_commune or output.aggregation == OutputTarget.Aggregation.AVERAGE:
        return output.quantity, PlanBasis.RATE
    if output.unit == "xã" and not named and communes_total and output.quantity == communes_total:
        return district.commune_count or None, PlanBasis.COMMUNES
    return None, None


def _district(cut, program, frame, submissions, district_agency, course_quarters, groups) -> DistrictFigures | None:
    """For a district's cut: the indicators over every district (the same rules as the province's
    dashboard, on the districts' counted submissions: two queries), and the district's duties."""
    if cut.district is None:
        return None
    districts = list(frame.districts)
    district = next((d for d in districts if d.pk == cut.district.pk), None)  # the frame's: with its communes
    if district is None:
        return None
    agency = district_agency.get(district.pk)
    counted = [s for s in submissions if s.status in cut.statuses and s.quarter.number <= cut.last.number
               and s.agency.is_district]  # fmt: skip
    by_key = {(s.agency_id, s.quarter_id): s for s in counted}
    ticks = _commune_rows([s.pk for s in counted])
    targets = _targets(cut, program, districts, district_agency, by_key, course_quarters, ticks)
    named = dict(structure.cached(f"output-districts:{program.pk}", lambda: _output_districts(program)))
    communes_total = sum(d.commune_count or 0 for d in districts)
    outputs = []
    for g in groups:
        for a in g.activities:
            assigned = agency is not None and any(r.agency_id == agency.pk for r in a.responsible)
            for o in a.outputs:
                places = named.get(o.output.pk, frozenset())
                if not (assigned and (not places or district.pk in places)) and not o.contributions:
                    continue  # another body's duty, or another district's
                plan, basis = district_plan(o.output, district, places, communes_total)
                outputs.append(DistrictOutput(g, a, o, plan, basis))
    return DistrictFigures(district, agency, targets, outputs)
