"""Compiling a provincial report (documents.services): versions, idempotence, drafts that take no number,
failures and lost runs. Issuing a draft: test_services_issue.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from documents import services as compiling
from documents import tasks
from documents.models import ReportVersion
from documents.pdf import RenderedPdf

from .helpers import files_in, new_version, report, seed, sha256

pytestmark = pytest.mark.django_db
V = ReportVersion


def fake_pdf(body, **kwargs):
    return RenderedPdf(b"%PDF-1.7 fake", None)


@pytest.fixture
def fast(monkeypatch):
    """A stand-in for the PDF renderer, for tests about the compile's bookkeeping."""
    monkeypatch.setattr(compiling, "body_pdf", fake_pdf)


def test_a_version_compiles_to_a_pdf_and_a_workbook_with_hashes_and_a_snapshot(program, media):
    seed(program)
    version = compiling.version_compile(version_id=new_version().pk)

    assert version.status == V.Status.DONE, version.error
    assert (version.step, version.percent, version.attempts, version.error) == (V.Step.DONE, 100, 1, "")
    assert version.is_draft and (version.doc_number, version.doc_year, version.issued_on) == (None, None, None)
    assert version.started_at <= version.finished_at
    pdf, xlsx = media / version.pdf_path, media / version.xlsx_path
    assert pdf.read_bytes().startswith(b"%PDF") and xlsx.read_bytes().startswith(b"PK")
    assert (sha256(pdf), pdf.stat().st_size) == (version.pdf_sha256, version.pdf_size)
    assert (sha256(xlsx), xlsx.stat().st_size) == (version.xlsx_sha256, version.xlsx_size)
    assert 'data-var="symbol"' in (media / version.html_path).read_text()  # the body an issue fills in
    assert files_in(media) == ["v01-1.html", "v01-1.pdf", "v01-1.xlsx"]  # no temporary file left
    assert str(pdf.parent.relative_to(media)) == "reports/89/2018/six_month"  # the province's code first

    snap = version.figures
    assert snap["quarters"] == [1, 2] and len(snap["counted"]) == 4
    one = next(i for t in snap["targets"] for i in t["indicators"] if i["code"] == "1")
    assert (one["numerator"], one["denominator"], one["value"]) == (80, 80, "100.00")
    assert snap["compliance"][0]["expected"] == 20  # the six requested bodies (VIII.2.10) apart
    assert len(snap["compliance"][0]["requested_missing"]) == 6


def test_running_the_compile_twice_yields_one_version(program, media, fast):
    version = new_version()
    first = tasks.compile_version.delay(version.pk).get()
    done = ReportVersion.objects.get(pk=version.pk)
    second = tasks.compile_version.delay(version.pk).get()
    again = ReportVersion.objects.get(pk=version.pk)
    assert first == second == "done"
    assert ReportVersion.objects.count() == 1
    assert (again.attempts, again.pdf_sha256, again.finished_at) == (1, done.pdf_sha256, done.finished_at)
    assert files_in(media) == ["v01-1.html", "v01-1.pdf", "v01-1.xlsx"]


def test_a_scheduled_version_exists_once_per_report(program, media, fast):
    r = report("quarterly")
    first, created = compiling.version_create(report=r, trigger=V.Trigger.SCHEDULED, enqueue=False)
    assert created
    compiling.version_compile(version_id=first.pk)
    again, created = compiling.version_create(report=r, trigger=V.Trigger.SCHEDULED, enqueue=False)
    assert (again.pk, created) == (first.pk, False)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database says so too
        ReportVersion.objects.create(report=r, number=9, trigger=V.Trigger.SCHEDULED, created_at=timezone.now())
    # A failed scheduled version does not block the next one.
    ReportVersion.objects.filter(pk=first.pk).update(status=V.Status.FAILED)
    other, created = compiling.version_create(report=r, trigger=V.Trigger.SCHEDULED, enqueue=False)
    assert created and other.number == 2


def test_compile_now_while_a_version_is_queued_returns_that_version(program, media):
    officer = User.objects.get(username="dolisa")
    queued, created = compiling.version_create(report=report("annual"), trigger=V.Trigger.MANUAL, user=officer,
                                               enqueue=False)  # fmt: skip
    again, created_again = compiling.version_create(report=report("annual"), trigger=V.Trigger.MANUAL, user=officer)
    assert created and not created_again and again.pk == queued.pk


