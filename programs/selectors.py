"""Reads of the program. Each function makes a fixed number of queries, whatever the data size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import MappingProxyType

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from accounts import roles
from activities.models import Activity, ActivityGroup, ActivityRole, OutputTarget
from targets.models import Indicator, Target

from . import calendar, structure
from .exchange import program_export
from .models import AdminUnit, Agency, Duty, Program, ProvincialReport, Quarter
from .snapshots import (
    ActivityInfo,
    AgencyInfo,
    DutyInfo,
    GroupInfo,
    LegalBasisInfo,
    ProgramInfo,
    QuarterInfo,
    ReportInfo,
    TargetInfo,
    UnitInfo,
    activity_of,
    district_of,
    target_of,
)


def home_province_id() -> int | None:
    """The installation's own province (PORTAL_PROVINCE_CODE), kept with the structure."""
    return structure.cached(
        f"home-province:{settings.PORTAL_PROVINCE_CODE}",
        lambda: AdminUnit.objects.filter(code=settings.PORTAL_PROVINCE_CODE).values_list("pk", flat=True).first(),
    )


def user_province_id(user) -> int | None:
    """The province whose data the user works on, the one place of this rule (provinces are separate tenants):
    the province of the user's agency (a provincial body's unit, a district's parent); for a user without an
    agency (an officer, a viewer, an administrator) the province set on the user, or else the installation's
    (PORTAL_PROVINCE_CODE). The Ministry's department belongs to no province (None: no province page)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return home_province_id()
    if roles.is_ministry(user):
        return None
    agency = getattr(user, "agency", None)
    if agency is not None:
        return agency.unit.parent_id if agency.is_district else agency.unit_id
    return getattr(user, "province_id", None) or home_province_id()


def program_for_year(*, year: int, user=None) -> Program:
    """The program of the user's province for a year (user_province_id), or 404. Its fields are cached with
    the programs' structure (a program is part of it); each call returns a new Program made from them
    (no query), which the request may use as any model instance (`program.quarters` ...). A draft year
    (programs.years) is found for DOLISA only: anyone else gets 404, as if it did not exist."""
    province_id = user_province_id(user)

    def find() -> ProgramInfo | None:
        program = Program.objects.filter(year=year, province_id=province_id).first()
        return ProgramInfo.of(program) if program is not None else None

    info = structure.cached(f"program:{year}:{province_id}", find) if province_id is not None else None
    if info is None or (info.is_draft and user is not None and not roles.is_officer(user)):
        raise Http404("No program for this year")  # a draft year is DOLISA's until it is published
    return info.instance()


def program_years(*, user=None) -> list[int]:
    """The published years of the user's province's programs (user_province_id)."""
    programs = Program.objects.filter(province_id=user_province_id(user), status=Program.Status.PUBLISHED)
    return list(programs.values_list("year", flat=True))


def units_valid_on(*, day: dt.date) -> QuerySet[AdminUnit]:
    return AdminUnit.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def program_calendar(*, program: Program | ProgramInfo) -> tuple[tuple[QuarterInfo, ...], tuple[ReportInfo, ...]]:
    """The program's quarters in order and its provincial reports, each with its quarters and its
    agencies' deadline, in the order of that deadline (read afresh: the calendar page is where DOLISA
    checks an edit; two queries)."""
    quarters = tuple(QuarterInfo.of(q) for q in Quarter.objects.filter(program_id=program.pk).order_by("number"))
    rows = []
    for r in ProvincialReport.objects.filter(program_id=program.pk).prefetch_related("quarters").order_by("pk"):
        covered = tuple(QuarterInfo.of(q) for q in sorted(r.quarters.all(), key=lambda q: q.number))
        deadline = calendar.report_deadline(covered)
        rows.append(ReportInfo.of(r, quarters=covered, agencies_deadline=deadline))
    rows.sort(key=lambda r: (r.agencies_deadline is None, r.agencies_deadline or dt.date.min, r.pk))
    return quarters, tuple(rows)


def quarters_due_before_end(quarters: tuple[QuarterInfo, ...]) -> frozenset[int]:
    """The numbers of the quarters whose report is due before they end (figures to the day of reporting)."""
    return frozenset(q.number for q in quarters if calendar.due_before_end(deadline=q.entry_deadline, end=q.end))


def program_calendar_cached(
    *, program: Program | ProgramInfo
) -> tuple[tuple[QuarterInfo, ...], tuple[ReportInfo, ...]]:
    """The calendar as program_calendar reads it, kept with the program's structure (programs.structure):
    for the pages that show it beside something else (the quarterly form's note on its period)."""
    return structure.cached(f"calendar:{program.pk}", lambda: program_calendar(program=program))


def program_reference_day(program: Program | ProgramInfo) -> dt.date:
    """The day whose administrative layout the program uses: the decision's date."""
    return program.decision_date


def program_districts(*, program: Program | ProgramInfo) -> list[AdminUnit]:
    """The program's district-level units with their commune counts, in order (one query)."""
    day = program_reference_day(program)
    communes_q = Q(children__valid_from__isnull=True) | Q(children__valid_from__lte=day)
    communes_q &= Q(children__valid_to__isnull=True) | Q(children__valid_to__gte=day)
    return list(
        units_valid_on(day=day)
        .filter(parent_id=program.province_id, level=AdminUnit.Level.DISTRICT)
        .annotate(commune_count=Count("children", filter=communes_q))
        .order_by("order", "code")
    )


def program_place_codes(*, program: Program | ProgramInfo) -> dict[int, str]:
    """The codes of the program's province and districts by unit id (cached with the structure): what an
    agency's place is called where the agency holds only its unit's id."""

    def build() -> dict[int, str]:
        ids = [program.province_id, *(d.pk for d in program_frame(program=program).districts)]
        return dict(AdminUnit.objects.filter(pk__in=ids).values_list("pk", "code"))

    return structure.cached(f"place-codes:{program.pk}", lambda: MappingProxyType(build()))


def district_communes(*, program: Program | ProgramInfo, district: AdminUnit | UnitInfo) -> list[AdminUnit]:
    return communes_of(program=program, district_id=district.pk)


def communes_of(*, program: Program | ProgramInfo, district_id: int) -> list[AdminUnit]:
    """The communes of a district in the program's layout, in order (one query)."""
    day = program_reference_day(program)
    return list(units_valid_on(day=day).filter(parent_id=district_id).order_by("order", "code"))


def program_agencies(*, program: Program | ProgramInfo) -> QuerySet[Agency]:
    """The agencies that carry duties under the program."""
    agencies = Agency.objects.filter(duties__program_id=program.pk).distinct()
    return agencies.select_related("unit").order_by("order", "code")


def _roles_prefetch() -> Prefetch:
    return Prefetch("roles", queryset=ActivityRole.objects.select_related("agency").order_by("role", "agency__order"))


def _outputs_prefetch() -> Prefetch:
    return Prefetch("outputs", queryset=OutputTarget.objects.prefetch_related("units").order_by("order"))


@dataclass(frozen=True, slots=True)
class AgencyDuties:
    agency: AgencyInfo
    duties: tuple[DutyInfo, ...]


@dataclass(frozen=True, slots=True)
class ProgramOverview:
    program: ProgramInfo
    legal_bases: tuple[LegalBasisInfo, ...]
    targets: tuple[TargetInfo, ...]  # their indicators with the agencies that hold their data
    groups: tuple[GroupInfo, ...]  # their activities with roles and output targets (with places)
    agencies: tuple[AgencyDuties, ...]
    general_duties: tuple[DutyInfo, ...]
    quarters: tuple[QuarterInfo, ...]
    reports: tuple[ReportInfo, ...]
    districts: tuple[UnitInfo, ...]
    commune_total: int

    @property
    def directed(self) -> tuple[AgencyDuties, ...]:
        """The agencies the decision directs (VIII.2.1–2.9, 2.11)."""
        return tuple(a for a in self.agencies if not a.agency.is_requested)

    @property
    def requested(self) -> tuple[AgencyDuties, ...]:
        """The bodies the decision requests ("Đề nghị", VIII.2.10), shown apart."""
        return tuple(a for a in self.agencies if a.agency.is_requested)

    @property
    def noted(self) -> tuple[ActivityInfo, ...]:
        """The activities whose doer the text names in a way that needs reading (a unit under DOLISA,
        a body that advises and one that issues), with the line it rests on."""
        return tuple(a for g in self.groups for a in g.activities if a.note)


def program_overview(*, program: Program) -> ProgramOverview:
    """Everything the overview page shows, in a fixed number of queries, cached with the program's
    structure (programs.structure)."""
    return structure.cached(f"overview:{program.pk}", lambda: _program_overview(program=program))


def _program_overview(*, program: Program) -> ProgramOverview:
    indicators = Indicator.objects.prefetch_related("data_holders").order_by("order")
    targets = Target.objects.filter(program_id=program.pk).prefetch_related(Prefetch("indicators", queryset=indicators))
    groups = ActivityGroup.objects.filter(program_id=program.pk).prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.order_by("order").prefetch_related(_roles_prefetch(), _outputs_prefetch()),
        )
    )
    agencies = program_agencies(program=program).prefetch_related(
        Prefetch("duties", queryset=Duty.objects.filter(program_id=program.pk).order_by("order"))
    )
    districts = tuple(district_of(d) for d in program_districts(program=program))
    quarters, reports = program_calendar(program=program)
    return ProgramOverview(
        program=ProgramInfo.of(program),
        legal_bases=tuple(LegalBasisInfo.of(b) for b in program.legal_bases.all()),
        targets=tuple(target_of(t, t.indicators.all(), data_holders=True) for t in targets),
        groups=tuple(
            GroupInfo.of(g, activities=tuple(activity_of(a, units=True) for a in g.activities.all())) for g in groups
        ),
        agencies=tuple(AgencyDuties(AgencyInfo.of(a), tuple(DutyInfo.of(d) for d in a.duties.all())) for a in agencies),
        general_duties=tuple(
            DutyInfo.of(d) for d in Duty.objects.filter(program_id=program.pk, agency__isnull=True).order_by("order")
        ),
        quarters=quarters,
        reports=reports,
        districts=districts,
        commune_total=sum(d.commune_count for d in districts),
    )


