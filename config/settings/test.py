"""Settings for the test suite: fast hashing, in-memory e-mail, eager Celery unless a test says otherwise."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-not-a-secret-8c2a51")
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Eager Celery, unless CELERY_BROKER_URL is set: the worker tests (tests/documents/test_celery_worker.py)
# start a real worker with it, and small Redis transport options (CELERY_BROKER_TRANSPORT_OPTIONS, JSON).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_BROKER_TRANSPORT_OPTIONS = env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default={})
INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405  (the synthetic data generator is tested)
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")
