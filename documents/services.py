"""Compiling the provincial reports: versions, the compile itself, and the reads of versions.

A compile is a ReportVersion, created queued (`version_create`) and compiled by id
(`version_compile`, run by the Celery task documents.tasks.compile_version) in steps: the figures
(dashboards.figures, the dashboard's selector), the PDF (documents.pdf), the Excel annex
(documents.annex), then the files. Each step is committed on its own, so the progress page sees it.

Reliability:
- Idempotent: a version that is done or failed is left as it is; running the task twice yields one
  version. A scheduled version exists at most once per report (a database constraint).
- A worker lost in the middle (killed, machine down): the task is acknowledged late and re-queued;
  the run that gets it takes the version over once its heartbeat is older than the lease, and
  removes what the lost run left behind. After MAX_ATTEMPTS runs the version is marked failed.
- Files are written to a temporary file in the same directory, then renamed over the final name
  (os.replace); a failed run deletes its temporary and final files. Every run writes names of its
  own (v03-2.pdf: version 3, second run), so two runs can never write the same file.
- A failed compile marks its version failed with the reason; a transient database error releases
  the version (queued again) and is raised, so the task retries.

Two environment variables exist for the worker tests (tests/documents/test_celery_worker.py) and are
not meant for production: PORTAL_COMPILE_STEP_DELAY (seconds to wait after each step, heartbeat
kept, so that a test can kill a worker mid-compile) and PORTAL_COMPILE_LEASE (seconds without a
heartbeat after which another run may take a version over; default 300).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max, Prefetch, Q
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from dashboards.figures import Figures, cut_report, figures_compute
from programs import calendar
from programs.models import Program, ProvincialReport

from .annex import annex_workbook
from .models import ReportVersion
from .pdf import period_of, report_pdf

logger = logging.getLogger(__name__)

V = ReportVersion
STEPS = [V.Step.FIGURES, V.Step.PDF, V.Step.XLSX, V.Step.STORE]
PERCENT = {V.Step.QUEUED: 0, V.Step.FIGURES: 5, V.Step.PDF: 25, V.Step.XLSX: 70, V.Step.STORE: 90, V.Step.DONE: 100}
MAX_ATTEMPTS = 5
TRANSIENT = (OperationalError, InterfaceError)
ACTIVE = (V.Status.QUEUED, V.Status.RUNNING)


class LostClaim(Exception):
    """Another run took the version over (this one was thought lost): stop without writing."""


def _seconds(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, "") or default)
    except ValueError:
        return default


def lease_seconds() -> float:
    return _seconds("PORTAL_COMPILE_LEASE", 300)


def step_delay() -> float:
    return _seconds("PORTAL_COMPILE_STEP_DELAY", 0)


def reports_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "reports"


def version_dir(version: ReportVersion) -> Path:
    return reports_root() / str(version.report.program.year) / version.report.kind


# ------------------------------------------------------------------------------------------------
# Creating a version
# ------------------------------------------------------------------------------------------------
def _enqueue(version_id: int) -> bool:
    """Hand the compile to the broker. When the broker is unavailable the version stays queued
    without `dispatched_at`; documents.tasks.dispatch hands it over once the broker is back."""
    from .tasks import compile_version

    try:
        compile_version.delay(version_id)
    except Exception as exc:  # noqa: BLE001 - kombu raises several kinds of errors for a broker that is down
        logger.warning("Broker unavailable, compile of version %s waits for the queue: %s", version_id, exc)
        return False
    ReportVersion.objects.filter(pk=version_id).update(dispatched_at=timezone.now())
    return True


def version_enqueue(*, version: ReportVersion) -> None:
    """Queue the compile once the current transaction commits."""
    transaction.on_commit(partial(_enqueue, version.pk), robust=True)


def versions_dispatch_waiting() -> list[int]:
    """Hand over the versions that could not be queued (the broker was down); returns their ids."""
    waiting = list(
        ReportVersion.objects.filter(status=V.Status.QUEUED, dispatched_at__isnull=True).values_list("pk", flat=True)
    )
    return [pk for pk in waiting if _enqueue(pk)]


@transaction.atomic
def version_create(
    *, report: ProvincialReport, trigger: str, user=None, at: dt.datetime | None = None, enqueue: bool = True
) -> tuple[ReportVersion, bool]:
    """A queued version of the report, its compile queued on commit (unless `enqueue` is false: the
    management command compiles in its own process). Returns (version, created).

    Nothing new is created while a version of the report is queued or running (that one is
    returned), and at most one scheduled version that has not failed exists per report."""
    at = at or calendar.now()
    if trigger == V.Trigger.MANUAL and not roles.is_officer(user):
        raise PermissionDenied(_("Chỉ cán bộ Sở Lao động – Thương binh và Xã hội mới được biên soạn báo cáo."))
    # One writer per report at a time (PostgreSQL row lock; SQLite transactions are serialised).
    ProvincialReport.objects.select_for_update().filter(pk=report.pk).first()
    versions = ReportVersion.objects.filter(report=report)
    existing = versions.filter(status__in=ACTIVE).order_by("-number").first()
    if existing is None and trigger == V.Trigger.SCHEDULED:
        existing = versions.filter(trigger=V.Trigger.SCHEDULED).exclude(status=V.Status.FAILED).first()
    if existing is not None:
        return existing, False
    number = (versions.aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            version = ReportVersion.objects.create(
                report=report, number=number, trigger=trigger, requested_by=user, created_at=at
            )
    except IntegrityError:  # a concurrent call created it first
        existing = versions.filter(status__in=ACTIVE).order_by("-number").first()
        if existing is None and trigger == V.Trigger.SCHEDULED:
            existing = versions.filter(trigger=V.Trigger.SCHEDULED).exclude(status=V.Status.FAILED).first()
        if existing is None:
            raise
        return existing, False
    if enqueue:
        version_enqueue(version=version)
    return version, True


# ------------------------------------------------------------------------------------------------
# Compiling a version
# ------------------------------------------------------------------------------------------------
def _claim(version_id: int) -> tuple[str, ReportVersion]:
    """Take the version for this run: ("claimed", v), ("finished", v) when it is done or failed,
    or ("busy", v) while another run holds it (its heartbeat is younger than the lease)."""
    for _try in range(5):
        try:
            with transaction.atomic():
                v = ReportVersion.objects.select_for_update().get(pk=version_id)
                if v.status in (V.Status.DONE, V.Status.FAILED):
                    return "finished", v
                now = timezone.now()
                if (
                    v.status == V.Status.RUNNING
                    and v.heartbeat_at is not None
                    and now - v.heartbeat_at < dt.timedelta(seconds=lease_seconds())
                ):
                    return "busy", v
                if v.attempts >= MAX_ATTEMPTS:
                    with translation.override("vi"):
                        v.error = _(
                            "Quá trình biên soạn bị gián đoạn %(n)s lần (máy xử lý ngừng đột ngột); đã dừng. Vui lòng "
                            "biên soạn lại."
                        ) % {"n": v.attempts}
                    v.status, v.finished_at, v.doc_number, v.doc_year = V.Status.FAILED, calendar.now(), None, None
                    v.save(update_fields=["status", "error", "finished_at", "doc_number", "doc_year"])
                    return "finished", v
                v.attempts += 1
                v.status = V.Status.RUNNING
                v.started_at = v.started_at or calendar.now()
                v.heartbeat_at = now
                v.step, v.percent, v.error = V.Step.FIGURES, PERCENT[V.Step.FIGURES], ""
                fields = ["attempts", "status", "started_at", "heartbeat_at", "step", "percent", "error"]
                if v.doc_number is None:
                    v.issued_on = calendar.local_today()
                    v.doc_year = v.issued_on.year
                    top = ReportVersion.objects.filter(doc_year=v.doc_year).aggregate(n=Max("doc_number"))["n"]
                    v.doc_number = (top or 0) + 1
                    fields += ["issued_on", "doc_year", "doc_number"]
                v.save(update_fields=fields)
                return "claimed", v
        except IntegrityError:  # another version took the same document number at the same moment
            time.sleep(0.05)
    raise IntegrityError("Could not take a document number")


def _claim_waiting(version_id: int) -> tuple[str, ReportVersion]:
    """Claim, waiting while another run seems alive: if it was lost, its heartbeat ages past the
    lease and this run takes over; if it finishes, there is nothing to do."""
    give_up = time.monotonic() + lease_seconds() + 10
    while True:
        state, version = _claim(version_id)
        if state != "busy" or time.monotonic() > give_up:
            return state, version
        time.sleep(min(1.0, max(0.1, lease_seconds() / 4)))


def _owned(version: ReportVersion):
    return ReportVersion.objects.filter(pk=version.pk, attempts=version.attempts, status=V.Status.RUNNING)


def _beat(version: ReportVersion, **fields) -> None:
    if not _owned(version).update(heartbeat_at=timezone.now(), **fields):
        raise LostClaim(version.pk)


def _pause(version: ReportVersion) -> None:
    """The test-only delay between steps (PORTAL_COMPILE_STEP_DELAY), heartbeat kept."""
    end = time.monotonic() + step_delay()
    while (left := end - time.monotonic()) > 0:
        time.sleep(min(0.5, left))
        _beat(version)


def _advance(version: ReportVersion, step: str) -> None:
    _pause(version)
    _beat(version, step=step, percent=PERCENT[step])
    version.step = step


def _leftovers(version: ReportVersion) -> list[Path]:
    directory = version_dir(version)
    if not directory.is_dir():
        return []
    stem = f"v{version.number:02d}-"
    return [p for p in directory.iterdir() if p.name.startswith((stem, "." + stem))]


def _remove(paths) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            Path(p).unlink()


def write_atomic(directory: Path, name: str, data: bytes) -> tuple[Path, str, int]:
    """Write `data` to directory/name through a temporary file in the same directory and a rename,
    so that the final name is either absent or complete. Returns (path, sha256, size)."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        final = directory / name
        os.replace(tmp, final)
    except BaseException:
        _remove([tmp])
        raise
    return final, hashlib.sha256(data).hexdigest(), len(data)


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            h.update(chunk)
    return h.hexdigest()


