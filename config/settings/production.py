"""Production: PostgreSQL (DATABASE_URL), Redis as Celery broker and cache, gunicorn behind an HTTPS
reverse proxy, whitenoise for static files, uploaded and compiled files outside the static root,
SMTP e-mail, logs to standard output. Secrets only from the environment (see .env.example)."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, PORTAL_CELERY_VISIBILITY_TIMEOUT, env

# ------------------------------------------------------------------------------------------------
# Core
# ------------------------------------------------------------------------------------------------
DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[f"https://{h}" for h in ALLOWED_HOSTS])

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # a connection the server dropped is replaced, not reused

# Redis is a cache, never a single point of failure (config.cache: every call a miss while it is down,
# short timeouts so that a dead Redis costs milliseconds). Sessions live in the database: a session
# ended while Redis was down must not come back with it.
CACHES = {
    "default": {
        "BACKEND": "config.cache.PortalRedisCache",
        "LOCATION": env("DJANGO_CACHE_URL", default="redis://127.0.0.1:6379/1"),
        "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.5, "retry_after": 5},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# ------------------------------------------------------------------------------------------------
# HTTPS behind the reverse proxy
# ------------------------------------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# ------------------------------------------------------------------------------------------------
# Files: static files served by whitenoise; uploads and compiled reports under DJANGO_MEDIA_ROOT,
# outside the static root and never served directly (views check access).
# ------------------------------------------------------------------------------------------------
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT")
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# ------------------------------------------------------------------------------------------------
# Celery on Redis, e-mail by SMTP
# ------------------------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = False
# Redis redelivers a task whose worker died after PORTAL_CELERY_VISIBILITY_TIMEOUT seconds (acks late).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": PORTAL_CELERY_VISIBILITY_TIMEOUT, "socket_connect_timeout": 2}
# A web request that queues a task (compile now, an incident's e-mail) while the broker is down gives up in
# about a second: the compile waits for the every-minute dispatch, the page says so (documents.services).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# Without DJANGO_EMAIL_URL the base settings' console back-end stays, and `check --deploy` refuses it
# (core.checks): reminders, incident notices and password resets must reach someone.
if env("DJANGO_EMAIL_URL", default=""):
    vars().update(env.email_url("DJANGO_EMAIL_URL"))
