"""What each role's first screen reads. Nothing is computed here: the targets' figures and standings come
from the dashboard's selector (`dashboards.figures.figures_compute`, through the dashboard's own page model),
the reports from `documents.selectors`, the submissions and requests from `reporting.selectors`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from dashboards.figures import BudgetRow, Standing, figures_compute
from dashboards.filters import filters_parse
from dashboards.pages import DashboardPage, dashboard_page
from documents.models import ReportVersion
from documents.selectors import ReportRow, report_rows
from incidents.selectors import incidents_open_count
from programs import calendar
from programs.models import Program
from programs.snapshots import AgencyInfo
from reporting import selectors as reporting
from reporting.models import ReopenRequest, Submission
from reporting.selectors import QuarterState

WEEK = 7  # "this week": the deadlines of the coming seven days


@dataclass
class LateAgencies:
    """A quarter whose deadline has passed: who has not sent its report, and who sent it late."""

    quarter: object
    missing: list[AgencyInfo]
    late: list[Submission]


@dataclass
class Summary:
    """The leaders' one screen: the six targets as the dashboard shows them (its default cut), what needs
    their attention, and the report in force most recently issued."""

    page: DashboardPage
    below_floor: list[BudgetRow]
    late: list[LateAgencies]
    open_incidents: int | None
    latest_issued: ReportVersion | None
    reports: list[ReportRow] = field(default_factory=list)


def summary_for(*, user, program: Program) -> Summary:
    """The summary for a viewer or an officer: the dashboard's figures for its default cut (accepted
    reports only, the current quarter, year to date)."""
    filters, _warnings = filters_parse(user=user, program=program, params={})
    figures = figures_compute(cut=filters.cut())
    page = dashboard_page(filters=filters, figures=figures)
    late = [LateAgencies(c.quarter, c.missing, c.late) for c in figures.compliance if c.due and (c.missing or c.late)]
    rows = report_rows(user=user, program=program)
    issued = [r.in_force for r in rows if r.in_force is not None]
    latest = max(issued, key=lambda v: v.issued_at, default=None)
    return Summary(
        page=page,
        below_floor=[b for b in figures.budget if b.standing == Standing.FAR],
        late=late,
        open_incidents=incidents_open_count(user=user),
        latest_issued=latest,
        reports=rows,
    )


def drafts_to_issue(rows: list[ReportRow]) -> list[ReportRow]:
    """The reports whose newest compiled version is a draft newer than the one in force (or none is)."""
    out = []
    for row in rows:
        latest, in_force = row.latest, row.in_force
        if latest is not None and latest.is_draft and (in_force is None or latest.number > in_force.number):
            out.append(row)
    return out


@dataclass
class Deadline:
    quarter: object
    day: dt.date
    days_left: int
    not_sent: int  # agencies the decision directs that have not sent it yet


def deadlines_this_week(*, quarters: list, rows: list) -> list[Deadline]:
    """The quarters due in the coming week, with how many directed agencies have not sent their report
    (from DOLISA's matrix of agencies × quarters: no query)."""
    today = calendar.local_today()
    out = []
    for i, q in enumerate(quarters):
        left = calendar.days_left(q.entry_deadline, today=today)
        if q.entry_deadline is None or left is None or not 0 <= left <= WEEK:
            continue
        not_sent = sum(1 for agency, subs in rows if not agency.is_requested and not subs[i].is_submitted)
        out.append(Deadline(q, q.entry_deadline, left, not_sent))
    return out


@dataclass
class Returned:
    submission: Submission
    reason: str
    at: dt.datetime | None
    locked: bool  # its deadline and any date DOLISA gave have passed: the agency must ask to reopen it


@dataclass
class ReporterWork:
    quarters: list[tuple[QuarterState, ReopenRequest | None]]  # each with its latest request to reopen
    returned: list[Returned]


def reporter_work(*, agency, program: Program) -> ReporterWork:
    """A reporter's quarters, its returned reports with DOLISA's reason, and its latest request to reopen
    each quarter."""
    quarters = reporting.agency_quarters(agency=agency, program=program)
    returned_states = [qs for qs in quarters if qs.submission and qs.submission.status == Submission.Status.RETURNED]
    reasons = reporting.return_steps(agency_id=agency.pk, program=program)
    returned = []
    for qs in returned_states:
        step = reasons.get(qs.submission.pk)
        locked = qs.deadline_passed and qs.editable_until is None
        returned.append(Returned(qs.submission, step.comment if step else "", step.at if step else None, locked))
    latest = reporting.reopen_requests_latest(agency_id=agency.pk, program=program)
    return ReporterWork([(qs, latest.get(qs.quarter.pk)) for qs in quarters], returned)
