"""The dashboard's view models: its filters read from the query string, a link from every number to the
submissions behind it, the drill-down lists, and the tables the exports write.

Nothing is computed here: every figure comes from `dashboards.figures.figures_compute`, the selector the
provincial reports use too, so that the dashboard, its exports and the printed reports never disagree.
This module only picks the figures, labels them and links them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import roles
from activities.models import Activity, ActivityGroup, ActivityRole, OutputTarget
from core.formatting import fmt_int, fmt_pct, fmt_quantity, fmt_vnd
from programs import calendar
from programs.models import AdminUnit, Agency, Program, Quarter
from reporting.models import Submission
from reporting.selectors import submissions_visible_to
from targets.models import Indicator

from .figures import (
    Account,
    BudgetRow,
    Contribution,
    Cut,
    DistrictCell,
    Figures,
    Frame,
    IndicatorFigures,
    OutputFigures,
    QuarterCompliance,
    Ratio,
    TargetFigures,
    cut_quarter,
    program_frame,
    standing,
)

CUT_YTD, CUT_QUARTER = "ytd", "quarter"


# ------------------------------------------------------------------------------------------------
# Filters
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    """Which figures the page shows, as read from its query string and the user's role."""

    program: Program
    frame: Frame
    quarter: int
    year_to_date: bool = True
    include_pending: bool = False
    district: AdminUnit | None = None
    agency: Agency | None = None
    locked: bool = False  # a reporter's own dashboard: its agency (and district) are forced
    may_include_pending: bool = False  # viewers read accepted figures only

    def params(self, **changes) -> dict[str, str]:
        """The query-string parameters of these filters, with `changes` (None removes a parameter)."""
        p = {"cut": CUT_YTD if self.year_to_date else CUT_QUARTER, "quarter": str(self.quarter)}
        if self.include_pending:
            p["pending"] = "1"
        if self.district is not None:
            p["district"] = self.district.code
        if self.agency is not None:
            p["agency"] = self.agency.code
        for key, value in changes.items():
            if value is None:
                p.pop(key, None)
            else:
                p[key] = str(value)
        return p

    def query(self, **changes) -> str:
        return urlencode(self.params(**changes))

    def url(self, name: str, **changes) -> str:
        return reverse(f"dashboards:{name}", kwargs={"year": self.program.year}) + "?" + self.query(**changes)

    def sources_url(self, what: str, **changes) -> str:
        """The drill-down listing the submissions behind one number of these filters."""
        return self.url("dashboard_sources", what=what, **changes)

    def cut(self) -> Cut:
        return cut_quarter(
            program=self.program, number=self.quarter, year_to_date=self.year_to_date,
            include_pending=self.include_pending, district=self.district, agency=self.agency, frame=self.frame,
        )  # fmt: skip

    @property
    def cut_label(self) -> str:
        values = {"n": self.quarter, "y": self.program.year}
        if self.year_to_date:
            return _("Lũy kế từ đầu năm đến hết quý %(n)s/%(y)s") % values
        return _("Riêng quý %(n)s/%(y)s") % values

    @property
    def counting_label(self) -> str:
        if self.include_pending:
            return _("Gồm cả báo cáo đã gửi, chưa duyệt")
        return _("Chỉ số liệu đã được Sở duyệt")

    @property
    def scope_label(self) -> str:
        if self.agency is not None:
            return self.agency.name
        if self.district is not None:
            return self.district.name
        return _("Toàn tỉnh")

    @property
    def shows_targets(self) -> bool:
        """Targets, districts and budget come from the districts: a provincial agency has none of them."""
        return self.agency is None or self.agency.is_district

    @property
    def file_stem(self) -> str:
        """bang-dieu-khien-2018-q2-luy-ke, with the scope and the pending switch when set."""
        parts = ["bang-dieu-khien", str(self.program.year), f"q{self.quarter}"]
        if self.year_to_date:
            parts.append("luy-ke")
        if self.agency is not None:
            parts.append(self.agency.code)
        elif self.district is not None:
            parts.append(f"huyen-{self.district.code}")
        if self.include_pending:
            parts.append("gom-chua-duyet")
        return "-".join(parts)


def current_quarter(frame: Frame) -> int:
    """The quarter of the portal's today within the program year (the first or last one outside it)."""
    today = calendar.local_today()
    for q in frame.quarters:
        if q.start <= today <= q.end:
            return q.number
    if today > frame.quarters[-1].end:
        return frame.quarters[-1].number
    return frame.quarters[0].number


