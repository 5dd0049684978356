"""The printed provincial report's words: each section of the report worded from the figures, by one
function returning a small dataclass, and the document that gathers them. `documents.pdf` renders it.

Everything here is Vietnamese (call under translation.override("vi"), as report_pdf does), follows the
administrative format of Decree 30/2020/NĐ-CP (docs/report-format.md), and is made from one Figures
object (dashboards.figures), the one the dashboard and the Excel annex read. A figure's standing is
worded by dashboards.figures.Standing, as everywhere else.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from activities.models import ActivityRole
from core.formatting import fmt_date, fmt_int, fmt_number, fmt_pct, fmt_quantity, fmt_vnd
from dashboards.figures import Figures, IndicatorFigures, QuarterCompliance, Standing
from dashboards.previous import LastYear
from incidents.selectors import IncidentTable, incidents_by_kind_and_district
from programs.models import Program, ProvincialReport
from programs.snapshots import AgencyInfo
from reporting.models import Submission
from targets.models import Indicator

# The signer's name, printed under the signing authority (PORTAL_REPORT_SIGNER_TITLE), comes from the
# setting PORTAL_REPORT_SIGNER_NAME; without it the line is left dotted, to be written in by hand (the
# portal never prints a name nobody gave it). documents.pdf prints them, as the draft's or the issue's.
UNSET_SIGNER_NAME = "…………………………"
ACTIVE = ("in_progress", "done")


# ------------------------------------------------------------------------------------------------
# Small wording helpers
# ------------------------------------------------------------------------------------------------
def roman(n: int) -> str:
    return {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X"}.get(n, str(n))


def doc_date(day: dt.date) -> tuple[str, str, str]:
    """Day, month and year as a document prints them: days under 10 and months 1 and 2 with a
    leading zero (ngày 05 tháng 02 năm 2018; ngày 20 tháng 5 năm 2018)."""
    return f"{day.day:02d}", f"{day.month:02d}" if day.month <= 2 else str(day.month), str(day.year)


def period_of(report: ProvincialReport, quarters: list) -> str:
    """The period a report covers, as its subject says it: quý I năm 2018, 6 tháng đầu năm 2018, năm 2018."""
    year = report.program.year
    if report.kind == ProvincialReport.Kind.QUARTERLY:
        return _("quý %(q)s năm %(y)s") % {"q": roman(quarters[-1].number if quarters else 1), "y": year}
    if report.kind == ProvincialReport.Kind.SIX_MONTH:
        return _("6 tháng đầu năm %(y)s") % {"y": year}
    return _("năm %(y)s") % {"y": year}


def next_period_of(report: ProvincialReport, quarters: list) -> str:
    year = report.program.year
    if report.kind == ProvincialReport.Kind.QUARTERLY:
        last = quarters[-1].number if quarters else 1
        if last < 4:
            return _("quý %(q)s năm %(y)s") % {"q": roman(last + 1), "y": year}
        return _("năm %(y)s") % {"y": year + 1}
    if report.kind == ProvincialReport.Kind.SIX_MONTH:
        return _("6 tháng cuối năm %(y)s") % {"y": year}
    return _("năm %(y)s") % {"y": year + 1}


def quarter_label(q, *, lower: bool = False) -> str:
    if lower:
        return _("quý %(q)s") % {"q": roman(q.number)}
    return _("Quý %(q)s") % {"q": roman(q.number)}


def join_names(names: list[str], limit: int = 0) -> str:
    """A, B và C; with a limit: A, B, C và 4 đơn vị khác."""
    names = [n for n in names if n]
    if limit and len(names) > limit:
        rest = len(names) - limit
        return ", ".join(names[:limit]) + " " + _("và %(n)s đơn vị khác") % {"n": rest}
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " " + _("và") + " " + names[-1]


def ratio_text(ratio) -> str:
    return f"{fmt_int(ratio.numerator)}/{fmt_int(ratio.denominator)}"


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


# ------------------------------------------------------------------------------------------------
# The sections' pieces
# ------------------------------------------------------------------------------------------------
@dataclass
class TargetRow:
    label: str  # 1, 2, ... 5a, 5b
    name: str
    goal: str
    value: str
    detail: str
    verdict: str
    standing: Standing
    last_year: str = ""  # the same period's result a year back ("–": new this year, or not reported then)


@dataclass
class OutputRow:
    label: str
    planned: str
    achieved: str
    share: str
    last_year: str = ""  # as TargetRow's


@dataclass
class AccountLine:
    agency: str
    quarter: str
    text: str


@dataclass
class GroupSection:
    number: str
    title: str
    summary: str
    outputs: list[OutputRow]
    accounts: list[AccountLine]


@dataclass
class BudgetLine:
    name: str
    communes: str
    district_budget: str
    district_floor: str
    district_ok: str
    communes_budget: str  # the communes' total (their sum)
    communes_floor: str  # the communes below the floor per commune, of those reported: "2/13"
    communes_ok: str


@dataclass
class DistrictCellText:
    value: str
    detail: str
    standing: Standing
    older: bool = False  # the figure of an earlier quarter: the district has none accepted for the last one


@dataclass
class DistrictLine:
    name: str
    cells: list[DistrictCellText]
    total: bool = False


@dataclass
class ComplianceLine:
    agency: str
    cells: list[str]


@dataclass
class GatheredText:
    text: str
    agencies: str


def _is_district_flag(ind: Indicator) -> bool:
    return ind.input == Indicator.Input.DISTRICT_ANY_COMMUNE_FLAG


def _indicator_value(i: IndicatorFigures) -> tuple[str, str]:
    """The province's value and what it is made of: 92,4% and 1.705/1.846."""
    if i.value is None:
        return "–", ""
    if _is_district_flag(i.indicator):
        return fmt_pct(i.value), _("%(n)s huyện") % {"n": ratio_text(i.province)}
    if i.indicator.input == Indicator.Input.COMMUNE_FLAG:
        return fmt_pct(i.value), _("%(n)s xã") % {"n": ratio_text(i.province)}
    return fmt_pct(i.value), ratio_text(i.province)


