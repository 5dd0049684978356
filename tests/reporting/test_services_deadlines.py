"""The deadline rules of the services and the scoping selectors, on the decision's dates (VIII.1: Q1 by 20/03):
drafts any time up to the deadline day; locked from the next day unless DOLISA reopens; late submissions
marked with their days late; a quarter without a deadline (Q3) never locked nor late."""

import datetime as dt

import pytest

from programs.models import Quarter
from programs.services import quarter_update
from reporting.models import Submission
from tests.reporting.helpers import fill_indicators, make_submission, post_data, url_for

pytestmark = pytest.mark.django_db
AGENCY = "ubnd-thoai-son"


def test_a_q1_report_sent_on_20_03_is_on_time_and_unlocked(login, program, clock):
    """20/03 is the decision's Q1 deadline: that day the form is open and a report sent is on time."""
    clock("2018-03-20")
    c = login(AGENCY)
    page = c.get(url_for(AGENCY)).content.decode()
    assert 'data-testid="lock"' not in page and "Lưu nháp" in page
    assert 'data-testid="deadline">20/03/2018<' in page and "còn 0 ngày" in page
    c.post(url_for(AGENCY), post_data(AGENCY, **fill_indicators(AGENCY), action="submit"))
    sub = Submission.objects.get(agency__code=AGENCY)
    assert sub.status == "submitted" and sub.days_late == 0


def test_on_21_03_a_q1_report_is_locked_and_one_day_late(login, program, clock, client):
    """From 21/03 the agency cannot change its Q1 draft; reopened by DOLISA, what it sends that day is one
    day late."""
    make_submission(AGENCY)
    clock("2018-03-21")
    c = login(AGENCY)
    page = c.get(url_for(AGENCY)).content.decode()
    assert "Đã quá hạn nhập số liệu (20/03/2018)" in page and "Lưu nháp" not in page
    response = c.post(url_for(AGENCY), post_data(AGENCY, difficulties="muộn", action="save"))
    assert response.status_code == 403
    assert Submission.objects.get(agency__code=AGENCY).difficulties == ""
    login("dolisa", c=client.__class__()).post(
        url_for(AGENCY, review=True), {"action": "reopen", "until": "2018-03-23"}
    )
    assert c.post(url_for(AGENCY), post_data(AGENCY, action="submit")).status_code == 302
    sub = Submission.objects.get(agency__code=AGENCY)
    assert (sub.status, sub.days_late) == ("submitted", 1)


def test_q3_is_never_late_while_it_has_no_deadline(login, program, clock):
    """The decision dates no Q3 report: on 31/12 the Q3 form is still open, says "chưa quy định hạn", and a
    report sent then is on time; once DOLISA sets a deadline, the day after it locks the form."""
    clock("2018-12-31")
    c = login(AGENCY)
    page = c.get(url_for(AGENCY, quarter=3)).content.decode()
    assert 'data-testid="deadline">chưa quy định hạn<' in page and 'data-testid="lock"' not in page
    c.post(url_for(AGENCY, quarter=3), post_data(AGENCY, 3, **fill_indicators(AGENCY, 3), action="submit"))
    sub = Submission.objects.get(agency__code=AGENCY, quarter__number=3)
    assert sub.status == "submitted" and sub.days_late == 0
    q3 = Quarter.objects.get(program=program, number=3)
    quarter_update(quarter=q3, start=q3.start, end=q3.end, entry_deadline=dt.date(2018, 10, 20))
    assert (
        "Đã quá hạn nhập số liệu (20/10/2018)" in login("ubnd-cho-moi").get(url_for("ubnd-cho-moi", 3)).content.decode()
    )


def test_reopen_lets_the_agency_submit_late_and_marks_the_days(login, program, clock, client):
    make_submission(AGENCY)
    clock("2018-03-24")
    officer = login("dolisa")
    officer.post(url_for(AGENCY, review=True), {"action": "reopen", "until": "2018-03-30", "comment": "Gia hạn"})
    sub = Submission.objects.get(agency__code=AGENCY)
    assert sub.reopened_until == dt.date(2018, 3, 30)

    reporter = login(AGENCY, c=client.__class__())
    response = reporter.post(url_for(AGENCY), post_data(AGENCY, action="submit"))
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "submitted"
    assert sub.days_late == 4  # 21, 22, 23, 24 March
    assert "trễ 4 ngày" in officer.get(url_for(AGENCY)).content.decode()

    clock("2018-03-31")  # after the reopening ends, locked again
    sub.status = "draft"
    sub.save()
    assert reporter.post(url_for(AGENCY), post_data(AGENCY, action="save")).status_code == 403


def test_reopening_an_agency_that_never_started(login, program, clock):
    clock("2018-03-25")
    login("dolisa").post(url_for("hoi-bao-tro", review=True), {"action": "reopen", "until": "2018-03-27"})
    sub = Submission.objects.get(agency__code="hoi-bao-tro")
    assert sub.status == "draft" and sub.reopened_until == dt.date(2018, 3, 27)


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
    clock("2018-03-23")
    login("dolisa").post(url_for(AGENCY, review=True), {"action": "return", "comment": "Bổ sung"})
    sub = Submission.objects.get(agency__code=AGENCY)
    assert sub.status == "returned" and sub.reopened_until == dt.date(2018, 3, 30)


def test_accepted_report_reopened_goes_back_to_the_agency(login, program, clock):
    make_submission(AGENCY, status="accepted")
    clock("2018-04-02")
    login("dolisa").post(url_for(AGENCY, review=True), {"action": "reopen", "until": "2018-04-10"})
    assert Submission.objects.get(agency__code=AGENCY).status == "returned"
