"""The dashboard's view model: every figure it shows, each with the link to the submissions behind it,
and the data of its charts.

Nothing is computed here: every figure comes from `dashboards.figures.figures_compute`, the selector the
provincial reports use too, so that the dashboard, its exports and the printed reports never disagree.
This module only picks the figures, labels them and links them; the filters are in `filters`, the
drill-down in `sources`, the files in `exports`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from activities.models import ActivityRole
from programs.snapshots import ActivityInfo, AgencyInfo, GroupInfo, IndicatorInfo, QuarterInfo, UnitInfo

from .exports import exports_for
from .figures import (
    NEAR_GOAL_POINTS,
    Account,
    BudgetRow,
    Contribution,
    DistrictCell,
    DistrictFigures,
    DistrictOutput,
    Figures,
    IndicatorFigures,
    OutputFigures,
    QuarterCompliance,
    Ratio,
    Standing,
    TargetFigures,
    district_rank,
    standing,
)
from .filters import CUT_QUARTER, CUT_YTD, Filters
from .previous import LastYear
from .sources import COMPLIANCE_PARTS
from .tables import pct_cell


# ------------------------------------------------------------------------------------------------
# The page
# ------------------------------------------------------------------------------------------------
@dataclass
class Choice:
    label: str
    url: str
    active: bool


@dataclass
class CourseCell:
    quarter: QuarterInfo
    ratio: Ratio
    standing: Standing
    url: str


@dataclass
class IndicatorRow:
    figures: IndicatorFigures
    url: str
    course: list[CourseCell]
    last_year: IndicatorFigures | None = None  # the same cut a year back (dashboards.previous)


@dataclass
class TargetRow:
    figures: TargetFigures
    indicators: list[IndicatorRow]


@dataclass
class CellView:
    indicator: IndicatorInfo
    cell: DistrictCell
    url: str | None


@dataclass
class DistrictRow:
    district: UnitInfo
    agency: AgencyInfo | None
    cells: list[CellView]


@dataclass
class ContributionView:
    contribution: Contribution
    url: str


@dataclass
class OutputRow:
    activity: ActivityInfo
    figures: OutputFigures
    url: str
    meter: int  # the share for a <meter>, 0–100
    contributions: list[ContributionView]
    leads: list[AgencyInfo]
    last_year: OutputFigures | None = None  # the same cut a year back (dashboards.previous)


@dataclass
class GroupRows:
    group: GroupInfo
    outputs: list[OutputRow]


@dataclass
class ComplianceRow:
    figures: QuarterCompliance
    urls: dict[str, str]


@dataclass
class BudgetView:
    row: BudgetRow
    url: str | None


@dataclass
class AccountView:
    account: Account
    url: str


@dataclass
class Option:
    """An option of a filter's drop-down list."""

    value: str
    label: str
    selected: bool


@dataclass
class DashboardPage:
    filters: Filters
    figures: Figures
    quarter_choices: list[Choice]
    cut_choices: list[Choice]
    targets: list[TargetRow]
    indicator_rows: list[IndicatorRow]
    course_quarters: list[QuarterInfo]
    districts: list[DistrictRow]
    groups: list[GroupRows]
    compliance: list[ComplianceRow]
    budget: list[BudgetView]
    difficulties: list[AccountView]
    proposals: list[AccountView]
    kpis: dict
    charts: dict = field(default_factory=dict)
    district: DistrictView | None = None  # a district's dashboard: the district beside the province, its duties
    last_year: LastYear | None = None  # None: no year before, no column

    @property
    def account_lists(self) -> list[tuple[str, list[AccountView]]]:
        return [(_("Khó khăn, vướng mắc"), self.difficulties), (_("Đề xuất, kiến nghị"), self.proposals)]

    @property
    def csv_tables(self) -> list[tuple[str, str]]:
        """(key, label) of the tables this scope can download as CSV."""
        return [(e.key, e.label) for e in exports_for(self.filters)]

    @property
    def district_options(self) -> list[Option]:
        f = self.filters
        return [Option(d.code, d.name, f.district == d) for d in f.frame.districts]

    @property
    def agency_options(self) -> list[Option]:
        f = self.filters
        return [Option(a.code, a.short_name, f.agency == a) for a in f.frame.agencies]

    @property
    def legend(self) -> list[tuple[Standing, str]]:
        """The colours of the district table: each standing, with what "near" means."""
        near = _("cách chỉ tiêu không quá %(n)s điểm phần trăm") % {"n": NEAR_GOAL_POINTS}
        return [(s, near if s == Standing.NEAR else "") for s in Standing]