def _district_name(cell) -> str:
    return cell.district.display_short


def _target_note(i: IndicatorFigures) -> str:
    value, detail = _indicator_value(i)
    name = i.indicator.name.rstrip(".")
    if i.value is None:
        return _("%(name)s: chưa có số liệu được duyệt.") % {"name": name}
    verdict = _("đạt chỉ tiêu") if i.met else _("chưa đạt chỉ tiêu")
    text = _("%(name)s: đạt %(value)s (%(detail)s), %(verdict)s %(goal)s") % {
        "name": name,
        "value": value,
        "detail": detail,
        "verdict": verdict,
        "goal": fmt_pct(i.indicator.goal),
    }
    reporting = [c for c in i.districts if c.ratio is not None]
    met = [c for c in reporting if c.standing == Standing.MET]
    below = [c for c in reporting if c.standing != Standing.MET]
    missing = [c for c in i.districts if c.ratio is None]
    parts = [text]
    if reporting:
        parts.append(
            _("%(m)s/%(n)s huyện, thị xã, thành phố báo cáo đạt chỉ tiêu") % {"m": len(met), "n": len(reporting)}
        )
    if below:
        if _is_district_flag(i.indicator):
            parts.append(_("chưa có xã đạt: %(names)s") % {"names": join_names([_district_name(c) for c in below])})
        else:
            parts.append(
                _("chưa đạt: %(names)s")
                % {"names": join_names([f"{_district_name(c)} ({fmt_pct(c.ratio.value)})" for c in below])}
            )
    if missing:
        parts.append(_("chưa có số liệu: %(names)s") % {"names": join_names([_district_name(c) for c in missing])})
    return "; ".join(parts) + "."


def _last_year_value(i: IndicatorFigures | None) -> str:
    return _indicator_value(i)[0] if i is not None else "–"


def _last_year_achieved(o) -> str:
    return achieved_text(o) if o is not None and o.contributions else "–"


def _group_section(index: int, g, multi_quarter: bool, last_year: LastYear | None = None) -> GroupSection:
    acts = g.activities
    total = len(acts)
    active = sum(1 for a in acts if any(a.statuses.get(s) for s in ACTIVE))
    done = sum(1 for a in acts if a.statuses.get("done"))
    children = sum(a.children_boys + a.children_girls for a in acts)
    money = sum(a.money for a in acts)
    summary = _("Trong kỳ, các cơ quan, đơn vị đã triển khai %(a)s/%(t)s hoạt động") % {"a": active, "t": total}
    if done:
        summary += " " + _("(có %(d)s hoạt động đã hoàn thành ở ít nhất một đơn vị)") % {"d": done}
    if children:
        summary += "; " + _("%(c)s lượt trẻ em được hưởng lợi") % {"c": fmt_int(children)}
    if money:
        summary += "; " + _("kinh phí đã chi %(m)s") % {"m": fmt_vnd(money)}
    summary += "."
    outputs = []
    for a in acts:
        for o in a.outputs:
            before = last_year.output(a.activity.code, o.output.code) if last_year else None
            outputs.append(
                OutputRow(
                    label=o.output.label,
                    planned=fmt_quantity(o.output.quantity, o.output.unit, money=o.output.is_money),
                    achieved=achieved_text(o),
                    share=fmt_pct(o.share) if o.share is not None else "–",
                    last_year=_last_year_achieved(before) if last_year else "",
                )
            )
    # The same account from several agencies (or quarters) is printed once, with all of them.
    gathered: OrderedDict[str, tuple[list[str], list[str]]] = OrderedDict()
    for a in acts:
        for acc in a.accounts:
            names, quarters = gathered.setdefault(" ".join(acc.text.split()), ([], []))
            if acc.agency.short_name not in names:
                names.append(acc.agency.short_name)
            label = quarter_label(acc.quarter, lower=True)
            if label not in quarters:
                quarters.append(label)
    accounts = [
        AccountLine(agency=join_names(names, limit=6), quarter=", ".join(quarters) if multi_quarter else "", text=text)
        for text, (names, quarters) in gathered.items()
    ]
    title = g.group.short_title
    return GroupSection(f"2.{index}", title, summary, outputs, accounts)


def _gather(accounts) -> list[GatheredText]:
    """The same text from several agencies (or quarters) once, with every agency that wrote it."""
    by_text: OrderedDict[str, list[str]] = OrderedDict()
    for acc in accounts:
        key = " ".join(acc.text.split())
        names = by_text.setdefault(key, [])
        if acc.agency.short_name not in names:
            names.append(acc.agency.short_name)
    return [GatheredText(text.rstrip("."), join_names(names, limit=6)) for text, names in by_text.items()]


