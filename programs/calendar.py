"""All period and deadline arithmetic, in the local zone (Asia/Ho_Chi_Minh).

A deadline is a date: whatever is done on that date, local time, is on time; from the next local
midnight it is late, and each started day after the deadline counts as one day late.

The portal's clock is the real clock, except in the demo, where PORTAL_CLOCK_TODAY (a date) shifts
it by whole days so that a 2018 program can be tried as if it were running (the page header says so).
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.utils import timezone


def clock_offset(*, real_now: dt.datetime | None = None) -> dt.timedelta:
    """How far the portal's clock is shifted from the real one (zero outside the demo)."""
    fixed = settings.PORTAL_CLOCK_TODAY
    if not fixed:
        return dt.timedelta(0)
    if isinstance(fixed, str):
        fixed = dt.date.fromisoformat(fixed)
    real_now = real_now or timezone.now()
    return dt.timedelta(days=(fixed - timezone.localdate(real_now)).days)


def is_shifted() -> bool:
    return clock_offset() != dt.timedelta(0)


def now() -> dt.datetime:
    """The portal's current time (aware). Use this, not timezone.now(), for workflow timestamps."""
    real_now = timezone.now()  # read once, so that the day cannot change between two readings
    return real_now + clock_offset(real_now=real_now)


def local_today() -> dt.date:
    return timezone.localdate(now())


def end_of_day(day: dt.date) -> dt.datetime:
    """The first instant after `day` in the local zone: the moment a deadline on `day` has passed."""
    tz = timezone.get_current_timezone()
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def is_past(deadline: dt.date, *, at: dt.datetime | None = None) -> bool:
    return (at or now()) >= end_of_day(deadline)


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
