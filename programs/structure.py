"""A cache of each program's structure: its quarters, agencies, districts and communes, targets and
indicators, activity groups, activities, roles and output targets. Pages read it on every request
but it changes only when DOLISA or an administrator edits the program, so it is cached under the
structure version (core.structureversion), which every writer of the structure moves on itself:
programs' services (the loader, the calendar edits) and the admin of structural models
(core.admin.StructureAdminMixin). A write that goes round them (a QuerySet.update, a bulk insert,
test data) must call `core.structureversion.bump_on_commit()` itself.

Freshness: a change is visible at once in every process (the shared version moves when it is saved,
and again when its transaction commits); entries also expire after PORTAL_STRUCTURE_CACHE_SECONDS.

What is kept is shared by every request of the process, so it must not be something a request can
change: frozen dataclasses of tuples (programs.snapshots: copies of the models' fields), never model
instances, whose attributes and related caches any request could set. The one exception is the
quarterly form's fields (reporting.lean_form.shared_fields), which no form changes.
tests/programs/test_structure_cache.py walks every value kept after the main pages are rendered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings

from core.structureversion import version  # the version pages that show the structure are keyed by

__all__ = ["cached", "clear_local", "version"]

# Built structures are kept in each process's memory, under the shared version: reading them back
# from Redis would mean unpickling hundreds of objects on every request. Only the small version
# number travels through the shared cache.
_local: dict[str, tuple[float, Any]] = {}
MAX_LOCAL = 2000


def cached(key: str, build: Callable[[], Any]) -> Any:
    """The value of `build()` for `key`, kept while the program structure is unchanged (built afresh,
    and not kept, while the structure version is unknown: the shared cache is down)."""
    current = version()
    if current is None:
        return build()
    full = f"{current}:{key}"
    now = time.monotonic()
    hit = _local.get(full)
    if hit is not None and now - hit[0] < settings.PORTAL_STRUCTURE_CACHE_SECONDS:
        return hit[1]
    value = build()
    if len(_local) >= MAX_LOCAL:
        _local.clear()
    _local[full] = (now, value)
    return value


def clear_local() -> None:
    """Forget this process's built structures (tests call it between tests)."""
    _local.clear()
