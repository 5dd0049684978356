"""The Celery application.

In the embedded default (no CELERY_BROKER_URL) tasks run eagerly in the web process; in production
the broker is Redis and a worker and beat run beside gunicorn.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("angiang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
