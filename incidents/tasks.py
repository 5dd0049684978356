"""Celery tasks of the incidents app: thin wrappers over services, taking ids."""

from celery import shared_task

from . import services


@shared_task(name="incidents.notify", autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def incident_notify_task(*, incident_id: int, site_url: str = "") -> int:
    """Tell DOLISA about a new incident by e-mail (retried while the mail server is unreachable)."""
    return services.incident_notify(incident_id=incident_id, site_url=site_url)
