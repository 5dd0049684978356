"""Faults a government server meets, each on a Redis server and Celery processes the test starts
itself: the broker stops, a worker dies mid-task, the database drops its connections."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from accounts.models import User
from documents.models import ReportVersion
from programs.models import ProvincialReport
from reporting.models import IndicatorValue
from tests.documents.test_celery_worker import check_files
from tests.helpers import ensure_program
from tests.reporting.helpers import fill_indicators, post_data, url_for

from .conftest import Browser, celery_sends_to, kill, until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

V = ReportVersion


def client_for(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_broker_down_saving_works_and_compile_now_runs_once_it_is_back(redis_server, celery_procs, client, settings):
    ensure_program()
    settings.PORTAL_CLOCK_TODAY = "2018-03-10"
    _worker, worker_log = celery_procs("worker", redis_server.url)
    _beat, beat_log = celery_procs("beat", redis_server.url, PORTAL_DISPATCH_SECONDS=1)
    with celery_sends_to(redis_server.url):
        redis_server.stop()

        # Saving a submission needs no broker.
        reporter = client_for(client, "ubnd-cho-moi")
        data = post_data("ubnd-cho-moi", **fill_indicators("ubnd-cho-moi", num=7, den=9), action="save")
        assert reporter.post(url_for("ubnd-cho-moi"), data).status_code == 302
        assert set(IndicatorValue.objects.values_list("numerator", flat=True)) == {7}

        # "Compile now" is recorded and says plainly that it will run later.
        officer = client_for(client.__class__(), "dolisa")
        response = officer.post(reverse("documents:report_compile", kwargs={"year": 2018, "kind": "quarterly"}),
                                follow=True)  # fmt: skip
        assert response.status_code == 200
        body = response.content.decode()
        assert "Hàng đợi xử lý tạm thời không hoạt động" in body
        assert "sẽ được biên soạn tự động ngay khi hàng đợi hoạt động trở lại" in body
        version = V.objects.get()
        assert (version.status, version.dispatched_at) == (V.Status.QUEUED, None)

        # The broker comes back: beat hands the compile over, the worker compiles it, once.
        redis_server.start()
        until(lambda: V.objects.get(pk=version.pk).status == V.Status.DONE, 150, "the compile after the broker",
              worker_log)  # fmt: skip
    assert V.objects.count() == 1
    check_files(V.objects.get(), settings.MEDIA_ROOT)
    assert "documents.tasks.dispatch" in beat_log.read_text()


def test_worker_killed_mid_task_runs_again_and_one_good_version_results(redis_server, celery_procs, settings):
    ensure_program()
    settings.PORTAL_CLOCK_TODAY = "2018-05-20"
    report = ProvincialReport.objects.get(program__year=2018, kind="six_month")
    first, log = celery_procs("worker", redis_server.url, PORTAL_COMPILE_STEP_DELAY=2, PORTAL_COMPILE_LEASE=3)
    with celery_sends_to(redis_server.url):
        from documents import services as compiling

        version, _ = compiling.version_create(report=report, trigger=V.Trigger.COMMAND)
        assert V.objects.get(pk=version.pk).dispatched_at is not None
        until(lambda: V.objects.get(pk=version.pk).step in (V.Step.PDF, V.Step.XLSX), 60, "the compile to start", log)
        kill(first)  # SIGKILL, mid-compile
        assert V.objects.get(pk=version.pk).status == V.Status.RUNNING
        _second, log2 = celery_procs("worker", redis_server.url, PORTAL_COMPILE_LEASE=3)
        until(lambda: V.objects.get(pk=version.pk).status == V.Status.DONE, 120, "the redelivered compile", log2)
    assert V.objects.filter(report=report).count() == 1
    done = V.objects.get(pk=version.pk)
    assert done.attempts >= 2
    check_files(done, settings.MEDIA_ROOT)


def test_dropped_database_connection_the_next_request_succeeds(gunicorn, demo_password, settings):
    ensure_program()
    base = gunicorn()
    browser = Browser(base)
    browser.sign_in("dolisa", demo_password)
    assert browser.get("/programs/2018/")[0] == 200
    # The database server drops every connection of the portal (a restart, a network cut).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1
    status, body = browser.get("/programs/2018/")
    assert status == 200 and "535/QĐ-UBND" in body
    assert ProvincialReport.objects.filter(program__year=2018).count() == 3  # our own connection survived
