"""The daily job of the compiled reports (documents.tasks.daily, at night, 00:30 local time, by Celery
beat), scheduled from the data:

- queue again versions whose compile seems lost (still queued an hour after, or running without a
  heartbeat for longer than the lease);
- compile every provincial report whose agencies' deadline has passed (the last deadline among its
  quarters, programs.calendar.report_deadline: 20/03 for the quarterly report, 20/05 for the six-month,
  15/11 for the annual; a report whose quarters have no deadline waits) and that has no compiled version
  yet (none done, queued or running): on the night after the deadline, or the next night if the worker
  was down;
- compile a new version of a report compiled before a report of one of its quarters was accepted (a
  late report, or one reviewed late): the figures count accepted reports only, so they have changed.
  The acceptance is compared with the latest version that has not failed; once the new version exists
  the rule no longer holds, so a rerun does nothing.

Each part is idempotent: running the job twice on a day does what running it once does. What the
deadlines do to the submissions (late drafts, reminders) is the reporting app's daily job
(reporting.deadlines).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db.models import Max
from django.utils import timezone

from programs import calendar
from programs.models import Program, ProvincialReport
from reporting.models import Submission

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
    result.compiled = [v.pk for v in reports_compile_due(at=at)]
    result.compiled += [v.pk for v in reports_compile_after_acceptance(at=at)]
    logger.info("Daily job of the reports for %s: %s", today, result.as_dict())
    return result


def reports_past_deadline(*, at: dt.datetime) -> list[tuple[ProvincialReport, dt.date]]:
    """The reports whose agencies' deadline has passed at `at`, with that deadline, in its order (two
    queries)."""
    reports = ProvincialReport.objects.filter(program__status=Program.Status.PUBLISHED)  # not a draft year's
    reports = reports.select_related("program__province").prefetch_related("quarters")
    rows = []
    for report in reports:
        deadline = calendar.report_deadline(report.quarters.all())
        if calendar.is_past(deadline, at=at):
            rows.append((report, deadline))
    return sorted(rows, key=lambda row: (row[1], row[0].pk))


def _latest_versions() -> dict[int, dt.datetime]:
    """When each report's latest version that has not failed was created (one query)."""
    versions = ReportVersion.objects.exclude(status=ReportVersion.Status.FAILED)
    return dict(versions.values("report_id").annotate(at=Max("created_at")).values_list("report_id", "at"))


def reports_due(*, at: dt.datetime) -> list[ProvincialReport]:
    """Reports whose agencies' deadline has passed and that have no version done, queued or running since
    (a version compiled before the deadline, on demand, does not stand in for the report)."""
    latest = _latest_versions()
    return [
        r for r, deadline in reports_past_deadline(at=at)
        if r.pk not in latest or latest[r.pk] < calendar.end_of_day(deadline)
    ]  # fmt: skip


def _versions_create(reports: list[ProvincialReport], *, trigger: str, at: dt.datetime) -> list[ReportVersion]:
    """A new version of each report (none where one is already queued or running); the ones created."""
    created = []
    for report in reports:
        version, new = version_create(report=report, trigger=trigger, at=at)
        if new:
            created.append(version)
    return created


def reports_compile_due(*, at: dt.datetime) -> list[ReportVersion]:
    """A scheduled version for each report due and not compiled yet (at most one per report)."""
    return _versions_create(reports_due(at=at), trigger=ReportVersion.Trigger.SCHEDULED, at=at)


def reports_accepted_since_compile(*, at: dt.datetime) -> list[ProvincialReport]:
    """Reports compiled since their agencies' deadline, with a report of one of their quarters accepted after
    their latest version (not failed) was created."""
    latest = _latest_versions()
    accepted = Submission.objects.filter(status=Submission.Status.ACCEPTED, reviewed_at__lte=at)
    last_accepted = dict(accepted.values("quarter_id").annotate(at=Max("reviewed_at")).values_list("quarter_id", "at"))
    rows = []
    for r, deadline in reports_past_deadline(at=at):
        compiled = latest.get(r.pk)
        if compiled is None or compiled < calendar.end_of_day(deadline):
            continue  # not compiled since the deadline: reports_due compiles it
        if any(last_accepted.get(q.pk, compiled) > compiled for q in r.quarters.all()):
            rows.append(r)
    return rows


def reports_compile_after_acceptance(*, at: dt.datetime) -> list[ReportVersion]:
    """A new version of each report compiled before one of its quarters' reports was accepted."""
    return _versions_create(reports_accepted_since_compile(at=at), trigger=ReportVersion.Trigger.LATE, at=at)


def versions_requeue_stalled(*, at: dt.datetime) -> list[ReportVersion]:
    """Queue again the versions whose compile seems lost (compiling is idempotent). A heartbeat is
    the worker's own clock, so the lease is counted from now, not from `at`."""
    beat_before = timezone.now() - dt.timedelta(seconds=lease_seconds())
    stalled = versions_stalled(queued_before=at - STALLED_AFTER, beat_before=beat_before)
    for version in stalled:
        version_enqueue(version=version)
    return stalled