def _sent_text(c: QuarterCompliance) -> str:
    """Who sent a quarter's report: "24/26 cơ quan, đơn vị đã gửi báo cáo" once it is due; before (a report
    compiled before its period is due, the annual in May) the quarter is "chưa đến hạn", never "0/26"."""
    if c.due:
        return _("%(s)s/%(e)s cơ quan, đơn vị đã gửi báo cáo") % {"s": c.submitted, "e": len(c.expected)}
    if c.quarter.entry_deadline is None:
        text = _("chưa quy định hạn gửi báo cáo")
    else:
        text = _("chưa đến hạn gửi báo cáo (hạn %(d)s)") % {"d": c.quarter.deadline_label}
    if c.submitted:
        text += ", " + _("đã có %(s)s cơ quan, đơn vị gửi") % {"s": c.submitted}
    return text


def _compliance_note(c: QuarterCompliance) -> str:
    if not c.due:
        return f"{quarter_label(c.quarter)}/{c.quarter.start.year}: {_sent_text(c)}."
    head = _("%(q)s/%(y)s (hạn gửi báo cáo %(d)s)") % {
        "q": quarter_label(c.quarter),
        "y": c.quarter.start.year,
        "d": c.quarter.deadline_label,
    }
    text = f"{head}: {_sent_text(c)}"
    details = []
    if c.on_time:
        details.append(_("%(n)s đúng hạn") % {"n": len(c.on_time)})
    if c.late:
        late = join_names(
            [_("%(a)s trễ %(d)s ngày") % {"a": s.agency.short_name, "d": s.days_late} for s in c.late], limit=8
        )
        details.append(_("%(n)s trễ hạn (%(who)s)") % {"n": len(c.late), "who": late})
    if details:
        text += " (" + "; ".join(details) + ")"
    if c.missing:
        text += "; " + _("chưa gửi: %(who)s") % {"who": join_names([a.short_name for a in c.missing], limit=8)}
    if c.requested:
        text += ". " + _("Các cơ quan được đề nghị phối hợp (mục VIII.2.10): %(s)s/%(n)s đã gửi báo cáo") % {
            "s": len(c.requested_sent), "n": c.requested,
        }  # fmt: skip
    return text + "."


def _compliance_cell(c: QuarterCompliance, agency) -> str:
    if agency.is_requested:  # asked, not directed (VIII.2.10): sent or not, never late
        sent = any(s.agency_id == agency.pk for s in c.requested_sent)
        return _("Đã gửi") if sent else _("Chưa gửi")
    for s in c.on_time:
        if s.agency_id == agency.pk:
            return _("Đúng hạn")
    for s in c.late:
        if s.agency_id == agency.pk:
            return _("Trễ %(d)s ngày") % {"d": s.days_late}
    return _("Chưa gửi") if c.due else _("Chưa đến hạn")


def achieved_text(o) -> str:
    """What an output target reached, with its unit; an average per commune with how it is made: "12,0
    cộng tác viên/xã (1.872 cộng tác viên ÷ 156 xã)"."""
    if o.per_commune is None:
        return fmt_quantity(o.achieved, o.output.unit, money=o.output.is_money)
    return _("%(v)s %(unit)s (%(c)s %(what)s ÷ %(n)s xã)") % {
        "v": fmt_number(o.per_commune), "unit": o.output.unit, "c": fmt_int(o.count), "what": o.output.counted_unit,
        "n": fmt_int(o.communes),
    }  # fmt: skip


def _lagging_outputs(figures: Figures, pace: Decimal) -> list[str]:
    """Output targets behind the pace the period implies (a quarter of the year per quarter)."""
    rows = []
    for o in figures.outputs:
        if o.share is None or o.share >= pace:
            continue
        rows.append((o.share, o))
    rows.sort(key=lambda r: r[0])
    return [
        _("%(label)s (đạt %(a)s/%(p)s, %(s)s)")
        % {
            "label": o.output.label,
            "a": fmt_int(o.achieved) if o.per_commune is None else fmt_number(o.per_commune),
            "p": fmt_quantity(o.output.quantity, o.output.unit, money=o.output.is_money),
            "s": fmt_pct(o.share),
        }
        for _share, o in rows[:6]
    ]


# ------------------------------------------------------------------------------------------------
# The heading: who issues it, its number and date, its subject and preamble
# ------------------------------------------------------------------------------------------------
@dataclass
class Heading:
    """The heading's words. Its number, date and signer are the issue's, printed by documents.pdf."""

    parent_body: str
    issuer_lines: list[str]
    place: str
    subject_lead: str
    period: str
    preamble: str

    @property
    def subject(self) -> str:
        return f"{self.subject_lead} {self.period}"


def _subject_lead() -> str:
    return _("Kết quả thực hiện Chương trình công tác bảo vệ, chăm sóc trẻ em")


def report_subject(*, report: ProvincialReport) -> str:
    """The report's subject, as its heading and the PDF's title say it."""
    return f"{_subject_lead()} {period_of(report, list(report.quarters.order_by('number')))}"


def heading_place(*, program: Program) -> str:
    """The place of issue printed before the date: the province's short name (An Giang)."""
    province = program.province
    return province.short_name or province.name.replace("Tỉnh ", "").replace("tỉnh ", "")