@dataclass
class AgencyPage:
    agency: Agency
    duties: list[Duty]
    lead: list[Activity]
    support: list[Activity]
    indicators: list[Indicator]


def agency_page(*, program: Program, code: str) -> AgencyPage:
    agency = Agency.objects.select_related("unit").filter(code=code, duties__program=program).distinct().first()
    if agency is None:
        raise Http404("No such agency in this program")
    roles = list(
        ActivityRole.objects.filter(agency=agency, activity__group__program=program)
        .select_related("activity__group")
        .prefetch_related(Prefetch("activity__outputs", queryset=OutputTarget.objects.prefetch_related("units")))
        .order_by("activity__group__order", "activity__order")
    )
    for r in roles:  # this request's instances: the mark of a role that is the portal's reading
        r.activity.portal_reading = r.is_portal_reading
    return AgencyPage(
        agency=agency,
        duties=list(Duty.objects.filter(program=program, agency=agency).order_by("order")),
        lead=[r.activity for r in roles if r.role == ActivityRole.Role.LEAD],
        support=[r.activity for r in roles if r.role == ActivityRole.Role.SUPPORT],
        indicators=list(
            Indicator.objects.filter(target__program=program, reporters=agency)
            .select_related("target")
            .order_by("target__number", "order")
        ),
    )


