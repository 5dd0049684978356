"""A compile lost with its worker is not left "running 25 %": with the production lease (45 s) the
every-minute dispatch hands it over again, "compile now" never answers with it as if it were alive, and an
officer can restart it from its page; a version that is alive or finished is not restarted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import timezone

from documents import services as compiling
from documents.models import ReportVersion
from programs.models import ProvincialReport

pytestmark = pytest.mark.django_db
V = ReportVersion


def lost(kind: str = "quarterly", seconds_ago: float = 60) -> ReportVersion:
    """A version whose worker died at the PDF step, `seconds_ago` seconds after its last heartbeat."""
    report = ProvincialReport.objects.get(program__year=2018, kind=kind)
    version, _ = compiling.version_create(report=report, trigger=V.Trigger.COMMAND, enqueue=False)
    at = timezone.now() - dt.timedelta(seconds=seconds_ago)
    V.objects.filter(pk=version.pk).update(status=V.Status.RUNNING, step=V.Step.PDF, percent=25, attempts=1,
                                           heartbeat_at=at, dispatched_at=at, started_at=at)  # fmt: skip
    return V.objects.get(pk=version.pk)


def page(version: ReportVersion) -> str:
    return reverse("documents:report_version", kwargs={"year": 2018, "pk": version.pk})


def test_the_production_values_pick_a_lost_compile_up_within_two_minutes():
    """Lease plus the dispatch's period, and the broker's redelivery, are each under two minutes."""
    assert django_settings.PORTAL_COMPILE_LEASE + django_settings.PORTAL_DISPATCH_SECONDS <= 120
    assert django_settings.PORTAL_CELERY_VISIBILITY_TIMEOUT <= 120


def test_an_officer_restarts_a_stuck_version_and_it_completes(login, media, django_capture_on_commit_callbacks):
    version = lost()
    client = login("dolisa")
    html = client.get(page(version)).content.decode()
    assert 'data-testid="stuck"' in html and "Chạy lại" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("documents:report_restart", kwargs={"year": 2018, "pk": version.pk}), follow=True
        )
    assert "Đã cho chạy lại bản biên soạn." in response.content.decode()
    done = V.objects.get(pk=version.pk)
    assert done.status == V.Status.DONE and done.attempts == 2
    assert V.objects.count() == 1


def test_a_live_version_is_not_restarted(login, media):
    version = lost(seconds_ago=5)
    client = login("dolisa")
    assert 'data-testid="stuck"' not in client.get(page(version)).content.decode()
    response = client.post(reverse("documents:report_restart", kwargs={"year": 2018, "pk": version.pk}), follow=True)
    assert "vẫn đang chạy bình thường" in response.content.decode()
    assert V.objects.get(pk=version.pk).attempts == 1


def test_viewers_may_not_restart(login, media):
    version = lost()
    response = login("viewer").post(reverse("documents:report_restart", kwargs={"year": 2018, "pk": version.pk}))
    assert response.status_code == 404  # viewers see finished versions only
    assert V.objects.get(pk=version.pk).attempts == 1


def test_compile_now_restarts_a_stuck_version_instead_of_answering_with_it(
    login, media, django_capture_on_commit_callbacks
):
    version = lost()
    with django_capture_on_commit_callbacks(execute=True):
        response = login("dolisa").post(
            reverse("documents:report_compile", kwargs={"year": 2018, "kind": "quarterly"}), follow=True
        )
    assert "Lần biên soạn trước bị gián đoạn" in response.content.decode()
    assert V.objects.get(pk=version.pk).status == V.Status.DONE


def test_the_every_minute_dispatch_hands_a_lost_compile_over_once_per_lease(media, monkeypatch):
    version, alive = lost(), lost("six_month", seconds_ago=5)
    sent = []
    monkeypatch.setattr("documents.tasks.compile_version.delay", lambda pk: sent.append(pk))
    assert compiling.versions_dispatch_waiting() == [version.pk]
    assert compiling.versions_dispatch_waiting() == []  # handed over: not again before the lease has passed
    assert sent == [version.pk] and alive.pk not in sent