def issuer_name(*, program: Program) -> str:
    """The issuing body in full, as a digital signature names it: Sở Lao động - Thương binh và Xã hội tỉnh An Giang."""
    return _("Sở Lao động - Thương binh và Xã hội %(p)s") % {"p": lower_first(program.province.name)}


def heading_section(*, report: ProvincialReport, figures: Figures) -> Heading:
    program = report.program
    province = program.province
    period = period_of(report, list(figures.cut.quarters))
    decision = _("Quyết định số %(n)s ngày %(d)s của %(body)s") % {
        "n": program.decision_number,
        "d": f"{program.decision_date.day}/{program.decision_date.month}/{program.decision_date.year}",
        "body": program.issuing_body,
    }
    preamble = _(
        "Thực hiện %(decision)s về việc ban hành %(title)s; trên cơ sở báo cáo của các sở, ban, ngành, đoàn thể tỉnh "
        "và Ủy ban nhân dân các huyện, thị xã, thành phố, Sở Lao động - Thương binh và Xã hội báo cáo kết quả thực "
        "hiện %(period)s như sau:"
    ) % {"decision": decision, "title": program.title, "period": period}
    return Heading(
        parent_body=_("UBND %(p)s") % {"p": province.name.upper()},
        issuer_lines=[_("SỞ LAO ĐỘNG - THƯƠNG BINH"), _("VÀ XÃ HỘI")],
        place=heading_place(program=program),
        subject_lead=_subject_lead(),
        period=period,
        preamble=preamble,
    )


# ------------------------------------------------------------------------------------------------
# I. The general situation
# ------------------------------------------------------------------------------------------------
@dataclass
class General:
    paragraphs: list[str]


def general_section(*, figures: Figures, as_of: dt.date) -> General:
    return General(
        [_situation(figures), _basis(figures, as_of), _targets_summary(figures), _activities_summary(figures)]
    )


def _situation(figures: Figures) -> str:
    """Where the program runs (every agency, directed or requested), and who of the agencies it directs
    reported in each quarter (the compliance section tells the requested bodies apart)."""
    first = figures.compliance[0] if figures.compliance else None
    expected = len(first.expected) + first.requested if first else 0
    reported = [f"{quarter_label(c.quarter)}: {_sent_text(c)}" for c in figures.compliance]
    return _(
        "Chương trình được triển khai tại %(n)s cơ quan, đơn vị (các sở, ban, ngành, đoàn thể tỉnh và Ủy ban nhân "
        "dân %(d)s huyện, thị xã, thành phố). Tình hình gửi báo cáo trong kỳ: %(reported)s."
    ) % {"n": expected, "d": len(figures.budget), "reported": "; ".join(reported)}


def _basis(figures: Figures, as_of: dt.date) -> str:
    """Which reports the figures are made of (accepted up to the day of the compile), and those sent but
    not yet accepted."""
    pending = {s.pk for c in figures.compliance for s in c.on_time + c.late if s.status != Submission.Status.ACCEPTED}
    basis = _(
        "Số liệu của báo cáo được tổng hợp từ %(c)s báo cáo quý đã được Sở Lao động - Thương binh và Xã hội xem xét, "
        "duyệt đến ngày %(d)s"
    ) % {"c": len(figures.counted), "d": fmt_date(as_of)}
    if pending:
        basis += "; " + _("%(p)s báo cáo đã gửi nhưng chưa được duyệt nên chưa được tổng hợp") % {"p": len(pending)}
    return basis + "."


def _targets_summary(figures: Figures) -> str:
    standings = [t.standing for t in figures.targets]
    parts = [
        _("%(m)s/%(n)s mục tiêu cụ thể đạt chỉ tiêu đề ra")
        % {"m": standings.count(Standing.MET), "n": len(figures.targets)}
    ]
    if near := standings.count(Standing.NEAR):
        parts.append(_("%(k)s mục tiêu gần đạt (thấp hơn chỉ tiêu không quá 10 điểm phần trăm)") % {"k": near})
    if far := standings.count(Standing.FAR):
        parts.append(_("%(k)s mục tiêu còn thấp so với chỉ tiêu") % {"k": far})
    if none := standings.count(Standing.NONE):
        parts.append(_("%(k)s mục tiêu chưa có số liệu") % {"k": none})
    return _("Kết quả thực hiện các mục tiêu: %(parts)s.") % {"parts": "; ".join(parts)}


def _activities_summary(figures: Figures) -> str:
    all_acts = [a for g in figures.groups for a in g.activities]
    active = sum(1 for a in all_acts if any(a.statuses.get(s) for s in ACTIVE))
    children = sum(a.children_boys + a.children_girls for a in all_acts)
    money = sum(a.money for a in all_acts)
    text = _("Các cơ quan, đơn vị đã triển khai %(a)s/%(t)s hoạt động của Chương trình") % {
        "a": active,
        "t": len(all_acts),
    }
    if children:
        text += "; " + _("%(c)s lượt trẻ em được hưởng lợi") % {"c": fmt_int(children)}
    if money:
        text += "; " + _("tổng kinh phí các đơn vị báo cáo đã chi %(m)s") % {"m": fmt_vnd(money)}
    return text + "."


