"""Security: sign-in lockout, session limits, sign-out, the content security policy, the admin for
administrators only, security events in the log, uploads refused or kept safely, spreadsheet
formulas neutralised."""

import io
import logging
import re
import time

import openpyxl
import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from accounts.models import User
from core.spreadsheet import csv_bytes, safe_text
from reporting.models import WorkbookUpload
from tests.reporting.helpers import make_submission

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# ------------------------------------------------------------------------------------------------
# Lockout (django-axes)
# ------------------------------------------------------------------------------------------------
def test_five_failures_lock_the_username_and_address_for_15_minutes(program, demo_password, caplog):
    c = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(4):
        assert attempt(c, "dolisa", "sai-mat-khau").status_code == 200
    caplog.set_level(logging.INFO, logger="portal.security")
    locked = attempt(c, "dolisa", "sai-mat-khau")
    assert locked.status_code == 429
    assert "tạm thời bị khóa đăng nhập trong 15 phút" in locked.content.decode()
    assert "event=lockout user=dolisa ip=10.0.0.7" in caplog.text
    # even the right password is refused while locked
    assert attempt(c, "dolisa", demo_password).status_code == 429
    # another username from the same address, and the same username from elsewhere, are not locked
    assert attempt(c, "viewer", demo_password).status_code == 302
    assert attempt(Client(REMOTE_ADDR="10.0.0.8"), "dolisa", demo_password).status_code == 302
    # 15 minutes later the lock is over
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time.replace(year=2000))
    assert attempt(c, "dolisa", demo_password).status_code == 302