def filters_parse(*, user, program: Program, params: Mapping[str, str]) -> tuple[Filters, list[str]]:
    """The filters from the query string, and a Vietnamese message for each value that was ignored.

    Officers and viewers see the province and may pick a district or an agency; viewers read accepted
    figures only (pending=1 is ignored). A reporter sees its own agency (and its district): a query for
    another one answers 404, as does a user without a role.
    """
    if not (roles.sees_province(user) or roles.is_reporter(user)):
        raise Http404("No dashboard for this user")
    frame = program_frame(program=program)
    if not frame.quarters:
        raise Http404("The program has no quarters")
    warnings: list[str] = []
    numbers = [q.number for q in frame.quarters]
    default = current_quarter(frame)

    raw = (params.get("quarter") or "").strip()
    quarter = default
    if raw:
        if raw.isdigit() and int(raw) in numbers:
            quarter = int(raw)
        else:
            warnings.append(
                _("Quý “%(v)s” không hợp lệ (chọn từ 1 đến %(m)s); đang hiển thị quý %(n)s.")
                % {"v": raw, "m": numbers[-1], "n": default}
            )
    raw = (params.get("cut") or "").strip()
    if raw and raw not in (CUT_YTD, CUT_QUARTER):
        warnings.append(_("Cách tính “%(v)s” không hợp lệ; đang hiển thị số liệu lũy kế từ đầu năm.") % {"v": raw})
    year_to_date = raw != CUT_QUARTER
    may_include_pending = roles.is_officer(user) or roles.is_reporter(user)
    include_pending = may_include_pending and params.get("pending") == "1"

    agencies = {a.code: a for a in frame.agencies}
    districts = {d.code: d for d in frame.districts}
    raw_agency = (params.get("agency") or "").strip()
    raw_district = (params.get("district") or "").strip()
    if roles.is_reporter(user) and not roles.sees_province(user):
        agency = next((a for a in frame.agencies if a.pk == user.agency_id), None)
        if agency is None or (raw_agency and raw_agency != agency.code):
            raise Http404("A reporter sees its own agency's dashboard only")
        district = next((d for d in frame.districts if d.pk == agency.unit_id), None) if agency.is_district else None
        if raw_district and (district is None or raw_district != district.code):
            raise Http404("A reporter sees its own district only")
        locked = True
    else:
        locked = False
        agency = agencies.get(raw_agency) if raw_agency else None
        if raw_agency and agency is None:
            warnings.append(
                _("Không có cơ quan, đơn vị mã “%(v)s” trong chương trình; đã bỏ bộ lọc này.") % {"v": raw_agency}
            )
        district = districts.get(raw_district) if raw_district else None
        if raw_district and district is None:
            warnings.append(_("Không có huyện, thị xã, thành phố mã “%(v)s”; đã bỏ bộ lọc này.") % {"v": raw_district})
        if agency is not None and agency.is_district:
            own = next((d for d in frame.districts if d.pk == agency.unit_id), None)
            if district is not None and district != own:
                warnings.append(
                    _("%(a)s thuộc %(d)s: đã lọc theo %(d)s.") % {"a": agency.short_name, "d": own.name if own else "–"}
                )
            district = own
        elif agency is not None and district is not None:
            warnings.append(_("%(a)s là cơ quan cấp tỉnh: đã bỏ bộ lọc huyện.") % {"a": agency.short_name})
            district = None
    filters = Filters(
        program=program, frame=frame, quarter=quarter, year_to_date=year_to_date, include_pending=include_pending,
        district=district, agency=agency, locked=locked, may_include_pending=may_include_pending,
    )  # fmt: skip
    return filters, warnings


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
    quarter: Quarter
    ratio: Ratio
    standing: str
    url: str


@dataclass
class IndicatorRow:
    figures: IndicatorFigures
    url: str
    course: list[CourseCell]


@dataclass
class TargetRow:
    figures: TargetFigures
    indicators: list[IndicatorRow]


@dataclass
class CellView:
    indicator: Indicator
    cell: DistrictCell
    url: str | None


@dataclass
class DistrictRow:
    district: AdminUnit
    agency: Agency | None
    cells: list[CellView]


@dataclass
class ContributionView:
    contribution: Contribution
    url: str