def dashboard_page(*, filters: Filters, figures: Figures, last_year: LastYear | None = None) -> DashboardPage:
    """Everything the dashboard shows, each number with the link to its drill-down; with `last_year`, each
    continuing item's figure of the same cut a year back beside it."""
    f = filters
    targets = _target_rows(f, figures)
    page = DashboardPage(
        filters=f, figures=figures,
        quarter_choices=[
            Choice(str(q), "?" + f.query(quarter=q.number), q.number == f.quarter) for q in f.frame.quarters
        ],
        cut_choices=[
            Choice(_("Lũy kế từ đầu năm"), "?" + f.query(cut=CUT_YTD), f.year_to_date),
            Choice(_("Riêng quý"), "?" + f.query(cut=CUT_QUARTER), not f.year_to_date),
        ],
        targets=targets, indicator_rows=[r for t in targets for r in t.indicators],
        course_quarters=[q for q in f.frame.quarters if q.number <= f.quarter], districts=_district_rows(f, figures),
        groups=_group_rows(f, figures), compliance=_compliance_rows(f, figures),
        budget=[BudgetView(r, f.sources_url("budget", district=r.district.code) if r.submission_id else None)
                for r in figures.budget],
        difficulties=_account_views(figures, figures.difficulties),
        proposals=_account_views(figures, figures.proposals),
        kpis={},
    )  # fmt: skip
    page.kpis = _kpis(page)
    page.charts = _charts(page)
    if figures.district is not None:
        page.district = _district_view(f, figures, figures.district)
    if last_year is not None:
        _beside_last_year(page, last_year)
    return page


def _beside_last_year(page: DashboardPage, last_year: LastYear) -> None:
    """Each indicator's and output's figure of last year, matched by code (None: new this year)."""
    page.last_year = last_year
    for row in page.indicator_rows:
        row.last_year = last_year.indicator(row.figures.indicator.code)
    for g in page.groups:
        for o in g.outputs:
            o.last_year = last_year.output(o.activity.code, o.figures.output.code)
    if page.district is not None:
        for d in page.district.indicators:
            d.last_year = last_year.indicator(d.own.indicator.code)


def _indicator_url(f: Filters, ind: IndicatorFigures, **changes) -> str:
    return f.sources_url("indicator", code=ind.indicator.code, **changes)


def _target_rows(f: Filters, figures: Figures) -> list[TargetRow]:
    """Each target's indicators, each with its course quarter by quarter."""
    targets = []
    for t in figures.targets:
        rows = []
        for ind in t.indicators:
            course = [
                CourseCell(q, r, standing(r.value, ind.indicator.goal),
                           _indicator_url(f, ind, cut=CUT_QUARTER, quarter=q.number))
                for q, r in ind.by_quarter
            ]  # fmt: skip
            rows.append(IndicatorRow(ind, _indicator_url(f, ind), course))
        targets.append(TargetRow(t, rows))
    return targets


def _district_rows(f: Filters, figures: Figures) -> list[DistrictRow]:
    """The districts × indicators table: a row per district, a cell per indicator."""
    indicators = figures.indicators
    rows = []
    for i, first in enumerate(indicators[0].districts if indicators else []):
        cells = []
        for ind in indicators:
            c = ind.districts[i]
            url = _indicator_url(f, ind, district=c.district.code) if c.ratio is not None else None
            cells.append(CellView(ind.indicator, c, url))
        rows.append(DistrictRow(first.district, first.agency, cells))
    return rows


