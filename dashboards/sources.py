"""The drill-down: the submissions behind one number of the dashboard, with what each contributed.

Nothing is computed here: the rows are the parts of the figures (`dashboards.figures`) that make the
number, and each opens the submission it comes from when the user may see it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.http import Http404
from django.utils.translation import gettext as _

from accounts import roles
from activities.models import OutputTarget
from core.formatting import fmt_datetime, fmt_int, fmt_pct, fmt_quantity, fmt_vnd
from core.numbers import query_number
from programs.models import Agency, Quarter
from programs.snapshots import AgencyInfo, QuarterInfo
from reporting.models import Submission
from reporting.selectors import submissions_visible_to

from .figures import Figures, Ratio
from .filters import Filters

COMPLIANCE_PARTS = ("expected", "sent", "on_time", "late", "missing")


@dataclass
class SourceRow:
    agency: Agency | AgencyInfo  # of the submission, or of the program's structure
    quarter: Quarter | QuarterInfo
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
        if r.submission is not None and r.submission.pk in visible:
            r.url = r.submission.get_absolute_url()
        elif r.submission is None and opens_unsent:  # the agency's form, where its report is begun
            r.url = Submission.url_for(year=filters.program.year, quarter=r.quarter.number, agency_code=r.agency.code)
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
    pk = query_number(params, "output")
    out = next((o for o in figures.outputs if pk is not None and o.output.pk == pk), None)
    if out is None:
        raise Http404("No such output target")
    subs = _counted(figures)
    unit, money = out.output.unit, out.output.is_money
    rows = []
    for c in out.contributions:
        for sid, qty in c.parts:
            sub = subs.get(sid)
            if sub is not None:
                rows.append(SourceRow(c.agency, sub.quarter, sub, [fmt_quantity(qty, unit, money=money)], None))
    if out.output.aggregation == OutputTarget.Aggregation.SUM:
        note = _("Chỉ tiêu cộng dồn: cộng số lượng các quý.")
    else:
        note = _("Chỉ tiêu trạng thái: lấy số liệu mới nhất của mỗi cơ quan, đơn vị rồi cộng lại.")
    return SourceList(
        title=f"{out.output.code}. {out.output.label}",
        detail=_("Kế hoạch %(p)s; đạt %(a)s (%(s)s)")
        % {
            "p": fmt_quantity(out.output.quantity, unit, money=money),
            "a": fmt_quantity(out.achieved, unit, money=money),
            "s": fmt_pct(out.share),
        },
        note=note,
        headers=[_("Số lượng")],
        rows=rows,
        total=[fmt_quantity(out.achieved, unit, money=money)],
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
                when = fmt_datetime(sub.first_submitted_at)
                late = _("Trễ %(n)s ngày") % {"n": sub.days_late} if sub.days_late else _("Đúng hạn")
                values = [when, late]
            rows.append(SourceRow(agency, c.quarter, sub, values, None))
    deadlines = "; ".join(
        _("%(q)s: hạn %(d)s") % {"q": c.quarter, "d": c.quarter.deadline_label} for c in figures.compliance
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
                   fmt_vnd(r.communes_floor), _communes_below(r)], None)
        for r in figures.budget
        if r.submission_id in subs
    ]  # fmt: skip
    return SourceList(
        title=_("Kinh phí bố trí cho công tác trẻ em"),
        detail=_("Mức tối thiểu: %(d)s mỗi huyện, %(c)s mỗi xã mỗi năm")
        % {"d": fmt_vnd(filters.program.district_budget_floor), "c": fmt_vnd(filters.program.commune_budget_floor)},
        note=_(
            "Mỗi huyện lấy số liệu kinh phí trong báo cáo gần nhất được tính có ghi kinh phí; kinh phí cấp xã là "
            "tổng kinh phí từng xã huyện đã nhập."
        ),
        headers=[
            _("Huyện, thị xã, thành phố"),
            _("Kinh phí cấp huyện"),
            _("Mức tối thiểu cấp huyện"),
            _("Kinh phí cấp xã"),
            _("Mức tối thiểu cấp xã"),
            _("Xã dưới mức tối thiểu"),
        ],  # fmt: skip
        rows=rows,
        numeric=[False, True, True, True, True, False],
    )


def _communes_below(row) -> str:
    """The communes below the floor per commune, with their amounts, and how many have not reported."""
    parts = [f"{c.name} ({fmt_vnd(c.amount)})" for c in row.below]
    if row.communes_unreported:
        parts.append(_("%(n)s xã chưa báo cáo") % {"n": fmt_int(row.communes_unreported)})
    return "; ".join(parts)
