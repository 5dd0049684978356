"""The provincial-report pages: who may compile and issue (officers), who sees drafts (officers) and issued
reports (officers and viewers), the downloads, the register of documents, the progress JSON, and the pages'
query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from documents import services as compiling
from documents.models import ReportVersion
from programs.models import ProvincialReport

pytestmark = pytest.mark.django_db
V = ReportVersion
LIST = "/reports/2018/"


def issued(version: ReportVersion) -> ReportVersion:
    return compiling.version_issue(version=version, user=User.objects.get(username="dolisa"))


def compiled(kind="six_month", status=V.Status.DONE) -> ReportVersion:
    report = ProvincialReport.objects.get(program__year=2018, kind=kind)
    version, _ = compiling.version_create(report=report, trigger=V.Trigger.COMMAND, enqueue=False)
    if status == V.Status.QUEUED:
        return version
    version = compiling.version_compile(version_id=version.pk)
    if status == V.Status.FAILED:
        ReportVersion.objects.filter(pk=version.pk).update(status=V.Status.FAILED, error="Lỗi thử")
        version.refresh_from_db()
    return version


def url(name, version, **kw):
    return reverse(f"documents:{name}", kwargs={"year": 2018, "pk": version.pk, **kw})


def test_officers_see_the_three_reports_and_may_compile(login, media):
    response = login("dolisa").get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ["quarterly", "six_month", "annual"]:
        assert f'data-testid="report-{kind}"' in html and f'data-testid="compile-{kind}"' in html
    assert "20/03/2018" in html and "20/05/2018" in html and "15/11/2018" in html and "Biên soạn ngay" in html
    assert 'data-testid="nav-reports"' in html


def test_compile_now_runs_and_shows_the_version(login, media, django_capture_on_commit_callbacks):
    client = login("dolisa")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:report_compile", kwargs={"year": 2018, "kind": "annual"}))
    version = ReportVersion.objects.get()
    assert response.status_code == 302 and response.url == url("report_version", version)
    assert (version.trigger, version.requested_by.username, version.status) == ("manual", "dolisa", "done")
    page = client.get(response.url).content.decode()
    assert 'data-testid="draft-badge"' in page and version.pdf_sha256 in page
    assert "js/report-progress.js" in page and "<script>" not in page.replace("<script src=", "")
    assert client.get(reverse("documents:report_compile", kwargs={"year": 2018, "kind": "annual"})).status_code == 405


@pytest.mark.parametrize("username,status", [("viewer", 403), ("so-y-te", 404), ("ubnd-cho-moi", 404)])
def test_others_may_not_compile(login, media, username, status):
    response = login(username).post(reverse("documents:report_compile", kwargs={"year": 2018, "kind": "annual"}))
    assert response.status_code == status
    assert not ReportVersion.objects.exists()


def test_viewers_read_issued_reports_only(login, media):
    """The People's Committee's leaders see and download issued reports; drafts, failed and queued
    compiles stay with DOLISA (404)."""
    draft = compiled("six_month")
    done = issued(compiled("quarterly"))
    failed = compiled("annual", V.Status.FAILED)
    queued = compiled("annual", V.Status.QUEUED)
    client = login("viewer")
    html = client.get(LIST).content.decode()
    assert f'data-version="{done.pk}"' in html and 'data-testid="issued-pdf"' in html
    for v in (draft, failed, queued):
        assert f'data-version="{v.pk}"' not in html
    assert "Biên soạn ngay" not in html and 'data-testid="nav-reports"' in html
    assert 'data-testid="latest-pdf"' not in html and "Dự thảo" not in html
    assert client.get(url("report_version", done)).status_code == 200
    for v in (draft, failed, queued):
        assert client.get(url("report_version", v)).status_code == 404
        assert client.get(url("report_progress", v)).status_code == 404
        assert client.get(url("report_download", v, fmt="pdf")).status_code == 404
    assert client.get(url("report_issue", draft)).status_code == 404  # a draft is not even seen
    assert (
        client.get(url("report_issue", done)).status_code == 403
        and client.post(url("report_issue", done)).status_code == 403
    )


def test_officers_download_a_draft(login, media):
    version = compiled()
    pdf = login("dolisa").get(url("report_download", version, fmt="pdf"))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content) == (media / version.pdf_path).read_bytes()
    assert 'filename="Bao-cao-6-thang-2018-du-thao-lan-1.pdf"' in pdf["Content-Disposition"]
    assert pdf["X-Content-SHA256"] == version.pdf_sha256


@pytest.mark.parametrize("username", ["dolisa", "viewer", "admin"])
def test_officers_and_viewers_download_the_issued_files(login, media, username):
    version = issued(compiled())
    client = login(username)
    pdf = client.get(url("report_download", version, fmt="pdf"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content) == (media / version.issued_pdf_path).read_bytes()
    assert 'filename="Bao-cao-6-thang-2018-so-01.pdf"' in pdf["Content-Disposition"]
    assert pdf["X-Content-SHA256"] == version.issued_pdf_sha256
    xlsx = client.get(url("report_download", version, fmt="xlsx"))
    assert xlsx.status_code == 200 and "spreadsheetml" in xlsx["Content-Type"]
    assert b"".join(xlsx.streaming_content) == (media / version.issued_xlsx_path).read_bytes()


def test_an_officer_issues_a_draft_from_its_page_after_confirming(login, media):
    """The version page offers "Ban hành…" on a draft; its page says the number it will take, and only the
    confirmed POST issues; the issued version's page shows its number and who issued it, no second issue."""
    version = compiled("quarterly")
    client = login("dolisa")
    page = client.get(url("report_version", version)).content.decode()
    assert 'data-testid="draft-badge"' in page and 'data-testid="issue-button"' in page
    confirm = client.get(url("report_issue", version)).content.decode()
    assert "01/BC-SLĐTBXH" in confirm and 'data-testid="confirm-issue"' in confirm
    assert V.objects.get(pk=version.pk).is_draft  # seeing the page issues nothing
    response = client.post(url("report_issue", version))
    assert response.status_code == 302 and response.url == url("report_version", version)
    version.refresh_from_db()
    assert version.doc_symbol == "01/BC-SLĐTBXH" and version.issued_by.username == "dolisa"
    page = client.get(response.url).content.decode()
    assert "Đã ban hành báo cáo số 01/BC-SLĐTBXH." in page and 'data-testid="issued-badge"' in page
    assert "dolisa" in page and 'data-testid="issue-button"' not in page
    again = client.post(url("report_issue", version), follow=True).content.decode()
    assert "đã được ban hành (số 01/BC-SLĐTBXH)" in again
    assert V.objects.get(pk=version.pk).doc_number == 1


