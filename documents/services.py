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
from dashboards.previous import last_year_of
from dashboards.snapshot import figures_snapshot
from programs import calendar
from programs.models import ProvincialReport
from programs.selectors import user_province_id

from . import storage
from .annex import annex_issued, annex_workbook
from .models import REPORT_KIND, DocumentRegister, ReportVersion
from .pdf import Issue, body_issued, body_pdf, report_body
from .signing import SignatureText, pdf_sign, signing_configured
from .storage import write_atomic
from .wording import heading_place, issuer_name

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
            v.status, v.finished_at = V.Status.FAILED, calendar.now()
            v.save(update_fields=["status", "error", "finished_at"])
            return "finished", v
        v.attempts += 1
        v.status = V.Status.RUNNING
        v.started_at = v.started_at or calendar.now()
        v.heartbeat_at = now
        v.step, v.percent, v.error = V.Step.FIGURES, PERCENT[V.Step.FIGURES], ""
        v.save(update_fields=["attempts", "status", "started_at", "heartbeat_at", "step", "percent", "error"])
        return "claimed", v


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
    """The figures, the draft (its body, PDF and workbook) and the files (each path appended to `written`
    once it exists), then the version marked done, as long as this run still holds it. A draft takes no
    document number: issuing does (version_issue)."""
    figures = figures_compute(cut=cut_report(report=version.report))
    last_year = last_year_of(cut=figures.cut)  # the same period a year back, beside this year's
    snapshot = figures_snapshot(figures)
    as_of = timezone.localdate(version.started_at)
    _advance(version, V.Step.PDF)
    body = report_body(report=version.report, figures=figures, as_of=as_of, last_year=last_year)
    pdf_bytes = body_pdf(body, report=version.report, draft=True).data
    _advance(version, V.Step.XLSX)
    xlsx_bytes = annex_workbook(report=version.report, figures=figures, as_of=as_of, last_year=last_year)
    _advance(version, V.Step.STORE)
    stem, directory = storage.run_stem(version), storage.version_dir(version)
    files = {}
    for ext, data in (("html", body.encode()), ("pdf", pdf_bytes), ("xlsx", xlsx_bytes)):
        path, sha, size = write_atomic(directory, f"{stem}.{ext}", data)
        written.append(path)
        files[ext] = (str(path.relative_to(Path(settings.MEDIA_ROOT))), sha, size)
    _pause(version)
    done = _owned(version).update(
        status=V.Status.DONE, step=V.Step.DONE, percent=100, finished_at=calendar.now(),
        heartbeat_at=timezone.now(), figures=snapshot, error="", html_path=files["html"][0],
        pdf_path=files["pdf"][0], pdf_sha256=files["pdf"][1], pdf_size=files["pdf"][2],
        xlsx_path=files["xlsx"][0], xlsx_sha256=files["xlsx"][1], xlsx_size=files["xlsx"][2],
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
        status=V.Status.FAILED, error=reason, finished_at=calendar.now(), heartbeat_at=timezone.now()
    )


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


# ------------------------------------------------------------------------------------------------
# Issuing: a number of DOLISA's register, the date and the signer; the issued files, signed when configured
# ------------------------------------------------------------------------------------------------
ISSUE_ATTEMPTS = 5


class NumberTaken(Exception):
    """Another issue took the register's number between its reading and its move: run the issue again."""


def register_number_take(*, province_id: int, year: int, kind: str = REPORT_KIND) -> int:
    """Take the next number of DOLISA's register for the year and kind: the register moves on by one, in the
    caller's transaction, so a number is taken only if the issue that takes it commits (gap-free). The row is
    locked (select_for_update: on PostgreSQL a concurrent issue waits for this one), and moved with a version
    check (the UPDATE matches only the number read), so two issues never take one number: on SQLite, where
    a concurrent writer fails instead of waiting, or if the check fails, version_issue runs again."""
    register, _created = DocumentRegister.objects.get_or_create(province_id=province_id, year=year, kind=kind)
    number = DocumentRegister.objects.select_for_update().get(pk=register.pk).next_number
    if not DocumentRegister.objects.filter(pk=register.pk, next_number=number).update(next_number=number + 1):
        raise NumberTaken(year, kind, number)
    return number


@transaction.atomic
def register_update(*, year: int, kind: str = REPORT_KIND, next_number: int, user) -> DocumentRegister:
    """An officer sets the register's next number for a year (its first number, or one past the numbers
    DOLISA took outside the portal) in their own province's register. Refused below a number the portal has
    issued: numbers are never reused."""
    province_id = user_province_id(user)
    if not roles.is_officer(user) or province_id is None:
        raise PermissionDenied(_("Chỉ cán bộ Sở Lao động – Thương binh và Xã hội mới được sửa sổ đăng ký văn bản."))
    register, _created = DocumentRegister.objects.get_or_create(province_id=province_id, year=year, kind=kind)
    register = DocumentRegister.objects.select_for_update().get(pk=register.pk)
    top = (
        ReportVersion.objects.filter(doc_province_id=province_id, doc_year=year).aggregate(n=Max("doc_number"))["n"]
        if kind == REPORT_KIND
        else None
    )
    if next_number < 1 or (top is not None and next_number <= top):
        raise ValidationError(
            {"next_number": _("Số tiếp theo phải lớn hơn %(n)s, số lớn nhất cổng đã ban hành năm %(y)s.")
             % {"n": top or 0, "y": year}},
            code="used",
        )  # fmt: skip
    register.next_number = next_number
    register._history_user = user
    register.save(update_fields=["next_number"])
    return register