@dataclass
class DistrictPage:
    district: AdminUnit
    communes: list[AdminUnit]
    agency: Agency | None
    counts: dict[str, int]
    budget_floor: int
    outputs: list[OutputTarget]


def district_page(*, program: Program, code: str) -> DistrictPage:
    district = (
        units_valid_on(day=program_reference_day(program))
        .filter(code=code, parent_id=program.province_id, level=AdminUnit.Level.DISTRICT)
        .first()
    )
    if district is None:
        raise Http404("No such district in this program")
    communes = district_communes(program=program, district=district)
    counts: dict[str, int] = {}
    for c in communes:
        counts[c.get_kind_display()] = counts.get(c.get_kind_display(), 0) + 1
    return DistrictPage(
        district=district,
        communes=communes,
        agency=Agency.objects.filter(unit=district, kind=Agency.Kind.DISTRICT).first(),
        counts=counts,
        budget_floor=program.district_budget_floor + program.commune_budget_floor * len(communes),
        outputs=list(
            OutputTarget.objects.filter(activity__group__program=program, units__in=[district, *communes])
            .distinct()
            .select_related("activity__group")
            .order_by("activity__group__order", "activity__order", "order")
        ),
    )


@dataclass(frozen=True, slots=True)
class Frame:
    """What every cut of a program reads first: its quarters, agencies and districts (three queries).
    A page that also needs them (to read its filters) loads them once and hands them to the cut."""

    quarters: tuple[QuarterInfo, ...]
    agencies: tuple[AgencyInfo, ...]
    districts: tuple[UnitInfo, ...]  # with their commune_count


