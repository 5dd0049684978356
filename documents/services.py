"""Compiling the provincial reports: every write of a version, from its creation to its files. Reads
of versions are in documents.selectors, the files' places and writing in documents.storage.

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

- A lost run is noticed within the lease (PORTAL_COMPILE_LEASE, 45 s: seconds without a heartbeat after
  which another run may take a version over): the broker redelivers its message after
  PORTAL_CELERY_VISIBILITY_TIMEOUT, and the every-minute dispatch hands it over again sooner
  (versions_lost); "compile now" never answers with a stuck version as if it were alive, and an officer
  can restart one (version_restart).

PORTAL_COMPILE_STEP_DELAY (seconds to wait after each step, heartbeat kept) exists for the worker tests
(tests/documents/test_celery_worker.py), so that a test can kill a worker mid-compile; 0 in production.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from dashboards.figures import cut_report, figures_compute
from dashboards.snapshot import figures_snapshot
from programs import calendar
from programs.models import ProvincialReport

from . import storage
from .annex import annex_workbook
from .models import ReportVersion
from .pdf import report_pdf
from .storage import write_atomic

logger = logging.getLogger(__name__)

V = ReportVersion
PERCENT = {V.Step.QUEUED: 0, V.Step.FIGURES: 5, V.Step.PDF: 25, V.Step.XLSX: 70, V.Step.STORE: 90, V.Step.DONE: 100}
MAX_ATTEMPTS = 5
TRANSIENT = (OperationalError, InterfaceError)


class LostClaim(Exception):
    """Another run took the version over (this one was thought lost): stop without writing."""


def lease_seconds() -> float:
    return float(settings.PORTAL_COMPILE_LEASE)


def step_delay() -> float:
    return float(settings.PORTAL_COMPILE_STEP_DELAY)


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
    """Hand over the versions that could not be queued (the broker was down), and those whose run was
    lost with its worker (versions_lost: no heartbeat for longer than the lease); returns their ids."""
    waiting = list(
        ReportVersion.objects.filter(status=V.Status.QUEUED, dispatched_at__isnull=True).values_list("pk", flat=True)
    )
    lost = [v.pk for v in versions_lost()]
    return [pk for pk in [*waiting, *lost] if _enqueue(pk)]


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
    existing = _live_version(report, trigger)
    if existing is not None:
        if version_is_stuck(existing):  # not alive: its compile is handed over again, and it goes on
            version_enqueue(version=existing)
        return existing, False
    number = (ReportVersion.objects.filter(report=report).aggregate(n=Max("number"))["n"] or 0) + 1
    try:
        with transaction.atomic():
            version = ReportVersion.objects.create(
                report=report, number=number, trigger=trigger, requested_by=user, created_at=at
            )
    except IntegrityError:  # a concurrent call created it first
        existing = _live_version(report, trigger)
        if existing is None:
            raise
        return existing, False
    if enqueue:
        version_enqueue(version=version)
    return version, True


def _live_version(report: ProvincialReport, trigger: str) -> ReportVersion | None:
    """The version that stands in for a new one: a compile in progress, or for the schedule its live
    scheduled version."""
    versions = ReportVersion.objects.filter(report=report)
    existing = versions.filter(status__in=V.ACTIVE).order_by("-number").first()
    if existing is None and trigger == V.Trigger.SCHEDULED:
        existing = versions.filter(trigger=V.Trigger.SCHEDULED).exclude(status=V.Status.FAILED).first()
    return existing


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
        storage.remove(storage.leftovers(version))  # what a lost run of this version left behind
        _compile_files(version, written)
        logger.info("Compiled %s in %.1f s", version, time.monotonic() - started)
    except LostClaim:
        logger.warning("Version %s was taken over by another run; this run stops", version.pk)
        storage.remove(written)
    except TRANSIENT:
        storage.remove(written)
        with contextlib.suppress(*TRANSIENT):  # give the version back, so that the retry can claim it at once
            _owned(version).update(status=V.Status.QUEUED, step=V.Step.QUEUED, percent=0, heartbeat_at=None)
        raise
    except Exception as exc:
        logger.exception("Compiling %s failed", version)
        storage.remove(written)
        _fail(version, exc)
    version.refresh_from_db()
    return version


def _compile_files(version: ReportVersion, written: list[Path]) -> None:
    """The figures, the PDF, the workbook and the files (each path appended to `written` once it
    exists), then the version marked done, as long as this run still holds it."""
    figures = figures_compute(cut=cut_report(report=version.report))
    snapshot = figures_snapshot(figures)
    _advance(version, V.Step.PDF)
    kwargs = {"report": version.report, "figures": figures, "issued_on": version.issued_on,
              "doc_number": version.doc_number}  # fmt: skip
    pdf_bytes = report_pdf(**kwargs)
    _advance(version, V.Step.XLSX)
    xlsx_bytes = annex_workbook(**kwargs)
    _advance(version, V.Step.STORE)
    stem, directory = storage.run_stem(version), storage.version_dir(version)
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
# Stuck versions: a run lost with its worker, restarted by the every-minute dispatch or an officer
# ------------------------------------------------------------------------------------------------
def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=lease_seconds())


def version_is_stuck(version: ReportVersion) -> bool:
    """Running without a heartbeat for longer than the lease (its worker was lost), or handed to the queue
    longer ago than the broker takes to redeliver a message and no run has taken it."""
    now = timezone.now()
    if version.status == V.Status.RUNNING:
        return version.heartbeat_at is None or version.heartbeat_at < _stale_before()
    redeliver = dt.timedelta(seconds=settings.PORTAL_CELERY_VISIBILITY_TIMEOUT + lease_seconds())
    return (
        version.status == V.Status.QUEUED
        and version.dispatched_at is not None
        and version.dispatched_at < now - redeliver
    )


def versions_lost() -> list[ReportVersion]:
    """Running versions whose heartbeat is older than the lease, not handed to the queue since: the
    every-minute dispatch hands each over again (once per lease), so a compile lost with its worker goes on
    within the lease and a minute, whatever the broker's visibility timeout."""
    stale = _stale_before()
    return list(
        ReportVersion.objects.filter(status=V.Status.RUNNING, heartbeat_at__lt=stale)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=stale))
        .order_by("pk")
    )


@transaction.atomic
def version_restart(*, version: ReportVersion, user) -> ReportVersion:
    """An officer restarts a stuck version: its compile is handed to the queue again, and the run that
    takes it over removes what the lost run left (the lost run, should it come back, stops: LostClaim).
    Refused (ValidationError) while the version is alive or finished."""
    if not roles.is_officer(user):
        raise PermissionDenied(_("Chỉ cán bộ Sở Lao động – Thương binh và Xã hội mới được biên soạn báo cáo."))
    version = ReportVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_finished:
        raise ValidationError(_("Bản biên soạn này đã kết thúc; không cần chạy lại."), code="finished")
    if not version_is_stuck(version) and not version.waits_for_queue:
        raise ValidationError(_("Bản biên soạn này vẫn đang chạy bình thường; vui lòng đợi."), code="alive")
    logger.warning("Version %s restarted by %s (status %s, heartbeat %s)", version.pk, user, version.status,
                   version.heartbeat_at)  # fmt: skip
    version_enqueue(version=version)
    return version
