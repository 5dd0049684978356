"""What the entry deadlines do to the submissions, day by day (reporting.tasks.deadlines_daily, 06:00
local time by Celery beat):

- keep `days_late` of drafts never sent up to date (days past the entry deadline), changing nothing
  else — no new version, no history record, so the agency's edits are untouched;
- e-mail a reminder to each agency that has not submitted 7, 3 and 1 days before its deadline (the
  decision's, VIII.1: Q1 20/03, six-month 20/05, annual 15/11, or one DOLISA set), once per agency,
  quarter and day (recorded in Reminder, so a rerun sends nothing twice). A quarter without a
  deadline (Q3, until DOLISA sets one) is never reminded, and its drafts are never late.

Each part is idempotent: running the job twice on a day does what running it once does. The days
themselves are counted by programs.calendar, the one place of deadline arithmetic.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from core import dataversion
from core.formatting import fmt_date
from programs import calendar
from programs.models import Agency, Program, Quarter
from programs.selectors import program_agencies

from .models import Reminder, Submission

logger = logging.getLogger(__name__)

REMINDER_DAYS = (7, 3, 1)


@dataclass
class DeadlinesResult:
    late_marked: int = 0
    reminders: list[int] = field(default_factory=list)  # the Reminder rows written

    def as_dict(self) -> dict:
        return {"late_marked": self.late_marked, "reminders": self.reminders}


def deadlines_run(*, at: dt.datetime | None = None) -> DeadlinesResult:
    """The whole daily job, as of `at` (the portal clock by default)."""
    at = at or calendar.now()
    today = timezone.localdate(at)
    result = DeadlinesResult(
        late_marked=submissions_mark_late(at=at),
        reminders=[r.pk for r in reminders_send(today=today, at=at)],
    )
    logger.info("Daily job of the deadlines for %s: %s", today, result.as_dict())
    return result


# ------------------------------------------------------------------------------------------------
# Late drafts
# ------------------------------------------------------------------------------------------------
def submissions_mark_late(*, at: dt.datetime) -> int:
    """Set `days_late` of every draft never sent to its days past the entry deadline (0 before it).
    One UPDATE per quarter, only of rows whose value changes; nothing else is touched (no version,
    no updated_at, no history record). Returns the number of rows changed."""
    changed = 0
    for quarter in Quarter.objects.filter(program__status=Program.Status.PUBLISHED).order_by("pk"):
        days = calendar.days_late(quarter.entry_deadline, at)
        n = (
            Submission.objects.filter(quarter=quarter, status=Submission.Status.DRAFT, first_submitted_at__isnull=True)
            .exclude(agency__is_requested=True)  # asked, not directed (VIII.2.10): never late
            .exclude(days_late=days)
            .update(days_late=days)
        )
        if n:
            dataversion.bump(quarter.program_id)  # an UPDATE sends no signal: cached figures move on here
        changed += n
    return changed


# ------------------------------------------------------------------------------------------------
# Reminders
# ------------------------------------------------------------------------------------------------
def reminders_send(*, today: dt.date, at: dt.datetime) -> list[Reminder]:
    """E-mail the agencies that have not submitted a quarter whose entry deadline is 7, 3 or 1 days
    away, to the agency's address and its reporters'. Each (agency, quarter, days) is sent once:
    the Reminder row is written in the same transaction as the sending, so a failed send is not
    recorded (a rerun the same day tries again) and a rerun sends nothing twice."""
    quarters = list(
        Quarter.objects.filter(entry_deadline__in=[today + dt.timedelta(days=d) for d in REMINDER_DAYS])
        .filter(program__status=Program.Status.PUBLISHED)  # a draft year asks nobody for anything
        .select_related("program")
        .order_by("entry_deadline", "pk")
    )
    if not quarters:
        return []
    connection = get_connection()
    sent: list[Reminder] = []
    for quarter in quarters:
        days = calendar.days_left(quarter.entry_deadline, today=today)
        sent += _quarter_reminders_send(quarter=quarter, days=days, at=at, connection=connection)
    return sent


def _quarter_reminders_send(*, quarter: Quarter, days: int, at: dt.datetime, connection) -> list[Reminder]:
    """The reminders of one quarter, to every agency that has not submitted it nor been reminded today."""
    agencies = list(program_agencies(program=quarter.program))
    submitted = set(
        Submission.objects.filter(quarter=quarter, first_submitted_at__isnull=False).values_list("agency_id", flat=True)
    )
    done = set(Reminder.objects.filter(quarter=quarter, days_before=days).values_list("agency_id", flat=True))
    reporters: dict[int, list[User]] = defaultdict(list)
    active = User.objects.filter(agency__in=agencies, is_active=True, groups__name=Role.REPORTER.value)
    for user in active.exclude(email=""):
        reporters[user.agency_id].append(user)
    sent = []
    for agency in agencies:
        if agency.pk in submitted or agency.pk in done:
            continue
        to = _recipients(agency, reporters.get(agency.pk, []))
        if not to:
            logger.warning("No e-mail address for %s: reminder for %s not sent", agency, quarter)
            continue
        try:
            with transaction.atomic():
                reminder = Reminder.objects.create(
                    agency=agency, quarter=quarter, days_before=days, sent_at=at, recipients=", ".join(to)
                )
                _reminder_message(agency=agency, quarter=quarter, days=days, to=to, connection=connection).send()
        except IntegrityError:  # a concurrent run sent it
            continue
        except (smtplib.SMTPException, OSError):
            logger.exception("Reminder to %s for %s not sent; the next run will retry", agency, quarter)
            continue
        sent.append(reminder)
    return sent


def _recipients(agency: Agency, reporters: list[User]) -> list[str]:
    emails = [agency.email, *(u.email for u in reporters)]
    return list(dict.fromkeys(e.strip() for e in emails if e and e.strip()))


def _reminder_message(*, agency: Agency, quarter: Quarter, days: int, to: list[str], connection) -> EmailMessage:
    with translation.override("vi"):
        program = quarter.program
        label = _("Quý %(q)s/%(y)s") % {"q": quarter.number, "y": quarter.start.year}
        deadline = fmt_date(quarter.entry_deadline)
        # The agency's form for the quarter, where its report is begun if it has none yet.
        path = Submission(agency=agency, quarter=quarter).get_absolute_url()
        base = settings.PORTAL_BASE_URL.rstrip("/")
        url = f"{base}{path}" if base else ""
        words = {"q": label, "title": program.title, "d": deadline, "n": days, "url": url}
        subject, paragraphs = (_request_words if agency.is_requested else _reminder_words)(words)
        body = "\n\n".join(
            [
                _("Kính gửi: %(a)s,") % {"a": agency.name},
                *paragraphs,
                _("Trân trọng./.\nSở Lao động – Thương binh và Xã hội tỉnh An Giang"),
                _("(Thư được gửi tự động từ Cổng báo cáo; vui lòng không trả lời thư này.)"),
            ]
        )
    return EmailMessage(subject=subject, body=body, to=to, connection=connection)


def _reminder_words(words: dict) -> tuple[str, list[str]]:
    """To an agency the decision directs to report: a reminder of its deadline."""
    subject = _("Nhắc hạn báo cáo %(q)s: còn %(n)s ngày (hạn %(d)s)") % words
    return subject, [
        _("Hạn nhập số liệu báo cáo %(q)s thực hiện %(title)s là ngày %(d)s (còn %(n)s ngày). Đến nay, "
          "Sở Lao động – Thương binh và Xã hội chưa nhận được báo cáo của đơn vị.") % words,
        _("Đề nghị đơn vị đăng nhập Cổng báo cáo, cập nhật số liệu và gửi báo cáo đúng hạn: %(url)s") % words
        if words["url"]
        else _("Đề nghị đơn vị đăng nhập Cổng báo cáo, cập nhật số liệu và gửi báo cáo đúng hạn."),
    ]  # fmt: skip


def _request_words(words: dict) -> tuple[str, list[str]]:
    """To a body the decision requests rather than directs (VIII.2.10, "Đề nghị"): a request to send
    its report, with the date, and no word of lateness."""
    subject = _("Đề nghị gửi báo cáo %(q)s (trước ngày %(d)s)") % words
    return subject, [
        _("Thực hiện %(title)s, Sở Lao động – Thương binh và Xã hội trân trọng đề nghị quý cơ quan, trong phạm vi "
          "chức năng, nhiệm vụ của mình, gửi báo cáo kết quả phối hợp thực hiện %(q)s trước ngày %(d)s để Sở tổng "
          "hợp báo cáo Ủy ban nhân dân tỉnh.") % words,
        _("Quý cơ quan có thể cập nhật số liệu và gửi báo cáo trên Cổng báo cáo: %(url)s") % words
        if words["url"]
        else _("Quý cơ quan có thể cập nhật số liệu và gửi báo cáo trên Cổng báo cáo."),
    ]  # fmt: skip
