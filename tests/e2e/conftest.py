"""Browser journeys: real Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API against
pytest-django's ``live_server``.

Fixtures:
- ``browser`` (session): one headless Chromium; skips when Chromium or Playwright is missing, fails instead
  under PORTAL_REQUIRE_SERVICES=1.
- ``page``: a fresh browser context (1280x900, vi-VN) per test; a screenshot is saved when the test fails.
- ``phone_page``: the same at phone size (390x844, touch).
- ``sign_in(page, username)``: signs a demo account in through the login form.
- ``shot(page, name)``: saves a full-page PNG under the artifacts folder and returns its path.

The artifacts folder is ``var/e2e-artifacts/`` unless PORTAL_E2E_ARTIFACTS names another;
PORTAL_E2E_CHROMIUM names another Chromium binary than /usr/bin/chromium.

``live_server`` makes every test transactional: the database is flushed after each test. Each test therefore
replays the data migrations (the role groups) and (re)loads the 2018 program and the demo accounts first;
each module restores all that once more on the way out, so tests that run after the browser journeys find
the data the session set up.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings

from tests.helpers import ensure_program, service_missing

# Playwright's sync API runs an asyncio event loop in the main thread (inside a greenlet): from the moment the
# session-scoped browser starts until the session ends, Django sees a "running event loop" in this thread and
# refuses ORM calls (SynchronousOnlyOperation): in these fixtures (loading the program), and in any test that
# runs later (pytest-django runs plain `db` tests first, so: the other transactional tests). The process has
# no real async code and the live server runs in its own thread, so allow it for the whole session.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PORTAL_E2E_CHROMIUM", "/usr/bin/chromium")  # Debian's; never `playwright install`
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LOCALE = "vi-VN"
TIMEOUT_MS = 15_000


def artifacts_dir() -> Path:
    path = Path(os.environ.get("PORTAL_E2E_ARTIFACTS") or settings.BASE_DIR / "var" / "e2e-artifacts")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_") or "shot"


def save_shot(page, name: str) -> Path:
    """Save a full-page PNG of ``page`` as ``<artifacts>/<name>.png`` and return its path."""
    path = artifacts_dir() / f"{_safe(name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# ------------------------------------------------------------------------------------------------
# Browser
# ------------------------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        service_missing(f"chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the machine
        service_missing(f"chromium: playwright is not importable ({exc})")
    expect.set_options(timeout=TIMEOUT_MS)
    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    except Exception as exc:
        pw.stop()
        service_missing(f"chromium at {CHROMIUM} could not be launched by playwright: {exc}")
    try:
        yield chromium
    finally:
        chromium.close()
        pw.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item, so ``page`` can tell at teardown whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _context_page(browser, request, **context_kwargs) -> Iterator:
    context = browser.new_context(locale=LOCALE, **context_kwargs)
    context.set_default_timeout(TIMEOUT_MS)
    pg = context.new_page()
    # The content security policy forbids inline script and style: a page that breaks it logs an error.
    violations: list[str] = []
    pg.on(
        "console",
        lambda msg: (
            violations.append(msg.text) if msg.type == "error" and "Content Security Policy" in msg.text else None
        ),
    )
    try:
        yield pg
        assert not violations, f"content security policy violations: {violations}"
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is not None and rep.failed:
            try:
                path = save_shot(pg, f"FAILED-{request.node.nodeid}")
                print(f"\nscreenshot of the failure: {path}")
            except Exception as exc:  # the page may be gone; the failure itself matters more
                print(f"\nno failure screenshot: {exc}")
        context.close()


# ------------------------------------------------------------------------------------------------
# Data and server
# ------------------------------------------------------------------------------------------------
# Data that migrations create (RunPython) rather than ``ensure_program()``. A flush empties every table;
# Django's post_migrate signal then recreates content types and permissions, but not this. Add a data
# migration here if the demo set-up or the pages come to rely on it.
def restore_flushed_data() -> None:
    """Replay the data migrations, then (re)load the 2018 program and the demo accounts if missing."""
    ensure_program()


_flushed = {"pending": False}


@pytest.fixture(scope="module", autouse=True)
def _data_restored_after_e2e(django_db_blocker):
    """Live-server tests flush the database after each test. Once the module is done, put the data back for
    the tests that run after it, and for the next session under --reuse-db (``django_db_setup`` reloads the
    program but not the role groups, so an emptied kept database would break every test).
    Only when a test of the module did use the (test) database: when every test was skipped, the test
    database may not exist and the connection would still point at the real one."""
    yield
    if _flushed["pending"]:
        from django.db import connections

        with django_db_blocker.unblock():
            try:
                restore_flushed_data()
            finally:
                # While Playwright's loop runs, this thread's ORM calls use a connection of their own (asgiref
                # keys DB connections by context, not thread, when a loop is running). Nothing else would close
                # it, and under PostgreSQL the open session stops the test database from being dropped.
                connections.close_all()
        _flushed["pending"] = False


@pytest.fixture
def e2e_program(transactional_db):
    """The 2018 program and the demo accounts, committed so that the live server sees them.

    ``live_server`` tests are transactional: Django flushes every table after each one, including the role
    groups of the data migration accounts/0003_roles that ``ensure_program()`` needs (demo_accounts_create
    looks them up). Hence the replay before ``ensure_program()``.

    Not serialized rollback: it serializes every migrated app when the test database is created (slower),
    and breaks as soon as an app's models are ahead of its migrations."""
    _flushed["pending"] = True
    restore_flushed_data()
    from programs.models import Program

    return Program.objects.get(year=2018, province__code=settings.PORTAL_PROVINCE_CODE)


@pytest.fixture
def portal(live_server, e2e_program) -> str:
    """Base URL of the live portal, with its data in place."""
    return live_server.url


@pytest.fixture
def page(browser, portal, request):
    yield from _context_page(browser, request, viewport=DESKTOP)


@pytest.fixture
def phone_page(browser, portal, request):
    yield from _context_page(browser, request, viewport=PHONE, is_mobile=True, has_touch=True)


@pytest.fixture
def sign_in(portal, demo_password) -> Callable:
    """sign_in(page, "dolisa"): sign in through the login form; returns the page after the redirect."""

    def _sign_in(pg, username: str, password: str | None = None):
        pg.goto(portal + "/accounts/login/")
        pg.fill("input[name=username]", username)
        pg.fill("input[name=password]", password or demo_password)
        with pg.expect_navigation():
            pg.locator("main form button[type=submit]").click()
        if "/accounts/login/" in pg.url:
            raise AssertionError(f"sign-in as {username!r} failed: still on {pg.url}")
        return pg

    return _sign_in


@pytest.fixture
def shot() -> Callable:
    """shot(page, "overview"): full-page PNG under the artifacts folder; returns its Path."""
    return save_shot