# ------------------------------------------------------------------------------------------------
# II.1 The targets
# ------------------------------------------------------------------------------------------------
@dataclass
class TargetsSection:
    intro: str
    rows: list[TargetRow]
    notes: list[str]
    last_year_heading: str = ""  # the column of last year's results (dashboards.previous); "": none


def targets_section(*, program: Program, figures: Figures, last_year: LastYear | None = None) -> TargetsSection:
    rows = []
    for i in figures.indicators:
        value, detail = _indicator_value(i)
        rows.append(
            TargetRow(
                label=i.indicator.code,
                name=i.indicator.name,
                goal=fmt_pct(i.indicator.goal),
                value=value,
                detail=detail,
                verdict=str(i.standing.label),
                standing=i.standing,
                last_year=_last_year_value(last_year.indicator(i.indicator.code)) if last_year else "",
            )
        )
    intro = _(
        "Kết quả các mục tiêu cụ thể tính đến hết %(q)s năm %(y)s (tỷ lệ của tỉnh bằng tổng tử số của các huyện, "
        "thị xã, thành phố chia cho tổng mẫu số):"
    ) % {"q": quarter_label(figures.cut.last, lower=True), "y": program.year}
    heading = last_year.heading if last_year else ""
    return TargetsSection(intro, rows, [_target_note(i) for i in figures.indicators], heading)


# ------------------------------------------------------------------------------------------------
# II.2 The activities
# ------------------------------------------------------------------------------------------------
@dataclass
class ActivitiesSection:
    groups: list[GroupSection]
    last_year_heading: str = ""  # as TargetsSection's


def activities_section(*, figures: Figures, last_year: LastYear | None = None) -> ActivitiesSection:
    multi_quarter = len(figures.cut.quarters) > 1
    return ActivitiesSection(
        [_group_section(n, g, multi_quarter, last_year) for n, g in enumerate(figures.groups, start=1)],
        last_year.heading if last_year else "",
    )


# ------------------------------------------------------------------------------------------------
# II.3 The budget
# ------------------------------------------------------------------------------------------------
@dataclass
class BudgetSection:
    intro: str
    rows: list[BudgetLine]
    notes: list[str]


def _budget_verdict(standing: Standing) -> str:
    return str(standing.label)  # "Chưa báo cáo" when blank: not reported is not zero


def budget_section(*, program: Program, figures: Figures) -> BudgetSection:
    rows = [
        BudgetLine(
            name=b.district.display_short,
            communes=fmt_int(b.communes),
            district_budget=fmt_int(b.district_budget),
            district_floor=fmt_int(b.district_floor),
            district_ok=_budget_verdict(b.district_standing),
            communes_budget=fmt_int(b.communes_budget),
            communes_floor=f"{len(b.below)}/{b.communes_reported}" if b.commune_budgets else "–",
            communes_ok=_budget_verdict(b.communes_standing),
        )
        for b in figures.budget
    ]
    intro = _(
        "Theo Chương trình (mục VII.2), mỗi huyện, thị xã, thành phố bố trí tối thiểu %(d)s/năm cho cấp huyện và "
        "%(c)s/xã/năm cho từng xã từ ngân sách địa phương. Kinh phí các địa phương báo cáo đã bố trí năm %(y)s (đơn vị "
        "tính: đồng; kinh phí cấp xã là tổng kinh phí từng xã):"
    ) % {"d": fmt_vnd(program.district_budget_floor), "c": fmt_vnd(program.commune_budget_floor), "y": program.year}
    return BudgetSection(intro, rows, _budget_notes(figures))


def _budget_notes(figures: Figures) -> list[str]:
    """How many districts reported and met the floors (over those that reported: not reported is not
    zero), the districts below the district floor, each commune below the floor per commune by name,
    and who has not reported."""
    budget = figures.budget
    reported = figures.budget_reported
    notes = [
        _("%(m)s/%(r)s huyện, thị xã, thành phố đã báo cáo bố trí đủ kinh phí tối thiểu (cấp huyện và từng xã); "
          "%(r)s/%(n)s địa phương đã báo cáo đủ kinh phí.")
        % {"m": len(figures.budget_met), "r": len(reported), "n": len(budget)}
    ]  # fmt: skip
    below_district = [f"{b.district.display_short} ({fmt_vnd(b.district_budget)})" for b in budget
                      if b.district_shortfall]  # fmt: skip
    if below_district:
        notes.append(_("Chưa đạt mức tối thiểu cấp huyện: %(l)s.") % {"l": join_names(below_district)})
    below = [
        _("%(d)s: %(l)s") % {"d": b.district.display_short,
                             "l": "; ".join(f"{c.name} ({fmt_vnd(c.amount)})" for c in b.below)}
        for b in budget if b.below
    ]  # fmt: skip
    if below:
        notes.append(
            _("Xã chưa được bố trí đủ mức tối thiểu %(f)s/xã/năm: %(l)s.")
            % {"f": fmt_vnd(figures.cut.program.commune_budget_floor), "l": "; ".join(below)}
        )
    incomplete = [
        _("%(d)s (%(n)s/%(t)s xã)") % {"d": b.district.display_short, "n": b.communes_reported, "t": b.communes}
        for b in budget if b.commune_budgets and b.communes_unreported
    ]  # fmt: skip
    if incomplete:
        notes.append(_("Chưa báo cáo đủ kinh phí từng xã: %(l)s.") % {"l": join_names(incomplete)})
    no_budget = [b.district.display_short for b in budget if b.district_budget is None and not b.commune_budgets]
    if no_budget:
        notes.append(_("Chưa báo cáo kinh phí: %(l)s.") % {"l": join_names(no_budget)})
    return notes


