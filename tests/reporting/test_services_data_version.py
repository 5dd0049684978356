"""Every service that changes what a figure counts moves its program's data version on, in its
transaction (once, and nothing more at commit), so that the dashboard cached under it is computed again;
a save of a draft or a returned report (which no figure counts), and a write around the services, do not
(no signal moves it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from core import dataversion
from reporting import services
from reporting.models import Submission
from tests.reporting.helpers import fill_indicators, make_submission, post_data, spec_for

pytestmark = pytest.mark.django_db
AGENCY = "ubnd-an-phu"


@pytest.fixture
def moved(program, django_capture_on_commit_callbacks):
    """moved(action) runs the action and answers by how much the program's data version moved: at
    once (inside the transaction) and in all once the transaction has committed."""

    def _moved(action) -> tuple[int, int]:
        before = dataversion.version(program.pk)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            action()
        at_once = dataversion.version(program.pk) - before
        for callback in callbacks:
            callback()
        return at_once, dataversion.version(program.pk) - before

    return _moved


def cleaned(**overrides) -> dict:
    from reporting.forms import SubmissionForm

    form = SubmissionForm(post_data(AGENCY, **overrides), spec=spec_for(AGENCY))
    assert form.is_valid(), form.errors
    return form.cleaned_data


def current() -> Submission:
    return Submission.objects.select_related("quarter").get(agency__code=AGENCY, quarter__number=1)


def test_each_step_of_the_workflow_moves_the_version(program, clock, moved):
    reporter, officer = User.objects.get(username=AGENCY), User.objects.get(username="dolisa")
    spec = spec_for(AGENCY)
    first = Submission(agency_id=spec.agency.pk, quarter_id=spec.quarter.pk, version=0)

    def save(sub, **overrides):
        return services.submission_save(submission=sub, user=reporter, spec=spec, data=cleaned(**overrides),
                                        expected_version=sub.version)  # fmt: skip

    # a draft counts in no figure: saving it, even its first save, leaves the cached dashboards as they are
    assert moved(lambda: save(first, **fill_indicators(AGENCY))) == (0, 0)
    assert moved(lambda: save(current(), difficulties="Thiếu cán bộ")) == (0, 0)
    assert moved(lambda: save(current())) == (0, 0)
    steps = {
        "submit": lambda: services.submission_submit(
            submission=current(), user=reporter, spec=spec, expected_version=current().version
        ),
        "return": lambda: services.submission_return(submission=current(), user=officer, comment="Xem lại"),
        "save and submit": lambda: services.submission_save_and_submit(
            submission=current(), user=reporter, spec=spec, data=cleaned(proposals="Tập huấn"),
            expected_version=current().version,
        ),
        "accept": lambda: services.submission_accept(submission=current(), user=officer),
        "reopen": lambda: services.submission_reopen(submission=current(), user=officer, until=dt.date(2018, 3, 20)),
    }  # fmt: skip
    for name, step in steps.items():
        at_once, in_all = moved(step)
        assert at_once >= 1 and in_all == at_once, name
    assert current().status == Submission.Status.RETURNED
    assert moved(lambda: save(current(), difficulties="Đã sửa")) == (0, 0)  # returned: counted nowhere either


def test_reopening_a_report_never_started_moves_the_version(program, clock, moved):
    spec = spec_for(AGENCY)
    officer = User.objects.get(username="dolisa")
    new = Submission(agency_id=spec.agency.pk, quarter_id=spec.quarter.pk, version=0)
    assert moved(lambda: services.submission_reopen(submission=new, user=officer, until=dt.date(2018, 3, 20))) == (1, 1)


def test_a_refused_action_leaves_the_version(program, clock):
    """An action the service refuses changes nothing, the version included."""
    sub = make_submission(AGENCY)  # a draft: DOLISA cannot accept it
    before = dataversion.version(program.pk)
    with pytest.raises(ValidationError):
        services.submission_accept(submission=sub, user=User.objects.get(username="dolisa"))
    assert dataversion.version(program.pk) == before


def test_a_write_around_the_services_does_not_move_the_version(program, clock, moved):
    """No signal moves the version: whoever writes around the services moves it itself."""
    sub = make_submission(AGENCY, status="accepted", num=3, den=4)
    value = sub.indicator_values.order_by("indicator__order").first()

    def write():
        value.numerator = 1
        value.save()
        Submission.objects.filter(pk=sub.pk).update(difficulties="…")
        Submission.objects.get(pk=sub.pk).save()

    assert moved(write) == (0, 0)