@dataclass
class OutputRow:
    activity: Activity
    figures: OutputFigures
    url: str
    meter: int  # the share for a <meter>, 0–100
    contributions: list[ContributionView]
    leads: list[Agency]


@dataclass
class GroupRows:
    group: ActivityGroup
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
class DashboardPage:
    filters: Filters
    figures: Figures
    quarter_choices: list[Choice]
    cut_choices: list[Choice]
    targets: list[TargetRow]
    indicator_rows: list[IndicatorRow]
    course_quarters: list[Quarter]
    districts: list[DistrictRow]
    groups: list[GroupRows]
    compliance: list[ComplianceRow]
    budget: list[BudgetView]
    difficulties: list[AccountView]
    proposals: list[AccountView]
    kpis: dict
    charts: dict = field(default_factory=dict)

    @property
    def account_lists(self) -> list[tuple[str, list[AccountView]]]:
        return [(_("Khó khăn, vướng mắc"), self.difficulties), (_("Đề xuất, kiến nghị"), self.proposals)]

    @property
    def csv_tables(self) -> list[tuple[str, str]]:
        """(key, label) of the tables this scope can download as CSV."""
        labels = {
            "targets": _("Sáu mục tiêu cụ thể"),
            "districts": _("Chỉ số theo huyện"),
            "outputs": _("Chỉ tiêu đầu ra"),
            "compliance": _("Tình hình báo cáo"),
            "missing": _("Cơ quan, đơn vị chưa gửi báo cáo"),
            "budget": _("Kinh phí"),
            "accounts": _("Khó khăn, đề xuất"),
        }
        hidden = set() if self.filters.shows_targets else {"targets", "districts", "budget"}
        return [(key, labels[key]) for key in TABLES if key not in hidden]


def _submission_url(program: Program, quarter: Quarter, agency: Agency) -> str:
    return reverse(
        "reporting:submission", kwargs={"year": program.year, "quarter": quarter.number, "code": agency.code}
    )