@override_settings(PORTAL_PROXY_COUNT=1)
def test_behind_the_proxy_the_real_client_address_is_locked(program, demo_password):
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(5):
        attempt(proxy, "dolisa", "sai", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert attempt(proxy, "dolisa", demo_password, HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # a forged address the client put in front does not help it: the proxy's entry is the last one
    forged = "198.51.100.1, 203.0.113.5"
    assert attempt(proxy, "dolisa", demo_password, HTTP_X_FORWARDED_FOR=forged).status_code == 429
    # another client behind the same proxy is not locked out
    assert attempt(proxy, "dolisa", demo_password, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 302


def test_short_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("an-giang-18")  # 11 characters
    validate_password("an-giang-2018-bvcste")


# ------------------------------------------------------------------------------------------------
# Sessions
# ------------------------------------------------------------------------------------------------
def signed_in(program, demo_password) -> Client:
    c = Client()
    assert attempt(c, "dolisa", demo_password).status_code == 302
    return c


def age_session(c: Client, *, seen: float = 0, started: float = 0) -> None:
    session = c.session
    session["portal_seen"] -= seen
    session["portal_started"] -= started
    session.save()


def test_session_ends_after_30_minutes_idle(program, demo_password):
    c = signed_in(program, demo_password)
    age_session(c, seen=29 * 60, started=29 * 60)
    assert c.get("/").status_code == 200
    age_session(c, seen=31 * 60)
    response = c.get("/programs/2018/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert c.get("/").status_code == 302
    follow = c.get(LOGIN)
    assert "Phiên làm việc đã hết hạn" in follow.content.decode()


def test_session_ends_after_12_hours_even_when_active(program, demo_password):
    c = signed_in(program, demo_password)
    age_session(c, started=12 * 3600 + 1)
    assert c.get("/").status_code == 302


def test_activity_moves_the_idle_clock(program, demo_password):
    c = signed_in(program, demo_password)
    age_session(c, seen=20 * 60)
    assert c.get("/").status_code == 200
    assert time.time() - c.session["portal_seen"] < 5


def test_sign_out_ends_the_session(program, demo_password):
    c = signed_in(program, demo_password)
    key = c.session.session_key
    assert c.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    stolen = Client()
    stolen.cookies["sessionid"] = key
    assert stolen.get("/").status_code == 302


# ------------------------------------------------------------------------------------------------
# Headers, admin
# ------------------------------------------------------------------------------------------------
def test_content_security_policy_forbids_inline_script(login):
    response = login("dolisa").get("/dashboard/2018/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    body = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)", body), "inline script on the page"
    assert " onclick=" not in body and " style=" not in body


def test_admin_is_for_administrators_only(login, program):
    assert login("admin").get("/admin/").status_code == 200
    staff = User.objects.get(username="dolisa")
    staff.is_staff = True  # a staff flag alone does not open the admin
    staff.save()
    assert login("dolisa").get("/admin/").status_code == 302


# ------------------------------------------------------------------------------------------------
# Security events
# ------------------------------------------------------------------------------------------------
def test_security_events_are_logged(program, demo_password, login, caplog, clock):
    caplog.set_level(logging.INFO, logger="portal.security")
    c = Client(REMOTE_ADDR="10.1.1.1")
    attempt(c, "viewer", "sai-mat-khau")
    attempt(c, "viewer", demo_password)
    c.post("/accounts/logout/")
    login("so-y-te").get("/submissions/2018/q1/ubnd-cho-moi/")  # another agency's report: denied
    login("viewer").get("/programs/2018/calendar/quarters/1/")  # 403
    officer = User.objects.get(username="dolisa")
    officer.groups.clear()
    text = caplog.text
    assert "event=login_failed user=viewer ip=10.1.1.1" in text
    assert "event=login user=viewer ip=10.1.1.1" in text
    assert "event=logout user=viewer" in text
    assert "event=denied user=so-y-te" in text and "submission:ubnd-cho-moi:q1" in text
    assert "event=denied user=viewer" in text
    assert "event=role_change" in text and "target=dolisa action=clear" in text


def test_report_downloads_are_logged(program, login, caplog, settings, tmp_path):
    from documents.services import version_compile, version_create, version_issue
    from programs.models import ProvincialReport

    settings.MEDIA_ROOT = tmp_path
    caplog.set_level(logging.INFO, logger="portal.security")
    report = ProvincialReport.objects.get(program=program, kind="quarterly")
    version, _ = version_create(report=report, trigger="command")
    version_issue(version=version_compile(version_id=version.pk), user=User.objects.get(username="dolisa"))
    url = reverse("documents:report_download", kwargs={"year": 2018, "pk": version.pk, "fmt": "pdf"})
    assert login("viewer").get(url).status_code == 200
    assert "event=report_download user=viewer" in caplog.text and f"version={version.pk}" in caplog.text


# ------------------------------------------------------------------------------------------------
# Uploads
# ------------------------------------------------------------------------------------------------
OWN = "ubnd-cho-moi"


def upload_url():
    return reverse("reporting:workbook_upload", kwargs={"year": 2018, "quarter": 1, "code": OWN})


def workbook_bytes(client) -> bytes:
    url = reverse("reporting:workbook_download", kwargs={"year": 2018, "quarter": 1, "code": OWN})
    return client.get(url).content


def raw_multipart(filename: str, content: bytes) -> tuple[bytes, str]:
    boundary = "----portalboundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="book"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def draft(program, clock):
    return make_submission(OWN)


def test_upload_with_a_path_in_its_name_is_refused(draft, login):
    c = login(OWN)
    body, content_type = raw_multipart("../../etc/bao-cao.xlsx", workbook_bytes(c))
    response = c.post(upload_url(), data=body, content_type=content_type)
    assert response.status_code == 200
    assert "tên tệp không được chứa đường dẫn" in response.content.decode()
    assert not WorkbookUpload.objects.exists()
    body, content_type = raw_multipart("C:\\Users\\x\\bao-cao.xlsx", workbook_bytes(c))
    assert (
        "tên tệp không được chứa đường dẫn"
        in c.post(upload_url(), data=body, content_type=content_type).content.decode()
    )


def test_upload_too_big_is_refused_before_it_is_read(draft, login, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 1024
    c = login(OWN)
    body, content_type = raw_multipart("bao-cao.xlsx", b"PK\x03\x04" + b"0" * 200_000)
    response = c.post(upload_url(), data=body, content_type=content_type)
    assert "Tệp quá lớn" in response.content.decode()


def test_upload_type_is_checked_by_content_not_name(draft, login):
    c = login(OWN)
    pdf = SimpleUploadedFile("bao-cao.xlsx", b"%PDF-1.7\n1 0 obj\n", content_type="application/vnd.ms-excel")
    response = c.post(upload_url(), {"book": pdf})
    assert "Tệp không phải tệp Excel .xlsx hợp lệ" in response.content.decode()


def test_accepted_upload_is_kept_under_a_random_name_and_served_with_access_checks(draft, login, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = login(OWN)
    content = workbook_bytes(c)
    book = SimpleUploadedFile("Báo cáo quý 1.xlsx", content, content_type="application/octet-stream")
    assert c.post(upload_url(), {"book": book}).status_code == 302
    upload = WorkbookUpload.objects.get()
    assert re.fullmatch(r"uploads/[0-9a-f]{32}\.xlsx", upload.file.name)
    assert upload.original_name == "Báo cáo quý 1.xlsx" and upload.size == len(content)
    url = reverse("reporting:workbook_upload_file", kwargs={"year": 2018, "quarter": 1, "code": OWN, "pk": upload.pk})
    assert c.get(url).status_code == 200
    assert login("dolisa").get(url).status_code == 200
    assert login("so-y-te").get(url).status_code == 404
    assert login("viewer").get(url).status_code == 404
    assert not (tmp_path / "static").exists()


# ------------------------------------------------------------------------------------------------
# Formulas in exported cells
# ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_formula_like_text_is_neutralised(text):
    import csv

    assert safe_text(text) == "'" + text
    assert safe_text("An toàn") == "An toàn" and safe_text(-5) == -5
    rows = list(csv.reader(io.StringIO(csv_bytes(["a"], [[text]]).decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["'" + text]


def test_exports_neutralise_an_agencys_formula(program, login, clock):
    """An agency's text that a spreadsheet would run as a formula stays text in every export."""
    import datetime as dt

    from dashboards.figures import cut_report, figures_compute
    from documents.annex import annex_workbook
    from programs.models import ProvincialReport

    formula = "=cmd|' /C calc'!A0"
    sub = make_submission("so-y-te", status="accepted")
    sub.difficulties = formula
    sub.save()

    def strings(xlsx: bytes) -> list[str]:
        wb = openpyxl.load_workbook(io.BytesIO(xlsx))
        return [c.value for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]

    dashboard = strings(login("dolisa").get("/dashboard/2018/export.xlsx?cut=quarter&quarter=1").content)
    report = ProvincialReport.objects.get(program=program, kind="quarterly")
    annex = strings(
        annex_workbook(
            report=report,
            figures=figures_compute(cut=cut_report(report=report)),
            as_of=dt.date(2018, 3, 21),
        )
    )
    csv_text = login("dolisa").get("/dashboard/2018/export.csv?cut=quarter&quarter=1&table=accounts").content
    for values in (dashboard, annex):
        assert "'" + formula in values
        assert not any(v.startswith(("=", "+", "@")) for v in values)
    assert ("'" + formula).encode() in csv_text
