"""Production mode: the deploy checks pass, and `make prod` starts the whole stack (gunicorn, a Celery
worker and beat) on PostgreSQL and a Redis of the test's own, serving pages over HTTPS behind a proxy."""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from documents.models import ReportVersion
from tests.conftest import ensure_program
from tests.documents.test_celery_worker import database_url

from .conftest import free_port, until

ROOT = Path(settings.BASE_DIR)


def production_env(tmp_path: Path, **extra) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_EMAIL_URL": "consolemail://",
        **{k: str(v) for k, v in extra.items()},
    }
    for name in ("PORTAL_REQUIRE_SERVICES", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORTAL_CLOCK_TODAY"):
        env.pop(name, None)  # test-only switches (the browser tests set the second) have no place in production
    return env


def test_check_deploy_gives_no_warning(tmp_path):
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(tmp_path), capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_make_prod_starts_the_whole_stack(redis_server, tmp_path):
    ensure_program()
    port = free_port()
    env = production_env(
        tmp_path,
        DATABASE_URL=database_url(),
        CELERY_BROKER_URL=redis_server.url,
        DJANGO_CACHE_URL=redis_server.url.replace("/0", "/1"),
        BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY=1,
        CELERY_CONCURRENCY=1,
        PORTAL_VAR_DIR=tmp_path,
        PORTAL_DISPATCH_SECONDS=1,
    )
    log = tmp_path / "honcho.log"
    proc = subprocess.Popen(["make", "prod"], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"

        def get(path: str, proto: str = "https"):
            request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": proto})  # noqa: S310
            opener = urllib.request.build_opener(NoRedirect)
            try:
                with opener.open(request, timeout=5) as r:
                    return r.status, dict(r.headers), r.read()
            except urllib.error.HTTPError as e:
                return e.code, dict(e.headers), e.read()
            except OSError:
                return None, {}, b""

        until(lambda: get("/accounts/login/")[0] == 200, 90, "gunicorn behind make prod", log)
        text = log.read_text(errors="replace")
        until(lambda: " ready." in log.read_text(errors="replace"), 60, "the Celery worker", log)
        until(lambda: "beat: Starting" in log.read_text(errors="replace"), 60, "Celery beat", log)
        status, headers, body = get("/accounts/login/")
        assert "max-age=31536000" in headers.get("Strict-Transport-Security", "")
        assert "script-src 'self'" in headers.get("Content-Security-Policy", "")
        assert "Secure" in headers.get("Set-Cookie", "") and "HttpOnly" in headers.get("Set-Cookie", "")
        css = re.search(rb'href="(/static/[^"]+\.css)"', body).group(1).decode()
        assert get(css)[0] == 200  # whitenoise serves the collected, hashed static files
        assert get("/accounts/login/", proto="http")[0] == 301  # plain HTTP is sent to HTTPS
        # The worker takes tasks: the dispatcher (beat, every second) finds nothing to do, a compile runs.
        from documents import services as compiling
        from programs.models import ProvincialReport

        report = ProvincialReport.objects.get(program__year=2018, kind="quarterly")
        version, _ = compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
        until(lambda: ReportVersion.objects.get(pk=version.pk).status == ReportVersion.Status.DONE, 120,
              "a compile handed over by beat's dispatcher", log)  # fmt: skip
        del text
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
