"""The daily job of the reports: due reports compiled once (and caught up after a missed day), stalled
compiles queued again."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from documents import services as compiling
from documents import tasks
from documents.models import ReportVersion
from documents.schedule import daily_run

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
V = ReportVersion


@pytest.fixture
def day(settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks):
    """day("2018-03-20") runs the daily job on that day (at 06:00), its compiles run eagerly."""
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(compiling, "report_pdf", lambda **kw: b"%PDF-1.7 fake")

    def run(iso: str):
        settings.PORTAL_CLOCK_TODAY = iso
        at = dt.datetime.combine(dt.date.fromisoformat(iso), dt.time(6), tzinfo=TZ)
        with django_capture_on_commit_callbacks(execute=True):
            return daily_run(at=at)

    return run


def versions(kind: str | None = None):
    qs = ReportVersion.objects.select_related("report")
    return list(qs.filter(report__kind=kind) if kind else qs)


def test_a_due_report_is_compiled_once_and_only_once(program, day):
    assert day("2018-03-19").compiled == []  # the day before: nothing is due
    result = day("2018-03-20")
    assert len(result.compiled) == 1
    [version] = versions()
    assert (version.report.kind, version.trigger, version.status) == ("quarterly", V.Trigger.SCHEDULED, V.Status.DONE)
    assert version.issued_on == dt.date(2018, 3, 20) and version.doc_symbol == "01/BC-SLĐTBXH"
    assert day("2018-03-20").compiled == []  # run twice: still one version
    assert day("2018-03-21").compiled == []
    assert len(versions()) == 1


def test_a_missed_day_is_caught_up_the_next_day(program, day):
    """The worker was down on 20/05: on 21/05 the six-month report (and the quarterly one, never
    compiled) are compiled."""
    result = day("2018-05-21")
    assert sorted(v.report.kind for v in versions()) == ["quarterly", "six_month"]
    assert len(result.compiled) == 2
    assert all(v.status == V.Status.DONE and v.issued_on == dt.date(2018, 5, 21) for v in versions())


def test_a_report_compiled_by_hand_is_not_compiled_again(program, day):
    officer = User.objects.get(username="dolisa")
    manual, _ = compiling.version_create(
        report=ReportVersion._meta.get_field("report").related_model.objects.get(kind="quarterly"),
        trigger=V.Trigger.MANUAL, user=officer, enqueue=False,
    )  # fmt: skip
    compiling.version_compile(version_id=manual.pk)
    assert day("2018-03-20").compiled == []
    assert [v.trigger for v in versions()] == [V.Trigger.MANUAL]


def test_a_failed_scheduled_compile_is_tried_again_the_next_day(program, day, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("font missing")

    monkeypatch.setattr(compiling, "annex_workbook", broken)
    day("2018-03-20")
    [failed] = versions()
    assert failed.status == V.Status.FAILED and "font missing" in failed.error
    monkeypatch.setattr(compiling, "annex_workbook", lambda **kw: b"PK fake")
    day("2018-03-21")
    assert [(v.number, v.status) for v in sorted(versions(), key=lambda v: v.number)] == [(1, "failed"), (2, "done")]


def test_a_compile_whose_message_was_lost_is_queued_again(program, day):
    r = ReportVersion._meta.get_field("report").related_model.objects.get(kind="six_month")
    stuck = ReportVersion.objects.create(report=r, number=1, trigger=V.Trigger.MANUAL,
                                         created_at=dt.datetime(2018, 5, 10, 8, tzinfo=TZ))  # fmt: skip
    result = day("2018-05-11")
    assert result.requeued == [stuck.pk]
    stuck.refresh_from_db()
    assert stuck.status == V.Status.DONE


def test_the_daily_task_runs_the_job(program, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_CLOCK_TODAY = "2018-11-20"
    monkeypatch.setattr(compiling, "report_pdf", lambda **kw: b"%PDF-1.7 fake")
    result = tasks.daily.delay().get()
    assert len(result["compiled"]) == 3
    assert settings.CELERY_BEAT_SCHEDULE["documents-daily"]["task"] == "documents.tasks.daily"
