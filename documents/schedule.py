"""The daily job (documents.tasks.daily, 06:00 local time by Celery beat), scheduled from the data:

- queue again versions whose compile seems lost (still queued an hour after, or running without a
  heartbeat);
- compile every provincial report whose due date has come and that has no compiled version yet (none
  done, queued or running): a day the worker was down is caught up the next day;
- keep `days_late` of drafts never sent up to date (days past the entry deadline), changing nothing
  else — no new version, no history record, so the agency's edits are untouched;
- e-mail a reminder to each agency that has not submitted 7, 3 and 1 days before an entry deadline,
  once per agency, quarter and day (recorded in Reminder, so a rerun sends nothing twice).

Each part is idempotent: running the job twice on a day does what running it once does.
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
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from core import dataversion as datacache
from programs import calendar
from programs.models import Agency, ProvincialReport, Quarter
from programs.selectors import program_agencies
from reporting.models import Reminder, Submission

from .models import ReportVersion
from .selectors import versions_stalled
from .services import lease_seconds, version_create, version_enqueue

logger = logging.getLogger(__name__)

REMINDER_DAYS = (7, 3, 1)
STALLED_AFTER = dt.timedelta(hours=1)


@dataclass
class DailyResult:
    compiled: list[int] = field(default_factory=list)  # versions created
    requeued: list[int] = field(default_factory=list)
    late_marked: int = 0
    reminders: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"compiled": self.compiled, "requeued": self.requeued, "late_marked": self.late_marked,
                "reminders": self.reminders}  # fmt: skip


def daily_run(*, at: dt.datetime | None = None) -> DailyResult:
    """The whole daily job, as of `at` (the portal clock by default)."""
    at = at or calendar.now()
    today = timezone.localdate(at)
    result = DailyResult()
    result.requeued = [v.pk for v in versions_requeue_stalled(at=at)]
    result.compiled = [v.pk for v in reports_compile_due(today=today, at=at)]
    result.late_marked = submissions_mark_late(at=at)
    result.reminders = [r.pk for r in reminders_send(today=today, at=at)]
    logger.info("Daily job for %s: %s", today, result.as_dict())
    return result


# ------------------------------------------------------------------------------------------------
# Reports
# ------------------------------------------------------------------------------------------------
def reports_due(*, today: dt.date) -> list[ProvincialReport]:
    """Reports whose due date has come and that have no version done, queued or running."""
    live = ReportVersion.objects.filter(status__in=[*ReportVersion.ACTIVE, ReportVersion.Status.DONE])
    live = live.values("report_id")
    return list(
        ProvincialReport.objects.filter(due_date__lte=today)
        .exclude(pk__in=live)
        .select_related("program__province")
        .order_by("due_date", "pk")
    )


def reports_compile_due(*, today: dt.date, at: dt.datetime) -> list[ReportVersion]:
    """A scheduled version for each report due and not compiled yet (at most one per report)."""
    created = []
    for report in reports_due(today=today):
        version, new = version_create(report=report, trigger=ReportVersion.Trigger.SCHEDULED, at=at)
        if new:
            created.append(version)
    return created


def versions_requeue_stalled(*, at: dt.datetime) -> list[ReportVersion]:
    """Queue again the versions whose compile seems lost (compiling is idempotent)."""
    beat_before = timezone.now() - dt.timedelta(seconds=lease_seconds())
    stalled = versions_stalled(queued_before=at - STALLED_AFTER, beat_before=beat_before)
    for version in stalled:
        version_enqueue(version=version)
    return stalled


# ------------------------------------------------------------------------------------------------
# Late drafts
# ------------------------------------------------------------------------------------------------
def submissions_mark_late(*, at: dt.datetime) -> int:
    """Set `days_late` of every draft never sent to its days past the entry deadline (0 before it).
    One UPDATE per quarter, only of rows whose value changes; nothing else is touched (no version,
    no updated_at, no history record). Returns the number of rows changed."""
    changed = 0
    for quarter in Quarter.objects.order_by("pk"):
        days = calendar.days_late(quarter.entry_deadline, at)
        n = (
            Submission.objects.filter(quarter=quarter, status=Submission.Status.DRAFT, first_submitted_at__isnull=True)
            .exclude(days_late=days)
            .update(days_late=days)
        )
        if n:
            datacache.bump(quarter.program_id)  # the update bypasses the signals that move it
        changed += n
    return changed


# ------------------------------------------------------------------------------------------------
# Reminders
# ------------------------------------------------------------------------------------------------
def _recipients(agency: Agency, reporters: list[User]) -> list[str]:
    emails = [agency.email, *(u.email for u in reporters)]
    return list(dict.fromkeys(e.strip() for e in emails if e and e.strip()))


def _reminder_message(*, agency: Agency, quarter: Quarter, days: int, to: list[str], connection) -> EmailMessage:
    with translation.override("vi"):
        program = quarter.program
        label = _("Quý %(q)s/%(y)s") % {"q": quarter.number, "y": quarter.start.year}
        deadline = quarter.entry_deadline.strftime("%d/%m/%Y")
        subject = _("Nhắc hạn báo cáo %(q)s: còn %(n)s ngày (hạn %(d)s)") % {"q": label, "n": days, "d": deadline}
        path = reverse(
            "reporting:submission", kwargs={"year": program.year, "quarter": quarter.number, "code": agency.code}
        )
        base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
        body = "\n\n".join(
            [
                _("Kính gửi: %(a)s,") % {"a": agency.name},
                _(
                    "Hạn nhập số liệu báo cáo %(q)s thực hiện %(title)s là ngày %(d)s (còn %(n)s ngày). Đến nay, "
                    "Sở Lao động – Thương binh và Xã hội chưa nhận được báo cáo của đơn vị."
                )
                % {"q": label, "title": program.title, "d": deadline, "n": days},
                (
                    _("Đề nghị đơn vị đăng nhập Cổng báo cáo, cập nhật số liệu và gửi báo cáo đúng hạn: %(url)s")
                    % {"url": f"{base}{path}"}
                    if base
                    else _("Đề nghị đơn vị đăng nhập Cổng báo cáo, cập nhật số liệu và gửi báo cáo đúng hạn.")
                ),
                _("Trân trọng./.\nSở Lao động – Thương binh và Xã hội tỉnh An Giang"),
                _("(Thư được gửi tự động từ Cổng báo cáo; vui lòng không trả lời thư này.)"),
            ]
        )
    return EmailMessage(subject=subject, body=body, to=to, connection=connection)


def reminders_send(*, today: dt.date, at: dt.datetime) -> list[Reminder]:
    """E-mail the agencies that have not submitted a quarter whose entry deadline is 7, 3 or 1 days
    away, to the agency's address and its reporters'. Each (agency, quarter, days) is sent once:
    the Reminder row is written in the same transaction as the sending, so a failed send is not
    recorded (a rerun the same day tries again) and a rerun sends nothing twice."""
    sent: list[Reminder] = []
    quarters = list(
        Quarter.objects.filter(entry_deadline__in=[today + dt.timedelta(days=d) for d in REMINDER_DAYS])
        .select_related("program")
        .order_by("entry_deadline", "pk")
    )
    if not quarters:
        return sent
    connection = get_connection()
    for quarter in quarters:
        days = (quarter.entry_deadline - today).days
        agencies = list(program_agencies(program=quarter.program))
        submitted = set(
            Submission.objects.filter(quarter=quarter, first_submitted_at__isnull=False).values_list(
                "agency_id", flat=True
            )
        )
        done = set(Reminder.objects.filter(quarter=quarter, days_before=days).values_list("agency_id", flat=True))
        reporters: dict[int, list[User]] = defaultdict(list)
        for user in User.objects.filter(agency__in=agencies, is_active=True, groups__name=Role.REPORTER.value).exclude(
            email=""
        ):
            reporters[user.agency_id].append(user)
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