def test_officers_set_the_register_and_others_may_not(login, media):
    register = reverse("documents:register", kwargs={"year": 2018})
    client = login("dolisa")
    assert client.get(register).status_code == 200
    assert client.post(register, {"year": 2018, "next_number": 42}).status_code == 302
    assert "42" in client.get(register).content.decode()
    issued(compiled("quarterly"))
    refused = client.post(register, {"year": 2018, "next_number": 40})
    assert refused.status_code == 200 and "phải lớn hơn 42" in refused.content.decode()
    for username in ("viewer", "so-y-te"):
        assert login(username).get(register).status_code == 404


@pytest.mark.parametrize("username", ["so-y-te", "ubnd-cho-moi"])
def test_reporters_see_nothing_of_the_provincial_reports(login, media, username):
    version = compiled()
    client = login(username)
    assert client.get(LIST).status_code == 404
    for name, kw in [("report_version", {}), ("report_progress", {}), ("report_download", {"fmt": "pdf"}),
                     ("report_download", {"fmt": "xlsx"})]:  # fmt: skip
        assert client.get(url(name, version, **kw)).status_code == 404
    assert 'data-testid="nav-reports"' not in client.get("/").content.decode()


def test_anonymous_users_are_sent_to_sign_in(client, program, media):
    version = compiled()
    response = client.get(url("report_download", version, fmt="pdf"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_no_file_for_unfinished_versions_unknown_formats_or_paths_outside_the_reports(login, media):
    client = login("dolisa")
    failed = compiled("quarterly", V.Status.FAILED)
    assert client.get(url("report_download", failed, fmt="pdf")).status_code == 404
    done = compiled("six_month")
    assert client.get(url("report_download", done, fmt="docx")).status_code == 404
    (media / "secret.txt").write_text("x")
    ReportVersion.objects.filter(pk=done.pk).update(pdf_path="reports/../secret.txt")
    assert client.get(url("report_download", done, fmt="pdf")).status_code == 404
    assert client.get(reverse("documents:report_download", kwargs={"year": 2019, "pk": done.pk, "fmt": "pdf"})
                      ).status_code == 404  # fmt: skip


def test_progress_json_shows_the_steps(login, media):
    version = compiled("annual", V.Status.QUEUED)
    ReportVersion.objects.filter(pk=version.pk).update(status=V.Status.RUNNING, step=V.Step.PDF, percent=25,
                                                        heartbeat_at=timezone.now())  # fmt: skip
    data = login("dolisa").get(url("report_progress", version)).json()
    assert (data["status"], data["percent"], data["finished"], data["step_label"]) == ("running", 25, False,
                                                                                       "Soạn báo cáo PDF")  # fmt: skip
    assert [s["state"] for s in data["steps"]] == ["done", "current", "pending", "pending"]
    ReportVersion.objects.filter(pk=version.pk).update(status=V.Status.FAILED, error="Lỗi ở bước PDF")
    data = login("dolisa").get(url("report_progress", version)).json()
    assert data["finished"] and data["error"] == "Lỗi ở bước PDF"


def test_list_page_query_count_does_not_grow_with_versions(login, media):
    def count(client):
        client.get(LIST)  # fills the cache of the program's structure
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST).status_code == 200
        return len(ctx)

    compiled("six_month")
    client = login("dolisa")
    before = count(client)
    issued(compiled("quarterly"))
    for kind in ["annual", "quarterly", "annual"]:
        compiled(kind)
    issued(compiled("quarterly"))
    compiled("six_month", V.Status.FAILED)
    ReportVersion.objects.filter(report__kind="annual").update(
        requested_by=User.objects.get(username="admin"), created_at=dt.datetime(2018, 5, 1, tzinfo=dt.UTC)
    )
    after = count(client)
    assert after == before, (before, after)
    assert after <= 10


def test_the_compile_buttons_are_disabled_while_a_compile_runs(login, media):
    """While a version is queued or running, "Biên soạn ngay" (list) and "Biên soạn lại" (its page) cannot be
    pressed; the list links to the progress instead. Once it is done, both are live again."""
    import re

    client = login("dolisa")
    version = compiled("annual", V.Status.QUEUED)

    def buttons() -> tuple[str, str]:
        listed = re.search(r'<button[^>]*data-testid="compile-annual"[^>]*>', client.get(LIST).content.decode())
        own = re.search(
            r'<button[^>]*data-testid="recompile"[^>]*>', client.get(version.get_absolute_url()).content.decode()
        )
        return listed.group(0), own.group(0)

    listed, own = buttons()
    assert " disabled" in listed and " disabled" in own
    assert 'data-testid="compiling-annual"' in client.get(LIST).content.decode()
    compiling.version_compile(version_id=version.pk)
    listed, own = buttons()
    assert " disabled" not in listed and " disabled" not in own
