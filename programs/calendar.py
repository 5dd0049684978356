"""All period and deadline arithmetic, in the local zone (Asia/Ho_Chi_Minh).

A deadline is a date: whatever is done on that date, local time, is on time; from the next local
midnight it is late, and each started day after the deadline counts as one day late. A quarter may
have no deadline (None: the decision dates no third-quarter report, VIII.1): such a quarter is never
past, never late and has no days left, until DOLISA sets one.

A provincial report is due from its agencies once the last deadline among its quarters has passed
(`report_deadline`; none while the quarter that closes its period has no deadline). A report due
before its period ends (Q1 on 20/03, the six-month report on 20/05, the annual on 15/11) holds
figures that run to the day of reporting (`due_before_end`).

The portal's clock is the real clock, except in the demo, where PORTAL_CLOCK_TODAY (a date) shifts
it by whole days so that a 2018 program can be tried as if it were running (the page header says so).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable

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


def is_past(deadline: dt.date | None, *, at: dt.datetime | None = None) -> bool:
    """Whether the deadline has passed at `at` (now by default); never without a deadline."""
    if deadline is None:
        return False
    return (at or now()) >= end_of_day(deadline)


def days_late(deadline: dt.date | None, at: dt.datetime) -> int:
    """Whole days late: 0 on or before the deadline day (or without a deadline), 1 for anything the
    next day, and so on."""
    if deadline is None:
        return 0
    overdue = at - end_of_day(deadline)
    if overdue < dt.timedelta(0):
        return 0
    return math.floor(overdue / dt.timedelta(days=1)) + 1


def days_left(deadline: dt.date | None, *, today: dt.date | None = None) -> int | None:
    """Days from today to the deadline (0 on the day itself, negative once it has passed; None
    without a deadline)."""
    if deadline is None:
        return None
    today = today or local_today()
    return (deadline - today).days


def report_deadline(quarters: Iterable) -> dt.date | None:
    """A provincial report's agencies' deadline, from its quarters (with `number` and `entry_deadline`): the
    last deadline among them, once the quarter that closes its period has one (Q1 for the quarterly report,
    Q2 for the six-month, Q4 for the annual: the decision's 20/03, 20/05, 15/11). None while that quarter
    has no deadline: the report is not dated, and is not compiled by the schedule. A quarter in between
    without one (Q3) asks nothing."""
    quarters = sorted(quarters, key=lambda q: q.number)
    if not quarters or quarters[-1].entry_deadline is None:
        return None
    return max(q.entry_deadline for q in quarters if q.entry_deadline is not None)


def due_before_end(*, deadline: dt.date | None, end: dt.date) -> bool:
    """A report due before its period ends: its figures run to the day of reporting, not to the end."""
    return deadline is not None and deadline < end


def shift_years(day: dt.date | None, years: int) -> dt.date | None:
    """The same day `years` later (a program year made from the last one): 29/02 becomes 28/02 in a
    year that has no 29th."""
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)
