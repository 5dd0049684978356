"""The deadline rules of the services and the scoping selectors: drafts any time before the entry deadline;
locked after it unless DOLISA reopens; late submissions marked with their days late."""

import datetime as dt

import pytest

from reporting.models import Submission
from tests.reporting.helpers import fill_indicators, make_submission, post_data, url_for

pytestmark = pytest.mark.django_db
AGENCY = "ubnd-thoai-son"


def test_after_the_deadline_the_agency_cannot_change_it(login, program, clock):
    make_submission(AGENCY)
    clock("2018-03-16")  # Q1 deadline was 15/03
    c = login(AGENCY)
    page = c.get(url_for(AGENCY))
    assert "Đã quá hạn nhập số liệu (15/03/2018)" in page.content.decode()
    assert "Lưu nháp" not in page.content.decode()
    response = c.post(url_for(AGENCY), post_data(AGENCY, difficulties="muộn", action="save"))
    assert response.status_code == 403
    assert Submission.objects.get(agency__code=AGENCY).difficulties == ""


def test_the_deadline_day_itself_is_on_time(login, program, clock):
    clock("2018-03-15")
    c = login(AGENCY)
    c.post(url_for(AGENCY), post_data(AGENCY, **fill_indicators(AGENCY), action="submit"))
    sub = Submission.objects.get(agency__code=AGENCY)
    assert sub.status == "submitted" and sub.days_late == 0


def test_reopen_lets_the_agency_submit_late_and_marks_the_days(login, program, clock, client):
    make_submission(AGENCY)
    clock("2018-03-19")
    officer = login("dolisa")
    officer.post(url_for(AGENCY, review=True), {"action": "reopen", "until": "2018-03-25", "comment": "Gia hạn"})
    sub = Submission.objects.get(agency__code=AGENCY)
    assert sub.reopened_until == dt.date(2018, 3, 25)

    reporter = login(AGENCY, c=client.__class__())
    response = reporter.post(url_for(AGENCY), post_data(AGENCY, action="submit"))
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "submitted"
    assert sub.days_late == 4  # 16, 17, 18, 19 March
    assert "trễ 4 ngày" in officer.get(url_for(AGENCY)).content.decode()

    clock("2018-03-26")  # after the reopening ends, locked again
    sub.status = "draft"
    sub.save()
    assert reporter.post(url_for(AGENCY), post_data(AGENCY, action="save")).status_code == 403


def test_reopening_an_agency_that_never_started(login, program, clock):
    clock("2018-03-20")
    login("dolisa").post(url_for("hoi-bao-tro", review=True), {"action": "reopen", "until": "2018-03-22"})
    sub = Submission.objects.get(agency__code="hoi-bao-tro")
    assert sub.status == "draft" and sub.reopened_until == dt.date(2018, 3, 22)


def test_reopen_date_in_the_past_is_refused(login, program, clock):
    make_submission(AGENCY)
    clock("2018-03-20")
    response = login("dolisa").post(
        url_for(AGENCY, review=True), {"action": "reopen", "until": "2018-03-01"}, follow=True
    )
    assert "Ngày mở lại phải từ hôm nay trở đi." in response.content.decode()
    assert Submission.objects.get(agency__code=AGENCY).reopened_until is None


def test_returned_after_the_deadline_gets_a_week(login, program, clock):
    make_submission(AGENCY, status="submitted")
    clock("2018-03-18")
    login("dolisa").post(url_for(AGENCY, review=True), {"action": "return", "comment": "Bổ sung"})
    sub = Submission.objects.get(agency__code=AGENCY)
    assert sub.status == "returned" and sub.reopened_until == dt.date(2018, 3, 25)


def test_accepted_report_reopened_goes_back_to_the_agency(login, program, clock):
    make_submission(AGENCY, status="accepted")
    clock("2018-04-02")
    login("dolisa").post(url_for(AGENCY, review=True), {"action": "reopen", "until": "2018-04-10"})
    assert Submission.objects.get(agency__code=AGENCY).status == "returned"