# ------------------------------------------------------------------------------------------------
# II.4 Reporting, II.5 incidents, III difficulties, IV proposals
# ------------------------------------------------------------------------------------------------
@dataclass
class ComplianceSection:
    notes: list[str]


def compliance_section(*, figures: Figures) -> ComplianceSection:
    return ComplianceSection([_compliance_note(c) for c in figures.compliance])


def incidents_section(*, program: Program, figures: Figures) -> IncidentTable:
    """The incidents reported in the report's period, by kind and district (counts only)."""
    return incidents_by_kind_and_district(
        program=program,
        quarters=list(figures.cut.quarters),
        districts=list(figures.cut.frame.districts) if figures.cut.frame is not None else None,
    )


@dataclass
class AccountsSection:
    items: list[GatheredText]


def accounts_section(*, accounts) -> AccountsSection:
    """Difficulties or proposals: the same text from several agencies once, with all of them."""
    return AccountsSection(_gather(accounts))


# ------------------------------------------------------------------------------------------------
# V. Candidates for commendation (the annual report)
# ------------------------------------------------------------------------------------------------
@dataclass
class CommendationSection:
    rule: str
    districts: list[str]
    agencies: list[str]
    closing: str


def commendation_section(*, figures: Figures) -> CommendationSection:
    """The agencies and districts DOLISA may propose for commendation: Article 2 gives DOLISA the following
    of the program and its report to the People's Committee, section VI (Khen thưởng) its advice on
    commending "các đơn vị, địa phương có thành tích xuất sắc". The portal's rule, printed with the list:

    - a district met all its targets when each indicator it reports is met in its own figures (its cell
      of every indicator stands "Đạt": its ratio at or above the goal; for target 5b, at least one commune
      at 100%), from its latest accepted report of the year;
    - a provincial agency met all its targets when every output target of the activities it leads is
      achieved in full across the province (achieved ≥ planned); an agency that leads no activity with an
      output target has none to meet and is not listed;
    - and either reported on time: a report sent by the deadline for every quarter whose deadline has
      passed (a quarter without a deadline asks nothing).
    """
    on_time = _on_time_throughout(figures)
    districts = [
        cells[0].district.display_short
        for cells in zip(*(i.districts for i in figures.indicators), strict=True)
        if cells[0].agency is not None and cells[0].agency.pk in on_time
        and all(c.standing == Standing.MET for c in cells)
    ]  # fmt: skip
    led: dict[int, tuple[AgencyInfo, list]] = {}
    for g in figures.groups:
        for a in g.activities:
            for role in a.responsible:
                if role.role == ActivityRole.Role.LEAD and not role.agency.is_district:
                    led.setdefault(role.agency.pk, (role.agency, []))[1].extend(a.outputs)
    agencies = [
        agency.short_name
        for pk, (agency, outputs) in sorted(led.items(), key=lambda item: item[1][0].order)
        if outputs and pk in on_time and all(o.achieved >= o.output.quantity for o in outputs)
    ]
    rule = _(
        "Căn cứ Điều 2 và mục VI (Khen thưởng) của Chương trình, Sở Lao động - Thương binh và Xã hội tổng hợp các "
        "đơn vị, địa phương đạt toàn bộ chỉ tiêu và gửi báo cáo đúng hạn để xem xét đề xuất khen thưởng: huyện, thị "
        "xã, thành phố có tất cả các chỉ số mục tiêu đạt chỉ tiêu theo số liệu của địa phương; sở, ban, ngành, đoàn "
        "thể tỉnh hoàn thành tất cả chỉ tiêu đầu ra của các hoạt động do đơn vị chủ trì; cả hai gửi đúng hạn báo "
        "cáo của mọi quý đã đến hạn."
    )
    closing = _(
        "Sở Lao động - Thương binh và Xã hội sẽ tham mưu Ủy ban nhân dân tỉnh xét khen thưởng các đơn vị, địa phương "
        "có thành tích xuất sắc trên cơ sở danh sách này và kết quả kiểm tra, phúc tra."
    )
    return CommendationSection(rule, districts, agencies, closing)


def _on_time_throughout(figures: Figures) -> set[int]:
    """The agencies that sent every due quarter's report on time."""
    due = [c for c in figures.compliance if c.due]
    if not due:
        return set()
    sets = [{s.agency_id for s in c.on_time} for c in due]
    return set.intersection(*sets)


# ------------------------------------------------------------------------------------------------
# V. Tasks for the next period
# ------------------------------------------------------------------------------------------------
@dataclass
class TasksSection:
    number: str  # V, or VI in the annual report (after its commendation section)
    next_period: str
    items: list[str]


