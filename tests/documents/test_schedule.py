"""The daily job of the reports (documents.schedule), at night: each report compiled on the night after its
agencies' deadline (the last of its quarters'), once, caught up after a missed night, and again after a
report of one of its quarters is accepted later than its compile; stalled compiles queued again."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from documents import services as compiling
from documents import tasks
from documents.models import ReportVersion
from documents.pdf import RenderedPdf
from documents.schedule import daily_run
from programs.models import Agency, ProvincialReport, Quarter
from reporting.models import Submission
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
V = ReportVersion


@pytest.fixture
def night(settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """night("2018-03-21") runs the daily job as Celery beat does, at 00:30 that night; its compiles run
    eagerly."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(compiling, "body_pdf", lambda body, **kw: RenderedPdf(b"%PDF-1.7 fake", None))

    def run(iso: str, time: dt.time = dt.time(0, 30)):
        settings.PORTAL_CLOCK_TODAY = iso
        at = dt.datetime.combine(dt.date.fromisoformat(iso), time, tzinfo=TZ)
        with django_capture_on_commit_callbacks(execute=True):
            return daily_run(at=at)

    return run


def versions(kind: str | None = None) -> list[ReportVersion]:
    qs = ReportVersion.objects.select_related("report").order_by("report__pk", "number")
    return list(qs.filter(report__kind=kind) if kind else qs)


def accepted(code: str, quarter: int, at: dt.datetime) -> Submission:
    """An agency's report of a quarter, accepted at `at`."""
    return SubmissionFactory(agency=Agency.objects.get(code=code), status=Submission.Status.ACCEPTED, reviewed_at=at,
                             quarter=Quarter.objects.get(program__year=2018, number=quarter))  # fmt: skip


def test_each_report_is_compiled_on_the_night_its_agencies_deadline_passes(program, night):
    """20/03 (Q1), 20/05 (the six-month report, Q2) and 15/11 (the annual, Q4; Q3 has no deadline): nothing
    on the deadline day itself, one scheduled draft on the night after, and nothing more when run again."""
    assert night("2018-03-20", dt.time(23, 59)).compiled == []  # the deadline day: agencies may still send
    assert len(night("2018-03-21").compiled) == 1
    [version] = versions()
    assert (version.report.kind, version.trigger, version.status) == ("quarterly", V.Trigger.SCHEDULED, V.Status.DONE)
    assert version.is_draft and version.created_at == dt.datetime(2018, 3, 21, 0, 30, tzinfo=TZ)
    assert night("2018-03-21").compiled == [] and night("2018-03-22").compiled == []
    assert night("2018-05-20").compiled == [] and len(night("2018-05-21").compiled) == 1
    assert night("2018-11-15").compiled == [] and len(night("2018-11-16").compiled) == 1
    assert [(v.report.kind, v.trigger) for v in versions()] == [
        ("quarterly", V.Trigger.SCHEDULED), ("six_month", V.Trigger.SCHEDULED), ("annual", V.Trigger.SCHEDULED)
    ]  # fmt: skip


def test_a_missed_night_is_caught_up_the_next_day(program, night):
    """The worker was down on the night of 20/05: on 22/05 the six-month report (and the quarterly one,
    never compiled) are compiled."""
    result = night("2018-05-22")
    assert sorted(v.report.kind for v in versions()) == ["quarterly", "six_month"]
    assert len(result.compiled) == 2 and all(v.status == V.Status.DONE for v in versions())


def test_a_report_compiled_by_hand_counts_only_once_its_deadline_has_passed(program, night):
    """A compile asked for before the deadline (figures not all in) does not stand in for the night's;
    one asked for after it does."""
    officer = User.objects.get(username="dolisa")
    report = ProvincialReport.objects.get(program=program, kind="quarterly")
    early, _ = compiling.version_create(report=report, trigger=V.Trigger.MANUAL, user=officer, enqueue=False,
                                        at=dt.datetime(2018, 3, 15, 9, tzinfo=TZ))  # fmt: skip
    compiling.version_compile(version_id=early.pk)
    assert len(night("2018-03-21").compiled) == 1
    six = ProvincialReport.objects.get(program=program, kind="six_month")
    late, _ = compiling.version_create(report=six, trigger=V.Trigger.MANUAL, user=officer, enqueue=False,
                                       at=dt.datetime(2018, 5, 21, 7, tzinfo=TZ))  # fmt: skip
    compiling.version_compile(version_id=late.pk)
    assert night("2018-05-22").compiled == []
    assert [v.trigger for v in versions()] == [V.Trigger.MANUAL, V.Trigger.SCHEDULED, V.Trigger.MANUAL]


