"""Helpers for the quarterly-progress tests (used by several apps): the clock, form data as a browser posts it."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import User
from programs.models import Agency, Quarter
from reporting import services
from reporting.fields import initial_from
from reporting.forms import SubmissionForm
from reporting.models import Submission
from reporting.selectors import form_spec, submission_values
from tests.helpers import form_post


def url_for(agency_code: str, quarter: int = 1, year: int = 2018, review: bool = False) -> str:
    name = "reporting:review" if review else "reporting:submission"
    return reverse(name, kwargs={"year": year, "quarter": quarter, "code": agency_code})


def post_data(agency_code: str, quarter: int = 1, **overrides) -> dict:
    """The form as the browser posts it with the stored values, then `overrides` (field name → text;
    None removes the field, like an unticked box)."""
    agency = Agency.objects.get(code=agency_code)
    q = Quarter.objects.get(program__year=2018, number=quarter)
    spec = form_spec(agency=agency, quarter=q)
    sub = Submission.objects.filter(agency=agency, quarter=q).first() or Submission(agency=agency, quarter=q, version=0)
    initial = initial_from(spec=spec, values=submission_values(submission=sub), submission=sub)
    data = {}
    for name, value in initial.items():
        if value is None or value is False or value == "":
            continue
        data[name] = "on" if value is True else str(value)
    return form_post(data, overrides)


def spec_for(agency_code: str, quarter: int = 1):
    return form_spec(
        agency=Agency.objects.get(code=agency_code), quarter=Quarter.objects.get(program__year=2018, number=quarter)
    )


def fill_indicators(agency_code: str, quarter: int = 1, num: int = 8, den: int = 10) -> dict:
    spec = spec_for(agency_code, quarter)
    out = {}
    for ind in spec.indicators:
        out[f"ind-{ind.pk}-num"] = str(num)
        out[f"ind-{ind.pk}-den"] = str(den)
    return out


def make_submission(agency_code: str, quarter: int = 1, status: str = "draft", num: int = 8, den: int = 10):
    """A submission brought to `status` through the services, at the current portal clock."""
    user = User.objects.get(username=agency_code)
    officer = User.objects.get(username="dolisa")
    agency = Agency.objects.get(code=agency_code)
    q = Quarter.objects.get(program__year=2018, number=quarter)
    spec = form_spec(agency=agency, quarter=q)
    form = SubmissionForm(post_data(agency_code, quarter, **fill_indicators(agency_code, quarter, num, den)), spec=spec)
    assert form.is_valid(), form.errors
    sub = Submission.objects.filter(agency=agency, quarter=q).first() or Submission(agency=agency, quarter=q, version=0)
    sub = services.submission_save(
        submission=sub, user=user, spec=spec, data=form.cleaned_data, expected_version=sub.version
    ).submission
    if status == "draft":
        return sub
    sub = services.submission_submit(submission=sub, user=user, spec=spec, expected_version=sub.version)
    if status == "submitted":
        return sub
    if status == "accepted":
        return services.submission_accept(submission=sub, user=officer)
    if status == "returned":
        return services.submission_return(submission=sub, user=officer, comment="Xem lại")
    raise ValueError(status)
