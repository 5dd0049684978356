"""Faults a government server meets, driven as production runs: gunicorn and Celery under
config.settings.production, on the test's PostgreSQL database and a Redis server of the test's own
(cache and broker), with the production values of a lost compile's recovery. Redis stops during sign-in,
a save, the dashboard and "compile now"; a worker dies mid-compile; the database drops its connections
during a save. No request answers 500, and nothing saved is lost."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.urls import reverse

from documents.models import ReportVersion
from incidents.models import Incident
from programs.models import Program, ProvincialReport
from reporting.models import IndicatorValue
from tests.documents.test_celery_worker import check_files
from tests.helpers import ensure_program
from tests.incidents.helpers import CHO_MOI as CHO_MOI_DISTRICT
from tests.incidents.helpers import post_form
from tests.reporting.helpers import fill_indicators, post_data, url_for

from .conftest import Browser, celery_sends_to, kill, production_passwords, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

V = ReportVersion
AGENCY = "ubnd-cho-moi"
DASHBOARD = "/dashboard/2018/?cut=quarter&quarter=1"


def program_2018() -> Program:
    return Program.objects.get(year=2018)


def save(browser: Browser, num: int, den: int) -> tuple[int, str]:
    """The reporter saves the form (the page first, as a browser, for its CSRF token); the page answered."""
    data = post_data(AGENCY, **fill_indicators(AGENCY, num=num, den=den), action="save")
    status, body, _url = browser.post(url_for(AGENCY), data)
    return status, body


def numerators() -> set[int]:
    return set(IndicatorValue.objects.filter(submission__agency__code=AGENCY).values_list("numerator", flat=True))


def content(page: str) -> str:
    """The dashboard's figures: the page's main part, without the CSRF tokens that change with each page."""
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", main)


def test_redis_stopped_sign_in_form_save_dashboard_and_compile_answer_and_nothing_is_lost(
    redis_server, gunicorn, celery_procs, demo_password, settings
):
    ensure_program()
    production_passwords(demo_password, "dolisa", AGENCY)
    settings.PORTAL_CLOCK_TODAY = "2018-03-10"
    base = gunicorn(DJANGO_CACHE_URL=redis_server.url(1), CELERY_BROKER_URL=redis_server.url(0))
    officer = Browser(base)
    officer.sign_in("dolisa", demo_password)
    status, cached = officer.get(DASHBOARD)  # computed, and kept in Redis
    assert status == 200

    redis_server.stop()
    reporter = Browser(base)
    reporter.sign_in(AGENCY, demo_password)  # sign-in: sessions are in the database
    assert reporter.get(url_for(AGENCY))[0] == 200  # the form
    status, body = save(reporter, 7, 9)  # the save commits and answers
    assert status == 200 and "Đã lưu nháp" in body
    assert numerators() == {7}
    # An incident filed: saved, its data version moved in the database; its e-mail cannot be queued (logged).
    incident = {**post_form(program_2018(), CHO_MOI_DISTRICT), "occurred_on": "2018-03-01"}
    status, body, url = reporter.post(reverse("incidents:create"), incident)
    assert status == 200 and "/incidents/" in url and Incident.objects.count() == 1
    status, during = officer.get(DASHBOARD)  # computed from the database, not kept
    assert status == 200 and content(during) != content(cached)
    status, body, _url = officer.post(reverse("documents:report_compile", kwargs={"year": 2018, "kind": "quarterly"}),
                                      {}, form_page="/reports/2018/")  # fmt: skip
    assert status == 200
    assert "Hàng đợi xử lý tạm thời không hoạt động" in body
    version = V.objects.get()
    assert (version.status, version.dispatched_at) == (V.Status.QUEUED, None)

    # Redis comes back with the page it kept before the changes: the page served is the new one, not that.
    redis_server.start()
    with celery_sends_to(redis_server.url(0)):
        _worker, worker_log = celery_procs("worker", redis_server.url(0))
        _beat, beat_log = celery_procs("beat", redis_server.url(0), PORTAL_DISPATCH_SECONDS=1)
        wait_for(lambda: V.objects.get(pk=version.pk).status == V.Status.DONE, 150, "the compile after Redis",
                 worker_log)  # fmt: skip
    wait_for(lambda: content(officer.get(DASHBOARD)[1]) == content(during), 30, "the dashboard after Redis")
    assert V.objects.count() == 1
    check_files(V.objects.get(), settings.MEDIA_ROOT)
    assert "documents.tasks.dispatch" in beat_log.read_text()
    assert "500 Internal Server Error" not in gunicorn.log.read_text(errors="replace")


def test_worker_killed_mid_compile_is_picked_up_within_two_minutes(redis_server, celery_procs, settings):
    """The production lease and visibility timeout (config/settings/base.py); the compile slowed by
    PORTAL_COMPILE_STEP_DELAY so that it can be killed mid-way."""
    ensure_program()
    settings.PORTAL_CLOCK_TODAY = "2018-05-20"
    assert settings.PORTAL_COMPILE_LEASE + settings.PORTAL_DISPATCH_SECONDS <= 120
    report = ProvincialReport.objects.get(program__year=2018, kind="six_month")
    first, log = celery_procs("worker", redis_server.url(0), PORTAL_COMPILE_STEP_DELAY=2)
    with celery_sends_to(redis_server.url(0)):
        from documents import services as compiling

        version, _ = compiling.version_create(report=report, trigger=V.Trigger.COMMAND)
        assert V.objects.get(pk=version.pk).dispatched_at is not None
        wait_for(
            lambda: V.objects.get(pk=version.pk).step in (V.Step.PDF, V.Step.XLSX), 60, "the compile to start", log
        )
        kill(first)  # SIGKILL, mid-compile
        lost = V.objects.get(pk=version.pk)
        assert lost.status == V.Status.RUNNING
        _second, log2 = celery_procs("worker", redis_server.url(0))
        _beat, _beat_log = celery_procs("beat", redis_server.url(0))
        wait_for(lambda: V.objects.get(pk=version.pk).status == V.Status.DONE, 150, "the lost compile", log2)
    done = V.objects.get(pk=version.pk)
    assert (done.finished_at - lost.heartbeat_at).total_seconds() < 120
    assert V.objects.filter(report=report).count() == 1 and done.attempts >= 2
    check_files(done, settings.MEDIA_ROOT)


def test_database_connections_dropped_during_a_save_the_save_succeeds(redis_server, gunicorn, demo_password,
                                                                      settings):  # fmt: skip
    ensure_program()
    production_passwords(demo_password, "dolisa", AGENCY)
    settings.PORTAL_CLOCK_TODAY = "2018-03-10"
    base = gunicorn(DJANGO_CACHE_URL=redis_server.url(1), CELERY_BROKER_URL=redis_server.url(0))
    reporter = Browser(base)
    reporter.sign_in(AGENCY, demo_password)
    assert reporter.get(url_for(AGENCY))[0] == 200  # the web worker holds a connection (CONN_MAX_AGE)
    data = post_data(AGENCY, **fill_indicators(AGENCY, num=5, den=9), action="save")
    _status, page = reporter.get(url_for(AGENCY))
    # The database server drops every connection of the portal (a restart, a network cut) while the
    # reporter fills the form; the save that follows runs on a new connection.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1
    status, body, _url = reporter.post(url_for(AGENCY), data)
    assert status == 200 and "Đã lưu nháp" in body
    assert numerators() == {5}
    assert "500 Internal Server Error" not in gunicorn.log.read_text(errors="replace")