def _num(value: Decimal | None) -> float | None:
    """A percentage as a number rounded to one decimal, as the page shows it (for charts and files)."""
    if value is None:
        return None
    return float(Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def dashboard_page(*, filters: Filters, figures: Figures) -> DashboardPage:
    """Everything the dashboard shows, each number with the link to its drill-down."""
    f, program = filters, filters.program
    course_quarters = [q for q in f.frame.quarters if q.number <= f.quarter]

    def indicator_url(ind: IndicatorFigures, **changes) -> str:
        return f.sources_url("indicator", code=ind.indicator.code, **changes)

    targets, indicator_rows = [], []
    for t in figures.targets:
        rows = []
        for ind in t.indicators:
            course = [
                CourseCell(q, r, standing(r.value, ind.indicator.goal),
                           indicator_url(ind, cut=CUT_QUARTER, quarter=q.number))
                for q, r in ind.by_quarter
            ]  # fmt: skip
            rows.append(IndicatorRow(ind, indicator_url(ind), course))
        targets.append(TargetRow(t, rows))
        indicator_rows += rows

    districts = []
    indicators = figures.indicators
    if indicators:
        for i, cell in enumerate(indicators[0].districts):
            cells = []
            for ind in indicators:
                c = ind.districts[i]
                url = indicator_url(ind, district=c.district.code) if c.ratio is not None else None
                cells.append(CellView(ind.indicator, c, url))
            districts.append(DistrictRow(cell.district, cell.agency, cells))

    groups = []
    for g in figures.groups:
        outputs = []
        for a in g.activities:
            in_scope = f.agency is None or any(r.agency_id == f.agency.pk for r in a.responsible)
            for o in a.outputs:
                if not (in_scope or o.contributions):
                    continue
                share = o.share
                outputs.append(
                    OutputRow(
                        activity=a.activity, figures=o, url=f.sources_url("output", output=o.output.pk),
                        meter=min(100, int(share)) if share is not None else 0,
                        contributions=[
                            ContributionView(c, f.sources_url("output", output=o.output.pk, agency=c.agency.code))
                            for c in o.contributions
                        ],
                        leads=[r.agency for r in a.responsible if r.role == ActivityRole.Role.LEAD],
                    )
                )  # fmt: skip
        if outputs:
            groups.append(GroupRows(g.group, outputs))

    compliance = []
    for c in figures.compliance:
        urls = {
            part: f.sources_url("compliance", part=part, cut=CUT_QUARTER, quarter=c.quarter.number)
            for part in COMPLIANCE_PARTS
        }
        compliance.append(ComplianceRow(c, urls))

    budget = [
        BudgetView(r, f.sources_url("budget", district=r.district.code) if r.submission_id else None)
        for r in figures.budget
    ]

    def accounts(items: list[Account]) -> list[AccountView]:
        return [AccountView(a, _submission_url(program, a.quarter, a.agency)) for a in items]

    outputs = [o for g in groups for o in g.outputs]
    last = figures.compliance[-1] if figures.compliance else None
    kpis = {
        "indicators_met": sum(1 for i in indicators if i.met),
        "indicators": len(indicators),
        "reporting": last,
        "outputs_done": sum(1 for o in outputs if o.figures.share is not None and o.figures.share >= 100),
        "outputs_started": sum(1 for o in outputs if o.figures.achieved),
        "outputs": len(outputs),
        "budget_met": sum(1 for r in figures.budget if r.district_met and r.communes_met),
        "budget_reported": sum(1 for r in figures.budget if r.submission_id),
        "budget_rows": len(figures.budget),
    }
    page = DashboardPage(
        filters=f, figures=figures,
        quarter_choices=[
            Choice(str(q), "?" + f.query(quarter=q.number), q.number == f.quarter) for q in f.frame.quarters
        ],
        cut_choices=[
            Choice(_("Lũy kế từ đầu năm"), "?" + f.query(cut=CUT_YTD), f.year_to_date),
            Choice(_("Riêng quý"), "?" + f.query(cut=CUT_QUARTER), not f.year_to_date),
        ],
        targets=targets, indicator_rows=indicator_rows, course_quarters=course_quarters, districts=districts,
        groups=groups, compliance=compliance, budget=budget,
        difficulties=accounts(figures.difficulties), proposals=accounts(figures.proposals), kpis=kpis,
    )  # fmt: skip
    page.charts = _charts(page)
    return page


def _charts(page: DashboardPage) -> dict:
    """The charts' data for static/js/dashboard.js (passed with json_script): each number with its link."""
    f = page.filters
    targets = {
        "labels": [_("Chỉ số %(c)s") % {"c": r.figures.indicator.code} for r in page.indicator_rows],
        "titles": [r.figures.indicator.name for r in page.indicator_rows],
        "datasets": [
            {
                "label": str(q),
                "data": [_num(r.course[i].ratio.value) for r in page.indicator_rows],
                "links": [r.course[i].url for r in page.indicator_rows],
            }
            for i, q in enumerate(page.course_quarters)
        ],
        "goal": {"label": _("Chỉ tiêu"), "data": [_num(r.figures.indicator.goal) for r in page.indicator_rows]},
        "unit": "%",
    }
    parts = [("on_time", _("Đúng hạn")), ("late", _("Trễ hạn")), ("missing", _("Chưa gửi"))]
    compliance = {
        "labels": [str(c.figures.quarter) for c in page.compliance],
        "datasets": [
            {
                "key": key,
                "label": label,
                "data": [len(getattr(c.figures, key)) for c in page.compliance],
                "links": [c.urls[key] for c in page.compliance],
            }
            for key, label in parts
        ],
        "unit": "",
    }
    million = Decimal(1_000_000)

    def millions(value: int | None) -> float | None:
        return None if value is None else float((Decimal(value) / million).quantize(Decimal("0.1")))

    budget = {
        "labels": [b.row.district.display_short for b in page.budget],
        "datasets": [
            {
                "label": _("Kinh phí cấp huyện"),
                "data": [millions(b.row.district_budget) for b in page.budget],
                "links": [b.url for b in page.budget],
            },
            {
                "label": _("Kinh phí cấp xã"),
                "data": [millions(b.row.communes_budget) for b in page.budget],
                "links": [b.url for b in page.budget],
            },
        ],  # fmt: skip
        "floors": [
            {"label": _("Mức tối thiểu cấp huyện"), "data": [millions(b.row.district_floor) for b in page.budget]},
            {"label": _("Mức tối thiểu cấp xã"), "data": [millions(b.row.communes_floor) for b in page.budget]},
        ],
        "unit": _("triệu đồng"),
    }
    charts = {"compliance": compliance}
    if f.shows_targets:
        charts["targets"] = targets
        charts["budget"] = budget
    return charts


# ------------------------------------------------------------------------------------------------
# The drill-down: the submissions behind one number
# ------------------------------------------------------------------------------------------------
COMPLIANCE_PARTS = ("expected", "sent", "on_time", "late", "missing")


@dataclass
class SourceRow:
    agency: Agency
    quarter: Quarter
    submission: Submission | None
    values: list[str]
    url: str | None

    def cells(self, numeric: list[bool]) -> list[tuple[str, bool]]:
        return list(zip(self.values, numeric, strict=True))


@dataclass
class SourceList:
    title: str
    detail: str
    note: str
    headers: list[str]  # the value columns, after agency and quarter
    rows: list[SourceRow]
    total: list[str] | None = None
    numeric: list[bool] = field(default_factory=list)  # which value columns hold numbers (right-aligned)

    @property
    def flags(self) -> list[bool]:
        return self.numeric or [True] * len(self.headers)

    @property
    def columns(self) -> list[tuple[str, bool]]:
        return list(zip(self.headers, self.flags, strict=True))

    @property
    def lines(self) -> list[tuple[SourceRow, list[tuple[str, bool]]]]:
        """Each row with its cells and whether each holds a number."""
        return [(r, r.cells(self.flags)) for r in self.rows]

    @property
    def total_cells(self) -> list[tuple[str, bool]]:
        return list(zip(self.total or [], self.flags, strict=False))


def sources_build(*, user, filters: Filters, figures: Figures, params: Mapping[str, str]) -> SourceList:
    """The submissions behind one number of the dashboard, with what each contributed; 404 for an
    unknown number. Links open only the submissions the user may see (reporting.selectors)."""
    what = params.get("what") or ""
    builders = {"indicator": _indicator_sources, "output": _output_sources, "compliance": _compliance_sources,
                "budget": _budget_sources}  # fmt: skip
    if what not in builders:
        raise Http404("No such figure")
    result = builders[what](filters, figures, params)
    subs = [r.submission for r in result.rows if r.submission is not None]
    visible = set(submissions_visible_to(user).filter(pk__in=[s.pk for s in subs]).values_list("pk", flat=True))
    opens_unsent = roles.is_officer(user) or roles.is_reporter(user)  # a viewer reads accepted reports only
    for r in result.rows:
        if (r.submission is not None and r.submission.pk in visible) or (r.submission is None and opens_unsent):
            r.url = _submission_url(filters.program, r.quarter, r.agency)
    return result


def _counted(figures: Figures) -> dict[int, Submission]:
    return {s.pk: s for s in figures.counted}


def _ratio_values(r: Ratio) -> list[str]:
    return [fmt_int(r.numerator), fmt_int(r.denominator), fmt_pct(r.value)]


def _indicator_sources(filters: Filters, figures: Figures, params) -> SourceList:
    code = params.get("code") or ""
    ind = next((i for i in figures.indicators if i.indicator.code == code), None)
    if ind is None:
        raise Http404("No such indicator")
    subs = _counted(figures)
    rows = [
        SourceRow(c.agency, c.quarter, subs.get(c.submission_id), [c.district.name, *_ratio_values(c.ratio)], None)
        for c in ind.districts
        if c.ratio is not None
    ]
    note = _("Giá trị chung bằng tổng tử số chia tổng mẫu số của các huyện, không phải trung bình các tỷ lệ.")
    if filters.year_to_date and len(filters.cut().quarters) > 1:
        note += " " + _("Lũy kế: mỗi huyện lấy số liệu của quý gần nhất được tính.")
    return SourceList(
        title=_("Chỉ số %(c)s: %(n)s") % {"c": ind.indicator.code, "n": ind.indicator.name},
        detail=_("Chỉ tiêu %(g)s; đạt %(v)s") % {"g": fmt_pct(ind.indicator.goal), "v": fmt_pct(ind.value)},
        note=note,
        headers=[_("Huyện, thị xã, thành phố"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ")],
        rows=rows,
        total=[filters.scope_label, *_ratio_values(ind.province)],
        numeric=[False, True, True, True],
    )


def _output_sources(filters: Filters, figures: Figures, params) -> SourceList:
    raw = params.get("output") or ""
    out = next((o for o in figures.outputs if raw.isdigit() and o.output.pk == int(raw)), None)
    if out is None:
        raise Http404("No such output target")
    subs = _counted(figures)
    unit = out.output.unit
    rows = []
    for c in out.contributions:
        for sid, qty in c.parts:
            sub = subs.get(sid)
            if sub is not None:
                rows.append(SourceRow(c.agency, sub.quarter, sub, [fmt_quantity(qty, unit)], None))
    if out.output.aggregation == OutputTarget.Aggregation.SUM:
        note = _("Chỉ tiêu cộng dồn: cộng số lượng các quý.")
    else:
        note = _("Chỉ tiêu trạng thái: lấy số liệu mới nhất của mỗi cơ quan, đơn vị rồi cộng lại.")
    return SourceList(
        title=f"{out.output.code}. {out.output.label}",
        detail=_("Kế hoạch %(p)s; đạt %(a)s (%(s)s)")
        % {
            "p": fmt_quantity(out.output.quantity, unit),
            "a": fmt_quantity(out.achieved, unit),
            "s": fmt_pct(out.share),
        },
        note=note,
        headers=[_("Số lượng")],
        rows=rows,
        total=[fmt_quantity(out.achieved, unit)],
    )


def _compliance_sources(filters: Filters, figures: Figures, params) -> SourceList:
    part = params.get("part") or ""
    if part not in COMPLIANCE_PARTS:
        raise Http404("No such part of the reporting figures")
    labels = {
        "expected": _("Cơ quan, đơn vị phải báo cáo"),
        "sent": _("Báo cáo đã gửi"),
        "on_time": _("Báo cáo gửi đúng hạn"),
        "late": _("Báo cáo gửi trễ hạn"),
        "missing": _("Cơ quan, đơn vị chưa gửi báo cáo"),
    }
    rows = []
    for c in figures.compliance:
        sent = {s.agency_id: s for s in (*c.on_time, *c.late)}
        for agency in c.expected:
            sub = sent.get(agency.pk)
            kind = "missing" if sub is None else ("late" if sub.days_late else "on_time")
            if part not in ("expected", kind) and not (part == "sent" and sub is not None):
                continue
            if sub is None:
                values = ["–", _("Chưa gửi")]
            else:
                when = timezone.localtime(sub.first_submitted_at).strftime("%H:%M %d/%m/%Y")
                late = _("Trễ %(n)s ngày") % {"n": sub.days_late} if sub.days_late else _("Đúng hạn")
                values = [when, late]
            rows.append(SourceRow(agency, c.quarter, sub, values, None))
    deadlines = "; ".join(
        _("%(q)s: hạn %(d)s") % {"q": c.quarter, "d": c.quarter.entry_deadline.strftime("%d/%m/%Y")}
        for c in figures.compliance
    )
    return SourceList(
        title=labels[part],
        detail=deadlines,
        note=_("Tính mọi báo cáo đã gửi, dù đã được duyệt hay chưa; số ngày trễ tính từ lần gửi đầu tiên."),
        headers=[_("Gửi lần đầu lúc"), _("Đúng hạn / trễ hạn")],
        rows=rows,
        total=[_("%(n)s cơ quan, đơn vị") % {"n": fmt_int(len(rows))}, ""],
        numeric=[False, False],
    )


def _budget_sources(filters: Filters, figures: Figures, params) -> SourceList:
    subs = _counted(figures)
    rows = [
        SourceRow(r.agency, subs[r.submission_id].quarter, subs[r.submission_id],
                  [r.district.name, fmt_vnd(r.district_budget), fmt_vnd(r.district_floor), fmt_vnd(r.communes_budget),
                   fmt_vnd(r.communes_floor)], None)
        for r in figures.budget
        if r.submission_id in subs
    ]  # fmt: skip
    return SourceList(
        title=_("Kinh phí bố trí cho công tác trẻ em"),
        detail=_("Mức tối thiểu: %(d)s mỗi huyện, %(c)s mỗi xã mỗi năm")
        % {"d": fmt_vnd(filters.program.district_budget_floor), "c": fmt_vnd(filters.program.commune_budget_floor)},
        note=_("Mỗi huyện lấy số liệu kinh phí trong báo cáo gần nhất được tính có ghi kinh phí."),
        headers=[
            _("Huyện, thị xã, thành phố"),
            _("Kinh phí cấp huyện"),
            _("Mức tối thiểu cấp huyện"),
            _("Kinh phí cấp xã"),
            _("Mức tối thiểu cấp xã"),
        ],  # fmt: skip
        rows=rows,
        numeric=[False, True, True, True, True],
    )


# ------------------------------------------------------------------------------------------------
# Export tables (Excel and CSV)
# ------------------------------------------------------------------------------------------------
@dataclass
class Table:
    key: str
    slug: str  # in the CSV file's name
    sheet: str  # the workbook sheet (31 characters at most)
    title: str
    headers: list[str]
    rows: list[list]
    widths: list[int]


TABLES = ("targets", "districts", "outputs", "compliance", "missing", "budget", "accounts")


def _met_text(met: bool | None) -> str:
    if met is None:
        return _("Chưa có số liệu")
    return _("Đạt") if met else _("Chưa đạt")


def _standing_text(value: str) -> str:
    return {"met": _("Đạt"), "near": _("Gần đạt"), "far": _("Còn xa chỉ tiêu")}.get(value, _("Chưa có số liệu"))


def export_preamble(filters: Filters) -> list[str]:
    """The first rows of every exported table: what the figures are, and which submissions count."""
    now = timezone.localtime(calendar.now())
    return [
        _("Bảng điều khiển Chương trình công tác Bảo vệ, chăm sóc trẻ em tỉnh An Giang năm %(y)s")
        % {"y": filters.program.year},
        _("Kỳ số liệu: %(c)s") % {"c": filters.cut_label},
        _("Số liệu được tính: %(c)s") % {"c": filters.counting_label},
        _("Phạm vi: %(s)s") % {"s": filters.scope_label},
        _("Xuất lúc: %(t)s") % {"t": now.strftime("%H:%M %d/%m/%Y")},
    ]


def export_tables(*, page: DashboardPage) -> list[Table]:
    """The dashboard's tables, with plain numbers (percentages rounded to one decimal, money in đồng)."""
    f = page.filters
    tables = []

    course = page.course_quarters
    tables.append(
        Table(
            "targets", "muc-tieu", _("Mục tiêu"), _("Sáu mục tiêu cụ thể"),
            [_("Mục tiêu"), _("Chỉ số"), _("Tên chỉ số"), _("Chỉ tiêu (%)"), _("Tử số"), _("Mẫu số"),
             _("Giá trị (%)"), _("Đánh giá"), _("Số huyện có số liệu")]
            + [_("%(q)s (%%)") % {"q": q} for q in course],
            [
                [t.figures.target.number, r.figures.indicator.code, r.figures.indicator.name,
                 _num(r.figures.indicator.goal), r.figures.province.numerator, r.figures.province.denominator,
                 _num(r.figures.value), _met_text(r.figures.met), r.figures.reporting]
                + [_num(c.ratio.value) for c in r.course]
                for t in page.targets for r in t.indicators
            ],
            [9, 8, 60, 11, 10, 10, 11, 14, 12] + [12] * len(course),
        )
    )  # fmt: skip
    tables.append(
        Table(
            "districts", "huyen-chi-so", _("Huyện - chỉ số"), _("Chỉ số theo huyện, thị xã, thành phố"),
            [_("Huyện, thị xã, thành phố"), _("Chỉ số"), _("Chỉ tiêu (%)"), _("Tử số"), _("Mẫu số"), _("Tỷ lệ (%)"),
             _("Mức đạt"), _("Quý của số liệu")],
            [
                [row.district.name, c.indicator.code, _num(c.indicator.goal),
                 c.cell.ratio.numerator if c.cell.ratio else None, c.cell.ratio.denominator if c.cell.ratio else None,
                 _num(c.cell.ratio.value) if c.cell.ratio else None, _standing_text(c.cell.standing),
                 str(c.cell.quarter) if c.cell.quarter and c.cell.ratio else ""]
                for row in page.districts for c in row.cells
            ],
            [28, 8, 11, 10, 10, 10, 16, 14],
        )
    )  # fmt: skip
    tables.append(
        Table(
            "outputs", "dau-ra", _("Chỉ tiêu đầu ra"), _("Chỉ tiêu đầu ra của các hoạt động"),
            [_("Nhóm hoạt động"), _("Hoạt động"), _("Mã chỉ tiêu"), _("Chỉ tiêu đầu ra"), _("Đơn vị tính"),
             _("Kế hoạch"), _("Đạt"), _("Tỷ lệ (%)"), _("Cách tổng hợp"), _("Cơ quan, đơn vị thực hiện")],
            [
                [g.group.code, o.activity.code, o.figures.output.code, o.figures.output.label, o.figures.output.unit,
                 o.figures.output.quantity, o.figures.achieved, _num(o.figures.share),
                 o.figures.output.get_aggregation_display(),
                 "; ".join(f"{c.contribution.agency.short_name}: {fmt_int(c.contribution.value)}"
                           for c in o.contributions)]
                for g in page.groups for o in g.outputs
            ],
            [10, 10, 12, 60, 14, 14, 14, 10, 18, 50],
        )
    )  # fmt: skip
    tables.append(
        Table(
            "compliance", "tinh-hinh-bao-cao", _("Tình hình báo cáo"), _("Tình hình báo cáo theo quý"),
            [_("Quý"), _("Hạn nhập"), _("Phải báo cáo"), _("Đã gửi"), _("Đúng hạn"), _("Trễ hạn"),
             _("Tổng số ngày trễ"), _("Chưa gửi"), _("Tỷ lệ báo cáo (%)"), _("Tỷ lệ đúng hạn (%)"), _("Đã đến hạn")],
            [
                [str(c.figures.quarter), c.figures.quarter.entry_deadline.strftime("%d/%m/%Y"),
                 len(c.figures.expected), c.figures.submitted, len(c.figures.on_time), len(c.figures.late),
                 c.figures.days_late_total, len(c.figures.missing), _num(c.figures.rate), _num(c.figures.timeliness),
                 _("Có") if c.figures.due else _("Chưa")]
                for c in page.compliance
            ],
            [14, 12, 12, 10, 10, 10, 12, 10, 14, 14, 11],
        )
    )  # fmt: skip
    tables.append(
        Table(
            "missing", "chua-bao-cao", _("Chưa báo cáo"), _("Cơ quan, đơn vị chưa gửi báo cáo"),
            [_("Quý"), _("Hạn nhập"), _("Cơ quan, đơn vị"), _("Loại")],
            [
                [str(c.figures.quarter), c.figures.quarter.entry_deadline.strftime("%d/%m/%Y"), a.name,
                 a.get_kind_display()]
                for c in page.compliance for a in c.figures.missing
            ],
            [14, 12, 60, 30],
        )
    )  # fmt: skip
    tables.append(
        Table(
            "budget", "kinh-phi", _("Kinh phí"), _("Kinh phí cấp huyện, xã so với mức tối thiểu"),
            [_("Huyện, thị xã, thành phố"), _("Số xã"), _("Kinh phí cấp huyện (đồng)"),
             _("Mức tối thiểu cấp huyện (đồng)"), _("Còn thiếu cấp huyện (đồng)"), _("Kinh phí cấp xã (đồng)"),
             _("Mức tối thiểu cấp xã (đồng)"), _("Còn thiếu cấp xã (đồng)"), _("Quý của số liệu")],
            [
                [b.row.district.name, b.row.communes, b.row.district_budget, b.row.district_floor,
                 b.row.district_shortfall, b.row.communes_budget, b.row.communes_floor, b.row.communes_shortfall,
                 _source_quarter(page, b.row.submission_id)]
                for b in page.budget
            ],
            [28, 8, 18, 18, 18, 18, 18, 18, 14],
        )
    )  # fmt: skip
    accounts = [
        [_("Khó khăn, vướng mắc"), a.account.activity.code if a.account.activity else "", a.account.agency.name,
         str(a.account.quarter), a.account.text]
        for a in page.difficulties
    ] + [
        [_("Đề xuất, kiến nghị"), a.account.activity.code if a.account.activity else "", a.account.agency.name,
         str(a.account.quarter), a.account.text]
        for a in page.proposals
    ]  # fmt: skip
    tables.append(
        Table(
            "accounts", "kho-khan-de-xuat", _("Khó khăn, đề xuất"), _("Khó khăn, vướng mắc và đề xuất, kiến nghị"),
            [_("Loại"), _("Hoạt động"), _("Cơ quan, đơn vị"), _("Quý"), _("Nội dung")],
            accounts,
            [20, 10, 40, 14, 90],
        )
    )  # fmt: skip
    if not f.shows_targets:
        tables = [t for t in tables if t.key not in ("targets", "districts", "budget")]
    return tables


def _source_quarter(page: DashboardPage, submission_id: int | None) -> str:
    if submission_id is None:
        return ""
    sub = next((s for s in page.figures.counted if s.pk == submission_id), None)
    return str(sub.quarter) if sub else ""
