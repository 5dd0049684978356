"""The data version moves only when a service (or an explicit bump) says so: no signal is connected
to the models whose figures are cached under it."""

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
    assert dataversion.version(dataversion.INCIDENTS) != 0


def test_bump_on_commit_moves_it_now_and_again_at_commit(db, django_capture_on_commit_callbacks):
    before = dataversion.version(7)
    with django_capture_on_commit_callbacks(execute=True):
        dataversion.bump_on_commit(7)
        assert dataversion.version(7) == before + 1
    assert dataversion.version(7) == before + 2