def _group_rows(f: Filters, figures: Figures) -> list[GroupRows]:
    """The output targets the scope shows, by activity group."""
    groups: dict[int, GroupRows] = {}
    for g, a, o in figures.scoped_outputs():
        share = o.share
        row = OutputRow(
            activity=a.activity, figures=o, url=f.sources_url("output", output=o.output.pk),
            meter=min(100, int(share)) if share is not None else 0,
            contributions=[
                ContributionView(c, f.sources_url("output", output=o.output.pk, agency=c.agency.code))
                for c in o.contributions
            ],
            leads=[r.agency for r in a.responsible if r.role == ActivityRole.Role.LEAD],
        )  # fmt: skip
        groups.setdefault(g.group.pk, GroupRows(g.group, [])).outputs.append(row)
    return list(groups.values())


def _compliance_rows(f: Filters, figures: Figures) -> list[ComplianceRow]:
    return [
        ComplianceRow(c, {part: f.sources_url("compliance", part=part, cut=CUT_QUARTER, quarter=c.quarter.number)
                          for part in COMPLIANCE_PARTS})
        for c in figures.compliance
    ]  # fmt: skip


def _account_views(figures: Figures, items: list[Account]) -> list[AccountView]:
    """Each account with the link to the submission it was written in."""
    submissions = {s.pk: s for s in figures.counted}
    return [AccountView(a, submissions[a.submission_id].get_absolute_url()) for a in items]


def _kpis(page: DashboardPage) -> dict:
    figures, indicators = page.figures, page.figures.indicators
    outputs = [o for g in page.groups for o in g.outputs]
    return {
        "indicators_met": sum(1 for i in indicators if i.met),
        "indicators": len(indicators),
        "reporting": figures.compliance[-1] if figures.compliance else None,
        "outputs_done": sum(1 for o in outputs if o.figures.share is not None and o.figures.share >= 100),
        "outputs_started": sum(1 for o in outputs if o.figures.achieved),
        "outputs": len(outputs),
        "budget_met": len(figures.budget_met),  # of the districts that reported: not reported is not zero
        "budget_reported": len(figures.budget_reported),
        "budget_rows": len(figures.budget),
    }


# ------------------------------------------------------------------------------------------------
# A district's dashboard
# ------------------------------------------------------------------------------------------------
@dataclass
class DistrictIndicatorRow:
    """An indicator of the district: its value (against the indicator's goal, a rate every district
    is held to), the province's, and its place among the districts."""

    own: IndicatorFigures
    province: IndicatorFigures
    rank: tuple[int, int] | None
    url: str
    last_year: IndicatorFigures | None = None  # the district's, the same cut a year back (dashboards.previous)


@dataclass
class RankCell:
    indicator: IndicatorInfo
    cell: DistrictCell
    rank: tuple[int, int] | None


@dataclass
class RankRow:
    district: UnitInfo
    own: bool
    cells: list[RankCell]


@dataclass
class DistrictOutputRow:
    item: DistrictOutput
    url: str
    meter: int  # the share of the district's own plan for a <meter>, 0–100


@dataclass
class DistrictGroup:
    group: GroupInfo
    outputs: list[DistrictOutputRow]


@dataclass
class DistrictView:
    figures: DistrictFigures
    indicators: list[DistrictIndicatorRow]
    ranks: list[RankRow]  # every district × indicator, each cell with its place
    groups: list[DistrictGroup]

    @property
    def outputs(self) -> list[DistrictOutputRow]:
        return [o for g in self.groups for o in g.outputs]

    @property
    def kpis(self) -> dict:
        """Counted against the district's own plans only, never the province's."""
        outputs = [o.item for o in self.outputs]
        return {
            "planned": sum(1 for o in outputs if o.plan),
            "done": sum(1 for o in outputs if o.done),
            "reported": sum(1 for o in outputs if o.figures.contributions),
            "outputs": len(outputs),
        }


