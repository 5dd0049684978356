"""Celery tasks of the reporting app: thin wrappers over services."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import deadlines

TRANSIENT = (OperationalError, InterfaceError)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, autoretry_for=TRANSIENT, retry_backoff=60,
             retry_backoff_max=1800, max_retries=5)  # fmt: skip
def deadlines_daily(self) -> dict:
    """The daily job of the deadlines (reporting.deadlines): late drafts marked, reminders sent."""
    return deadlines.deadlines_run().as_dict()
