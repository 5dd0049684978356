"""Shared fixtures. The 2018 program and the demo accounts are loaded once per test session;
fixtures that need them reload them if a transactional test has flushed the database."""

from __future__ import annotations

import pytest

from demo.accounts import DEMO_PASSWORD
from programs.models import Program
from tests.helpers import ensure_program, service_missing


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

    _set("2018-03-10")  # before the Q1 deadline (20/03/2018) by default
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