def _district_view(f: Filters, figures: Figures, district: DistrictFigures) -> DistrictView:
    """The district's indicators beside the province's and its place, every district ranked, its duties."""
    wide = district.indicators
    rows = [
        DistrictIndicatorRow(own, province, district.rank(province), _indicator_url(f, own))
        for own, province in zip(figures.indicators, wide, strict=True)
    ]
    ranks = []
    for i, first in enumerate(wide[0].districts if wide else []):
        cells = [RankCell(ind.indicator, ind.districts[i], district_rank(ind, first.district.pk)) for ind in wide]
        ranks.append(RankRow(first.district, first.district.pk == district.district.pk, cells))
    groups: dict[int, DistrictGroup] = {}
    for item in district.outputs:
        share = item.share
        row = DistrictOutputRow(item, f.sources_url("output", output=item.figures.output.pk),
                                min(100, int(share)) if share is not None else 0)  # fmt: skip
        groups.setdefault(item.group.group.pk, DistrictGroup(item.group.group, [])).outputs.append(row)
    return DistrictView(district, rows, ranks, list(groups.values()))


# ------------------------------------------------------------------------------------------------
# Charts
# ------------------------------------------------------------------------------------------------
def _charts(page: DashboardPage) -> dict:
    """The charts' data for static/js/dashboard.js (passed with json_script): each number with its link."""
    charts = {"compliance": _compliance_chart(page)}
    if page.filters.shows_targets:
        charts["targets"] = _targets_chart(page)
        charts["budget"] = _budget_chart(page)
    return charts


def _targets_chart(page: DashboardPage) -> dict:
    rows = page.indicator_rows
    return {
        "labels": [_("Chỉ số %(c)s") % {"c": r.figures.indicator.code} for r in rows],
        "titles": [r.figures.indicator.name for r in rows],
        "datasets": [
            {"label": str(q), "data": [pct_cell(r.course[i].ratio.value) for r in rows],
             "links": [r.course[i].url for r in rows]}
            for i, q in enumerate(page.course_quarters)
        ],
        "goal": {"label": _("Chỉ tiêu"), "data": [pct_cell(r.figures.indicator.goal) for r in rows]},
        "unit": "%",
    }  # fmt: skip


def _compliance_chart(page: DashboardPage) -> dict:
    parts = [("on_time", _("Đúng hạn")), ("late", _("Trễ hạn")), ("missing", _("Chưa gửi"))]
    return {
        "labels": [str(c.figures.quarter) for c in page.compliance],
        "datasets": [
            {"key": key, "label": label, "data": [len(getattr(c.figures, key)) for c in page.compliance],
             "links": [c.urls[key] for c in page.compliance]}
            for key, label in parts
        ],
        "unit": "",
    }  # fmt: skip


def _millions(value: int | None) -> float | None:
    return None if value is None else float((Decimal(value) / Decimal(1_000_000)).quantize(Decimal("0.1")))


def _budget_chart(page: DashboardPage) -> dict:
    budget = page.budget
    links = [b.url for b in budget]
    return {
        "labels": [b.row.district.display_short for b in budget],
        "datasets": [
            {"label": _("Kinh phí cấp huyện"), "data": [_millions(b.row.district_budget) for b in budget],
             "links": links},
            {"label": _("Kinh phí cấp xã"), "data": [_millions(b.row.communes_budget) for b in budget],
             "links": links},
        ],
        "floors": [
            {"label": _("Mức tối thiểu cấp huyện"), "data": [_millions(b.row.district_floor) for b in budget]},
            {"label": _("Mức tối thiểu cấp xã"), "data": [_millions(b.row.communes_floor) for b in budget]},
        ],
        "unit": _("triệu đồng"),
    }  # fmt: skip
