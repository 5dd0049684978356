"""The number of queries of the home pages, the list and the form does not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reporting.helpers import make_submission, url_for

pytestmark = pytest.mark.django_db


def count(client, url):
    """Queries of a request once the program's structure is cached (the first request fills the cache)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "username,url",
    [
        ("dolisa", "/"),
        ("viewer", "/"),
        ("ubnd-cho-moi", "/"),
        ("dolisa", "/submissions/2018/"),
        ("dolisa", url_for("ubnd-cho-moi")),
        ("ubnd-cho-moi", url_for("ubnd-cho-moi")),
    ],
)
def test_queries_do_not_grow(login, program, clock, username, url):
    make_submission("ubnd-cho-moi", status="submitted")
    c = login(username)
    before = count(c, url)
    # more submissions, more values and more history
    for code in ["ubnd-an-phu", "ubnd-tri-ton", "so-y-te", "so-gddt", "tinh-doan"]:
        make_submission(code, status="accepted")
    make_submission("ubnd-cho-moi", quarter=2)
    after = count(c, url)
    assert after == before
    assert after <= 15, after


def test_form_page_query_budget(login, program, clock):
    """The district form (4 indicators, 18 communes × 3 ticks, 40+ activities) stays within budget, with
    the previous quarter read for the >50% warnings and DOLISA's history of changes."""
    make_submission("ubnd-cho-moi", status="accepted")
    make_submission("ubnd-cho-moi", quarter=2, status="submitted")
    assert count(login("dolisa"), url_for("ubnd-cho-moi", quarter=2)) <= 15
    assert count(login("ubnd-cho-moi"), url_for("ubnd-cho-moi", quarter=2)) <= 15


WRITE = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@pytest.mark.parametrize(
    "username,url",
    [
        ("dolisa", "/"),
        ("ubnd-cho-moi", "/"),
        ("viewer", "/submissions/2018/"),
        ("dolisa", url_for("ubnd-cho-moi")),
        ("ubnd-cho-moi", url_for("ubnd-cho-moi")),
        ("ubnd-cho-moi", url_for("ubnd-cho-moi", quarter=3)),  # not started yet
        ("ubnd-cho-moi", url_for("ubnd-cho-moi") + "workbook.xlsx"),
        ("so-y-te", url_for("ubnd-cho-moi")),  # another agency's: 404, logged, nothing written
        ("dolisa", "/incidents/"),
    ],
)
def test_reading_a_page_writes_nothing(login, program, clock, username, url):
    """Selectors never write: a GET of the quarterly pages (and of what they refuse) changes nothing."""
    make_submission("ubnd-cho-moi", status="submitted")
    c = login(username)
    c.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(url)
    assert response.status_code in (200, 404)
    writes = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITE)]
    assert writes == []