def version_compile(*, version_id: int) -> ReportVersion:
    """Compile the version step by step (see the module docstring). Returns the version as it
    stands at the end: done, failed, or as another run left it."""
    state, version = _claim_waiting(version_id)
    if state != "claimed":
        return version
    version = ReportVersion.objects.select_related("report__program__province").get(pk=version.pk)
    written: list[Path] = []
    started = time.monotonic()
    try:
        _remove(_leftovers(version))  # what a lost run of this version left behind
        figures = figures_compute(cut=cut_report(report=version.report))
        snapshot = figures_snapshot(figures)
        _advance(version, V.Step.PDF)
        kwargs = {"report": version.report, "figures": figures, "issued_on": version.issued_on,
                  "doc_number": version.doc_number}  # fmt: skip
        pdf_bytes = report_pdf(**kwargs)
        _advance(version, V.Step.XLSX)
        xlsx_bytes = annex_workbook(**kwargs)
        _advance(version, V.Step.STORE)
        stem = f"v{version.number:02d}-{version.attempts}"
        directory = version_dir(version)
        pdf_path, pdf_sha, pdf_size = write_atomic(directory, f"{stem}.pdf", pdf_bytes)
        written.append(pdf_path)
        xlsx_path, xlsx_sha, xlsx_size = write_atomic(directory, f"{stem}.xlsx", xlsx_bytes)
        written.append(xlsx_path)
        _pause(version)
        root = Path(settings.MEDIA_ROOT)
        done = _owned(version).update(
            status=V.Status.DONE, step=V.Step.DONE, percent=100, finished_at=calendar.now(),
            heartbeat_at=timezone.now(), figures=snapshot, error="",
            pdf_path=str(pdf_path.relative_to(root)), pdf_sha256=pdf_sha, pdf_size=pdf_size,
            xlsx_path=str(xlsx_path.relative_to(root)), xlsx_sha256=xlsx_sha, xlsx_size=xlsx_size,
        )  # fmt: skip
        if not done:
            raise LostClaim(version.pk)
        logger.info("Compiled %s in %.1f s", version, time.monotonic() - started)
    except LostClaim:
        logger.warning("Version %s was taken over by another run; this run stops", version.pk)
        _remove(written)
    except TRANSIENT:
        _remove(written)
        with contextlib.suppress(*TRANSIENT):  # give the version back, so that the retry can claim it at once
            _owned(version).update(status=V.Status.QUEUED, step=V.Step.QUEUED, percent=0, heartbeat_at=None)
        raise
    except Exception as exc:
        logger.exception("Compiling %s failed", version)
        _remove(written)
        _fail(version, exc)
    version.refresh_from_db()
    return version


