"""Shared fixtures. The 2018 program and the demo accounts are loaded once per test session;
fixtures that need them reload them if a transactional test has flushed the database."""

from __future__ import annotations

import contextlib
import importlib
import os

import pytest
from django.conf import settings
from django.db import transaction

from demo.accounts import DEMO_PASSWORD, demo_accounts_create
from programs.models import Program
from programs.services import program_load, program_read_file

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
DATA_MIGRATIONS = [("accounts.migrations.0003_roles", "create_roles")]


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        ensure_program()


@pytest.fixture
def program(db) -> Program:
    return ensure_program()


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD


@pytest.fixture
def login(client, program):
    """Sign a client in as a demo account: login("dolisa")."""
    from accounts.models import User

    def _login(username: str, c=None):
        c = c or client
        c.force_login(User.objects.get(username=username))
        return c

    return _login


@pytest.fixture
def clock(settings):
    """clock("2018-03-10") sets the portal's today."""

    def _set(day: str):
        settings.PORTAL_CLOCK_TODAY = day

    _set("2018-03-10")  # before the Q1 deadline (15/03/2018) by default
    return _set


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the program structure is cached between requests)."""
    from django.core.cache import cache

    from programs import structure

    cache.clear()
    structure.clear_local()
    yield
    cache.clear()
    structure.clear_local()


@pytest.fixture
def redis_server(tmp_path_factory):
    """A Redis server of the test's own on a spare port (tests.servers.RedisServer), stopped at the end."""
    import shutil

    from tests.servers import RedisServer

    if shutil.which("redis-server") is None:
        service_missing("redis-server is not installed")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()
