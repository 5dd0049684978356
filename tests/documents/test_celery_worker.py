"""End to end with a real Celery worker, on Redis and PostgreSQL (shared by this test process and
the worker): a report compiled through the broker, and a worker killed in the middle of a compile,
a new worker started, and exactly one good version at the end.

Needs PostgreSQL (DATABASE_URL) and redis-server: each test starts a Redis server of its own on a spare
port (tests.conftest.redis_server; the machine's Redis is shared and never used); skipped without them,
failed under CI. The worker runs with
config.settings.test, pointed at the test database and the broker through the environment; the
compile is slowed by PORTAL_COMPILE_STEP_DELAY so that it can be killed mid-way (see documents.services).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from documents import services as compiling
from documents.models import ReportVersion
from tests.helpers import service_missing
from tests.servers import database_url, kill, wait_for

from .helpers import report, seed

CELERY = Path(settings.BASE_DIR) / ".venv" / "bin" / "celery"
TASK = "documents.tasks.compile_version"
V = ReportVersion

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres():
    if connection.vendor != "postgresql":
        service_missing("the worker tests need PostgreSQL (DATABASE_URL), which the worker shares")


@pytest.fixture
def broker(postgres, redis_server):
    """An app that only sends to the test's own Redis server."""
    sender = Celery("tests-sender", broker=redis_server.url(0), set_as_current=False)
    sender.url = redis_server.url(0)
    yield sender
    sender.close()


@pytest.fixture
def workers(broker, tmp_path, settings):
    """start(**env) starts a worker in its own process group; every one is killed at the end."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_CLOCK_TODAY = "2018-05-20"
    started: list[tuple[subprocess.Popen, Path]] = []

    def start(**extra) -> tuple[subprocess.Popen, Path]:
        log = tmp_path / f"worker-{len(started) + 1}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker.url,
            # Unacknowledged messages go back to the queue 4 s after delivery when their worker is gone.
            "CELERY_BROKER_TRANSPORT_OPTIONS": json.dumps(
                {"visibility_timeout": 4, "unacked_restore_interval": 1, "unacked_restore_throttle": 1}
            ),
            "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PORTAL_CLOCK_TODAY": settings.PORTAL_CLOCK_TODAY,
            "DJANGO_LOG_LEVEL": "INFO",
            **{k: str(v) for k, v in extra.items()},
        }
        env.pop("PORTAL_REQUIRE_SERVICES", None)
        proc = subprocess.Popen(
            [str(CELERY), "-A", "config", "worker", "--loglevel=INFO", "--concurrency=1", "--pool=prefork",
             "-n", f"test-{uuid.uuid4().hex[:8]}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=settings.BASE_DIR, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        started.append((proc, log))
        wait_for(lambda: b" ready." in log.read_bytes() or proc.poll() is not None, 40, "worker start", log)
        assert proc.poll() is None, log.read_text()[-3000:]
        return proc, log

    yield start
    for proc, _log in started:
        kill(proc)


def status(pk: int) -> ReportVersion:
    return ReportVersion.objects.get(pk=pk)


def check_files(version: ReportVersion, media: Path) -> None:
    for rel, sha, size in ((version.pdf_path, version.pdf_sha256, version.pdf_size),
                           (version.xlsx_path, version.xlsx_sha256, version.xlsx_size)):  # fmt: skip
        data = (media / rel).read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha and len(data) == size
    assert (media / version.pdf_path).read_bytes().startswith(b"%PDF")
    leftovers = [p.name for p in media.rglob("*") if p.is_file() and (p.name.startswith(".") or ".tmp" in p.name)]
    assert leftovers == []


def test_a_report_compiles_end_to_end_through_the_broker(program, broker, workers, settings):
    seed(program)
    version, _ = compiling.version_create(report=report("six_month"), trigger=V.Trigger.COMMAND, enqueue=False)
    _proc, log = workers()
    broker.send_task(TASK, args=[version.pk])
    wait_for(lambda: status(version.pk).is_finished, 60, "the compile", log)
    done = status(version.pk)
    assert done.status == V.Status.DONE, done.error + log.read_text()[-3000:]
    assert done.attempts == 1 and done.is_draft  # a compile takes no document number
    check_files(done, Path(settings.MEDIA_ROOT))

    # The same message again (a redelivery): nothing changes, still one version.
    broker.send_task(TASK, args=[version.pk])
    wait_for(lambda: b"succeeded" in log.read_bytes() and log.read_bytes().count(b"succeeded") >= 2, 30,
             "the second run", log)  # fmt: skip
    again = status(version.pk)
    assert ReportVersion.objects.count() == 1
    assert (again.attempts, again.pdf_sha256, again.finished_at) == (1, done.pdf_sha256, done.finished_at)


def test_a_worker_killed_mid_compile_is_replaced_and_one_good_version_results(program, broker, workers, settings):
    seed(program)
    version, _ = compiling.version_create(report=report("quarterly"), trigger=V.Trigger.COMMAND, enqueue=False)
    slow = {"PORTAL_COMPILE_STEP_DELAY": 2, "PORTAL_COMPILE_LEASE": 3}
    first, first_log = workers(**slow)
    broker.send_task(TASK, args=[version.pk])
    wait_for(
        lambda: (v := status(version.pk)).status == V.Status.RUNNING and v.step in (V.Step.PDF, V.Step.XLSX),
        30, "the compile to be under way", first_log,
    )  # fmt: skip
    kill(first)
    lost = status(version.pk)
    assert lost.status == V.Status.RUNNING and lost.attempts == 1

    _second, second_log = workers(**slow)
    wait_for(lambda: status(version.pk).is_finished, 60, "the redelivered compile", second_log)
    done = status(version.pk)
    assert done.status == V.Status.DONE, done.error + second_log.read_text()[-3000:]
    assert done.attempts == 2  # taken over by the second worker's run
    assert ReportVersion.objects.count() == 1
    check_files(done, Path(settings.MEDIA_ROOT))
    names = sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file())
    assert names == ["v01-2.html", "v01-2.pdf", "v01-2.xlsx"]
