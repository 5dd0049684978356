"""The embedded default: SQLite, console e-mail, DEBUG on unless DJANGO_DEBUG says otherwise.

Celery runs eagerly (in the web process) unless CELERY_BROKER_URL is set. `make run` sets it to
kombu's file-system transport (`filesystem://`) and runs a real worker and beat beside runserver under
supervisord (ops/supervisord-dev.conf): no Redis is needed, a compile runs in the worker while the page
shows its progress. Production keeps Redis (config/settings/production.py).
"""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, CELERY_BROKER_URL, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-not-a-secret-4f1c9b2e7d")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

# ------------------------------------------------------------------------------------------------
# Celery on files (make run): the messages are files in DJANGO_CELERY_BROKER_DIR, shared by runserver,
# the worker and beat on this machine. No results are kept: the version's own row says how a compile went.
# ------------------------------------------------------------------------------------------------
if CELERY_BROKER_URL.startswith("filesystem:"):
    _broker_dir = Path(env("DJANGO_CELERY_BROKER_DIR", default=str(BASE_DIR / "var" / "celery-broker")))
    for _folder in ("queue", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_IGNORE_RESULT = True
elif not CELERY_BROKER_URL:
    # Eager tasks still take a producer from kombu's pool: name an in-memory transport and its host, so that
    # kombu does not warn of a missing hostname at the first task.
    CELERY_BROKER_URL = "memory://localhost//"
