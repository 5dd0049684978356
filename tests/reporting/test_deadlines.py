"""The daily job of the deadlines (reporting.deadlines): overdue drafts marked late, reminders 7, 3
and 1 days before an agency's deadline (VIII.1: Q1 20/03, Q2 20/05, Q4 15/11) to the agencies that have
not submitted; nothing for a quarter without a deadline (Q3)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User
from programs.models import Agency, Quarter
from reporting import tasks
from reporting.deadlines import deadlines_run, submissions_mark_late
from reporting.models import Reminder, Submission
from tests.factories import SubmissionFactory

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def day(settings):
    """day("2018-05-08") runs the daily job of the deadlines on that day (at 06:00)."""

    def run(iso: str):
        settings.PORTAL_CLOCK_TODAY = iso
        return deadlines_run(at=dt.datetime.combine(dt.date.fromisoformat(iso), dt.time(6), tzinfo=TZ))

    return run


def test_overdue_drafts_are_marked_late_and_nothing_else_changes(program, settings):
    q1 = Quarter.objects.get(program=program, number=1)
    draft = SubmissionFactory(agency=Agency.objects.get(code="ubnd-cho-moi"), quarter=q1, status="draft")
    sent = SubmissionFactory(agency=Agency.objects.get(code="so-y-te"), quarter=q1, status="submitted")
    before = Submission.objects.get(pk=draft.pk)
    history = draft.history.count()

    from core import dataversion as datacache

    data_version = datacache.version(program.pk)
    at = dt.datetime(2018, 3, 24, 6, tzinfo=TZ)  # 21, 22, 23 and 24 March: 4 days late
    assert submissions_mark_late(at=at) == 1
    assert datacache.version(program.pk) != data_version  # cached dashboards are computed again
    after = Submission.objects.get(pk=draft.pk)
    assert after.days_late == 4
    assert (after.status, after.version, after.updated_at, after.first_submitted_at) == (
        before.status, before.version, before.updated_at, None)  # fmt: skip
    assert draft.history.count() == history
    assert Submission.objects.get(pk=sent.pk).days_late == 0
    assert submissions_mark_late(at=at) == 0  # a rerun changes nothing
    assert submissions_mark_late(at=at + dt.timedelta(days=2)) == 1
    assert Submission.objects.get(pk=draft.pk).days_late == 6
    before_deadline = dt.datetime(2018, 3, 20, 23, 59, tzinfo=TZ)  # the deadline moved, or the clock is earlier
    submissions_mark_late(at=before_deadline)
    assert Submission.objects.get(pk=draft.pk).days_late == 0


def test_reminders_go_7_3_and_1_days_before_the_deadline_to_agencies_that_have_not_submitted(program, day, mailoutbox):
    q2 = Quarter.objects.get(program=program, number=2)  # the agencies' deadline 20/05/2018 (VIII.1)
    submitted = ["so-y-te", "ubnd-cho-moi", "ubnd-tri-ton"]
    for code in submitted:
        SubmissionFactory(agency=Agency.objects.get(code=code), quarter=q2, status="submitted")
    SubmissionFactory(agency=Agency.objects.get(code="ubnd-an-phu"), quarter=q2, status="draft")
    SubmissionFactory(agency=Agency.objects.get(code="tinh-doan"), quarter=q2, status="returned")  # it did submit
    expected = 26 - len(submitted) - 1

    sent_on = {}
    for d in range(10, 21):
        mailoutbox.clear()
        day(f"2018-05-{d:02d}")
        sent_on[d] = list(mailoutbox)
    assert {d: len(m) for d, m in sent_on.items() if m} == {13: expected, 17: expected, 19: expected}

    to = {tuple(m.to) for m in sent_on[13]}
    assert ("ubnd-an-phu@demo.angiang.gov.vn",) in to  # the agency's address and its reporter's (same here)
    for code in [*submitted, "tinh-doan"]:
        assert not any(f"{code}@" in addr for m in sent_on[13] for addr in m.to)
    an_phu = next(m for m in sent_on[13] if "ubnd-an-phu@demo.angiang.gov.vn" in m.to)
    assert an_phu.subject == "Nhắc hạn báo cáo Quý 2/2018: còn 7 ngày (hạn 20/05/2018)"
    assert "Kính gửi: Ủy ban nhân dân huyện An Phú" in an_phu.body
    assert "gửi báo cáo đúng hạn: http://127.0.0.1:8000/submissions/2018/q2/ubnd-an-phu/" in an_phu.body
    assert "còn 1 ngày" in next(m for m in sent_on[19] if "ubnd-an-phu@demo.angiang.gov.vn" in m.to).subject

    # A second run on the same day sends nothing twice; each reminder is recorded once.
    mailoutbox.clear()
    day("2018-05-13")
    assert mailoutbox == []
    assert Reminder.objects.filter(quarter=q2).count() == 3 * expected


def test_reminders_link_to_the_form_when_the_portal_address_is_known(program, day, mailoutbox, settings):
    settings.PORTAL_BASE_URL = "https://bvcste.angiang.gov.vn/"
    day("2018-05-19")
    an_phu = next(m for m in mailoutbox if "ubnd-an-phu@demo.angiang.gov.vn" in m.to)
    assert "https://bvcste.angiang.gov.vn/submissions/2018/q2/ubnd-an-phu/" in an_phu.body


def test_reminders_reach_every_reporter_of_the_agency(program, day, mailoutbox):
    agency = Agency.objects.get(code="so-tu-phap")
    agency.email = "stp@angiang.gov.vn"
    agency.save(update_fields=["email"])
    colleague = User.objects.create(username="stp-2", email="can.bo@stp.angiang.gov.vn", agency=agency)
    colleague.groups.add(User.objects.get(username="so-tu-phap").groups.first())
    User.objects.create(username="stp-off", email="old@stp.angiang.gov.vn", agency=agency, is_active=False)
    day("2018-05-13")
    [mail] = [m for m in mailoutbox if "stp@angiang.gov.vn" in m.to]
    assert sorted(mail.to) == sorted(["stp@angiang.gov.vn", "so-tu-phap@demo.angiang.gov.vn",
                                      "can.bo@stp.angiang.gov.vn"])  # fmt: skip


def test_reminders_go_before_the_decisions_dates_and_never_for_a_quarter_without_one(program, day, mailoutbox):
    """Q1: 13, 17 and 19 March; Q4: 8, 12 and 14 November; Q3, without a deadline, never; a Q3 draft is never
    marked late. (The bodies the decision only requests get their "Đề nghị gửi báo cáo" mail on the same days.)"""
    q3 = Quarter.objects.get(program=program, number=3)
    draft = SubmissionFactory(agency=Agency.objects.get(code="ubnd-cho-moi"), quarter=q3, status="draft")
    days = {}
    for iso in ("2018-03-13", "2018-03-17", "2018-03-19", "2018-03-20", "2018-11-08", "2018-11-12", "2018-11-14",
                "2018-11-15", "2018-09-30", "2018-12-31"):  # fmt: skip
        mailoutbox.clear()
        day(iso)
        days[iso] = {m.subject.split(":")[0] for m in mailoutbox if m.subject.startswith("Nhắc hạn")}
    assert days == {
        "2018-03-13": {"Nhắc hạn báo cáo Quý 1/2018"}, "2018-03-17": {"Nhắc hạn báo cáo Quý 1/2018"},
        "2018-03-19": {"Nhắc hạn báo cáo Quý 1/2018"}, "2018-03-20": set(),
        "2018-11-08": {"Nhắc hạn báo cáo Quý 4/2018"}, "2018-11-12": {"Nhắc hạn báo cáo Quý 4/2018"},
        "2018-11-14": {"Nhắc hạn báo cáo Quý 4/2018"}, "2018-11-15": set(), "2018-09-30": set(), "2018-12-31": set(),
    }  # fmt: skip
    assert not Reminder.objects.filter(quarter=q3).exists()
    assert Submission.objects.get(pk=draft.pk).days_late == 0


def test_the_daily_task_runs_the_job_and_beat_runs_it_every_morning(program, settings, mailoutbox):
    settings.PORTAL_CLOCK_TODAY = "2018-05-13"  # 7 days before the Q2 deadline
    q1 = Quarter.objects.get(program=program, number=1)
    SubmissionFactory(agency=Agency.objects.get(code="ubnd-cho-moi"), quarter=q1, status="draft")
    result = tasks.deadlines_daily.delay().get()
    assert result["late_marked"] == 1 and len(result["reminders"]) == len(mailoutbox) == 26
    entry = settings.CELERY_BEAT_SCHEDULE["reporting-deadlines"]
    assert entry["task"] == "reporting.tasks.deadlines_daily"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({6}, {0})


def test_a_requested_body_is_asked_not_reminded(program, day, mailoutbox):
    """The bodies VIII.2.10 requests ("Đề nghị ...") get a request to send their report, with the date and no
    word of lateness; the departments and districts get the reminder of their deadline."""
    q2 = Quarter.objects.get(program=program, number=2)
    day((q2.entry_deadline - dt.timedelta(days=7)).isoformat())
    front = next(m for m in mailoutbox if "mttq-tinh@demo.angiang.gov.vn" in m.to)
    deadline = q2.entry_deadline.strftime("%d/%m/%Y")
    assert front.subject == f"Đề nghị gửi báo cáo Quý 2/2018 (trước ngày {deadline})"
    assert "trân trọng đề nghị quý cơ quan, trong phạm vi chức năng, nhiệm vụ của mình, gửi báo cáo" in front.body
    assert "Nhắc hạn" not in front.subject and "còn 7 ngày" not in front.subject and "đúng hạn" not in front.body
    health = next(m for m in mailoutbox if "so-y-te@demo.angiang.gov.vn" in m.to)
    assert health.subject.startswith("Nhắc hạn báo cáo Quý 2/2018: còn 7 ngày")


def test_a_requested_body_is_never_marked_late(program, settings):
    """A draft of a requested body past the deadline keeps 0 days late; so does its report sent after it."""
    q1 = Quarter.objects.get(program=program, number=1)
    draft = SubmissionFactory(agency=Agency.objects.get(code="toa-an-tinh"), quarter=q1, status="draft")
    district = SubmissionFactory(agency=Agency.objects.get(code="ubnd-cho-moi"), quarter=q1, status="draft")
    at = dt.datetime.combine(q1.entry_deadline + dt.timedelta(days=4), dt.time(6), tzinfo=TZ)
    submissions_mark_late(at=at)
    assert Submission.objects.get(pk=draft.pk).days_late == 0
    assert Submission.objects.get(pk=district.pk).days_late == 4
