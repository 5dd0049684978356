"""Reads for the API. Who may see what is never decided here: every read below starts from the scoping
selector of the app that owns the data (reporting.selectors.submissions_visible_to, documents.selectors.
report_rows, incidents.selectors.incidents_filtered ...), the same the pages call, and only narrows it
by the filters a client asked for. What is the API's own: who may hold tokens, and finding a token."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.http import Http404

from accounts import roles
from accounts.backends import users_with_role
from documents.models import ReportVersion
from documents.selectors import report_rows
from incidents.models import Incident
from incidents.selectors import IncidentFilters, incidents_filtered, may_list_incidents
from programs.models import AdminUnit, Agency, Program
from programs.selectors import program_frame, program_reference_day, units_valid_on
from reporting.models import Submission
from reporting.selectors import submissions_visible_to

from .models import ApiToken, token_digest


# ------------------------------------------------------------------------------------------------
# Tokens
# ------------------------------------------------------------------------------------------------
def may_hold_tokens(user) -> bool:
    """Those who exchange data with other systems hold API tokens: DOLISA (officers, administrators)
    and the agencies' reporters. Viewers read the pages."""
    return roles.is_officer(user) or roles.is_reporter(user)


def tokens_of(user) -> list[ApiToken]:
    """The user's tokens, live ones first, newest first."""
    return list(ApiToken.objects.filter(user=user).order_by(F("revoked_at").asc(nulls_first=True), "-created_at"))


def token_of(user, *, pk: int) -> ApiToken:
    """One of the user's own live tokens, or 404."""
    token = ApiToken.objects.filter(user=user, pk=pk, revoked_at__isnull=True).first()
    if token is None:
        raise Http404("No such token")
    return token


def token_user(*, secret: str) -> tuple[ApiToken, object] | None:
    """The live token with this secret and its user, loaded with agency and role as a signed-in user is
    (accounts.backends), in two queries; None for an unknown or revoked secret, an inactive user, or a
    user who may no longer hold tokens."""
    token = ApiToken.objects.filter(digest=token_digest(secret), revoked_at__isnull=True).first()
    if token is None:
        return None
    user = users_with_role().filter(pk=token.user_id, is_active=True).first()
    if user is None or not may_hold_tokens(user):
        return None
    token.user = user
    return token, user


# ------------------------------------------------------------------------------------------------
# The program's places
# ------------------------------------------------------------------------------------------------
def program_units(*, program: Program, level: int | None = None, district: AdminUnit | None = None) -> list[AdminUnit]:
    """The province, its districts (with their commune counts) and their communes as the program's
    layout has them (the decision's day), in order; optionally one level, or one district's communes.
    Two queries whatever the number of units (the districts come from the cached frame)."""
    frame = program_frame(program=program)
    districts = [d for d in frame.districts if district is None or d.pk == district.pk]
    out: list[AdminUnit] = []
    if level in (None, AdminUnit.Level.PROVINCE) and district is None:
        out += list(AdminUnit.objects.filter(pk=program.province_id))
    if level in (None, AdminUnit.Level.DISTRICT):
        out += districts
    if level in (None, AdminUnit.Level.COMMUNE):
        communes = units_valid_on(day=program_reference_day(program)).filter(
            parent__in=[d.pk for d in districts], level=AdminUnit.Level.COMMUNE
        )
        order = {d.pk: i for i, d in enumerate(districts)}
        out += sorted(communes, key=lambda c: (order[c.parent_id], c.order, c.code))
    return out


def program_district(*, program: Program, code: str) -> AdminUnit | None:
    return next((d for d in program_frame(program=program).districts if d.code == code), None)


# ------------------------------------------------------------------------------------------------
# Submissions: the pages' scoping, narrowed by the client's filters
# ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SubmissionFilters:
    quarter: int | None = None
    agency: str | None = None  # agency code
    district: str | None = None  # district code: its People's Committee's submissions
    status: str | None = None
    kind: str | None = None  # provincial | district


def submission_rows(*, user, program: Program, filters: SubmissionFilters) -> QuerySet[Submission]:
    """The program's submissions the user may see (reporting.selectors.submissions_visible_to), filtered,
    in the order of the pages' list."""
    qs = submissions_visible_to(user).filter(quarter__program=program)
    if filters.quarter:
        qs = qs.filter(quarter__number=filters.quarter)
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    if filters.district:
        qs = qs.filter(agency__unit__code=filters.district, agency__kind=Agency.Kind.DISTRICT)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.kind:
        qs = qs.filter(agency__kind=filters.kind)
    return qs.order_by("quarter__number", "agency__order", "pk")


# ------------------------------------------------------------------------------------------------
# Compiled documents: the versions the documents page shows the user
# ------------------------------------------------------------------------------------------------
def document_version(*, user, program: Program, kind: str, number: int) -> ReportVersion:
    """A version of one of the program's provincial reports, found among those the reports page lists for
    the user (documents.selectors.report_rows: officers every version, viewers finished ones, others
    none: 404)."""
    row = next((r for r in report_rows(user=user, program=program) if r.report.kind == kind), None)
    version = next((v for v in row.versions if v.number == number), None) if row is not None else None
    if version is None:
        raise Http404("No such version")
    version.report = row.report  # with its program
    return version


# ------------------------------------------------------------------------------------------------
# Incidents: the incident pages' scoping and filters, in pages
# ------------------------------------------------------------------------------------------------
def incident_rows(*, user, filters: IncidentFilters) -> QuerySet[Incident]:
    """The incidents the user may read (incidents.selectors.incidents_filtered), with who filed and closed
    them; 404 for a user without an incident list (viewers), as the incidents page answers."""
    if not may_list_incidents(user):
        raise Http404("No incident list for this user")
    return incidents_filtered(user=user, filters=filters).select_related("filed_by", "closed_by")
