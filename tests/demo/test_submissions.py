"""The demo's Q1 and Q2 2018 submissions (demo.submissions): loaded once for this module, inside a
transaction rolled back at its end, and checked against the story the demo tells."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import F

from demo import submissions as demo_module
from demo.submissions import DEMO_TODAY, RETURN_COMMENT, demo_submissions_create
from programs.selectors import program_agencies
from reporting.fields import initial_from
from reporting.forms import SubmissionForm
from reporting.models import ActivityProgress, CommuneStatus, IndicatorValue, OutputProgress, Submission, Transition
from reporting.selectors import form_spec, submission_values
from reporting.services import change_warnings
from tests.helpers import ensure_program, rolled_back
from tests.reporting.helpers import post_data

pytestmark = pytest.mark.django_db
S = Submission.Status


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Generate the demo once for every test of this module; undone afterwards."""
    with rolled_back(django_db_blocker):
        program = ensure_program()
        yield {"created": demo_submissions_create(program=program)}


def _subs(quarter: int | None = None):
    qs = Submission.objects.select_related("agency", "quarter")
    return qs.filter(quarter__number=quarter) if quarter else qs


def _fingerprint() -> list[tuple]:
    """What the demo contains, independent of primary keys."""
    rows = []
    for s in _subs().order_by("quarter__number", "agency__order"):
        values = submission_values(submission=s)
        rows.append(
            (
                s.agency.code, s.quarter.number, s.status, s.days_late, s.first_submitted_at, s.reopened_until,
                s.district_budget, s.communes_checked, s.difficulties,
                sorted((v.indicator_id, v.numerator, v.denominator) for v in values.indicators.values()),
                sorted((v.commune_id, v.safe_home_pilot, v.safe_home_full, v.child_friendly, v.budget)
                       for v in values.communes.values()),
                sorted((v.activity_id, v.status, v.children_boys, v.children_girls, v.money_spent, v.account)
                       for v in values.activities.values()),
                sorted((v.output_id, v.quantity) for v in values.outputs.values()),
                list(s.transitions.order_by("at", "pk").values_list("action", "at", "comment", "actor__username")),
            )
        )  # fmt: skip
    return rows


def test_every_agency_has_a_q1_and_a_q2_demo_submission(demo, program):
    agencies = list(program_agencies(program=program))
    assert len(agencies) == 26
    assert demo["created"] == 52
    for agency in agencies:
        assert sorted(_subs().filter(agency=agency).values_list("quarter__number", flat=True)) == [1, 2]
    assert _subs().count() == 52
    assert not _subs().filter(is_demo=False).exists()
    assert not Submission.history.filter(is_demo=False).exists()


def test_everything_happens_in_2018_before_the_demo_day(demo):
    cutoff = dt.datetime.combine(DEMO_TODAY, dt.time.min, tzinfo=demo_module.TZ)
    times = list(Transition.objects.values_list("at", flat=True))
    times += [t for s in _subs() for t in (s.created_at, s.first_submitted_at, s.reviewed_at) if t]
    times += list(Submission.history.values_list("history_date", flat=True))
    times += list(IndicatorValue.history.values_list("history_date", flat=True))
    assert times and all(dt.datetime(2018, 2, 1, tzinfo=demo_module.TZ) <= t < cutoff for t in times)
    for s in _subs():
        steps = list(s.transitions.order_by("at", "pk").values_list("actor__username", "action"))
        for user, action in steps:
            assert user == ("dolisa" if action in ("accept", "return", "reopen") else s.agency.code)


def test_q1_all_submitted_some_late_after_a_reopen_most_accepted(demo):
    """Q1's deadline is the decision's 20/03 (VIII.1): the late reports were sent 1 to 7 days after it, after
    DOLISA reopened them; DOLISA reviewed Q1 between 21/03 and 30/03."""
    q1 = list(_subs(1))
    assert all(s.first_submitted_at is not None for s in q1)
    late = [s for s in q1 if s.days_late]
    assert 3 <= len(late) <= 7 and all(1 <= s.days_late <= 7 for s in late)
    assert len(q1) - len(late) >= 18
    for s in late:
        actions = list(s.transitions.order_by("at", "pk").values_list("action", flat=True))
        assert actions[:2] == ["reopen", "submit"]
        assert s.first_submitted_at.astimezone(demo_module.TZ).date() == dt.date(2018, 3, 20 + s.days_late)
    for s in q1:
        if s.days_late == 0:
            assert s.first_submitted_at.astimezone(demo_module.TZ).date() <= dt.date(2018, 3, 20)
    accepted = [s for s in q1 if s.status == S.ACCEPTED]
    assert len(accepted) >= 20
    for s in accepted:
        assert dt.date(2018, 3, 21) <= s.reviewed_at.astimezone(demo_module.TZ).date() <= dt.date(2018, 3, 30)


def test_exactly_one_report_is_returned_with_dolisas_comment(demo):
    returned = list(_subs().filter(status=S.RETURNED))
    assert len(returned) == 1
    sub = returned[0]
    assert (sub.agency.code, sub.quarter.number) == ("ubnd-tri-ton", 1)
    step = Transition.objects.get(submission=sub, action=Transition.Action.RETURN)
    assert step.comment == RETURN_COMMENT and step.actor.username == "dolisa"
    # returned after the deadline: the service gave the agency seven days, long past on the demo day
    assert sub.reopened_until == step.at.astimezone(demo_module.TZ).date() + dt.timedelta(days=7)
    assert sub.reopened_until < DEMO_TODAY


