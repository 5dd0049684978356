"""Celery tasks of the reporting app: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import deadlines, services

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=TRANSIENT, retry_backoff=60,
             retry_backoff_max=1800, max_retries=5)  # fmt: skip
def deadlines_daily(self) -> dict:
    """The daily job of the deadlines (reporting.deadlines): late drafts marked, reminders sent."""
    return deadlines.deadlines_run().as_dict()


@shared_task(name="reporting.reopen_request_notify", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def reopen_request_notify_task(*, request_id: int) -> int:
    """Tell the other side of a reopen request by e-mail (retried while the mail server is unreachable)."""
    return services.reopen_request_notify(request_id=request_id)
