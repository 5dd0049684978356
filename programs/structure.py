"""A cache of each program's structure: its quarters, agencies, districts and communes, targets and
indicators, activity groups, activities, roles and output targets. Pages read it on every request
but it changes only when DOLISA or an administrator edits the program, so it is cached (the shared
Redis cache in production) under a version that any change to a structural model moves on.

Freshness: a change is visible at once (the version moves when it is saved, and again when its
transaction commits); the entries also expire after PORTAL_STRUCTURE_CACHE_SECONDS as a safety net.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
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


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY) or 1
    return version


def bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet
        cache.add(VERSION_KEY, 2, timeout=None)


def cached(key: str, build: Callable[[], Any]) -> Any:
    """The value of `build()` for `key`, from the cache while the program structure is unchanged."""
    full = f"program-structure:{_version()}:{key}"
    value = cache.get(full)
    if value is None:
        value = build()
        cache.set(full, value, timeout=getattr(settings, "PORTAL_STRUCTURE_CACHE_SECONDS", 3600))
    return value


def _changed(sender, **kwargs) -> None:
    bump()
    transaction.on_commit(bump)


def connect() -> None:
    """Connected in ProgramsConfig.ready: any save or delete of a structural model moves the version."""
    for label in STRUCTURAL:
        model = apps.get_model(label)
        post_save.connect(_changed, sender=model, dispatch_uid=f"structure-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"structure-delete-{label}")
        for field in model._meta.many_to_many:
            uid = f"structure-m2m-{label}-{field.name}"
            m2m_changed.connect(_changed, sender=field.remote_field.through, dispatch_uid=uid)