def program_frame(*, program: Program | ProgramInfo) -> Frame:
    """The program's quarters, agencies and districts (cached with the program's structure)."""

    def build() -> Frame:
        return Frame(
            quarters=tuple(QuarterInfo.of(q) for q in Quarter.objects.filter(program_id=program.pk).order_by("number")),
            agencies=tuple(AgencyInfo.of(a) for a in program_agencies(program=program)),
            districts=tuple(district_of(d) for d in program_districts(program=program)),
        )

    return structure.cached(f"frame:{program.pk}", build)


# ------------------------------------------------------------------------------------------------
# A program year and the last (programs.years): DOLISA's editor, and what changed
# ------------------------------------------------------------------------------------------------
def program_previous(*, program: Program | ProgramInfo) -> Program | None:
    """The program of the year before, in the same province (or None)."""
    return Program.objects.filter(province_id=program.province_id, year=program.year - 1).first()


def program_last_year(*, program: Program | ProgramInfo) -> Program | None:
    """The published program of the year before, in the same province, for the years side by side
    (dashboards.previous): kept with the programs' structure (a new year, or its publication, moves the
    structure version), so a page reads it once per structure version; a new Program each call (no query)."""

    def find() -> ProgramInfo | None:
        found = Program.objects.filter(
            province_id=program.province_id, year=program.year - 1, status=Program.Status.PUBLISHED
        ).first()
        return ProgramInfo.of(found) if found is not None else None

    info = structure.cached(f"last-year:{program.pk}", find)
    return info.instance() if info is not None else None


# The rows DOLISA's editor and calendar change, each found within the program it belongs to: the program is
# the user's province's (program_for_year), so a row of another province's program answers 404.
def program_quarter(*, program: Program, number: int) -> Quarter:
    return get_object_or_404(program.quarters, number=number)  # through the program: quarter.program is it


def program_report(*, program: Program, kind: str) -> ProvincialReport:
    return get_object_or_404(program.provincial_reports, kind=kind)


def program_target(*, program: Program, number: int) -> Target:
    return get_object_or_404(Target, program_id=program.pk, number=number)


def program_group(*, program: Program, code: str) -> ActivityGroup:
    return get_object_or_404(ActivityGroup, program_id=program.pk, code=code)


def program_activity(*, program: Program, code: str) -> Activity:
    return get_object_or_404(Activity.objects.select_related("group"), group__program_id=program.pk, code=code)


def program_output(*, program: Program, pk: int) -> OutputTarget:
    outputs = OutputTarget.objects.select_related("activity__group")
    return get_object_or_404(outputs, activity__group__program_id=program.pk, pk=pk)


def program_role(*, program: Program, pk: int) -> ActivityRole:
    roles_ = ActivityRole.objects.select_related("activity__group", "agency")
    return get_object_or_404(roles_, activity__group__program_id=program.pk, pk=pk)


def program_district_agencies(*, program: Program) -> QuerySet[Agency]:
    """The districts' People's Committees under the program: who reports a target's indicators."""
    return program_agencies(program=program).filter(kind=Agency.Kind.DISTRICT)


@dataclass
class Editor:
    program: Program
    targets: list[Target]  # with their indicators
    groups: list[ActivityGroup]  # with their activities, roles (agencies) and outputs
    has_previous: bool
    next_exists: bool


def program_editor(*, program: Program) -> Editor:
    """What DOLISA's editor shows, read afresh (the page where DOLISA checks each change): six queries."""
    targets = Target.objects.filter(program_id=program.pk).prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order"))
    )
    groups = ActivityGroup.objects.filter(program_id=program.pk).prefetch_related(
        Prefetch(
            "activities",
            queryset=Activity.objects.order_by("order").prefetch_related(
                _roles_prefetch(), Prefetch("outputs", queryset=OutputTarget.objects.order_by("order"))
            ),
        )
    )
    years = set(Program.objects.filter(province_id=program.province_id).values_list("year", flat=True))
    return Editor(
        program=program,
        targets=list(targets.order_by("number")),
        groups=list(groups.order_by("order")),
        has_previous=program.year - 1 in years,
        next_exists=program.year + 1 in years,
    )


