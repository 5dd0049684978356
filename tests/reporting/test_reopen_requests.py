"""Requests to reopen a locked report: the agency asks with a reason, DOLISA grants (with a date) or refuses
(with a reason) in one click; both sides are e-mailed, the page shows it, and it is all in the history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from reporting import services
from reporting.models import ReopenRequest, Submission, Transition
from tests.reporting.helpers import make_submission, post_data, url_for

pytestmark = pytest.mark.django_db
AGENCY = "ubnd-tri-ton"


def ask_url(code: str = AGENCY, quarter: int = 1) -> str:
    return reverse("reporting:reopen_request", kwargs={"year": 2018, "quarter": quarter, "code": code})


def decide_url(pk: int) -> str:
    return reverse("reporting:reopen_decide", kwargs={"year": 2018, "pk": pk})


@pytest.fixture
def locked(clock):
    """Tri Tôn's Q1 report, returned before its deadline, and the deadline now past: locked."""
    clock("2018-03-15")
    sub = make_submission(AGENCY, status="returned")
    clock("2018-04-02")
    return sub


@pytest.fixture
def dolisa_mail(settings):
    settings.PORTAL_DOLISA_EMAIL = "bvcste@sldtbxh.angiang.gov.vn"
    User.objects.filter(username=AGENCY).update(email="tri-ton@example.vn")


def test_a_locked_reporter_sees_the_button_and_an_open_one_does_not(login, locked):
    c = login(AGENCY)
    body = c.get(url_for(AGENCY)).content.decode()
    assert 'data-testid="reopen-ask"' in body and "Đề nghị mở lại" in body
    assert 'data-testid="reopen-ask"' not in c.get(url_for(AGENCY, quarter=2)).content.decode()  # open: Q2's draft
    assert 'data-testid="reopen-ask"' not in login("dolisa").get(url_for(AGENCY)).content.decode()


def test_asking_makes_a_pending_request_in_dolisas_queue_and_mails_dolisa(
    login, locked, dolisa_mail, django_capture_on_commit_callbacks
):
    c = login(AGENCY)
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(ask_url(), {"reason": "Cần sửa mẫu số mục tiêu 3 theo số liệu BHXH."})
    assert response.status_code == 302
    req = ReopenRequest.objects.get()
    assert (req.status, req.requested_by.username) == ("pending", AGENCY)
    assert req.reason == "Cần sửa mẫu số mục tiêu 3 theo số liệu BHXH."
    assert len(mail.outbox) == 1 and "bvcste@sldtbxh.angiang.gov.vn" in mail.outbox[0].to
    assert "Tri Tôn" in mail.outbox[0].subject and "BHXH" in mail.outbox[0].body
    page = c.get(url_for(AGENCY)).content.decode()
    assert 'data-testid="reopen-pending"' in page and 'data-testid="reopen-ask"' not in page
    home = login("dolisa").get("/").content.decode()
    queue = home.split('data-testid="reopen-queue"')[1].split("</ul>")[0]
    assert "Tri Tôn" in queue and "BHXH" in queue and decide_url(req.pk) in queue


def test_asking_needs_a_reason_and_only_once(login, locked):
    c = login(AGENCY)
    c.post(ask_url(), {"reason": "  "})
    assert not ReopenRequest.objects.exists()
    c.post(ask_url(), {"reason": "Lần một"})
    response = c.post(ask_url(), {"reason": "Lần hai"}, follow=True)
    assert ReopenRequest.objects.count() == 1
    assert "Đã có đề nghị mở lại đang chờ Sở xem xét." in response.content.decode()


def test_an_open_or_sent_report_cannot_be_asked_for(login, clock):
    """Before the deadline the draft is open; a report waiting for review is not locked by a date."""
    make_submission(AGENCY)
    login(AGENCY).post(ask_url(), {"reason": "x"})
    make_submission("ubnd-an-phu", status="submitted")
    clock("2018-04-02")
    with pytest.raises(ValidationError):
        services.reopen_request_create(submission=Submission.objects.get(agency__code="ubnd-an-phu"),
                                       user=User.objects.get(username="ubnd-an-phu"), reason="x")  # fmt: skip
    assert not ReopenRequest.objects.exists()


def test_another_agency_cannot_ask_for_it(login, locked):
    assert login("ubnd-an-phu").post(ask_url(), {"reason": "x"}).status_code == 404
    assert login("viewer").post(ask_url(), {"reason": "x"}).status_code == 404
    assert not ReopenRequest.objects.exists()


