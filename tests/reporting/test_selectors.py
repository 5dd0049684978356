"""The scoping selectors (reporting.selectors): who sees which submission, who may change it now,
who reviews it. Every view, service and the workbook ask these; tests/reporting/test_views_submissions.py
checks the same rules through the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.models import User
from reporting import selectors, services
from reporting.models import Submission
from tests.reporting.helpers import make_submission

pytestmark = pytest.mark.django_db
OWN, OTHER = "ubnd-cho-moi", "ubnd-an-phu"


@pytest.fixture
def subs(program, clock):
    """Q1: Chợ Mới's draft, An Phú's report sent, Sở Y tế's accepted."""
    return {
        "draft": make_submission(OWN),
        "submitted": make_submission(OTHER, status="submitted"),
        "accepted": make_submission("so-y-te", status="accepted"),
    }


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_only_the_agencys_own_reporter_reports_for_it(subs):
    draft = subs["draft"]
    assert selectors.reports_for_agency(user(OWN), agency_id=draft.agency_id)
    for other in (OTHER, "dolisa", "admin", "viewer"):
        assert not selectors.reports_for_agency(user(other), agency_id=draft.agency_id), other
    nobody = User.objects.create(username="no-role", agency=draft.agency)  # an agency, but no role
    assert not selectors.reports_for_agency(nobody, agency_id=draft.agency_id)


@pytest.mark.parametrize(
    ("username", "visible"),
    [
        (OWN, {"draft"}),
        (OTHER, {"submitted"}),
        ("dolisa", {"draft", "submitted", "accepted"}),
        ("admin", {"draft", "submitted", "accepted"}),
        ("viewer", {"accepted"}),
    ],
)
def test_which_submissions_each_role_sees(subs, username, visible):
    names = {pk: name for name, pk in ((n, s.pk) for n, s in subs.items())}
    seen = {names[s.pk] for s in selectors.submissions_visible_to(user(username))}
    assert seen == visible


def test_a_user_without_a_role_sees_nothing(subs):
    assert not selectors.submissions_visible_to(User.objects.create(username="no-role")).exists()


def test_the_own_reporter_edits_until_the_report_is_sent_or_the_deadline_passes(subs, clock):
    draft, submitted = subs["draft"], subs["submitted"]
    assert selectors.submission_may_edit(user(OWN), submission=draft)
    assert selectors.submission_lock_reason(draft) is None
    for other in (OTHER, "dolisa", "viewer"):
        assert not selectors.submission_may_edit(user(other), submission=draft), other
    assert not selectors.submission_may_edit(user(OTHER), submission=submitted)
    assert selectors.submission_lock_reason(submitted) == "Báo cáo đã gửi, đang chờ Sở xem xét."
    clock("2018-03-21")  # the Q1 deadline was 20/03 (VIII.1)
    assert not selectors.submission_may_edit(user(OWN), submission=draft)
    assert "Đã quá hạn nhập số liệu (20/03/2018)" in selectors.submission_lock_reason(draft)
    services.submission_reopen(submission=draft, user=user("dolisa"), until=dt.date(2018, 3, 25))
    reopened = Submission.objects.select_related("quarter").get(pk=draft.pk)
    assert selectors.submission_may_edit(user(OWN), submission=reopened)


def test_dolisa_reviews_a_report_waiting_for_it(subs):
    for username in ("dolisa", "admin"):
        assert selectors.reviews_submissions(user(username))
        assert selectors.submission_may_review(user(username), submission=subs["submitted"])
        assert not selectors.submission_may_review(user(username), submission=subs["draft"])
        assert not selectors.submission_may_review(user(username), submission=subs["accepted"])
    for username in (OTHER, "viewer"):
        assert not selectors.reviews_submissions(user(username))
        assert not selectors.submission_may_review(user(username), submission=subs["submitted"])


def test_uploaded_workbooks_are_for_dolisa_and_the_agency(subs):
    draft = subs["draft"]
    assert selectors.uploads_visible_to(user(OWN), submission=draft)
    assert selectors.uploads_visible_to(user("dolisa"), submission=draft)
    assert not selectors.uploads_visible_to(user(OTHER), submission=draft)
    assert not selectors.uploads_visible_to(user("viewer"), submission=draft)
