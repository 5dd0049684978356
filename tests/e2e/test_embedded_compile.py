"""The embedded default as `make run` serves it: runserver (DEBUG off), a real Celery worker and beat on kombu's
file-system broker under supervisord (ops/supervisord-dev.conf), SQLite, no Redis. Started here as the Makefile
starts it, on a fresh SQLite database of the test's own (migrated, the 2018 program and the demo accounts loaded),
a spare port and a folder of its own; the test's database and the machine's Redis are not used.

In a real browser: "Biên soạn ngay" answers at once, the version's page shows the progress bar moving (a percent
strictly between 0 and 100, then 100), the button to compile again is disabled meanwhile, and the finished draft
is shown with its PDF. And what a newcomer meets: the portal's Vietnamese 404 rather than Django's technical page,
static files served, and a quiet log.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from tests.servers import free_port, kill, wait_for

from .conftest import DESKTOP, _context_page

pytestmark = pytest.mark.e2e

ROOT = Path(settings.BASE_DIR)
BIN = ROOT / ".venv" / "bin"
DEMO_TODAY = "2018-05-10"  # the Makefile's DEMO_TODAY
# What the test's own environment carries and `make run` would not: settings, database, broker, switches.
NOT_INHERITED = ("DJANGO_", "CELERY_", "PORTAL_", "DATABASE_URL")


def _setup(env: dict, log: Path) -> None:
    """What `make demo` does first, without the demo's submissions (the compile needs the program only)."""
    steps = (
        ["manage.py", "migrate", "--noinput", "-v0"],
        ["manage.py", "load_program"],
        ["manage.py", "shell", "-c", "from demo.accounts import demo_accounts_create; demo_accounts_create()"],
    )
    with log.open("ab") as out:
        for step in steps:
            result = subprocess.run([str(BIN / "python"), *step], cwd=ROOT, env=env, stdout=out, stderr=out)
            assert result.returncode == 0, log.read_text(errors="replace")[-3000:]


def _answers(url: str) -> bool:
    with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local
        return response.status == 200
    return False


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """The base URL of the portal as `make run` serves it, and the log of its processes."""
    if not (BIN / "supervisord").exists():
        pytest.fail("supervisord is missing from the virtualenv (requirements.txt)")
    home = tmp_path_factory.mktemp("embedded")
    setup_log = home / "setup.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}
    env.update(DATABASE_URL=f"sqlite:///{home / 'db.sqlite3'}", DJANGO_MEDIA_ROOT=str(home / "media"))
    _setup(env, setup_log)
    port, var = free_port(), home / "var"
    var.mkdir()
    run_env = {**env, "PORTAL_ROOT": str(ROOT), "PORTAL_VAR_DIR": str(var), "PORT": str(port),
               "PORTAL_CLOCK_TODAY": DEMO_TODAY}  # fmt: skip
    log = home / "make-run.log"
    proc = subprocess.Popen(
        [str(BIN / "supervisord"), "-c", "ops/supervisord-dev.conf"], cwd=ROOT, env=run_env,
        stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _answers(base + "/healthz") or proc.poll() is not None, 120, "make run's web server", log)
        assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
        yield base, log
    finally:
        if proc.poll() is None:  # supervisord stops its programs on SIGTERM, as on Ctrl-C
            proc.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=40)
        kill(proc)


@pytest.fixture
def embedded_page(browser, request):
    yield from _context_page(browser, request, viewport=DESKTOP)


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/login/" not in page.url


def percent_now(page) -> int | None:
    """The progress bar's value, or None while the page reloads."""
    with contextlib.suppress(Exception):
        value = page.get_attribute("[data-testid=progress-bar]", "aria-valuenow", timeout=500)
        return int(value) if value is not None else None
    return None


def test_compile_now_returns_at_once_and_the_progress_bar_moves(embedded, embedded_page, demo_password):
    base, log = embedded
    page = embedded_page
    sign_in(page, base, "dolisa", demo_password)
    page.goto(base + "/reports/2018/")
    started = time.monotonic()
    with page.expect_navigation(url=re.compile(r"/reports/2018/versions/\d+/$")):
        page.click("[data-testid=compile-six_month]")
    answered = time.monotonic() - started
    first = percent_now(page)
    assert first is not None and first < 100, f"the compile was finished before its page showed ({first} %)"
    assert page.locator("[data-testid=recompile]").is_disabled()  # no second compile while this one runs

    seen: list[int] = [first]
    end = time.monotonic() + 180
    while time.monotonic() < end and not page.locator("[data-testid=draft-badge]").count():
        value = percent_now(page)
        if value is not None and value != seen[-1]:
            seen.append(value)
            if 0 < value < 100:
                assert page.locator("[data-testid=recompile]").is_disabled()
        time.sleep(0.25)
    assert page.locator("[data-testid=draft-badge]").count(), (
        f"no finished draft; seen {seen}\n" + log.read_text(errors="replace")[-3000:]
    )
    print(f"compile now answered in {answered:.1f} s; the bar showed {seen}")
    assert [v for v in seen if 0 < v < 100], f"no percent between 0 and 100 was shown: {seen}"
    assert seen == sorted(seen)  # it moves forward only
    assert percent_now(page) == 100
    assert page.locator("[data-testid=recompile]").is_enabled()
    pdf = page.request.get(base + page.locator("a", has_text="Tải bản dự thảo PDF").first.get_attribute("href"))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    # The list shows the draft, and the button is live again.
    page.goto(base + "/reports/2018/")
    assert page.locator("[data-testid=compile-six_month]").is_enabled()
    assert page.locator("[data-testid=versions-six_month] [data-status=done]").count() == 1


def test_a_newcomer_meets_the_portals_pages_and_a_quiet_log(embedded, embedded_page, demo_password):
    base, log = embedded
    page = embedded_page
    sign_in(page, base, "viewer", demo_password)
    missing = page.goto(base + "/khong-co-trang-nay/")
    assert missing.status == 404
    html = page.content()
    assert "Không tìm thấy trang" in html and "URLconf" not in html and "urlpatterns" not in html
    assert page.request.get(base + "/static/css/portal.css").status == 200  # served with DEBUG off
    forbidden = page.goto(base + "/programs/2018/calendar/quarters/1/")
    assert forbidden.status == 403 and "Không có quyền truy cập" in page.content()

    text = log.read_text(errors="replace")
    print(f"the log of make run:\n{text}")
    noisy = [line for line in text.splitlines() if re.search(r"\bINFO\b.*\b(fontTools|weasyprint|axes|kombu)", line)]
    assert noisy == [], noisy[:5]
    assert "Traceback" not in text