def version_issue(*, version: ReportVersion, user, at: dt.datetime | None = None) -> ReportVersion:
    """An officer issues a compiled version (a draft): it takes the register's next number for the year of
    issue, the date of issue and the signer of the settings (PORTAL_REPORT_SIGNER_NAME, _TITLE); its PDF is
    made again from its stored body with these and without "DỰ THẢO", signed when a certificate is
    configured (documents.signing), and its annex gets the number and date. The version issued before for
    the same report, if any, is marked replaced by this one. Refused (ValidationError) for a version not
    compiled or already issued: an issued version never changes, and a report is issued again only from a
    new compile, under a new number. All of it commits at once or not at all (the number too); runs again
    when a concurrent issue took the number first."""
    if not roles.is_officer(user):
        raise PermissionDenied(_("Chỉ cán bộ Sở Lao động – Thương binh và Xã hội mới được ban hành báo cáo."))
    at = at or calendar.now()
    for attempt in range(1, ISSUE_ATTEMPTS + 1):
        written: list[Path] = []
        try:
            with transaction.atomic():
                return _issue(version.pk, user=user, at=at, written=written)
        except (NumberTaken, IntegrityError, OperationalError):
            storage.remove(written)
            if attempt == ISSUE_ATTEMPTS:
                raise
            logger.warning("Issuing version %s: the register's number was taken meanwhile; again", version.pk)
            time.sleep(0.05 * attempt)
        except BaseException:
            storage.remove(written)
            raise
    raise AssertionError("unreachable")


def _issue(pk: int, *, user, at: dt.datetime, written: list[Path]) -> ReportVersion:
    version = ReportVersion.objects.select_for_update().select_related("report__program__province").get(pk=pk)
    if version.is_issued:
        raise ValidationError(
            _("Bản này đã được ban hành (số %(s)s); văn bản đã ban hành không thay đổi. Muốn ban hành lại, hãy biên "
              "soạn bản mới.") % {"s": version.doc_symbol},
            code="issued",
        )  # fmt: skip
    if version.status != V.Status.DONE:
        raise ValidationError(_("Chỉ ban hành được bản đã biên soạn xong."), code="unfinished")
    if not version.html_path:  # compiled before drafts kept their body (migration documents/0002)
        raise ValidationError(_("Bản này được biên soạn trước khi cổng có chức năng ban hành; vui lòng biên soạn lại "
                                "rồi ban hành bản mới."), code="no_body")  # fmt: skip
    issued_on = timezone.localdate(at)
    province_id = version.report.program.province_id
    number = register_number_take(province_id=province_id, year=issued_on.year)
    issue = Issue.issued(number=number, issued_on=issued_on, name=settings.PORTAL_REPORT_SIGNER_NAME,
                         title=settings.PORTAL_REPORT_SIGNER_TITLE)  # fmt: skip
    pdf, signed = _issued_pdf(version, issue)
    root = Path(settings.MEDIA_ROOT)
    xlsx = annex_issued((root / version.xlsx_path).read_bytes(), number=number, issued_on=issued_on)
    stem, directory = storage.issued_stem(version, number=number, year=issued_on.year), storage.version_dir(version)
    pdf_path, pdf_sha, pdf_size = write_atomic(directory, f"{stem}.pdf", pdf)
    written.append(pdf_path)
    xlsx_path, xlsx_sha, xlsx_size = write_atomic(directory, f"{stem}.xlsx", xlsx)
    written.append(xlsx_path)
    for earlier in ReportVersion.objects.select_for_update().filter(
        report_id=version.report_id, doc_number__isnull=False, replaced_by__isnull=True
    ):
        earlier.replaced_by, earlier.replaced_at, earlier._history_user = version, at, user
        earlier.save(update_fields=["replaced_by", "replaced_at"])
    version.doc_province_id = province_id
    version.doc_year, version.doc_number, version.issued_on, version.issued_at = issued_on.year, number, issued_on, at
    version.issued_by, version.signer_name, version.signer_title, version.signed = user, issue.signer_name, \
        issue.signer_title, signed  # fmt: skip
    version.issued_pdf_path, version.issued_pdf_sha256, version.issued_pdf_size = str(pdf_path.relative_to(root)), \
        pdf_sha, pdf_size  # fmt: skip
    version.issued_xlsx_path, version.issued_xlsx_sha256, version.issued_xlsx_size = str(xlsx_path.relative_to(root)), \
        xlsx_sha, xlsx_size  # fmt: skip
    version._history_user = user
    version.save(update_fields=[*ISSUE_FIELDS])
    logger.info("Version %s issued as %s by %s (signed: %s)", version.pk, version.doc_symbol, user, signed)
    return version


ISSUE_FIELDS = (
    "doc_province", "doc_year", "doc_number", "issued_on", "issued_at", "issued_by", "signer_name", "signer_title",
    "signed",
    "issued_pdf_path", "issued_pdf_sha256", "issued_pdf_size", "issued_xlsx_path", "issued_xlsx_sha256",
    "issued_xlsx_size",
)  # fmt: skip


def _issued_pdf(version: ReportVersion, issue: Issue) -> tuple[bytes, bool]:
    """The issued PDF from the draft's stored body, and whether it is signed digitally."""
    body = (Path(settings.MEDIA_ROOT) / version.html_path).read_text(encoding="utf-8")
    rendered = body_pdf(body_issued(body, issue=issue), report=version.report, draft=False)
    if not signing_configured():
        return rendered.data, False
    if rendered.signature is None:
        raise ValueError("The report has no signature block to sign in")
    program = version.report.program
    text = SignatureText(signer=issue.signer_name, agency=issuer_name(program=program),
                         location=heading_place(program=program))  # fmt: skip
    return pdf_sign(rendered.data, box=rendered.signature, text=text), True
