"""Reads of incident reports. Who may read an incident is decided here, once: the agency that filed
it, the People's Committee of the district where it happened, and DOLISA (officers and
administrators). Viewers and everyone else read none; views answer 404 for what is not visible."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404

from accounts import roles
from programs.models import AdminUnit, Program, Quarter
from programs.selectors import district_communes, program_districts, user_province_id

from .models import COUNT_FIELDS, Incident, IncidentNote


# ------------------------------------------------------------------------------------------------
# Scoping
# ------------------------------------------------------------------------------------------------
def incidents_visible_to(user) -> QuerySet[Incident]:
    """Officers read their province's incidents (programs.selectors.user_province_id: those filed by its
    agencies); a reporter its agency's and, for a district, those in its district."""
    qs = Incident.objects.select_related("agency", "district", "commune")
    if roles.is_officer(user):
        province_id = user_province_id(user)
        return qs.filter(Q(agency__unit_id=province_id) | Q(agency__unit__parent_id=province_id))
    if roles.is_reporter(user):
        agency = user.agency
        scope = Q(agency_id=agency.pk)
        if agency.is_district:
            scope |= Q(district_id=agency.unit_id)
        return qs.filter(scope)
    return qs.none()


def may_list_incidents(user) -> bool:
    """Whether the user has an incident list at all (viewers do not)."""
    return roles.is_officer(user) or roles.is_reporter(user)


def may_file_incident(user) -> bool:
    """Any agency files an incident, through its reporter."""
    return roles.is_reporter(user)


def may_follow_up(user) -> bool:
    """DOLISA closes and reopens cases."""
    return roles.is_officer(user)


def incident_for(user, *, pk: int) -> Incident:
    incident = incidents_visible_to(user).select_related("filed_by", "closed_by").filter(pk=pk).first()
    if incident is None:
        raise Http404("No such incident")
    return incident


# ------------------------------------------------------------------------------------------------
# Lists
# ------------------------------------------------------------------------------------------------
@dataclass
class IncidentFilters:
    kind: str | None = None
    district: AdminUnit | None = None
    status: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    agency_code: str | None = None  # the filing agency


def incidents_filtered(*, user, filters: IncidentFilters | None = None) -> QuerySet[Incident]:
    """The incidents the user may read, filtered, newest first, with their note counts (the list page's,
    and the API's in pages)."""
    f = filters or IncidentFilters()
    qs = incidents_visible_to(user)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.district is not None:
        qs = qs.filter(district=f.district)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.date_from:
        qs = qs.filter(occurred_on__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(occurred_on__lte=f.date_to)
    if f.agency_code:
        qs = qs.filter(agency__code=f.agency_code)
    return qs.annotate(note_count=Count("notes")).order_by("-occurred_on", "-reported_at", "-pk")


def incident_list(*, user, filters: IncidentFilters | None = None) -> list[Incident]:
    """The incidents the user may read, newest first, with their note counts (one query)."""
    return list(incidents_filtered(user=user, filters=filters))


def incident_notes(*, incident: Incident) -> list[IncidentNote]:
    return list(incident.notes.select_related("author").order_by("at", "pk"))


def incident_places(*, program: Program) -> tuple[list[AdminUnit], dict[int, list[AdminUnit]]]:
    """The program's districts and each one's communes (two queries), for the filing form."""
    districts = program_districts(program=program)
    day = program.decision_date
    communes = (
        AdminUnit.objects.filter(parent__in=districts, level=AdminUnit.Level.COMMUNE)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("order", "code")
    )
    by_district: dict[int, list[AdminUnit]] = {d.pk: [] for d in districts}
    for c in communes:
        by_district[c.parent_id].append(c)
    return districts, by_district


def commune_in_district(*, program: Program, district: AdminUnit, commune: AdminUnit) -> bool:
    return any(c.pk == commune.pk for c in district_communes(program=program, district=district))


def incidents_open_count(*, user) -> int | None:
    """How many cases are still followed up, for the province's readers (a count, as the dashboard shows
    them: never a case); None for anyone else."""
    if not roles.sees_province(user):
        return None
    return Incident.objects.filter(status=Incident.Status.OPEN).count()


def incident_recipients() -> list[str]:
    """Who DOLISA is: the e-mail addresses of its active officers, and the shared address if set."""
    return roles.dolisa_emails()


# ------------------------------------------------------------------------------------------------
# Incidents by kind and district, for the dashboard and the provincial reports
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tally:
    """Cases and the children they concern; tallies add up: sum(tallies, Tally())."""

    cases: int = 0
    children: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.cases + other.cases, self.children + other.children)


@dataclass
class IncidentRow:
    district: AdminUnit
    cells: list[Tally]  # one per kind, in IncidentTable.kinds order

    @property
    def total(self) -> Tally:
        return sum(self.cells, Tally())


@dataclass
class IncidentTable:
    """Incidents that occurred in a period: districts × kinds, with cases and children, and totals."""

    date_from: dt.date
    date_to: dt.date
    kinds: list[tuple[str, str]]  # (code, label)
    rows: list[IncidentRow]
    totals: list[Tally]  # per kind
    total: Tally

    @property
    def is_empty(self) -> bool:
        return self.total.cases == 0


def incidents_by_kind_and_district(
    *,
    program: Program,
    quarters: list[Quarter] | tuple[Quarter, ...] | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    district: AdminUnit | None = None,
    districts: list[AdminUnit] | tuple[AdminUnit, ...] | None = None,
) -> IncidentTable:
    """Cases and children by kind and district, for incidents that occurred in the quarters given (or
    between date_from and date_to; by default the program's whole year), optionally in one district.
    Open and closed cases alike. Two queries whatever the number of incidents (one when the caller
    already has the program's districts)."""
    if quarters:
        date_from = min(q.start for q in quarters)
        date_to = max(q.end for q in quarters)
    date_from = date_from or dt.date(program.year, 1, 1)
    date_to = date_to or dt.date(program.year, 12, 31)
    districts = list(districts) if districts is not None else program_districts(program=program)
    if district is not None:
        districts = [d for d in districts if d.pk == district.pk]
    children = sum((F(name) for name in COUNT_FIELDS[1:]), F(COUNT_FIELDS[0]))
    grouped = (
        Incident.objects.filter(
            occurred_on__gte=date_from, occurred_on__lte=date_to, district_id__in=[d.pk for d in districts]
        )
        .values("district_id", "kind")
        .annotate(cases=Count("id"), children=Sum(children))
        .order_by()
    )
    found = {(g["district_id"], g["kind"]): Tally(g["cases"], g["children"] or 0) for g in grouped}
    kinds = [(code, str(label)) for code, label in Incident.Kind.choices]
    rows = [IncidentRow(district=d, cells=[found.get((d.pk, code), Tally()) for code, _l in kinds]) for d in districts]
    totals = [sum((row.cells[i] for row in rows), Tally()) for i in range(len(kinds))]
    return IncidentTable(date_from=date_from, date_to=date_to, kinds=kinds, rows=rows, totals=totals,
                         total=sum(totals, Tally()))  # fmt: skip
