"""The review workflow of reporting.services: draft → submitted → returned → resubmitted → accepted, each
step recorded and shown; what may not be sent or decided; save and submit as one action. The services' other
rules: test_services_deadlines.py, _concurrency (no lost updates), _save_rows, _warnings, _data_version."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from reporting import services
from reporting.forms import SubmissionForm
from reporting.models import Submission, Transition
from tests.reporting.helpers import fill_indicators, make_submission, post_data, spec_for, url_for

pytestmark = pytest.mark.django_db


def test_full_cycle_with_every_transition_recorded(login, program, clock, client):
    reporter = login("ubnd-cho-moi")
    url = url_for("ubnd-cho-moi")
    data = post_data("ubnd-cho-moi", **fill_indicators("ubnd-cho-moi", num=40, den=50), action="save")
    response = reporter.post(url, data)
    assert response.status_code == 302
    sub = Submission.objects.get(agency__code="ubnd-cho-moi", quarter__number=1)
    assert sub.status == "draft" and sub.version == 1

    reporter.post(url, post_data("ubnd-cho-moi", action="submit"))
    sub.refresh_from_db()
    assert sub.status == "submitted" and sub.first_submitted_at and sub.days_late == 0

    officer = login("dolisa", c=client.__class__())
    officer.post(url_for("ubnd-cho-moi", review=True), {"action": "return", "comment": "Mẫu số mục tiêu 3 chưa đúng."})
    sub.refresh_from_db()
    assert sub.status == "returned"

    ind = next(iter(fill_indicators("ubnd-cho-moi")))  # the first indicator's numerator field
    reporter.post(url, post_data("ubnd-cho-moi", **{ind: "45"}, action="submit"))
    sub.refresh_from_db()
    assert sub.status == "resubmitted"

    officer.post(url_for("ubnd-cho-moi", review=True), {"action": "accept", "comment": ""})
    sub.refresh_from_db()
    assert sub.status == "accepted"

    steps = list(Transition.objects.filter(submission=sub).values_list("action", "from_status", "to_status"))
    assert steps == [
        ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"),
        ("resubmit", "returned", "resubmitted"),
        ("accept", "resubmitted", "accepted"),
    ]
    page = officer.get(url).content.decode()
    assert "Mẫu số mục tiêu 3 chưa đúng." in page
    assert 'data-testid="history"' in page
    history = officer.get(url).context["history"]
    changed = [c for c in history if c.field == "tử số" and c.old == "40" and c.new == "45"]
    assert changed and changed[0].user == "ubnd-cho-moi"


def test_return_needs_a_comment(login, program, clock):
    sub = make_submission("ubnd-an-phu", status="submitted")
    response = login("dolisa").post(url_for("ubnd-an-phu", review=True), {"action": "return", "comment": " "})
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.status == "submitted"


def test_cannot_accept_a_draft(login, program, clock):
    sub = make_submission("ubnd-an-phu", status="draft")
    login("dolisa").post(url_for("ubnd-an-phu", review=True), {"action": "accept"})
    sub.refresh_from_db()
    assert sub.status == "draft"


def test_submit_requires_every_indicator(login, program, clock):
    reporter = login("ubnd-phu-tan")
    response = reporter.post(url_for("ubnd-phu-tan"), post_data("ubnd-phu-tan", action="submit"))
    assert response.status_code == 200
    assert "Chưa thể gửi: còn thiếu chỉ số 1" in response.content.decode()
    assert not Submission.objects.filter(agency__code="ubnd-phu-tan").exists()


def test_provincial_agency_submits_without_indicators(login, program, clock):
    reporter = login("so-y-te")
    response = reporter.post(url_for("so-y-te"), post_data("so-y-te", action="submit"))
    assert response.status_code == 302
    assert Submission.objects.get(agency__code="so-y-te").status == "submitted"


def test_save_and_submit_is_one_action(program, clock):
    """The form's "send" saves and sends in one service: a report that cannot be sent (an indicator
    missing) keeps its stored values and version; a complete one is saved and sent."""
    code = "ubnd-an-phu"
    sub = make_submission(code)
    spec, user = spec_for(code), User.objects.get(username=code)
    first = spec.indicators[0].pk

    def cleaned(**overrides):
        form = SubmissionForm(post_data(code, **overrides), spec=spec)
        assert form.is_valid(), form.errors
        return form.cleaned_data

    incomplete = cleaned(**{f"ind-{first}-num": None, f"ind-{first}-den": None}, difficulties="Thiếu cán bộ")
    version = sub.version
    with pytest.raises(ValidationError):
        services.submission_save_and_submit(
            submission=sub, user=user, spec=spec, data=incomplete, expected_version=sub.version
        )
    stored = Submission.objects.get(pk=sub.pk)
    assert (stored.version, stored.difficulties, stored.status) == (version, "", "draft")
    assert stored.indicator_values.filter(indicator_id=first, numerator__isnull=False).exists()

    stored = Submission.objects.select_related("agency", "quarter").get(pk=sub.pk)
    saved = services.submission_save_and_submit(
        submission=stored, user=user, spec=spec, data=cleaned(difficulties="Thiếu cán bộ"),
        expected_version=stored.version,
    )  # fmt: skip
    stored = Submission.objects.get(pk=sub.pk)
    assert saved.changed == 1 and (stored.difficulties, stored.status) == ("Thiếu cán bộ", "submitted")
