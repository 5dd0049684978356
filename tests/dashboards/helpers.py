"""Helpers of the dashboard tests: fixture submissions made with the factories, and the page read as a person
reads it (a table, a row, its text, its links)."""

from __future__ import annotations

import html
import re

from programs.models import Agency, Quarter
from programs.selectors import communes_of
from targets.models import Indicator
from tests.factories import CommuneStatusFactory, IndicatorValueFactory, SubmissionFactory

URL = "/dashboard/2018/"
SOURCES = "/dashboard/2018/sources/"


def q(n):
    return Quarter.objects.get(program__year=2018, number=n)


def sub(code, n, status="accepted", days_late=0, **fields):
    s = SubmissionFactory(agency=Agency.objects.get(code=code), quarter=q(n), status=status, **fields)
    if days_late:
        s.days_late = days_late
        s.save(update_fields=["days_late"])
    return s


def ind(code):
    return Indicator.objects.get(target__program__year=2018, code=code)


def value(code, n, indicator, num, den, status="accepted"):
    s = sub(code, n, status)
    IndicatorValueFactory(submission=s, indicator=ind(indicator), numerator=num, denominator=den)
    return s


def three_districts():
    """3/4 (75%), 1/1 (100%), 0/5 (0%): the province has 4/10 = 40%, not the mean 58,3%."""
    return [
        value("ubnd-an-phu", 1, "1", 3, 4),
        value("ubnd-tri-ton", 1, "1", 1, 1),
        value("ubnd-cho-moi", 1, "1", 0, 5),
    ]


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def page(client, query="", status=200):
    return get(client, URL + ("?" + query if query else ""), status)


def body(response) -> str:
    return response.content.decode()


def fragment(content: str, tag: str, attr: str, value: str) -> str:
    """The inside of the first <tag ... attr="value" ...> element (tables and rows of our templates)."""
    m = re.search(rf'<{tag}[^>]*\s{attr}="{re.escape(value)}"[^>]*>(.*?)</{tag}>', content, re.S)
    assert m, f"no <{tag} {attr}={value!r}>"
    return m.group(1)


def table(content: str, testid: str) -> str:
    return fragment(content, "table", "data-testid", testid)


def row(content: str, attr: str, value: str) -> str:
    return fragment(content, "tr", attr, value)


def text(content: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def links(content: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', content)]


def province_link(content: str, indicator: str) -> str:
    m = re.search(
        r'<a[^>]*href="([^"]+)"[^>]*data-testid="province-value"',
        row(table(content, "targets"), "data-indicator", indicator),
    )
    assert m, "the province value is not a link"
    return html.unescape(m.group(1))


def source_agencies(content: str) -> list[str]:
    return re.findall(r'<tr data-agency="([^"]+)"', table(content, "sources"))


def communes(code):
    """A district's communes in the program's layout, in the unit tree's order."""
    agency = Agency.objects.get(code=code)
    return communes_of(program=agency.unit.parent.programs.get(year=2018), district_id=agency.unit_id)


def with_budget(code, n, *, district=None, amounts=(), status="accepted", **fields):
    """A district's report with its own budget and its communes' (`amounts` in the unit tree's order; None
    leaves a commune blank, a commune past the list is blank too)."""
    s = sub(code, n, status, district_budget=district, **fields)
    for commune, amount in zip(communes(code), amounts, strict=False):
        if amount is not None:
            CommuneStatusFactory(submission=s, commune=commune, budget=amount)
    return s
