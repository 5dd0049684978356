"""The daily job of the compiled reports (documents.tasks.daily, 06:00 local time by Celery beat),
scheduled from the data:

- queue again versions whose compile seems lost (still queued an hour after, or running without a
  heartbeat for longer than the lease);
- compile every provincial report whose due date has come and that has no compiled version yet (none
  done, queued or running): a day the worker was down is caught up the next day.

Each part is idempotent: running the job twice on a day does what running it once does. What the
deadlines do to the submissions (late drafts, reminders) is the reporting app's daily job
(reporting.deadlines).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.utils import timezone

from programs import calendar
from programs.models import ProvincialReport

from .models import ReportVersion
from .selectors import versions_stalled
from .services import lease_seconds, version_create, version_enqueue

logger = logging.getLogger(__name__)

STALLED_AFTER = dt.timedelta(hours=1)


@dataclass
class DailyResult:
    compiled: list[int] = field(default_factory=list)  # versions created
    requeued: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"compiled": self.compiled, "requeued": self.requeued}


def daily_run(*, at: dt.datetime | None = None) -> DailyResult:
    """The whole daily job, as of `at` (the portal clock by default)."""
    at = at or calendar.now()
    today = timezone.localdate(at)
    result = DailyResult()
    result.requeued = [v.pk for v in versions_requeue_stalled(at=at)]
    result.compiled = [v.pk for v in reports_compile_due(today=today, at=at)]
    logger.info("Daily job of the reports for %s: %s", today, result.as_dict())
    return result


def reports_due(*, today: dt.date) -> list[ProvincialReport]:
    """Reports whose due date has come and that have no version done, queued or running."""
    live = ReportVersion.objects.filter(status__in=[*ReportVersion.ACTIVE, ReportVersion.Status.DONE])
    return list(
        ProvincialReport.objects.filter(due_date__lte=today)
        .exclude(pk__in=live.values("report_id"))
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
    """Queue again the versions whose compile seems lost (compiling is idempotent). A heartbeat is
    the worker's own clock, so the lease is counted from now, not from `at`."""
    beat_before = timezone.now() - dt.timedelta(seconds=lease_seconds())
    stalled = versions_stalled(queued_before=at - STALLED_AFTER, beat_before=beat_before)
    for version in stalled:
        version_enqueue(version=version)
    return stalled
