"""Fixtures for the operations tests: Celery workers and beat, and gunicorn serving the portal under the
production settings, all against the test's PostgreSQL database and a Redis server of the test's own
(tests.conftest.redis_server: the machine's Redis is shared and never used). Skipped without PostgreSQL
or redis-server; failed under CI."""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import secrets
import signal
import subprocess
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.helpers import service_missing
from tests.servers import database_url, free_port, kill, wait_for

ROOT = Path(settings.BASE_DIR)
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = VENV_BIN / "python"

# The production values of a lost compile's recovery (config/settings/base.py): the fault tests run with them.
PRODUCTION_RECOVERY = {"PORTAL_COMPILE_LEASE": settings.PORTAL_COMPILE_LEASE}


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        service_missing("the operations tests need PostgreSQL (DATABASE_URL)")


def production_env(tmp_path: Path, **extra) -> dict:
    """The environment of a production process (config.settings.production), as .env.example lists it,
    with a real secret, an SMTP back-end that is never reached, and the test's database."""
    env = dict(os.environ)
    for name in ("PORTAL_REQUIRE_SERVICES", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORTAL_CLOCK_TODAY", "DJANGO_EMAIL_BACKEND",
                 "CELERY_BROKER_TRANSPORT_OPTIONS", "CELERY_RESULT_BACKEND"):  # fmt: skip
        env.pop(name, None)  # test-only switches have no place in production
    env.update({
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
        "DJANGO_CACHE_URL": "redis://127.0.0.1:1/1",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_EMAIL_URL": "smtp://127.0.0.1:1",
        **{k: str(v) for k, v in extra.items()},
    })  # fmt: skip
    return env


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> Path:
    """The collected static files (production serves them with whitenoise, from a manifest), once."""
    root = tmp_path_factory.mktemp("static")
    env = production_env(root.parent, DJANGO_STATIC_ROOT=root)
    result = subprocess.run([str(PYTHON), "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env,
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return root


@pytest.fixture
def celery_procs(postgres, tmp_path, settings):
    """start("worker"|"beat", broker_url, **env): Celery processes under the production settings on the test
    database, killed at the end."""
    settings.MEDIA_ROOT = tmp_path / "media"
    started: list[subprocess.Popen] = []

    def start(kind: str, broker_url: str, **extra) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / f"{kind}-{len(started) + 1}.log"
        env = production_env(
            tmp_path, DATABASE_URL=database_url(), CELERY_BROKER_URL=broker_url, DJANGO_CACHE_URL=broker_url,
            DJANGO_MEDIA_ROOT=settings.MEDIA_ROOT, **extra,
        )  # fmt: skip
        if settings.PORTAL_CLOCK_TODAY:
            env["PORTAL_CLOCK_TODAY"] = str(settings.PORTAL_CLOCK_TODAY)  # the compile's date of issue
        if kind == "worker":
            name = f"ops-{uuid.uuid4().hex[:8]}@%h"
            args = ["worker", "--loglevel=INFO", "--concurrency=1", "--pool=prefork", "-n", name,
                    "--without-gossip", "--without-mingle", "--without-heartbeat"]  # fmt: skip
            ready = b" ready."
        else:
            args = ["beat", "--loglevel=INFO", f"--schedule={tmp_path / 'beat-schedule'}", "--max-interval=1"]
            ready = b"beat: Starting"
        proc = subprocess.Popen(
            [str(VENV_BIN / "celery"), "-A", "config", *args], cwd=ROOT, env=env,
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


class _BehindTheProxy(http.cookiejar.DefaultCookiePolicy):
    """The test speaks plain HTTP to gunicorn as the TLS proxy does: Secure cookies are sent all the same."""

    def return_ok_secure(self, cookie, request):
        return True


class Browser:
    """A tiny HTTP client with cookies and CSRF for a real server, sending what the reverse proxy adds
    (X-Forwarded-Proto: https), so that the production settings see the HTTPS they require."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar(policy=_BehindTheProxy())
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.headers = {"X-Forwarded-Proto": "https"}

    def _open(self, path: str, data: dict | None = None, headers: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers={**self.headers, **(headers or {})})  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as r:
                return r.status, r.read().decode(), r.url
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(errors="replace"), e.url
        except OSError:  # not answering (yet)
            return 0, "", ""

    def get(self, path: str) -> tuple[int, str]:
        status, body, _url = self._open(path)
        return status, body

    def post(self, path: str, data: dict, *, form_page: str | None = None) -> tuple[int, str, str]:
        """POST a form as a browser does, with the CSRF token of the page it came from; (status, body, final url)."""
        _status, page = self.get(form_page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        referer = "https://" + self.base.removeprefix("http://") + (form_page or path)
        return self._open(path, {**data, "csrfmiddlewaretoken": token}, headers={"Referer": referer})

    def sign_in(self, username: str, password: str) -> None:
        status, _body, url = self.post("/accounts/login/", {"username": username, "password": password})
        assert status == 200 and "/accounts/login/" not in url, (status, url)


def production_passwords(password: str, *usernames: str) -> None:
    """The users' password hashed as production hashes it (the test settings hash with MD5, which the
    production settings do not read)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from accounts.models import User

    hasher = PBKDF2PasswordHasher()
    encoded = hasher.encode(password, hasher.salt(), iterations=1000)  # production re-hashes it at sign-in
    User.objects.filter(username__in=usernames).update(password=encoded)


@pytest.fixture
def gunicorn(postgres, tmp_path, static_root, settings):
    """start(**env) → base URL of a gunicorn serving the portal under the production settings, on the test
    database."""
    procs: list[subprocess.Popen] = []

    def start(**extra) -> str:
        port = free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        env = production_env(tmp_path, DATABASE_URL=database_url(), DJANGO_STATIC_ROOT=static_root, **extra)
        if settings.PORTAL_CLOCK_TODAY:
            env["PORTAL_CLOCK_TODAY"] = str(settings.PORTAL_CLOCK_TODAY)
        proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1",
             "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        procs.append(proc)
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: Browser(base).get("/healthz")[0] == 200, 40, "gunicorn start", log)
        start.log = log
        return base

    yield start
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


__all__ = ["Browser", "celery_sends_to", "database_url", "free_port", "kill", "production_env", "wait_for"]