def test_a_report_is_compiled_again_after_a_late_report_is_accepted(program, night):
    """Tri Tôn's Q1 report, accepted on 26/03 after the quarterly report was compiled on the night of 20/03,
    changes its figures: the next night compiles a new draft (of the quarterly report only: the six-month one
    is not due yet), once. An acceptance before the compile changes nothing."""
    accepted("ubnd-an-phu", 1, dt.datetime(2018, 3, 19, 15, tzinfo=TZ))
    night("2018-03-21")
    assert night("2018-03-22").compiled == []
    accepted("ubnd-tri-ton", 1, dt.datetime(2018, 3, 26, 10, tzinfo=TZ))
    result = night("2018-03-27")
    assert [(v.number, v.trigger) for v in versions("quarterly")] == [(1, V.Trigger.SCHEDULED), (2, V.Trigger.LATE)]
    assert result.compiled == [versions("quarterly")[1].pk] and versions("six_month") == []
    assert night("2018-03-28").compiled == []
    # On 21/05 the six-month report is compiled once (its figures hold Tri Tôn's report already).
    assert [v.report.kind for v in ReportVersion.objects.filter(pk__in=night("2018-05-21").compiled)] == ["six_month"]


def test_a_report_whose_closing_quarter_has_no_deadline_waits(program, night):
    """With Q4's deadline cleared the annual report is not dated, and waits (the others are compiled);
    once DOLISA sets one, it is compiled the night after."""
    Quarter.objects.filter(program=program, number=4).update(entry_deadline=None)
    assert len(night("2018-12-31").compiled) == 2 and versions("annual") == []
    Quarter.objects.filter(program=program, number=4).update(entry_deadline=dt.date(2019, 1, 10))
    assert night("2019-01-10").compiled == [] and versions("annual") == []
    night("2019-01-11")
    assert [v.trigger for v in versions("annual")] == [V.Trigger.SCHEDULED]


def test_a_third_quarter_deadline_set_after_the_fourth_moves_the_annual_compile(program, night):
    """The agencies' deadline of a report is the last among its quarters': Q3 set to 20/11 by DOLISA."""
    Quarter.objects.filter(program=program, number=3).update(entry_deadline=dt.date(2018, 11, 20))
    night("2018-11-16")
    assert versions("annual") == []
    night("2018-11-21")
    assert len(versions("annual")) == 1


def test_a_failed_scheduled_compile_is_tried_again_the_next_night(program, night, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(compiling, "annex_workbook", broken)
    night("2018-03-21")
    [failed] = versions()
    assert failed.status == V.Status.FAILED and "font missing" in failed.error
    monkeypatch.setattr(compiling, "annex_workbook", lambda **kw: b"PK fake")
    night("2018-03-22")
    assert [(v.number, v.status) for v in versions()] == [(1, "failed"), (2, "done")]


def test_a_compile_whose_message_was_lost_is_queued_again(program, night):
    r = ProvincialReport.objects.get(program=program, kind="six_month")
    stuck = ReportVersion.objects.create(report=r, number=1, trigger=V.Trigger.MANUAL,
                                         created_at=dt.datetime(2018, 5, 10, 8, tzinfo=TZ))  # fmt: skip
    result = night("2018-05-11")
    assert result.requeued == [stuck.pk]
    stuck.refresh_from_db()
    assert stuck.status == V.Status.DONE


def test_the_daily_task_runs_the_job_at_night(program, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_CLOCK_TODAY = "2018-11-20"
    monkeypatch.setattr(compiling, "body_pdf", lambda body, **kw: RenderedPdf(b"%PDF-1.7 fake", None))
    result = tasks.daily.delay().get()
    assert len(result["compiled"]) == 3
    job = settings.CELERY_BEAT_SCHEDULE["documents-daily"]
    assert job["task"] == "documents.tasks.daily" and (job["schedule"].hour, job["schedule"].minute) == ({0}, {30})
