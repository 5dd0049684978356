"""The benchmark's server (bench/run.py): production settings, but over plain HTTP on loopback and with
the benchmark's management commands. Never for real use."""

from .production import *  # noqa: F403
from .production import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
AXES_ENABLED = False  # thousands of sign-ins from one address are the benchmark, not an attack
