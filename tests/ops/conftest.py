"""Fixtures for the operations tests: a Redis server of the test's own on a spare port (the machine's
Redis is shared and never stopped), Celery workers and beat, and a gunicorn server, all against the
test's PostgreSQL database. Skipped without PostgreSQL or redis-server; failed under CI."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import service_missing
from tests.documents.test_celery_worker import database_url, kill, wait_for

VENV_BIN = Path(settings.BASE_DIR) / ".venv" / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        service_missing("the operations tests need PostgreSQL (DATABASE_URL)")


class RedisServer:
    """A redis-server process of the test's own; stop() and start() keep the same port."""

    def __init__(self, workdir: Path):
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_for(self._answers, 10, "redis-server start")

    def _answers(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
        return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.proc = None


@pytest.fixture
def redis_server(postgres, tmp_path):
    if shutil.which("redis-server") is None:
        service_missing("redis-server is not installed")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def celery_procs(tmp_path, settings):
    """start("worker"|"beat", broker_url, **env): Celery processes on the test database, killed at the end."""
    settings.MEDIA_ROOT = tmp_path / "media"
    started: list[subprocess.Popen] = []

    def start(kind: str, broker_url: str, **extra) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / f"{kind}-{len(started) + 1}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_BROKER_TRANSPORT_OPTIONS": '{"visibility_timeout": 4, "unacked_restore_interval": 1}',
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PORTAL_CLOCK_TODAY": str(settings.PORTAL_CLOCK_TODAY or ""),
            **{k: str(v) for k, v in extra.items()},
        }
        env.pop("PORTAL_REQUIRE_SERVICES", None)
        if kind == "worker":
            name = f"ops-{uuid.uuid4().hex[:8]}@%h"
            args = ["worker", "--loglevel=INFO", "--concurrency=1", "--pool=prefork", "-n", name,
                    "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
            ready = b" ready."
        else:
            args = ["beat", "--loglevel=INFO", f"--schedule={tmp_path / 'beat-schedule'}", "--max-interval=1"]
            ready = b"beat: Starting"
        proc = subprocess.Popen(
            [str(VENV_BIN / "celery"), "-A", "config", *args], cwd=settings.BASE_DIR, env=env,
            stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        started.append(proc)
        wait_for(lambda: ready in log.read_bytes() or proc.poll() is not None, 40, f"{kind} start", log)
        assert proc.poll() is None, log.read_text()[-3000:]
        return proc, log

    yield start
    for proc in started:
        kill(proc)


@contextlib.contextmanager
def celery_sends_to(broker_url: str):
    """Make this process's Celery app send to a real broker (instead of running tasks eagerly)."""
    from config.celery_app import app

    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "broker_connection_timeout")}
    app.conf.update(broker_url=broker_url, task_always_eager=False, broker_connection_timeout=1)
    app._pool = None
    app.amqp._producer_pool = None
    try:
        yield app
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        app.conf.update(saved)


class Browser:
    """A tiny HTTP client with cookies and CSRF, for a real server."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=20) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace")

    def sign_in(self, username: str, password: str) -> None:
        _status, page = self.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        request = urllib.request.Request(  # noqa: S310 - the test's own http:// server
            self.base + "/accounts/login/", data=data.encode(), headers={"Referer": self.base + "/accounts/login/"}
        )
        with self.opener.open(request, timeout=20) as r:
            assert r.status == 200 and "/accounts/login/" not in r.url, r.url


@pytest.fixture
def gunicorn(postgres, tmp_path, settings):
    """start(**env) → base URL of a gunicorn serving the portal on the test database."""
    procs: list[subprocess.Popen] = []

    def start(**extra) -> str:
        port = free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "PORTAL_CLOCK_TODAY": str(settings.PORTAL_CLOCK_TODAY or ""),
            **{k: str(v) for k, v in extra.items()},
        }
        env.pop("PORTAL_REQUIRE_SERVICES", None)
        proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--timeout", "60"],
            cwd=settings.BASE_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"

        def up():
            login = base + "/accounts/login/"
            with contextlib.suppress(OSError), urllib.request.urlopen(login, timeout=2) as r:  # noqa: S310
                return r.status == 200
            return False

        wait_for(up, 40, "gunicorn start", log)
        return base

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def until(condition, seconds: float, what: str, log: Path | None = None):
    return wait_for(condition, seconds, what, log)


__all__ = ["Browser", "celery_sends_to", "free_port", "kill", "until", "time"]