def test_granting_reopens_until_the_date_and_the_reporter_edits(
    login, locked, dolisa_mail, django_capture_on_commit_callbacks
):
    login(AGENCY).post(ask_url(), {"reason": "Sửa mẫu số"})
    req = ReopenRequest.objects.get()
    officer = login("dolisa")
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(decide_url(req.pk), {"action": "grant", "until": "2018-04-09", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    req.refresh_from_db()
    sub = Submission.objects.get(pk=locked.pk)
    assert (req.status, req.until, req.decided_by.username) == ("granted", dt.date(2018, 4, 9), "dolisa")
    assert (sub.status, sub.reopened_until) == ("returned", dt.date(2018, 4, 9))
    reopen = Transition.objects.filter(submission=sub, action="reopen").get()
    assert "Sửa mẫu số" in reopen.comment
    assert "tri-ton@example.vn" in mail.outbox[-1].to and "09/04/2018" in mail.outbox[-1].subject
    assert [h.status for h in req.history.order_by("history_date", "history_id")] == ["pending", "granted"]
    reporter = login(AGENCY)
    page = reporter.get(url_for(AGENCY)).content.decode()
    assert "Lưu nháp" in page and "Sở đã đồng ý mở lại" in page
    saved = reporter.post(url_for(AGENCY), post_data(AGENCY, difficulties="Đã rà soát lại mẫu số."))
    assert saved.status_code == 302
    assert Submission.objects.get(pk=sub.pk).difficulties == "Đã rà soát lại mẫu số."


def test_refusing_needs_a_reason_and_tells_the_agency(login, locked, dolisa_mail, django_capture_on_commit_callbacks):
    login(AGENCY).post(ask_url(), {"reason": "Sửa"})
    req = ReopenRequest.objects.get()
    officer = login("dolisa")
    officer.post(decide_url(req.pk), {"action": "refuse", "comment": ""})
    assert ReopenRequest.objects.get().status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(decide_url(req.pk), {"action": "refuse", "comment": "Đã tổng hợp báo cáo quý."})
    req.refresh_from_db()
    assert (req.status, req.answer) == ("refused", "Đã tổng hợp báo cáo quý.")
    assert Submission.objects.get(pk=locked.pk).reopened_until != dt.date(2018, 4, 9)
    assert "tri-ton@example.vn" in mail.outbox[-1].to and "Đã tổng hợp báo cáo quý." in mail.outbox[-1].body
    page = login(AGENCY).get(url_for(AGENCY)).content.decode()
    assert "Sở không đồng ý mở lại" in page and "Đã tổng hợp báo cáo quý." in page
    assert 'data-testid="reopen-ask"' in page  # it may ask again


def test_a_request_is_decided_once(login, locked):
    login(AGENCY).post(ask_url(), {"reason": "Sửa"})
    req = ReopenRequest.objects.get()
    officer = User.objects.get(username="dolisa")
    services.reopen_request_refuse(request=req, user=officer, comment="Không")
    with pytest.raises(ValidationError):
        services.reopen_request_grant(request=req, user=officer, until=dt.date(2018, 4, 9))
    assert ReopenRequest.objects.get().status == "refused"
    assert not Transition.objects.filter(action="reopen").exists()


def test_only_dolisa_decides(login, locked):
    login(AGENCY).post(ask_url(), {"reason": "Sửa"})
    req = ReopenRequest.objects.get()
    for username in (AGENCY, "viewer"):
        assert login(username).post(decide_url(req.pk), {"action": "grant", "until": "2018-04-09"}).status_code == 404
    assert ReopenRequest.objects.get().status == "pending"


def test_a_never_started_report_past_its_deadline_can_be_asked_for_and_granted(login, clock):
    clock("2018-04-02")
    c = login(AGENCY)
    assert 'data-testid="reopen-ask"' in c.get(url_for(AGENCY)).content.decode()
    c.post(ask_url(), {"reason": "Chưa kịp nhập"})
    req = ReopenRequest.objects.get()
    login("dolisa").post(decide_url(req.pk), {"action": "grant", "until": "2018-04-09"})
    sub = Submission.objects.get(agency__code=AGENCY, quarter__number=1)
    assert (sub.status, sub.reopened_until) == ("draft", dt.date(2018, 4, 9))


def test_reopen_after_deadline_is_offered_only_once_the_deadline_has_passed(login, clock):
    make_submission(AGENCY, status="submitted")
    officer = login("dolisa")
    assert "Mở lại cho cơ quan chỉnh sửa sau hạn" not in officer.get(url_for(AGENCY)).content.decode()
    clock("2018-03-21")
    assert "Mở lại cho cơ quan chỉnh sửa sau hạn" in officer.get(url_for(AGENCY)).content.decode()
