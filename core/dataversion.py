"""What the reported data looks like now, as a version number per program: any saved submission,
value or review step of a program moves its version on, and so does any incident. Pages computed
from the figures (the dashboard) are cached under these versions, so a cached page is never older
than the data (the versions live in the shared cache, Redis in production)."""

from __future__ import annotations

import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

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
    bump(scope)
    transaction.on_commit(lambda: bump(scope))


def _program_of_quarter(quarter_id: int) -> int | None:
    from programs import structure
    from programs.models import Quarter

    mapping = structure.cached("quarter-programs", lambda: dict(Quarter.objects.values_list("id", "program_id")))
    return mapping.get(quarter_id)


def _submission_changed(sender, instance, **kwargs) -> None:
    program_id = _program_of_quarter(instance.quarter_id)
    bump_on_commit(program_id if program_id is not None else "all")


def _value_changed(sender, instance, **kwargs) -> None:
    submission = instance.submission  # attached by the services that save values
    _submission_changed(sender, submission)


def _incident_changed(sender, instance, **kwargs) -> None:
    bump_on_commit(INCIDENTS)


def connect() -> None:
    """Connected in ReportingConfig.ready."""
    submission = apps.get_model("reporting", "Submission")
    post_save.connect(_submission_changed, sender=submission, dispatch_uid="data-submission-save")
    post_delete.connect(_submission_changed, sender=submission, dispatch_uid="data-submission-delete")
    for name in ("IndicatorValue", "CommuneStatus", "ActivityProgress", "OutputProgress", "Transition"):
        model = apps.get_model("reporting", name)
        post_save.connect(_value_changed, sender=model, dispatch_uid=f"data-{name}-save")
        post_delete.connect(_value_changed, sender=model, dispatch_uid=f"data-{name}-delete")
    for name in ("Incident", "IncidentNote"):
        model = apps.get_model("incidents", name)
        post_save.connect(_incident_changed, sender=model, dispatch_uid=f"data-{name}-save")
        post_delete.connect(_incident_changed, sender=model, dispatch_uid=f"data-{name}-delete")
