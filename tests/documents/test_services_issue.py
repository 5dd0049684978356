"""Draft, issued, signed (documents.services.version_issue): a compiled version is a draft ("DỰ THẢO" on every
page, no number); issuing takes the register's next number, the date and the signer, makes the PDF again
without the mark, signs it when a certificate is configured, and never changes it after; issuing another
version takes a new number and marks the earlier one replaced; a failed issue takes no number."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.models import User
from documents import services
from documents.models import DocumentRegister, ReportVersion

from .helpers import compiled, files_in, pdf_text, sha256, signature_status, signing_certificate, squash

pytestmark = pytest.mark.django_db
V = ReportVersion


@pytest.fixture
def officer() -> User:
    return User.objects.get(username="dolisa")


def page_texts(data: bytes) -> list[str]:
    return [squash(page) for page in pdf_text(data).split("\f") if page.strip()]


def test_a_draft_carries_du_thao_on_every_page_and_no_number(program, media):
    """Every page of a compiled version's PDF, portrait and landscape, says "DỰ THẢO"; its number and its
    day and month are blank (only the year is printed); its annex says it is a draft."""
    version = compiled("six_month")
    data = (media / version.pdf_path).read_bytes()
    pages = page_texts(data)
    assert len(pages) == len(PdfReader(io.BytesIO(data)).pages) > 3
    assert all("DỰ THẢO" in page for page in pages)
    first = pages[0]
    assert "Số: /BC-SLĐTBXH" in first and "An Giang, ngày tháng năm 2018" in first
    assert "/BC-SLĐTBXH" in first and not any(f"{n:02d}/BC-SLĐTBXH" in " ".join(pages) for n in range(1, 100))
    annex = load_workbook(media / version.xlsx_path)
    assert "dự thảo" in annex.worksheets[0]["A1"].value
    assert version.doc_number is None and not DocumentRegister.objects.exists()


def test_issuing_takes_the_registers_next_number_date_and_signer(program, media, officer, settings):
    """DOLISA has numbered 41 reports of 2018 by hand: it sets the register to 42; issuing takes 42 (the
    register moves on to 43), prints "Số: 42/BC-SLĐTBXH", the date of issue and the signer, without
    "DỰ THẢO", and the annex names the number; who issued it and when is in the history."""
    settings.PORTAL_REPORT_SIGNER_NAME = "Trần Thị Mai"
    settings.PORTAL_REPORT_SIGNER_TITLE = "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    version = compiled("six_month")
    draft_sha = version.pdf_sha256
    services.register_update(year=2018, next_number=42, user=officer)

    issued = services.version_issue(version=version, user=officer)

    assert (issued.doc_symbol, issued.issued_on, issued.doc_year) == ("42/BC-SLĐTBXH", dt.date(2018, 5, 20), 2018)
    assert DocumentRegister.objects.get(year=2018, kind="BC").next_number == 43
    assert (issued.issued_by, issued.signer_name, issued.signed) == (officer, "Trần Thị Mai", False)
    data = (media / issued.issued_pdf_path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == issued.issued_pdf_sha256 and len(data) == issued.issued_pdf_size
    pages = page_texts(data)
    assert not any("DỰ THẢO" in page for page in pages)
    assert "Số: 42/BC-SLĐTBXH" in pages[0] and "An Giang, ngày 20 tháng 5 năm 2018" in pages[0]
    text = " ".join(pages)
    assert "KT. GIÁM ĐỐC" in text and "PHÓ GIÁM ĐỐC" in text and "Trần Thị Mai" in text
    assert "(Kèm theo Báo cáo số 42/BC-SLĐTBXH ngày 20/05/2018 của Sở Lao động - Thương binh và Xã hội)" in text
    annex = load_workbook(media / issued.issued_xlsx_path)
    assert annex.worksheets[0]["A1"].value == "Phụ lục số liệu Báo cáo số 42/BC-SLĐTBXH ngày 20/05/2018"
    assert (media / issued.pdf_path).is_file() and sha256(media / issued.pdf_path) == draft_sha  # the draft kept
    record = issued.history.first()
    assert (record.doc_number, record.history_user) == (42, officer)


def test_an_issued_version_is_never_changed_nor_issued_again_under_its_number(program, media, officer):
    """Issuing it again is refused and takes no number; the database refuses a second version with its
    number, and an issued version that loses its number or files."""
    version = services.version_issue(version=compiled("quarterly"), user=officer)
    assert version.doc_symbol == "01/BC-SLĐTBXH"
    with pytest.raises(ValidationError) as refused:
        services.version_issue(version=version, user=officer)
    assert refused.value.code == "issued"
    assert DocumentRegister.objects.get(year=2018).next_number == 2
    with pytest.raises(IntegrityError), transaction.atomic():
        V.objects.filter(pk=version.pk).update(doc_number=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        V.objects.filter(pk=version.pk).update(issued_pdf_sha256="")
    other = compiled("six_month")
    with pytest.raises(IntegrityError), transaction.atomic():
        V.objects.filter(pk=other.pk).update(
            doc_province=program.province, doc_year=2018, doc_number=1, issued_on=dt.date(2018, 5, 20),
            issued_at=version.issued_at,
            issued_pdf_sha256="x", issued_xlsx_sha256="x",
        )  # fmt: skip
    assert sha256(media / version.issued_pdf_path) == version.issued_pdf_sha256


def test_issuing_a_new_version_takes_a_new_number_and_marks_the_earlier_replaced(program, media, officer):
    first = services.version_issue(version=compiled("quarterly"), user=officer)
    second = services.version_issue(version=compiled("quarterly"), user=officer)
    first.refresh_from_db()
    assert (first.doc_symbol, second.doc_symbol) == ("01/BC-SLĐTBXH", "02/BC-SLĐTBXH")
    assert first.replaced_by == second and first.replaced_at == second.issued_at and second.replaced_by is None
    assert sha256(media / first.issued_pdf_path) == first.issued_pdf_sha256  # its file unchanged
    assert first.history.first().replaced_by_id == second.pk


def test_a_failed_issue_takes_no_number_and_leaves_no_file(program, media, officer, monkeypatch):
    """The annex cannot be written: nothing is issued, the register keeps its number, no issued file stays."""
    version = compiled("quarterly")
    before = files_in(media)

    def broken(*args, **kwargs):
        raise OSError("đĩa đầy")

    monkeypatch.setattr(services, "annex_issued", broken)
    with pytest.raises(OSError):
        services.version_issue(version=version, user=officer)
    version.refresh_from_db()
    assert version.is_draft and files_in(media) == before
    assert not DocumentRegister.objects.filter(year=2018, next_number__gt=1).exists()
    monkeypatch.undo()
    assert services.version_issue(version=version, user=officer).doc_number == 1  # the number was not used up


def test_an_issue_whose_number_was_taken_meanwhile_runs_again_with_the_next(program, media, officer, monkeypatch):
    """Another issue moved the register between this one's reading and its move (the version check fails):
    this issue runs again and takes the next number; no number is skipped."""
    version = compiled("quarterly")
    real = services.register_number_take
    calls = []

    def raced(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:  # the version check failed: the other issue took number 1
            raise services.NumberTaken(2018, "BC", 1)
        return real(**kwargs)

    def other_issue_commits(seconds):  # while this issue waits to run again
        DocumentRegister.objects.filter(year=2018).update(next_number=2)

    DocumentRegister.objects.create(province=program.province, year=2018, kind="BC", next_number=1)
    monkeypatch.setattr(services, "register_number_take", raced)
    monkeypatch.setattr(services.time, "sleep", other_issue_commits)
    assert services.version_issue(version=version, user=officer).doc_number == 2
    assert len(calls) == 2 and DocumentRegister.objects.get(year=2018).next_number == 3


def test_the_register_never_goes_back_to_a_number_issued(program, media, officer):
    services.register_update(year=2018, next_number=7, user=officer)
    services.version_issue(version=compiled("quarterly"), user=officer)
    with pytest.raises(ValidationError) as refused:
        services.register_update(year=2018, next_number=7, user=officer)
    assert "lớn hơn 7" in refused.value.messages[0]
    assert services.register_update(year=2018, next_number=20, user=officer).next_number == 20
    assert services.register_update(year=2019, next_number=1, user=officer).next_number == 1


def test_only_officers_issue_or_set_the_register(program, media):
    version = compiled("quarterly")
    for username in ("viewer", "so-y-te"):
        user = User.objects.get(username=username)
        with pytest.raises(PermissionDenied):
            services.version_issue(version=version, user=user)
        with pytest.raises(PermissionDenied):
            services.register_update(year=2018, next_number=5, user=user)
    assert V.objects.get(pk=version.pk).is_draft


def test_a_signed_report_validates_and_its_signed_bytes_are_the_stored_file(program, media, officer, settings,
                                                                           tmp_path):  # fmt: skip
    """With a certificate from a throwaway CA configured, the issued PDF is signed (PAdES): pyHanko's validator,
    trusting that CA, finds the signature intact, valid and trusted over the entire stored file, whose SHA-256
    is the version's; the signature is visible in the signature block, naming the signer and the agency."""
    cert = signing_certificate(tmp_path)
    settings.PORTAL_SIGNING_P12, settings.PORTAL_SIGNING_P12_PASSWORD = str(cert.p12), cert.password
    settings.PORTAL_REPORT_SIGNER_NAME = "Nguyễn Văn Bình"
    version = services.version_issue(version=compiled("six_month"), user=officer)

    stored = (media / version.issued_pdf_path).read_bytes()
    assert version.signed and hashlib.sha256(stored).hexdigest() == version.issued_pdf_sha256
    signature, status = signature_status(stored, ca_der=cert.ca_der)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"  # nothing written after signing: the signed bytes are the file's
    assert status.signing_cert.subject.native["common_name"] == cert.subject
    assert signature.signed_data is not None and signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    widget = signature.sig_field["/Kids"][0] if "/Kids" in signature.sig_field else signature.sig_field
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    assert x2 - x1 > 100 and y2 - y1 > 40 and "/AP" in widget  # a visible box, with its appearance
    appearance = widget["/AP"]["/N"].get_object().data.decode("latin-1")
    assert "Tj" in appearance or "TJ" in appearance
    assert "Nguyễn Văn Bình" in " ".join(page_texts(stored))  # the name printed under the signature


