"""The API's lists make a fixed number of queries, whatever the size of the data: pinned below, on the
demo's full data (every agency's Q1 and Q2 reports, the demo's incidents) and again with a third quarter's
reports and more incidents. A call with a token reads the token and its user with its role (2 queries); the program's
structure comes from its cache, warmed by a first call."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import dataversion
from demo.incidents import demo_incidents_create
from demo.submissions import demo_submissions_create
from tests.api.conftest import BASE
from tests.incidents.helpers import file_incident
from tests.reporting.helpers import make_submission

pytestmark = pytest.mark.django_db
DISTRICTS = ["ubnd-cho-moi", "ubnd-an-phu", "ubnd-tri-ton", "ubnd-phu-tan", "ubnd-tinh-bien", "ubnd-chau-doc"]

AUTH = 2  # the token, the user with its agency and role
PINNED = {
    "/": AUTH,  # the overview, cached with the structure
    "/targets/": AUTH,
    "/activity-groups/": AUTH,
    "/agencies/": AUTH,
    "/units/": AUTH + 2,  # the province, the communes (the districts are the cached frame's)
    "/calendar/": AUTH + 3,  # quarters, reports and their quarters, read afresh as the calendar page does
    "/figures/?cut=ytd&quarter=2": AUTH + 5,  # the figures' five reads (dashboards.figures)
    "/submissions/": AUTH + 2,  # count, page
    "/submissions/?quarter=1&district=893": AUTH + 2,
    "/documents/": AUTH + 3,  # reports, their quarters, their versions
    "/incidents/": AUTH + 2,  # count, page
    "/incidents/?quarter=2&status=open": AUTH + 2,
}
# One submission (on the demo's data): not lists, but pinned all the same.
ONE = {
    "/submissions/1/ubnd-cho-moi/": AUTH + 6,  # the submission, its four kinds of values, its workflow steps
    "/submissions/1/ubnd-cho-moi/history/": AUTH + 2,  # the submission, the five history tables in one UNION
}


def _measure(client, program, pinned: dict) -> None:
    measured = {}
    for path in pinned:
        client.get(BASE + path)  # warms the structure cache
        dataversion.bump(program.pk)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(BASE + path)
        assert response.status_code == 200, path
        measured[path] = len(queries)
    assert measured == pinned


def test_list_queries_are_pinned_and_do_not_grow_with_the_data(api, program, settings):
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    demo_submissions_create(program=program)
    demo_incidents_create(program=program)
    client = api("dolisa")
    _measure(client, program, {**PINNED, **ONE})
    counts = client.get(BASE + "/submissions/").json()["count"], client.get(BASE + "/incidents/").json()["count"]
    settings.PORTAL_CLOCK_TODAY = "2018-08-01"  # the third quarter: more reports, more incidents
    for code in DISTRICTS:
        make_submission(code, quarter=3)
        file_incident(program, code, occurred_on=dt.date(2018, 5, 3 + len(code) % 20))
    assert client.get(BASE + "/submissions/").json()["count"] == counts[0] + len(DISTRICTS)
    assert client.get(BASE + "/incidents/").json()["count"] == counts[1] + len(DISTRICTS)
    _measure(client, program, {**PINNED, **ONE})
