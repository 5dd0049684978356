"""The version of the programs' structure (quarters, agencies, units, targets, activities...): one
number in the shared cache (Redis in production) under which programs.structure keeps what it builds.

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


def version() -> int:
    """The current version of every program's structure."""
    if getattr(_request, "active", False) and _request.version is not None:
        return _request.version
    current = cache.get(VERSION_KEY)
    if current is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        current = cache.get(VERSION_KEY) or _fresh_version()
    if getattr(_request, "active", False):
        _request.version = current
    return current


def bump() -> None:
    """Move the version on now."""
    _request.version = None
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)


def bump_on_commit() -> None:
    """Move the version on now (this request sees its own change) and again when the transaction
    commits (so that a structure another process built from the data before the commit is dropped)."""
    bump()
    transaction.on_commit(bump)


def connect() -> None:
    """Connected in CoreConfig.ready: the version is remembered for the length of a request."""
    request_started.connect(request_started_handler, dispatch_uid="structure-request-started")
    request_finished.connect(request_finished_handler, dispatch_uid="structure-request-finished")