@dataclass(frozen=True)
class Change:
    """One difference between a program year and the year before: what, which item, before and after
    (None: the item did not exist, or no longer does)."""

    section: str
    code: str
    field: str
    before: object
    after: object

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"


def program_changes(*, program: Program) -> tuple[Program | None, list[Change]]:
    """What changed from the year before, item by item (matched by number or code): the decision, the
    budget floors, the calendar, targets and indicators, activities, who leads and supports them, and
    their outputs. Read from both years' program files (programs.exchange), so that what is compared is
    exactly what a year is made of."""
    previous = program_previous(program=program)
    if previous is None:
        return None, []
    old, new = program_export(program=previous), program_export(program=program)
    return previous, _changes(old, new)


def _changes(old: dict, new: dict) -> list[Change]:
    out: list[Change] = []
    s_decision, s_budget, s_cal = str(_("Quyết định")), str(_("Kinh phí")), str(_("Lịch báo cáo"))
    for field, label in (("decision_number", _("số")), ("decision_date", _("ngày")), ("signer_name", _("người ký"))):
        _compare(out, s_decision, "", str(label), old["program"][field], new["program"][field])
    for field, label in (("district_per_year", _("tối thiểu mỗi huyện")), ("commune_per_year", _("tối thiểu mỗi xã"))):
        _compare(out, s_budget, "", str(label), old["program"]["budget_floors"][field],
                 new["program"]["budget_floors"][field])  # fmt: skip
    old_q = {q["number"]: q for q in old["calendar"]["quarters"]}
    for q in new["calendar"]["quarters"]:  # a deadline moved by the year alone is not a change
        before = old_q.get(q["number"], {}).get("entry_deadline")
        if calendar.shift_years(before, 1) != q["entry_deadline"]:
            _compare(out, s_cal, str(_("Quý %(n)s") % {"n": q["number"]}), str(_("hạn gửi báo cáo")), before,
                     q["entry_deadline"], force=True)  # fmt: skip
    _items(out, str(_("Mục tiêu")), {t["number"]: t for t in old["targets"]}, {t["number"]: t for t in new["targets"]},
           (("text", _("nội dung")), ("goal", _("chỉ tiêu (%)"))))  # fmt: skip

    def indicators(d: dict) -> dict:
        return {i["code"]: i for t in d["targets"] for i in t["indicators"]}

    _items(out, str(_("Chỉ số")), indicators(old), indicators(new), (("name", _("tên")), ("goal", _("chỉ tiêu (%)"))))

    def activities(d: dict) -> dict:
        return {a["code"]: a for g in d["activity_groups"] for a in g["activities"]}

    def outputs(d: dict) -> dict:
        return {f"{a['code']} / {o['code']}": o for a in activities(d).values() for o in a["outputs"]}

    _items(out, str(_("Hoạt động")), activities(old), activities(new),
           (("text", _("nội dung")), ("lead", _("chủ trì")), ("support", _("phối hợp"))))  # fmt: skip
    _items(out, str(_("Chỉ tiêu đầu ra")), outputs(old), outputs(new),
           (("label", _("tên")), ("quantity", _("số lượng")), ("unit", _("đơn vị tính"))))  # fmt: skip
    return out


def _compare(out: list[Change], section: str, code: str, field: str, before, after, *, force: bool = False) -> None:
    if force or before != after:
        out.append(Change(section, str(code), field, before if before is not None else "", after))


def _items(out: list[Change], section: str, old: dict, new: dict, fields) -> None:
    for key in list(old) + [k for k in new if k not in old]:
        if key not in new:
            out.append(Change(section, str(key), "", _summary(old[key]), None))
        elif key not in old:
            out.append(Change(section, str(key), "", None, _summary(new[key])))
        else:
            for field, label in fields:
                before, after = old[key].get(field), new[key].get(field)
                if isinstance(before, list):
                    before, after = ", ".join(sorted(before)), ", ".join(sorted(after or []))
                _compare(out, section, key, str(label), before, after)


def _summary(item: dict) -> str:
    text = item.get("text") or item.get("label") or item.get("name") or ""
    if "quantity" in item:
        return f"{text}: {item['quantity']} {item['unit']}"
    return text