def _fail(version: ReportVersion, exc: Exception) -> None:
    with translation.override("vi"):
        reason = _("Lỗi ở bước “%(step)s”: %(error)s") % {
            "step": V.Step(version.step).label,
            "error": f"{exc.__class__.__name__}: {exc}"[:1000],
        }
    _owned(version).update(
        status=V.Status.FAILED, error=reason, finished_at=calendar.now(), heartbeat_at=timezone.now(),
        doc_number=None, doc_year=None,
    )  # fmt: skip


# ------------------------------------------------------------------------------------------------
# The figures, as kept with each version
# ------------------------------------------------------------------------------------------------
def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(Decimal(value).quantize(Decimal("0.01")))


def figures_snapshot(figures: Figures) -> dict:
    """The figures a version was compiled from, as JSON: what was counted, and every number."""
    cut = figures.cut
    return {
        "program": cut.program.decision_number,
        "year": cut.program.year,
        "quarters": [q.number for q in cut.quarters],
        "include_pending": cut.include_pending,
        "counted": [
            {"id": s.pk, "agency": s.agency.code, "quarter": s.quarter.number, "version": s.version}
            for s in figures.counted
        ],
        "targets": [
            {
                "number": t.target.number,
                "goal": _dec(t.target.goal),
                "met": t.met,
                "indicators": [
                    {
                        "code": i.indicator.code,
                        "goal": _dec(i.indicator.goal),
                        "numerator": i.province.numerator,
                        "denominator": i.province.denominator,
                        "value": _dec(i.value),
                        "met": i.met,
                        "districts": [
                            {
                                "unit": c.district.code,
                                "name": c.district.display_short,
                                "quarter": c.quarter.number if c.quarter else None,
                                "numerator": c.ratio.numerator if c.ratio else None,
                                "denominator": c.ratio.denominator if c.ratio else None,
                                "value": _dec(c.ratio.value) if c.ratio else None,
                            }
                            for c in i.districts
                        ],
                    }
                    for i in t.indicators
                ],
            }
            for t in figures.targets
        ],
        "outputs": [
            {
                "code": o.output.code,
                "planned": o.output.quantity,
                "unit": o.output.unit,
                "achieved": o.achieved,
                "by_agency": {c.agency.code: c.value for c in o.contributions},
            }
            for o in figures.outputs
        ],
        "activities": [
            {
                "code": a.activity.code,
                "statuses": a.statuses,
                "children_boys": a.children_boys,
                "children_girls": a.children_girls,
                "money": a.money,
                "accounts": len(a.accounts),
            }
            for g in figures.groups
            for a in g.activities
        ],
        "compliance": [
            {
                "quarter": c.quarter.number,
                "deadline": c.quarter.entry_deadline.isoformat(),
                "due": c.due,
                "expected": len(c.expected),
                "on_time": [s.agency.code for s in c.on_time],
                "late": {s.agency.code: s.days_late for s in c.late},
                "missing": [a.code for a in c.missing],
            }
            for c in figures.compliance
        ],
        "budget": [
            {
                "unit": b.district.code,
                "name": b.district.display_short,
                "communes": b.communes,
                "district_budget": b.district_budget,
                "district_floor": b.district_floor,
                "communes_budget": b.communes_budget,
                "communes_floor": b.communes_floor,
            }
            for b in figures.budget
        ],
        "difficulties": len(figures.difficulties),
        "proposals": len(figures.proposals),
    }


