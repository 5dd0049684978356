"""A cache of each program's structure: its quarters, agencies, districts and communes, targets and
indicators, activity groups, activities, roles and output targets. Pages read it on every request
but it changes only when DOLISA or an administrator edits the program, so it is cached (the shared
Redis cache in production) under a version that any change to a structural model moves on.

Freshness: a change is visible at once in every process (the shared version moves when it is saved,
and again when its transaction commits); entries also expire after PORTAL_STRUCTURE_CACHE_SECONDS.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

VERSION_KEY = "program-structure:version"
STRUCTURAL = [
    "programs.Program",
    "programs.AdminUnit",
    "programs.Agency",
    "programs.Duty",
    "programs.LegalBasis",
    "programs.Quarter",
    "programs.ProvincialReport",
    "targets.Target",
    "targets.Indicator",
    "activities.ActivityGroup",
    "activities.Activity",
    "activities.ActivityRole",
    "activities.OutputTarget",
]


def _fresh_version() -> int:
    # A version never used before, should the cache lose its key (a Redis restart): processes must
    # not take their old entries for current ones.
    return time.time_ns() // 1000


def version() -> int:
    """The current version of every program's structure."""
    return _version()


# Within one request the version is read from the shared cache once: a page reads the structure a
# handful of times, and a round trip to Redis each time was a measurable part of a form save. A
# change made by the request itself forgets it (bump), so the request then sees its own change.
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.active, _request.version = True, None


def _request_finished(**kwargs) -> None:
    _request.active, _request.version = False, None


def _version() -> int:
    if getattr(_request, "active", False) and _request.version is not None:
        return _request.version
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)
        version = cache.get(VERSION_KEY) or _fresh_version()
    if getattr(_request, "active", False):
        _request.version = version
    return version


def bump() -> None:
    _request.version = None
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet
        cache.add(VERSION_KEY, _fresh_version(), timeout=None)


# Built structures are kept in each process's memory, under the shared version: reading them back
# from Redis would mean unpickling hundreds of model instances on every request. Only the small
# version number travels through the shared cache. Callers treat these objects as read-only.
_local: dict[str, tuple[float, Any]] = {}
MAX_LOCAL = 2000


def cached(key: str, build: Callable[[], Any]) -> Any:
    """The value of `build()` for `key`, kept while the program structure is unchanged."""
    full = f"{_version()}:{key}"
    now = time.monotonic()
    hit = _local.get(full)
    if hit is not None and now - hit[0] < getattr(settings, "PORTAL_STRUCTURE_CACHE_SECONDS", 3600):
        return hit[1]
    value = build()
    if len(_local) >= MAX_LOCAL:
        _local.clear()
    _local[full] = (now, value)
    return value


def clear_local() -> None:
    """Forget this process's built structures (tests call it between tests)."""
    _local.clear()


def _changed(sender, **kwargs) -> None:
    bump()
    transaction.on_commit(bump)


def connect() -> None:
    """Connected in ProgramsConfig.ready: any save or delete of a structural model moves the version."""
    request_started.connect(_request_started, dispatch_uid="structure-request-started")
    request_finished.connect(_request_finished, dispatch_uid="structure-request-finished")
    for label in STRUCTURAL:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"structure-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"structure-delete-{label}")
        for field in model._meta.many_to_many:
            uid = f"structure-m2m-{label}-{field.name}"
            m2m_changed.connect(_changed, sender=field.remote_field.through, dispatch_uid=uid)
