"""Helpers shared by the tests of every app (the fixtures in tests/conftest.py use them too): the 2018
program loaded once, data made once for a module inside a transaction rolled back after it, and the skip
of a test whose service (PostgreSQL, Redis, Chromium) is missing."""

from __future__ import annotations

import contextlib
import importlib
import os

import pytest
from django.conf import settings
from django.db import transaction

from demo.accounts import demo_accounts_create
from programs.models import Program
from programs.services import program_load, program_read_file


def form_post(data: dict, overrides: dict) -> dict:
    """Form data as a browser posts it: `data`, then `overrides` (field name → text; None removes the
    field, as an unticked box or an empty choice is not sent)."""
    out = dict(data)
    for key, value in overrides.items():
        if value is None:
            out.pop(key, None)
        else:
            out[key] = value
    return out


REQUIRE_SERVICES = os.environ.get("PORTAL_REQUIRE_SERVICES") == "1"


@contextlib.contextmanager
def rolled_back(django_db_blocker):
    """For a module-scoped fixture: data made once for a module's tests, inside a transaction that
    is rolled back after them."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def service_missing(reason: str) -> None:
    """Skip a test whose service is missing; under CI (PORTAL_REQUIRE_SERVICES=1) fail instead."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


_DATA = None


def _program_data():
    global _DATA
    if _DATA is None:
        _DATA = program_read_file(path=settings.PROGRAM_DATA_FILE)
    return _DATA


# Data that migrations create: a transactional test's flush deletes it, so it is replayed when missing.
DATA_MIGRATIONS = [
    ("accounts.migrations.0003_roles", "create_roles"),
    ("accounts.migrations.0005_ministry", "create_role"),
]


def ensure_program() -> Program:
    """The 2018 program, the role groups and the demo accounts, (re)created if a flush removed them."""
    from django.apps import apps

    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
    program = Program.objects.filter(year=2018, province__code=settings.PORTAL_PROVINCE_CODE).first()
    if program is None:
        program, _ = program_load(data=_program_data())
        demo_accounts_create()
    return program


WRITE = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def writes_of_a_read(client, url: str) -> list[str]:
    """The SQL writes of reading a page a second time (the first read fills the caches): none, where
    selectors never write. The page may answer 200 or 404 (a refusal writes nothing either)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code in (200, 404), (url, response.status_code)
    return [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITE)]