def test_only_officers_may_ask_for_a_compile(program, media):
    from django.core.exceptions import PermissionDenied

    for username in ["viewer", "so-y-te"]:
        with pytest.raises(PermissionDenied):
            compiling.version_create(report=report("annual"), trigger=V.Trigger.MANUAL,
                                     user=User.objects.get(username=username))  # fmt: skip
    assert not ReportVersion.objects.exists()


def test_compiling_uses_up_no_document_number(program, media, fast):
    """Three compiles, one failed: all drafts, none numbered, the register untouched."""
    from documents.models import DocumentRegister

    one = compiling.version_compile(version_id=new_version("quarterly").pk)
    two = compiling.version_compile(version_id=new_version("six_month").pk)
    assert one.is_draft and two.is_draft and one.doc_symbol == two.doc_symbol == ""
    assert not DocumentRegister.objects.exists()
    assert ReportVersion(doc_number=12).doc_symbol == "12/BC-SLĐTBXH"


def test_a_failed_compile_is_marked_failed_with_its_reason_and_leaves_no_file(program, media, fast, monkeypatch):
    """The workbook fails after the PDF was written: the version fails with the reason, and neither
    the PDF nor any temporary file stays behind."""
    real = compiling.write_atomic

    def write(directory, name, data):
        if name.endswith(".xlsx"):
            raise OSError("đĩa đầy")
        return real(directory, name, data)

    monkeypatch.setattr(compiling, "write_atomic", write)
    version = compiling.version_compile(version_id=new_version().pk)
    assert version.status == V.Status.FAILED
    assert "Lưu tệp" in version.error and "đĩa đầy" in version.error
    assert version.finished_at is not None and version.pdf_path == "" and version.pdf_sha256 == ""
    assert files_in(media) == []


def test_a_lost_run_is_taken_over_and_its_leftovers_removed(program, media, fast):
    version = new_version()
    ReportVersion.objects.filter(pk=version.pk).update(
        status=V.Status.RUNNING, attempts=1, step=V.Step.STORE, heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    directory = media / "reports" / "89" / "2018" / "six_month"
    directory.mkdir(parents=True)
    (directory / ".v01-1.pdf.x8k2.tmp").write_bytes(b"%PDF half")
    (directory / "v01-1.pdf").write_bytes(b"%PDF from the lost run")

    version = compiling.version_compile(version_id=version.pk)
    assert version.status == V.Status.DONE and version.attempts == 2
    assert files_in(media) == ["v01-2.html", "v01-2.pdf", "v01-2.xlsx"]


def test_a_run_waits_for_a_live_one_and_takes_over_once_its_heartbeat_stops(program, media, fast, settings):
    settings.PORTAL_COMPILE_LEASE = 1
    version = new_version()
    ReportVersion.objects.filter(pk=version.pk).update(status=V.Status.RUNNING, attempts=1,
                                                        heartbeat_at=timezone.now())  # fmt: skip
    assert compiling._claim(version.pk)[0] == "busy"
    version = compiling.version_compile(version_id=version.pk)  # waits about a second
    assert version.status == V.Status.DONE and version.attempts == 2


def test_a_run_that_lost_its_claim_stops_without_writing(program, media, monkeypatch):
    def taken_over(body, **kwargs):
        ReportVersion.objects.filter(pk=version.pk).update(attempts=F("attempts") + 1)  # another run took it
        return RenderedPdf(b"%PDF", None)

    monkeypatch.setattr(compiling, "body_pdf", taken_over)
    version = new_version()
    after = compiling.version_compile(version_id=version.pk)
    assert after.status == V.Status.RUNNING and after.attempts == 2  # left to the run that holds it
    assert files_in(media) == []


def test_a_version_lost_too_often_is_failed(program, media, fast):
    version = new_version()
    ReportVersion.objects.filter(pk=version.pk).update(
        status=V.Status.RUNNING, attempts=compiling.MAX_ATTEMPTS, heartbeat_at=timezone.now() - dt.timedelta(hours=1)
    )
    version = compiling.version_compile(version_id=version.pk)
    assert version.status == V.Status.FAILED and "gián đoạn 5 lần" in version.error


def test_a_transient_database_error_gives_the_version_back_for_the_retry(program, media, fast, monkeypatch):
    def down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(compiling, "figures_compute", down)
    version = new_version()
    with pytest.raises(OperationalError):
        compiling.version_compile(version_id=version.pk)
    version.refresh_from_db()
    assert (version.status, version.step, version.heartbeat_at) == (V.Status.QUEUED, V.Step.QUEUED, None)
    monkeypatch.undo()
    monkeypatch.setattr(compiling, "body_pdf", fake_pdf)
    assert compiling.version_compile(version_id=version.pk).status == V.Status.DONE
