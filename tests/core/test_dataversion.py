"""The data version moves only when a service (or an explicit bump) says so: no signal is connected
to the models whose figures are cached under it. It is counted in the database, with the writer's
transaction."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db.models.signals import post_delete, post_save

from core import dataversion

DATA_MODELS = [
    ("reporting", "Submission"), ("reporting", "IndicatorValue"), ("reporting", "CommuneStatus"),
    ("reporting", "ActivityProgress"), ("reporting", "OutputProgress"), ("reporting", "Transition"),
    ("incidents", "Incident"), ("incidents", "IncidentNote"),
]  # fmt: skip


def _module(receiver) -> str:
    """The module of a receiver: a function's own, a bound method's class's."""
    owner = getattr(receiver, "__self__", None)
    return type(owner).__module__ if owner is not None else receiver.__module__


@pytest.mark.parametrize(("app", "name"), DATA_MODELS)
def test_no_receiver_of_save_or_delete_but_the_history(app, name):
    """Only django-simple-history listens to these models' saves and deletes (a QuerySet.update would
    pass a signal by; the services move the version themselves)."""
    model = apps.get_model(app, name)
    for signal in (post_save, post_delete):
        sync, async_ = signal._live_receivers(model)
        owners = {_module(r) for r in [*sync, *async_]}
        assert owners <= {"simple_history.models"}, (name, signal, owners)


def test_a_version_only_grows(db):
    first = dataversion.version(7)
    dataversion.bump(7)
    assert dataversion.version(7) == first + 1
    dataversion.bump(7)
    assert dataversion.versions(7, dataversion.INCIDENTS) == (first + 2, dataversion.version(dataversion.INCIDENTS))


def test_a_bump_rolled_back_with_its_transaction_leaves_the_version(db):
    """The version is counted in the database, in the writer's transaction: a write that fails moves nothing."""
    from django.db import transaction

    before = dataversion.version(7)
    with pytest.raises(RuntimeError), transaction.atomic():
        dataversion.bump(7)
        assert dataversion.version(7) == before + 1  # the writer sees its own change at once
        raise RuntimeError
    assert dataversion.version(7) == before


def test_the_version_does_not_depend_on_the_cache(db, settings):
    """A bump reaches no cache: the cached dashboard's key holds the version read from the database."""
    from django.core.cache import cache

    before = dataversion.version(7)
    cache.clear()
    dataversion.bump(7)
    cache.clear()
    assert dataversion.version(7) == before + 1
