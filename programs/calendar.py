"""All period and deadline arithmetic, in the local zone (Asia/Ho_Chi_Minh).

A deadline is a date: whatever is done on that date, local time, is on time; from the next local
midnight it is late, and each started day after the deadline counts as one day late.
"""

from __future__ import annotations

import datetime as dt
import math

from django.utils import timezone


def local_today() -> dt.date:
    return timezone.localdate()


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the local zone: the moment a deadline on `day` has passed."""
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def is_past(deadline: dt.date, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return now >= end_of_day(deadline)


def days_late(deadline: dt.date, at: dt.datetime) -> int:
    """Whole days late: 0 on or before the deadline day, 1 for anything the next day, and so on."""
    overdue = at - end_of_day(deadline)
    if overdue < dt.timedelta(0):
        return 0
    return math.floor(overdue / dt.timedelta(days=1)) + 1


def days_left(deadline: dt.date, *, today: dt.date | None = None) -> int:
    """Days from today to the deadline (0 on the day itself, negative once it has passed)."""
    today = today or local_today()
    return (deadline - today).days
