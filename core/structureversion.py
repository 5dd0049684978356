"""The version of the programs' structure (quarters, agencies, units, targets, activities...): one
number in the shared cache (Redis in production) under which programs.structure keeps what it builds.
While the cache cannot be reached the version is unknown (None) and nothing is kept; a bump that could
not reach it is paid once it answers again.

Every writer of the structure moves it on itself, at once and again when its transaction commits
(`bump_on_commit`): programs' services (the loader, the calendar edits) and the admin of structural
models (core.admin.StructureAdminMixin). No signals: a QuerySet.update or a bulk insert would pass
them by unseen, and a writer that forgets to bump is easier to find than a signal that never fired.

It lives in core, below the apps that write the structure (programs, targets, activities), so that
each of them can move it without importing the others.
"""

from __future__ import annotations

import threading
import time

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction

VERSION_KEY = "program-structure:version"


def _fresh_version() -> int:
    # A version never used before, should the cache lose its key (a Redis restart): processes must
    # not take their old entries for current ones.
    return time.time_ns() // 1000


# Within one request the version is read from the shared cache once: a page reads the structure a
# handful of times, and a round trip to Redis each time was a measurable part of a form save. A
# change made by the request itself forgets it (bump), so the request then sees its own change.
_request = threading.local()


def request_started_handler(**kwargs) -> None:
    _request.active, _request.version = True, None


def request_finished_handler(**kwargs) -> None:
    _request.active, _request.version = False, None


def version() -> int | None:
    """The current version of every program's structure; None while the shared cache cannot be
    reached (programs.structure then builds afresh and keeps nothing: another process may change the
    structure meanwhile, unseen)."""
    if getattr(_request, "active", False) and _request.version is not None:
        return _request.version
    _pay_debt()
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        current = cache.get(VERSION_KEY)
    if getattr(_request, "active", False):
        _request.version = current
    return current


# A bump that could not reach the shared cache (Redis down) is owed, and paid by this process on its next
# read of the version once the cache answers again: the other processes then drop what they built before.
_debt = threading.local()


def _pay_debt() -> None:
    if getattr(_debt, "owed", False) and _move_on():
        _debt.owed = False


def _move_on() -> bool:
    """Move the shared version on; False if the cache could not be reached."""
    try:
        cache.incr(VERSION_KEY)
        return True
    except ValueError:  # no version yet, or no cache
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        return cache.get(VERSION_KEY) is not None


def bump() -> None:
    """Move the version on now."""
    _request.version = None
    if not _move_on():
        _debt.owed = True


def bump_on_commit() -> None:
    """Move the version on now (this request sees its own change) and again when the transaction
    commits (so that a structure another process built from the data before the commit is dropped)."""
    bump()
    transaction.on_commit(bump)


def connect() -> None:
    """Connected in CoreConfig.ready: the version is remembered for the length of a request."""
    request_started.connect(request_started_handler, dispatch_uid="structure-request-started")
    request_finished.connect(request_finished_handler, dispatch_uid="structure-request-finished")