def test_q2_as_of_the_demo_day_has_reports_waiting_and_drafts(demo):
    statuses = list(_subs(2).values_list("status", flat=True))
    assert statuses.count(S.SUBMITTED) >= 5
    assert 1 <= statuses.count(S.ACCEPTED) <= 6
    assert statuses.count(S.DRAFT) >= 5
    drafts = list(_subs(2).filter(status=S.DRAFT))
    assert all(IndicatorValue.objects.filter(submission=s).exists() or s.activity_progress.exists() for s in drafts)
    partly = 0
    for s in drafts:
        spec = form_spec(agency=s.agency, quarter=s.quarter)
        values = submission_values(submission=s)
        missing = len(spec.indicators) - len(values.indicators) + len(spec.activities) - len(values.activities)
        partly += missing > 0
    assert partly == len(drafts)


def test_no_numerator_exceeds_its_denominator_and_values_are_plausible(demo):
    values = IndicatorValue.objects.select_related("indicator__target")
    assert values.exists()
    assert not values.filter(numerator__gt=F("denominator")).exists()
    for v in values:
        share = v.numerator / v.denominator
        assert (0.7 if v.indicator.target.number == 4 else 0.8) <= share <= 1, v
    money = [m for m in ActivityProgress.objects.values_list("money_spent", flat=True) if m is not None]
    assert money and all(m % 500_000 == 0 and 2_500_000 <= m <= 80_000_000 for m in money)
    assert ActivityProgress.objects.exclude(account="").count() >= 100


def test_the_districts_story(demo, program):
    """Q1: An Phú and Tri Tôn below the district budget floor, a few of Tịnh Biên's communes below the floor per
    commune (every other commune at or above it, every commune's budget reported), Châu Thành with no commune at
    100% Safe Home, about 12 collaborators per commune; Q2: only Châu Phú's figures jump by more than half,
    explained."""
    q1 = list(_subs(1).filter(agency__kind="district"))
    floor = program.district_budget_floor
    assert sorted(s.agency.code for s in q1 if s.district_budget < floor) == ["ubnd-an-phu", "ubnd-tri-ton"]
    per_commune = program.commune_budget_floor
    budgets = CommuneStatus.objects.filter(submission__in=q1, budget__isnull=False)
    assert budgets.count() == 156
    below = {(cs.submission.agency.code, cs.budget) for cs in budgets.select_related("submission__agency")
             if cs.budget < per_commune}  # fmt: skip
    assert {code for code, _amount in below} == {"ubnd-tinh-bien"} and 2 <= len(below) <= 3
    assert all(s.communes_checked for s in q1)
    rate = OutputProgress.objects.filter(submission__in=q1, output__aggregation="per_commune")
    assert rate.count() == 11 and 10 <= sum(rate.values_list("quantity", flat=True)) / 156 <= 14
    full = {s.agency.code: CommuneStatus.objects.filter(submission=s, safe_home_full=True).count() for s in q1}
    assert [code for code, n in full.items() if n == 0] == ["ubnd-chau-thanh"]
    assert all(n <= 2 for n in full.values())
    # one district's Q2 figures jump by more than half, explained; no other report raises the warning
    warned = {}
    for s in _subs(2):
        spec = form_spec(agency=s.agency, quarter=s.quarter)
        data = initial_from(spec=spec, values=submission_values(submission=s), submission=s)
        if change_warnings(submission=s, spec=spec, data=data):
            warned[s.agency.code] = s
    assert list(warned) == ["ubnd-chau-phu"]
    assert warned["ubnd-chau-phu"].status == S.SUBMITTED and warned["ubnd-chau-phu"].change_explanation


def test_stored_values_pass_the_real_form(demo):
    for s in _subs():
        form = SubmissionForm(
            post_data(s.agency.code, s.quarter.number), spec=form_spec(agency=s.agency, quarter=s.quarter)
        )
        assert form.is_valid(), (s.agency.code, s.quarter.number, form.errors)


def test_a_second_call_creates_nothing(demo, program, monkeypatch):
    # the synthetic provinces (demo.provinces) are left out here: their own test loads them twice
    monkeypatch.setattr("demo.management.commands.setup_demo.SYNTHETIC", ())
    before = _fingerprint()
    assert demo_submissions_create(program=program) == 0
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    assert "Demo submissions: 0 created" in out.getvalue()
    assert _fingerprint() == before


def test_same_demo_whatever_the_clock_at_call_time(demo, program, settings):
    before = _fingerprint()
    Submission.objects.all().delete()  # undone with the test's transaction
    settings.PORTAL_CLOCK_TODAY = "2031-07-01"
    assert demo_submissions_create(program=program) == 52
    assert _fingerprint() == before


def test_the_readme_says_which_accounts_have_a_q2_draft_to_try(demo):
    """The README's table of demo accounts names, for each reporter, the state of its Q2 report in the demo."""
    import re

    from django.conf import settings

    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Demo accounts", 1)[1].split("\n\n## ", 1)[0]
    said: dict[str, str] = {}
    for line in table.splitlines():
        cells = line.split("|")
        if len(cells) < 4:
            continue
        state = next((s for s, words in (("draft", "a Q2 draft"), ("submitted", "Q2 sent"),
                                         ("accepted", "Q2 already accepted")) if words in cells[3]), None)  # fmt: skip
        if state:
            said.update(dict.fromkeys(re.findall(r"`([a-z0-9-]+)`", cells[1]), state))
    actual = {s.agency.code: s.status for s in _subs(2)}
    assert said == actual
    tri_ton = _subs(1).get(agency__code="ubnd-tri-ton")
    assert tri_ton.status == S.RETURNED and "returned by DOLISA after the deadline" in table