def tasks_section(*, report: ProvincialReport, figures: Figures, number: str = "V") -> TasksSection:
    program = report.program
    quarters = list(figures.cut.quarters)
    next_period = next_period_of(report, quarters)
    items = [
        _(
            "Tiếp tục triển khai đồng bộ các hoạt động của Chương trình công tác bảo vệ, chăm sóc trẻ em năm %(y)s "
            "theo kế hoạch; các sở, ban, ngành, đoàn thể tỉnh và Ủy ban nhân dân các huyện, thị xã, thành phố chủ "
            "động phối hợp, lồng ghép các hoạt động bảo vệ, chăm sóc trẻ em vào nhiệm vụ của đơn vị."
        )
        % {"y": program.year},
        *_target_tasks(figures),
    ]
    pace = Decimal(100) * len(quarters) / 4
    lagging = _lagging_outputs(figures, pace) if pace < 100 or report.kind == ProvincialReport.Kind.ANNUAL else []
    if lagging:
        items.append(_("Đẩy nhanh tiến độ các chỉ tiêu còn chậm so với kế hoạch: %(l)s.") % {"l": "; ".join(lagging)})
    items += _activity_and_budget_tasks(figures)
    items += _reporting_tasks(figures)
    items.append(
        _(
            "Sở Lao động - Thương binh và Xã hội tiếp tục theo dõi, đôn đốc, kiểm tra việc thực hiện Chương trình; "
            "tổng hợp, báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện %(next)s đúng thời gian quy định."
        )
        % {"next": next_period}
    )
    return TasksSection(number, next_period, items)


def _target_tasks(figures: Figures) -> list[str]:
    """The indicators below their goal, and those without figures."""
    tasks = []
    not_met = [i for i in figures.indicators if i.value is not None and not i.met]
    if not_met:
        tasks.append(
            _("Tập trung thực hiện các mục tiêu chưa đạt: %(l)s.")
            % {
                "l": "; ".join(
                    _("%(name)s (hiện đạt %(v)s, chỉ tiêu %(g)s)")
                    % {"name": lower_first(i.indicator.name.rstrip(".")), "v": fmt_pct(i.value),
                       "g": fmt_pct(i.indicator.goal)}
                    for i in not_met
                )
            }
        )  # fmt: skip
    no_data = [i for i in figures.indicators if i.value is None]
    if no_data:
        tasks.append(
            _("Các địa phương cập nhật đầy đủ số liệu của các chỉ số: %(l)s.")
            % {"l": "; ".join(lower_first(i.indicator.name.rstrip(".")) for i in no_data)}
        )
    return tasks


def _activity_and_budget_tasks(figures: Figures) -> list[str]:
    """The activities nobody reports as started, and the districts short of (or silent on) their budget."""
    tasks = []
    idle = [a for g in figures.groups for a in g.activities if not any(a.statuses.get(s) for s in ACTIVE)]
    if idle:
        tasks.append(
            _(
                "Khẩn trương triển khai %(n)s hoạt động chưa có đơn vị báo cáo triển khai (chi tiết tại Phụ lục Excel "
                "kèm theo)."
            )
            % {"n": len(idle)}
        )
    to_remind = [
        b.agency.short_name if b.agency else b.district.name for b in figures.budget if b.standing != Standing.MET
    ]
    if to_remind:
        tasks.append(
            _(
                "Đề nghị %(l)s bố trí đủ kinh phí tối thiểu cho công tác bảo vệ, chăm sóc trẻ em theo quy định của "
                "Chương trình."
            )
            % {"l": join_names(to_remind)}
        )
    return tasks


def _reporting_tasks(figures: Figures) -> list[str]:
    """The agencies whose reports are missing after their deadline, or came late."""
    late = list(dict.fromkeys(s.agency.short_name for c in figures.compliance for s in c.late))
    missing = list(dict.fromkeys(a.short_name for c in figures.compliance if c.due for a in c.missing))
    if not (late or missing):
        return []
    parts = []
    if missing:
        parts.append(_("khẩn trương gửi báo cáo còn thiếu: %(l)s") % {"l": join_names(missing, limit=10)})
    if late:
        parts.append(_("chấn chỉnh việc gửi báo cáo trễ hạn: %(l)s") % {"l": join_names(late, limit=10)})
    return [_("Đề nghị các cơ quan, đơn vị %(p)s.") % {"p": "; ".join(parts)}]


# ------------------------------------------------------------------------------------------------
# The closing: the last words, the recipients and the signature
# ------------------------------------------------------------------------------------------------
@dataclass
class Closing:
    """The last words and "Nơi nhận:". The signing authority and the signer are the issue's (documents.pdf)."""

    text: str
    recipients: list[str]


def closing_section(*, report: ProvincialReport, period: str) -> Closing:
    """Whom the report goes to as the decision says (ProvincialReport.recipients: the People's Committee and
    the Ministry, VIII.1; at six months and at the year the Ministry's Department of Child Protection,
    VIII.2.1), then the copies."""
    names = [name for name, _line in report.recipients]
    return Closing(
        text=_(
            "Trên đây là báo cáo kết quả thực hiện Chương trình công tác bảo vệ, chăm sóc trẻ em %(period)s của Sở Lao "
            "động - Thương binh và Xã hội, kính báo cáo %(to)s xem xét, chỉ đạo./."
        )
        % {"period": period, "to": join_names(names)},
        recipients=[
            *(_("%(to)s (b/c);") % {"to": name} for name in names),
            _("Các sở, ban, ngành, đoàn thể tỉnh;"),
            _("UBND các huyện, thị xã, thành phố;"),
            _("Ban Giám đốc Sở;"),
            _("Lưu: VT, BVCSTE."),
        ],
    )


