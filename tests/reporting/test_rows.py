"""reporting.rows reads a submission's stored rows with raw SQL: it answers exactly what Django's own
`Model.objects.filter(submission=...).values()` answers, booleans included (SQLite stores 0 and 1)."""

from __future__ import annotations

import pytest

from accounts.models import User
from reporting import services
from reporting.fields import act_field, commune_field, out_field
from reporting.forms import SubmissionForm
from reporting.models import ActivityProgress, CommuneStatus, IndicatorValue, OutputProgress, Submission
from reporting.rows import stored_rows
from tests.reporting.helpers import fill_indicators, make_submission, post_data, spec_for

pytestmark = pytest.mark.django_db
KEYS = [
    (IndicatorValue, "indicator_id"),
    (CommuneStatus, "commune_id"),
    (ActivityProgress, "activity_id"),
    (OutputProgress, "output_id"),
]


def django_rows(model, submission: Submission, key: str) -> dict:
    return {row[key]: row for row in model.objects.filter(submission=submission).values()}


@pytest.fixture
def filled(program, clock) -> Submission:
    """A district's draft with every kind of row: numbers, ticks (some on, some off), texts and nulls."""
    code = "ubnd-cho-moi"
    spec = spec_for(code)
    item = next(i for i in spec.activities if i.outputs)
    a = item.activity.pk
    overrides = {
        **fill_indicators(code, num=7, den=9),
        **{commune_field(c.pk, "safe_home_pilot"): "on" for c in spec.communes[:3]},
        commune_field(spec.communes[0].pk, "child_friendly"): "on",
        act_field(a, "status"): "done", act_field(a, "girls"): "4", act_field(a, "account"): "Đã làm",
        out_field(item.outputs[0].pk): "12",
    }  # fmt: skip
    form = SubmissionForm(post_data(code, **overrides), spec=spec)
    assert form.is_valid(), form.errors
    new = Submission(agency_id=spec.agency.pk, quarter_id=spec.quarter.pk, version=0)
    user = User.objects.get(username=code)
    return services.submission_save(
        submission=new, user=user, spec=spec, data=form.cleaned_data, expected_version=0
    ).submission


@pytest.mark.parametrize(("model", "key"), KEYS, ids=[m.__name__ for m, _k in KEYS])
def test_the_raw_read_equals_djangos_values(filled, model, key):
    mine = stored_rows(model, submission_id=filled.pk, key=key)
    assert mine, f"the fixture has no {model.__name__} rows"
    theirs = django_rows(model, filled, key)
    assert mine == theirs
    for row, expected in zip(mine.values(), theirs.values(), strict=True):
        assert {k: type(v) for k, v in row.items()} == {k: type(v) for k, v in expected.items()}


def test_booleans_come_back_as_booleans(filled):
    rows = stored_rows(CommuneStatus, submission_id=filled.pk, key="commune_id")
    flags = {value for row in rows.values() for name, value in row.items() if name.startswith(("safe", "child"))}
    assert flags == {True, False}


def test_another_submissions_rows_are_not_read(filled, program, clock):
    other = make_submission("ubnd-an-phu", num=1, den=2)
    mine = stored_rows(IndicatorValue, submission_id=filled.pk, key="indicator_id")
    assert {row["submission_id"] for row in mine.values()} == {filled.pk}
    assert stored_rows(IndicatorValue, submission_id=other.pk, key="indicator_id").keys() == mine.keys()
    assert stored_rows(IndicatorValue, submission_id=0, key="indicator_id") == {}
