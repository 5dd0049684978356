"""Settings for the test suite: fast hashing, in-memory e-mail, eager Celery unless a test says otherwise."""

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-only-not-a-secret-8c2a51")
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=BASE_DIR / "var" / "test-media")
