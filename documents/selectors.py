"""Reads of the provincial reports and their versions, scoped to the user: officers see every version,
viewers the finished ones, reporters nothing (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Prefetch, Q
from django.http import Http404

from accounts import roles
from programs import calendar
from programs.models import Program, ProvincialReport

from .models import ReportVersion
from .storage import reports_root
from .wording import period_of

V = ReportVersion


@dataclass
class ReportRow:
    report: ProvincialReport
    period: str
    quarters: list
    versions: list[ReportVersion]
    days_left: int

    @property
    def active(self) -> ReportVersion | None:
        return next((v for v in self.versions if v.status in V.ACTIVE), None)

    @property
    def latest(self) -> ReportVersion | None:
        return next((v for v in self.versions if v.status == V.Status.DONE), None)


def _versions_visible_to(user):
    if not roles.sees_province(user):
        return ReportVersion.objects.none()
    qs = ReportVersion.objects.select_related("requested_by")
    if not roles.is_officer(user):
        qs = qs.filter(status=V.Status.DONE)  # viewers read finished reports only
    return qs


def report_rows(*, user, program: Program) -> list[ReportRow]:
    """The program's provincial reports with the versions the user may see, newest first (three
    queries whatever the number of versions)."""
    if not roles.sees_province(user):
        raise Http404("Provincial reports are for DOLISA and the Committee")
    versions = _versions_visible_to(user).defer("figures").order_by("-number")
    reports = program.provincial_reports.prefetch_related("quarters", Prefetch("versions", queryset=versions)).order_by(
        "due_date"
    )
    today = calendar.local_today()
    rows = []
    for r in reports:
        r.program = program
        quarters = sorted(r.quarters.all(), key=lambda q: q.number)
        rows.append(ReportRow(r, period_of(r, quarters), quarters, list(r.versions.all()), (r.due_date - today).days))
    return rows


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
        _versions_visible_to(user).select_related("report__program").filter(report__program=program, pk=pk).first()
    )
    if version is None:
        raise Http404("No such version")
    return version


def version_file(*, version: ReportVersion, fmt: str) -> Path:
    """The stored file of a finished version (pdf or xlsx), or 404."""
    rel = {"pdf": version.pdf_path, "xlsx": version.xlsx_path}.get(fmt)
    if version.status != V.Status.DONE or not rel:
        raise Http404("No file")
    root = reports_root().resolve()
    path = (Path(settings.MEDIA_ROOT) / rel).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404("No file")
    return path


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
