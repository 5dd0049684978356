"""What the reported data looks like now, as a version number per program: every service that
changes a program's submissions (reporting.services) or an incident (incidents.services) moves its
version on, at once and again at commit. Pages computed from the figures (the dashboard) are cached
under these versions, so a cached page is never older than the data (the versions live in the shared
cache, Redis in production).

No signal moves a version: a write that goes around the services (`QuerySet.update`, bulk inserts,
the benchmark's data) calls `bump` itself, as documents.schedule and bench_prepare do.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

INCIDENTS = "incidents"


def _key(scope) -> str:
    return f"data-version:{scope}"


def version(scope) -> int:
    """The version of a program's data (scope = the program's id) or of the incidents."""
    value = cache.get(_key(scope))
    if value is None:
        cache.add(_key(scope), time.time_ns() // 1000, timeout=None)  # never a number used before
        value = cache.get(_key(scope)) or 0
    return value


def bump(scope) -> None:
    try:
        cache.incr(_key(scope))
    except ValueError:
        cache.add(_key(scope), time.time_ns() // 1000, timeout=None)


def bump_on_commit(scope) -> None:
    """Move the version on now (a reader inside the transaction sees the change) and again once
    the transaction commits (a reader that cached the old figures meanwhile computes them again)."""
    bump(scope)
    transaction.on_commit(lambda: bump(scope))
