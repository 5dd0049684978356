"""A bounded crawl of the pages a signed-in account can reach by following links, for the checks every page
must pass (no sideways scroll on a phone, no serious or critical axe-core violation).

Used by tests/e2e/test_every_page.py; also runnable by hand against a running portal
(`make run`, then `.venv/bin/python -m tests.e2e.crawl dolisa`), which prints what it finds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

# Not pages to check: signing out, the language switch, Django's own admin (Django's pages, not ours), the
# API (JSON, and the vendor's Swagger UI), files (PDF, Excel, CSV), and the password-reset flow's e-mailed links.
SKIP = re.compile(
    r"^/(accounts/logout|i18n/|admin/|api/(?!tokens/)|static/|media/|healthz)"
    r"|\.(xlsx|csv|pdf|zip)$|/(pdf|xlsx|docx)/$|/uploads/\d+/$|/accounts/password/reset/"
)
# One page per shape of address, a few where the shape hides different kinds (a province's or a
# district's submission, a draft or an accepted one): codes and numbers become placeholders.
SHAPES = [
    (re.compile(r"/q\d+/[^/]+/"), "/qN/CODE/"),
    (re.compile(r"/(agencies|districts)/[^/]+/"), r"/\1/CODE/"),
    (re.compile(r"\d+"), "N"),
]
PER_SHAPE = {"/submissions/N/qN/CODE/": 2}  # a report of each kind a role reaches first (else one per shape)
MAX_PAGES = 16
# Pages that every role sees alike (the program, the calendar, the register, the account's own pages): checked
# for the first role that reaches them. Every other shape is checked for each role, whose pages differ.
SHARED = re.compile(r"^/(programs/|accounts/|api/tokens/|reports/N/register/)")


def shape(url: str) -> str:
    """The address with its codes and numbers replaced, and its query reduced to the names of its parameters."""
    parts = urlsplit(url)
    path = parts.path
    for pattern, placeholder in SHAPES:
        path = pattern.sub(placeholder, path)
    # a query is a filter of the same page, except the drill-down's "what" (an indicator, an output, ...)
    what = dict(parse_qsl(parts.query)).get("what")
    return path + (f"?what={what}" if what else "")


@dataclass
class Crawl:
    base: str
    seen: list[str] = field(default_factory=list)
    shapes: dict[str, int] = field(default_factory=dict)
    done: set[str] = field(default_factory=set)  # shapes another role's crawl checked already

    def admit(self, href: str | None) -> str | None:
        """The page's address (path and query) if it is to be checked and not yet queued, else None."""
        if not href or href.startswith(("mailto:", "tel:", "javascript:")):
            return None
        if href.startswith("http") and not href.startswith(self.base):
            return None
        parts = urlsplit(href.removeprefix(self.base))
        if not parts.path.startswith("/") or SKIP.search(parts.path):
            return None
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        key = shape(url)
        if url in self.seen or key in self.done or self.shapes.get(key, 0) >= PER_SHAPE.get(key, 1):
            return None
        if len(self.seen) >= MAX_PAGES:
            return None
        self.shapes[key] = self.shapes.get(key, 0) + 1
        self.seen.append(url)
        return url


LINKS_JS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download'))
  .map(a => a.href.split('#')[0])"""


def crawl(page, base: str, start: str = "/", visit=None, done: set[str] | None = None) -> list[str]:
    """Follow links breadth first from ``start`` (the page must be signed in); return the addresses of the
    HTML pages reached, each visited once, calling ``visit(page, url)`` on each. Shapes of address in
    ``done`` (checked in another role's crawl) are left out, and the SHARED shapes this crawl checks added."""
    c = Crawl(base=base, done=set(done or ()))
    queue = [c.admit(start)]
    pages: list[str] = []
    while queue:
        url = queue.pop(0)
        response = page.goto(base + url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        pages.append(url)
        if visit:
            visit(page, url)
        for href in page.evaluate(LINKS_JS):
            nxt = c.admit(href)
            if nxt:
                queue.append(nxt)
    if done is not None:
        done.update(k for k in map(shape, pages) if SHARED.match(k))
    return pages


HORIZONTAL_SCROLL_JS = """() => {
  const d = document.documentElement;
  if (d.scrollWidth <= d.clientWidth) return null;
  // the widest elements that stick out, to name in the failure
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    let clipped = false;  // inside a box that scrolls or clips on its own: not what makes the page scroll
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible') { clipped = true; break; }
    }
    if (!clipped && r.right > d.clientWidth + 1 && el.offsetParent !== null) {
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).join('.') : '';
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (cls ? '.' + cls : '') +
               ' right=' + Math.round(r.right));
    }
    if (out.length > 5) break;
  }
  return {scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, culprits: out};
}"""


def horizontal_scroll(page) -> dict | None:
    """None when the page does not scroll sideways; else its widths and the first elements sticking out."""
    return page.evaluate(HORIZONTAL_SCROLL_JS)


SERIOUS = ("serious", "critical")


def axe_problems(page, axe) -> list[str]:
    """The serious and critical axe-core violations of the page, one line each (rule, impact, where)."""
    results = axe.run(page)
    problems = []
    for v in results.response["violations"]:
        if v.get("impact") in SERIOUS:
            targets = [", ".join(n["target"]) for n in v["nodes"][:3]]
            problems.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])}x): {v['help']} at {targets}")
    return problems


if __name__ == "__main__":  # pragma: no cover - a tool for people
    import os
    import sys

    import django
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    django.setup()
    from demo.accounts import DEMO_PASSWORD
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    user, base = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8000")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width in (390, 1366):
            ctx = b.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
            pg = ctx.new_page()
            pg.goto(base + "/accounts/login/")
            pg.fill("input[name=username]", user)
            pg.fill("input[name=password]", DEMO_PASSWORD)
            pg.locator("main form button[type=submit]").click()
            pg.wait_for_load_state()
            crawl(pg, base, visit=lambda p, u, w=width: print(w, u, horizontal_scroll(p), axe_problems(p, Axe())))
            ctx.close()
