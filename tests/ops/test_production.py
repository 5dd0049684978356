"""Production mode: the deploy gate (`check --deploy`, custom checks in core.checks and demo.checks) refuses a
careless production and passes a real one; `setup_demo` refuses the production settings; and `make prod`
runs the whole stack (gunicorn, a Celery worker and beat) under supervisord on PostgreSQL and a Redis of
the test's own, restarting a killed worker and a killed gunicorn while the other keeps serving."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from django.core import checks

from demo.checks import check_demo_accounts
from documents.models import ReportVersion
from tests.helpers import ensure_program

from .conftest import PYTHON, ROOT, VENV_BIN, celery_sends_to, database_url, free_port, production_env, wait_for


def manage(tmp_path: Path, *args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([str(PYTHON), "manage.py", *args], cwd=ROOT, env=production_env(tmp_path, **env),
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def check_deploy(tmp_path: Path, **env) -> subprocess.CompletedProcess:
    return manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **env)


def env_example(name: str) -> str:
    line = next(x for x in (ROOT / ".env.example").read_text().splitlines() if x.startswith(name + "="))
    return line.split("=", 1)[1]


def test_check_deploy_passes_with_a_real_production(tmp_path):
    result = check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    ("env", "error"),
    [
        ({"DJANGO_SECRET_KEY": env_example("DJANGO_SECRET_KEY")}, "portal.E001"),
        ({"DJANGO_SECRET_KEY": "short-but-not-published-" + "x" * 10}, "portal.E002"),
        ({"PORTAL_CLOCK_TODAY": "2018-05-10"}, "portal.E003"),
        ({"DJANGO_EMAIL_URL": ""}, "portal.E004"),
        ({"DJANGO_EMAIL_URL": "consolemail://"}, "portal.E004"),
    ],
    ids=["env-example-secret", "short-secret", "demo-clock", "no-email", "console-email"],
)
def test_check_deploy_refuses_a_careless_production(tmp_path, env, error):
    result = check_deploy(tmp_path, **env)
    assert result.returncode != 0
    assert error in result.stderr + result.stdout


def test_demo_accounts_and_the_demo_password_fail_the_deploy_check(program):
    """The test database holds the demo's accounts (tests.conftest), with the published password."""
    ids = {m.id for m in check_demo_accounts()}
    assert ids == {"portal.E010", "portal.E011"}
    assert all(isinstance(m, checks.Error) for m in check_demo_accounts())
    from accounts.models import User

    User.objects.filter(email__endswith="@demo.angiang.gov.vn").update(email="")
    from demo.accounts import DEMO_USERNAMES

    User.objects.filter(username__in=DEMO_USERNAMES).update(password="!")  # unusable
    assert check_demo_accounts() == []


def test_setup_demo_refuses_the_production_settings(tmp_path):
    result = manage(tmp_path, "setup_demo")
    assert result.returncode != 0
    assert "setup_demo refuses to run under the production settings" in result.stderr


# ------------------------------------------------------------------------------------------------
# The supervised stack
# ------------------------------------------------------------------------------------------------
def get(base: str, path: str, proto: str = "https") -> tuple[int | None, dict, bytes]:
    request = urllib.request.Request(base + path, headers={"X-Forwarded-Proto": proto})  # noqa: S310
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=5) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()
    except OSError:
        return None, {}, b""


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Watch:
    """Polls /healthz in a thread and records every answer (None: no answer)."""

    def __init__(self, base: str):
        self.base, self.answers, self._stop = base, [], threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop.is_set():
            self.answers.append(get(self.base, "/healthz")[0])
            time.sleep(0.2)

    def stop(self) -> list:
        self._stop.set()
        self.thread.join(10)
        return self.answers


def supervisor_pid(env: dict, program: str) -> int:
    out = subprocess.run([str(VENV_BIN / "supervisorctl"), "-c", "ops/supervisord.conf", "pid", program], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=20).stdout.strip()  # fmt: skip
    return int(out) if out.isdigit() else 0


def compiled(report_kind: str, log: Path) -> None:
    """A compile handed to the broker now is done by the stack's worker."""
    from documents import services as compiling
    from programs.models import ProvincialReport

    report = ProvincialReport.objects.get(program__year=2018, kind=report_kind)
    version, _ = compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND)
    wait_for(lambda: ReportVersion.objects.get(pk=version.pk).status == ReportVersion.Status.DONE, 120,
             f"the {report_kind} compile", log)  # fmt: skip


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_make_prod_supervises_the_stack_and_restarts_what_dies(redis_server, postgres, tmp_path, settings):
    from accounts.models import User

    ensure_program()
    # A production database: no demo account, no published password (make prod's check --deploy refuses them).
    User.objects.filter(email__endswith="@demo.angiang.gov.vn").update(email="")
    User.objects.update(password="!")
    settings.MEDIA_ROOT = tmp_path / "media"
    port = free_port()
    env = production_env(
        tmp_path, DATABASE_URL=database_url(), CELERY_BROKER_URL=redis_server.url(0),
        DJANGO_CACHE_URL=redis_server.url(1), BIND=f"127.0.0.1:{port}", WEB_CONCURRENCY=1, CELERY_CONCURRENCY=1,
        PORTAL_VAR_DIR=tmp_path, PORTAL_ROOT=ROOT,
    )  # fmt: skip
    log = tmp_path / "make-prod.log"
    proc = subprocess.Popen(["make", "prod", f"PORTAL_VAR_DIR={tmp_path}"], cwd=ROOT, env=env, stdout=log.open("ab"),
                            stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: get(base, "/healthz")[0] == 200, 120, "gunicorn under make prod", log)
        wait_for(lambda: " ready." in log.read_text(errors="replace"), 60, "the Celery worker", log)
        wait_for(lambda: "beat: Starting" in log.read_text(errors="replace"), 60, "Celery beat", log)
        status, headers, body = get(base, "/accounts/login/")
        assert status == 200 and "max-age=31536000" in headers.get("Strict-Transport-Security", "")
        assert "script-src 'self'" in headers.get("Content-Security-Policy", "")
        assert "Secure" in headers.get("Set-Cookie", "") and "HttpOnly" in headers.get("Set-Cookie", "")
        css = re.search(rb'href="(/static/[^"]+\.css)"', body).group(1).decode()
        assert get(base, css)[0] == 200  # whitenoise serves the collected, hashed static files
        assert get(base, "/accounts/login/", proto="http")[0] == 301  # plain HTTP is sent to HTTPS

        with celery_sends_to(redis_server.url(0)):
            # The worker is killed: supervisord starts a new one; the web answers all along.
            worker = supervisor_pid(env, "worker")
            watch = Watch(base)
            os.kill(worker, signal.SIGKILL)
            wait_for(lambda: supervisor_pid(env, "worker") not in (0, worker), 60, "a new worker", log)
            compiled("quarterly", log)
            answers = watch.stop()
            assert answers and set(answers) == {200}, answers

            # gunicorn's master is killed: supervisord starts a new one; the worker compiles meanwhile.
            web = supervisor_pid(env, "web")
            os.kill(web, signal.SIGKILL)
            compiled("six_month", log)
            wait_for(lambda: supervisor_pid(env, "web") not in (0, web), 60, "a new gunicorn", log)
            wait_for(lambda: get(base, "/healthz")[0] == 200, 60, "the new gunicorn answering", log)
        assert ReportVersion.objects.filter(status=ReportVersion.Status.DONE).count() == 2
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