def test_a_wrong_certificate_password_issues_nothing(program, media, officer, settings, tmp_path):
    cert = signing_certificate(tmp_path)
    settings.PORTAL_SIGNING_P12, settings.PORTAL_SIGNING_P12_PASSWORD = str(cert.p12), "sai"
    version = compiled("quarterly")
    with pytest.raises(Exception):  # noqa: B017, PT011 - pyHanko or the portal refuses, either way nothing issued
        services.version_issue(version=version, user=officer)
    assert V.objects.get(pk=version.pk).is_draft and not DocumentRegister.objects.filter(next_number__gt=1).exists()


@pytest.mark.django_db(transaction=True)
def test_two_officers_issuing_at_once_take_two_consecutive_numbers_on_postgresql(media, settings):
    """Two threads issue two drafts at the same moment: numbers 1 and 2, each once (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("real concurrency needs PostgreSQL; SQLite serialises writers")
    from tests.helpers import ensure_program

    ensure_program()
    officer = User.objects.get(username="dolisa")
    drafts = [compiled("quarterly"), compiled("six_month")]
    barrier, numbers = threading.Barrier(2), []

    def issue(version):
        from django.db import connections

        try:
            barrier.wait()
            numbers.append(services.version_issue(version=version, user=officer).doc_number)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(v,)) for v in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == [1, 2] and DocumentRegister.objects.get(year=2018).next_number == 3
