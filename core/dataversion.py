"""What the reported data looks like now, as a version number per program: every service that
changes what a program's figures count (reporting.services: a workflow step, not a draft's save) or an
incident (incidents.services) moves its version on, in its own transaction. Pages computed from the
figures (the dashboard) are cached under these versions, so a cached page is never older than the data.

The versions are counted in the database (core.models.DataVersion), not in the cache: a bump commits
with the data it describes or not at all, so a save never depends on Redis, and a Redis that was down
(or comes back with old keys) can never make an old page look current: the page's cache key holds the
version read from the database. A bump takes the scope's row lock until its transaction ends: writers
of one program queue for the few milliseconds between their bump and their commit.

No signal moves a version: a write that goes around the services (`QuerySet.update`, bulk inserts,
the benchmark's data) calls `bump` itself, as documents.schedule and bench_prepare do.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import DataVersion

INCIDENTS = "incidents"


def versions(*scopes) -> tuple[int, ...]:
    """The versions of several scopes, in one query (0 for a scope that never changed)."""
    found = dict(DataVersion.objects.filter(scope__in=[str(s) for s in scopes]).values_list("scope", "value"))
    return tuple(found.get(str(s), 0) for s in scopes)


def version(scope) -> int:
    """The version of a program's data (scope = the program's id) or of the incidents."""
    return versions(scope)[0]


def bump(scope) -> None:
    """Move the scope's version on, within the current transaction (readers elsewhere see the new
    version when the data they read has committed with it)."""
    if DataVersion.objects.filter(scope=str(scope)).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():
            DataVersion.objects.create(scope=str(scope), value=1)
    except IntegrityError:  # created by a concurrent writer meanwhile
        DataVersion.objects.filter(scope=str(scope)).update(value=F("value") + 1)