# ------------------------------------------------------------------------------------------------
# Reads: the reports and their versions, scoped to the user (404 for what they may not see)
# ------------------------------------------------------------------------------------------------
@dataclass
class ReportRow:
    report: ProvincialReport
    period: str
    quarters: list
    versions: list[ReportVersion]
    days_left: int

    @property
    def active(self) -> ReportVersion | None:
        return next((v for v in self.versions if v.status in ACTIVE), None)

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


def report_for(user, *, program: Program, kind: str) -> ProvincialReport:
    if not roles.sees_province(user):
        raise Http404("Provincial reports are for DOLISA and the Committee")
    report = program.provincial_reports.filter(kind=kind).first()
    if report is None:
        raise Http404("No such report")
    report.program = program
    return report


def version_for(user, *, program: Program, pk: int) -> ReportVersion:
    version = (
        _versions_visible_to(user).select_related("report__program").filter(report__program=program, pk=pk).first()
    )
    if version is None:
        raise Http404("No such version")
    return version


def version_file(version: ReportVersion, fmt: str) -> Path:
    """The stored file of a finished version (pdf or xlsx), or 404."""
    rel = {"pdf": version.pdf_path, "xlsx": version.xlsx_path}.get(fmt)
    if version.status != V.Status.DONE or not rel:
        raise Http404("No file")
    root = reports_root().resolve()
    path = (Path(settings.MEDIA_ROOT) / rel).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404("No file")
    return path


def version_progress(version: ReportVersion) -> dict:
    """What the progress page shows, as JSON."""
    current = (
        STEPS.index(version.step) if version.step in STEPS else (len(STEPS) if version.step == V.Step.DONE else -1)
    )
    steps = []
    for n, step in enumerate(STEPS):
        if version.status == V.Status.DONE or n < current:
            state = "done"
        elif n == current:
            state = {"failed": "failed", "running": "current"}.get(version.status, "pending")
        else:
            state = "pending"
        steps.append({"key": step.value, "label": str(step.label), "state": state})
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
        "steps": steps,
    }


def versions_stalled(*, before: dt.datetime) -> list[ReportVersion]:
    """Versions still queued that were created before `before`, or running without a heartbeat for
    longer than the lease (their message may have been lost): the daily job queues them again."""
    stale_beat = timezone.now() - dt.timedelta(seconds=lease_seconds())
    return list(
        ReportVersion.objects.filter(
            Q(status=V.Status.QUEUED, created_at__lt=before) | Q(status=V.Status.RUNNING, heartbeat_at__lt=stale_beat)
        ).order_by("pk")
    )