# ------------------------------------------------------------------------------------------------
# Annex 1: each target by district; annex 2: who reported, quarter by quarter
# ------------------------------------------------------------------------------------------------
@dataclass
class DistrictAnnex:
    heads: list[tuple[str, str, str]]  # code, short name, goal
    rows: list[DistrictLine]
    note: str


def district_annex(*, figures: Figures) -> DistrictAnnex:
    indicators = figures.indicators
    last = figures.cut.last
    rows = []
    for row in range(len(indicators[0].districts) if indicators else 0):
        cells = [_district_cell(i, i.districts[row], last) for i in indicators]
        rows.append(DistrictLine(indicators[0].districts[row].district.display_short, cells))
    if indicators:
        totals = [DistrictCellText(*_indicator_value(i), i.standing) for i in indicators]
        rows.append(DistrictLine(_("Toàn tỉnh"), totals, total=True))
    note = ""
    if any(c.older for row in rows for c in row.cells):
        note = _(
            "Ghi chú: số liệu của huyện là số liệu quý gần nhất đã được duyệt; (*) số liệu của quý trước, huyện "
            "chưa có báo cáo được duyệt của %(q)s."
        ) % {"q": quarter_label(last, lower=True)}
    heads = [(i.indicator.code, i.indicator.name, fmt_pct(i.indicator.goal)) for i in indicators]
    return DistrictAnnex(heads, rows, note)


def _district_cell(i: IndicatorFigures, c, last_quarter) -> DistrictCellText:
    if c.ratio is None or c.ratio.value is None:
        return DistrictCellText("–", "", Standing.NONE)
    older = c.quarter is not None and c.quarter.number != last_quarter.number
    mark = " (*)" if older else ""
    if _is_district_flag(i.indicator):
        return DistrictCellText(str(c.standing.label) + mark, "", c.standing, older)
    detail = ratio_text(c.ratio)
    if i.indicator.input == Indicator.Input.COMMUNE_FLAG:
        detail = _("%(n)s xã") % {"n": detail}
    return DistrictCellText(fmt_pct(c.ratio.value) + mark, detail, c.standing, older)


@dataclass
class ComplianceAnnex:
    quarter_heads: list[str]
    rows: list[ComplianceLine]
    requested: list[ComplianceLine] = field(default_factory=list)  # VIII.2.10, shown apart


def compliance_annex(*, figures: Figures) -> ComplianceAnnex:
    """Each agency's reporting by quarter: the directed agencies, then apart the bodies the decision
    requests (VIII.2.10), whose cells say sent or not, never late."""
    first = figures.compliance[0] if figures.compliance else None
    agencies = first.expected if first else []
    requested = sorted([*(s.agency for s in first.requested_sent), *first.requested_missing],
                       key=lambda a: a.order) if first else []  # fmt: skip
    return ComplianceAnnex(
        quarter_heads=[f"{quarter_label(c.quarter)}/{c.quarter.start.year}" for c in figures.compliance],
        rows=[ComplianceLine(a.short_name, [_compliance_cell(c, a) for c in figures.compliance]) for a in agencies],
        requested=[
            ComplianceLine(a.short_name, [_compliance_cell(c, a) for c in figures.compliance]) for a in requested
        ],
    )


# ------------------------------------------------------------------------------------------------
# The document
# ------------------------------------------------------------------------------------------------
@dataclass
class ReportDocument:
    """Everything the printed report says, already worded and formatted (Vietnamese), section by section.
    Its number, date of issue and signer are not here: documents.pdf prints a draft's or an issue's."""

    heading: Heading
    general: General
    targets: TargetsSection
    activities: ActivitiesSection
    budget: BudgetSection
    compliance: ComplianceSection
    incidents: IncidentTable
    difficulties: AccountsSection
    proposals: AccountsSection
    commendation: CommendationSection | None  # the annual report's only
    tasks: TasksSection
    closing: Closing
    district_annex: DistrictAnnex
    compliance_annex: ComplianceAnnex


def report_document(*, report: ProvincialReport, figures: Figures, as_of: dt.date,
                    last_year: LastYear | None = None) -> ReportDocument:  # fmt: skip
    """Word the report from the figures, as compiled on `as_of`, with last year's results of the same period
    beside (dashboards.previous) when there is a year before. Call under translation.override("vi")
    (documents.pdf does)."""
    program = report.program
    heading = heading_section(report=report, figures=figures)
    annual = report.kind == ProvincialReport.Kind.ANNUAL
    return ReportDocument(
        heading=heading,
        general=general_section(figures=figures, as_of=as_of),
        targets=targets_section(program=program, figures=figures, last_year=last_year),
        activities=activities_section(figures=figures, last_year=last_year),
        budget=budget_section(program=program, figures=figures),
        compliance=compliance_section(figures=figures),
        incidents=incidents_section(program=program, figures=figures),
        difficulties=accounts_section(accounts=figures.difficulties),
        proposals=accounts_section(accounts=figures.proposals),
        commendation=commendation_section(figures=figures) if annual else None,
        tasks=tasks_section(report=report, figures=figures, number=roman(6 if annual else 5)),
        closing=closing_section(report=report, period=heading.period),
        district_annex=district_annex(figures=figures),
        compliance_annex=compliance_annex(figures=figures),
    )
