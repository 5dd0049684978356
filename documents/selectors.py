"""Reads of the provincial reports and their versions, scoped to the user: officers see every version,
drafts included; viewers (the People's Committee's leadership) the issued ones only; reporters nothing
(404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Max, Prefetch, Q
from django.http import Http404

from accounts import roles
from programs import calendar
from programs.models import Program, ProvincialReport
from programs.selectors import user_province_id

from .models import REPORT_KIND, DocumentRegister, ReportVersion
from .storage import reports_root
from .wording import period_of

V = ReportVersion


@dataclass
class ReportRow:
    report: ProvincialReport
    period: str
    quarters: list
    versions: list[ReportVersion]
    deadline: dt.date | None  # the agencies' deadline: the report is compiled once it has passed
    days_left: int | None  # to that deadline

    @property
    def active(self) -> ReportVersion | None:
        return next((v for v in self.versions if v.status in V.ACTIVE), None)

    @property
    def latest(self) -> ReportVersion | None:
        """The newest compiled version, draft or issued."""
        return next((v for v in self.versions if v.status == V.Status.DONE), None)

    @property
    def in_force(self) -> ReportVersion | None:
        """The issued version not replaced by a later issue."""
        return next((v for v in self.versions if v.is_issued and v.replaced_by_id is None), None)


def _versions_visible_to(user):
    """The versions of the user's province's reports (programs.selectors.user_province_id)."""
    if not roles.sees_province(user):
        return ReportVersion.objects.none()
    qs = ReportVersion.objects.select_related("requested_by", "issued_by")
    qs = qs.filter(report__program__province_id=user_province_id(user))
    if not roles.is_officer(user):
        qs = qs.filter(status=V.Status.DONE, doc_number__isnull=False)  # viewers read issued reports only
    return qs


def report_rows(*, user, program: Program) -> list[ReportRow]:
    """The program's provincial reports with the versions the user may see, newest first (three
    queries whatever the number of versions)."""
    if not roles.sees_province(user):
        raise Http404("Provincial reports are for DOLISA and the Committee")
    versions = _versions_visible_to(user).defer("figures").order_by("-number")
    reports = program.provincial_reports.prefetch_related("quarters", Prefetch("versions", queryset=versions))
    today = calendar.local_today()
    rows = []
    for r in reports.order_by("pk"):
        r.program = program
        quarters = sorted(r.quarters.all(), key=lambda q: q.number)
        deadline = calendar.report_deadline(quarters)
        rows.append(ReportRow(r, period_of(r, quarters), quarters, list(r.versions.all()), deadline,
                              calendar.days_left(deadline, today=today)))  # fmt: skip
    return sorted(rows, key=lambda row: (row.deadline is None, row.deadline or dt.date.min))


def report_for(*, user, program: Program, kind: str) -> ProvincialReport:
    if not roles.sees_province(user):
        raise Http404("Provincial reports are for DOLISA and the Committee")
    report = program.provincial_reports.filter(kind=kind).first()
    if report is None:
        raise Http404("No such report")
    report.program = program
    return report


def version_for(*, user, program: Program, pk: int) -> ReportVersion:
    version = (
        _versions_visible_to(user)
        .select_related("report__program", "replaced_by")
        .filter(report__program=program, pk=pk)
        .first()
    )
    if version is None:
        raise Http404("No such version")
    return version


def version_in_force(*, report: ProvincialReport) -> ReportVersion | None:
    """The report's issued version not replaced by a later issue, if any."""
    return ReportVersion.objects.filter(report=report, doc_number__isnull=False, replaced_by__isnull=True).first()


def version_file(*, version: ReportVersion, fmt: str) -> Path:
    """The stored file of a finished version (pdf or xlsx): the issued file once it is issued, the draft's
    before (only officers see drafts: _versions_visible_to); or 404."""
    rel = version.served_file(fmt)[0]
    if version.status != V.Status.DONE or not rel:
        raise Http404("No file")
    root = reports_root().resolve()
    path = (Path(settings.MEDIA_ROOT) / rel).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404("No file")
    return path


@dataclass(frozen=True)
class RegisterRow:
    register: DocumentRegister
    top_issued: int | None  # the highest number the portal issued from it


def registers(*, user) -> list[RegisterRow]:
    """DOLISA's registers of documents with the highest number the portal issued from each (officers only;
    two queries)."""
    if not roles.is_officer(user):
        raise Http404("The register is DOLISA's")
    province_id = user_province_id(user)
    tops = dict(
        ReportVersion.objects.filter(doc_province_id=province_id, doc_number__isnull=False)
        .values("doc_year")
        .annotate(top=Max("doc_number"))
        .values_list("doc_year", "top")
    )
    return [
        RegisterRow(r, tops.get(r.year) if r.kind == REPORT_KIND else None)
        for r in DocumentRegister.objects.filter(province_id=province_id)
    ]


def register_next_number(*, province_id: int, year: int, kind: str = REPORT_KIND) -> int:
    """The number the next document of the province, year and kind would take (issuing takes it, unless
    another issue comes first)."""
    register = DocumentRegister.objects.filter(province_id=province_id, year=year, kind=kind).first()
    return register.next_number if register is not None else 1


def version_progress(*, version: ReportVersion) -> dict:
    """What the progress page shows, as JSON."""
    steps = [*V.STEPS, V.Step.DONE]
    current = steps.index(version.step) if version.step in steps else -1  # DONE: past every step
    steps.pop()
    progress = []
    for n, step in enumerate(steps):
        if version.status == V.Status.DONE or n < current:
            state = "done"
        elif n == current:
            state = {"failed": "failed", "running": "current"}.get(version.status, "pending")
        else:
            state = "pending"
        progress.append({"key": step.value, "label": str(step.label), "state": state})
    return {
        "id": version.pk,
        "number": version.number,
        "status": version.status,
        "status_label": str(version.get_status_display()),
        "step": version.step,
        "step_label": str(version.get_step_display()),
        "percent": version.percent,
        "finished": version.is_finished,
        "error": version.error if version.status == V.Status.FAILED else "",
        "steps": progress,
    }


def versions_stalled(*, queued_before: dt.datetime, beat_before: dt.datetime) -> list[ReportVersion]:
    """Versions still queued that were created before `queued_before`, or running without a heartbeat
    since before `beat_before` (their message may have been lost): the daily job queues them again."""
    return list(
        ReportVersion.objects.filter(
            Q(status=V.Status.QUEUED, created_at__lt=queued_before)
            | Q(status=V.Status.RUNNING, heartbeat_at__lt=beat_before)
        ).order_by("pk")
    )
