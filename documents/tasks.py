"""Celery tasks: thin wrappers over services, taking ids. Late acknowledgement and re-queue on a
lost worker (also the settings' defaults, with a prefetch of one): compiling is idempotent, so a
redelivered message is harmless. Transient database errors are retried with backoff."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import schedule
from . import services as compiling

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=TRANSIENT, retry_backoff=5,
             retry_backoff_max=300, max_retries=5)  # fmt: skip
def compile_version(self, version_id: int) -> str:
    """Compile one version of a provincial report; returns its final status."""
    return compiling.version_compile(version_id=version_id).status


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=TRANSIENT, retry_backoff=60,
             retry_backoff_max=1800, max_retries=5)  # fmt: skip
def daily(self) -> dict:
    """The daily job of the reports (documents.schedule): lost compiles queued again, due reports compiled."""
    return schedule.daily_run().as_dict()


@shared_task(acks_late=True)
def dispatch() -> list[int]:
    """Every minute (beat): hand to the queue the compiles that could not be queued while the broker
    was down."""
    return compiling.versions_dispatch_waiting()
