"""Every page of the portal makes at most 15 queries, on the demo's full data (every agency's Q1 and
Q2 reports with their history, the demo incidents, a compiled report), for each kind of user; the
dashboard's pages make exactly the number of queries written below, cached, computed and cold."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core import dataversion
from demo.incidents import demo_incidents_create
from demo.submissions import demo_submissions_create
from documents import services as compiling
from documents.models import ReportVersion
from documents.pdf import RenderedPdf
from incidents.models import Incident
from programs import structure, years
from programs.models import AdminUnit, Agency, ProvincialReport, Quarter
from tests.factories import SubmissionFactory
from tests.helpers import ensure_program, rolled_back

pytestmark = pytest.mark.django_db
BUDGET = 15
# DOLISA's first screen is four pages' worth of work on one screen (the queue, the requests to reopen, the
# week's deadlines, the drafts to issue) beside the leaders' summary: one query over the budget.
EXCEPTIONS = {("dolisa", "/"): 1}
DISTRICT = "ubnd-cho-moi"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo's submissions and incidents, once for this module; undone afterwards."""
    with rolled_back(django_db_blocker):
        program = ensure_program()
        demo_submissions_create(program=program)
        demo_incidents_create(program=program)
        yield program


@pytest.fixture
def version(demo, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(compiling, "body_pdf", lambda body, **kw: RenderedPdf(b"%PDF-1.7 fake report", None))
    report = ProvincialReport.objects.get(program=demo, kind="six_month")
    created, _ = compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
    draft = compiling.version_compile(version_id=created.pk)
    return compiling.version_issue(version=draft, user=User.objects.get(username="dolisa"))  # viewers see it


def pages(username: str, version: ReportVersion) -> list[str]:
    district = AdminUnit.objects.filter(level=2).order_by("code").first().code
    incident = Incident.objects.order_by("pk").first().pk
    own = f"/submissions/2018/q2/{DISTRICT if username in ('dolisa', 'viewer') else username}/"
    common = ["/", "/programs/2018/", "/programs/2018/agencies/so-y-te/", f"/programs/2018/districts/{district}/"]
    reports = [
        "/reports/2018/",
        f"/reports/2018/versions/{version.pk}/",
        f"/reports/2018/versions/{version.pk}/progress/",
    ]
    dashboard = [
        "/dashboard/2018/",
        "/dashboard/2018/?cut=quarter&quarter=1",
        "/dashboard/2018/?cut=ytd&quarter=2&pending=1",
        "/dashboard/2018/sources/?what=indicator&code=1",
        "/dashboard/2018/export.csv?table=targets",
        "/dashboard/2018/export.xlsx",
    ]
    if username == "dolisa":
        return [
            *common, *dashboard, *reports, "/programs/2018/calendar/", "/programs/2018/calendar/quarters/2/",
            "/programs/2018/calendar/reports/six_month/", "/submissions/2018/", own, own + "workbook.xlsx",
            "/submissions/2018/q1/ubnd-tri-ton/", "/incidents/", f"/incidents/{incident}/", "/reports/2018/register/",
            f"/reports/2018/versions/{version.pk}/issue/",
        ]  # fmt: skip
    if username == "viewer":
        return [*common, *dashboard, *reports]
    return [*common, "/submissions/2018/", own, own + "workbook.xlsx", "/incidents/", "/incidents/new/",
            "/dashboard/2018/"]  # fmt: skip


@pytest.mark.parametrize("username", ["dolisa", "viewer", DISTRICT, "so-y-te"])
def test_every_page_within_the_query_budget(demo, version, settings, username):
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    client = Client()
    client.force_login(User.objects.get(username=username))
    counts = {}
    for url in pages(username, version):
        client.get(url)  # the first request fills the caches
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[url] = len(ctx)
    over = {url: n for url, n in counts.items() if n > BUDGET + EXCEPTIONS.get((username, url), 0)}
    assert not over, over
    assert len(counts) >= 8


# ------------------------------------------------------------------------------------------------
# The dashboard, exactly: from its cache, computed again once the data moved on, and from cold
# ------------------------------------------------------------------------------------------------
# Signed-in request: the session, the user with its role (2); the dashboard's page reads its data
# versions (the program's and the incidents', counted in the database: core.dataversion) for its cache
# key (1). The figures: submissions, indicator
# values, commune ticks, output progress, activity progress (5); the incidents by district (1), not for a
# provincial agency; the drill-down's check of which submissions the user may open (1). With cold caches
# the program's structure is read too: the program, its quarters, agencies and districts, the targets
# with their indicators, the activities with their roles and output targets (8); for a user without an agency
# (the viewer), the installation's province too, kept with the structure (programs.selectors.home_province_id:
# provinces are separate tenants) (1). The dashboard looks for the year before (dashboards.previous: last
# year's results beside this year's), kept with the structure: one query cold (LAST_YEAR), none warm; the
# demo has no year before, so nothing more (test_the_dashboard_beside_last_year_queries_exactly: with one).
CACHED, VERSIONS, FIGURES, INCIDENTS, VISIBLE, STRUCTURE, HOME, LAST_YEAR = 2, 1, 5, 1, 1, 8, 1, 1
PAGE = CACHED + VERSIONS
DASHBOARD = (PAGE, PAGE + FIGURES + INCIDENTS, PAGE + FIGURES + INCIDENTS + STRUCTURE + LAST_YEAR)
VIEWER_DASHBOARD = (*DASHBOARD[:2], DASHBOARD[2] + HOME)
# A district's dashboard (its People's Committee's own, or the province's filtered to it) sets it beside the
# province and the other districts: every district's indicator values and commune ticks (2); cold, which
# districts each output target names (1, kept with the structure) (issue 14: a district's dashboard).
BESIDE, NAMED = 2, 1
DISTRICT_DASHBOARD = (PAGE, DASHBOARD[1] + BESIDE, DASHBOARD[2] + BESIDE + NAMED)
EXACT = [
    ("dolisa", "/dashboard/2018/?cut=ytd&quarter=2&pending=1", DASHBOARD),
    ("dolisa", "/dashboard/2018/?cut=quarter&quarter=1", DASHBOARD),
    ("viewer", "/dashboard/2018/", VIEWER_DASHBOARD),
    (DISTRICT, "/dashboard/2018/", DISTRICT_DASHBOARD),
    ("dolisa", "/dashboard/2018/?district=893", DISTRICT_DASHBOARD),
    ("so-y-te", "/dashboard/2018/", (PAGE, PAGE + FIGURES, PAGE + FIGURES + STRUCTURE + LAST_YEAR)),
    ("dolisa", "/dashboard/2018/sources/?what=indicator&code=1", (CACHED + FIGURES + VISIBLE,) * 2
     + (CACHED + FIGURES + VISIBLE + STRUCTURE,)),
    ("dolisa", "/dashboard/2018/export.xlsx", (CACHED + FIGURES,) * 2 + (CACHED + FIGURES + STRUCTURE,)),
    ("viewer", "/dashboard/2018/export.csv?table=targets", (CACHED + FIGURES,) * 2
     + (CACHED + FIGURES + STRUCTURE + HOME,)),
]  # fmt: skip


@pytest.mark.parametrize("username,url,counts", EXACT)
def test_dashboard_queries_exactly_cached_computed_and_cold(demo, settings, django_assert_num_queries, username, url,
                                                            counts):  # fmt: skip
    """The dashboard's pages make exactly these queries on the demo's full data: served from the
    dashboard's cache (the drill-down and the files are never cached), computed again after the data
    moved on, and with every cache empty."""
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    cached, computed, cold = counts
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get(url)  # fills the caches
    with django_assert_num_queries(cached):
        assert client.get(url).status_code == 200
    dataversion.bump(demo.pk)  # a value was saved: the figures are computed again, the structure stays cached
    with django_assert_num_queries(computed):
        assert client.get(url).status_code == 200
    cache.clear()
    structure.clear_local()
    with django_assert_num_queries(cold):
        assert client.get(url).status_code == 200


def test_the_dashboard_beside_last_year_queries_exactly(demo, settings, django_assert_num_queries):
    """With a year before (2019 made from the demo's 2018 and published), the dashboard of 2019 adds, whatever
    the size of either year: nothing served from its cache (the year before is kept with the structure, its data
    version read with this year's in the one query of the key); last year's figures once computed (figures_compute
    for the year before: FIGURES); cold, the year before's lookup and its structure (the program's structure
    less the program itself, which the lookup reads)."""
    settings.PORTAL_CLOCK_TODAY = "2019-05-10"
    y2019 = years.program_next_year(source=demo, decision_number="1/QĐ-UBND", decision_date=dt.date(2019, 3, 1),
                                    signer_name="A", signer_title="B")  # fmt: skip
    years.program_publish(program=y2019)
    quarter = Quarter.objects.get(program=y2019, number=1)  # one report of 2019: every read of the figures runs
    SubmissionFactory(agency=Agency.objects.get(code=DISTRICT), quarter=quarter)
    client = Client()
    client.force_login(User.objects.get(username="dolisa"))
    url = "/dashboard/2019/?cut=ytd&quarter=2"
    assert "last-year-head" in client.get(url).content.decode()  # fills the caches
    with django_assert_num_queries(PAGE):
        assert client.get(url).status_code == 200
    dataversion.bump(demo.pk)  # last year's data moved on: this year's page is computed again
    with django_assert_num_queries(PAGE + FIGURES + INCIDENTS + FIGURES):
        assert client.get(url).status_code == 200
    cache.clear()
    structure.clear_local()
    with django_assert_num_queries(PAGE + FIGURES + INCIDENTS + FIGURES + STRUCTURE + LAST_YEAR + STRUCTURE - 1):
        assert client.get(url).status_code == 200


# ------------------------------------------------------------------------------------------------
# Every page, exactly: warm (its caches filled by a first request) and cold (every cache empty)
# ------------------------------------------------------------------------------------------------
# (warm, cold) per page, on the demo's full data, as the module runs (the officer's form page is 26 cold
# when this test runs alone: a per-process memo the module's first test fills). A change to a number
# must be justified in its commit: the first screens (`/`) bring a summary of the dashboard's figures and,
# for DOLISA, its queue, the requests to reopen, this week's deadlines and the drafts to issue (issue 14); a
# report's page reads its requests to reopen (+1); a user without an agency (the viewer) reads the
# installation's province once per cold request (issue 15, provinces kept apart); a cold dashboard looks for
# the year before once (issue 15, years side by side: +1 cold);
# the dashboard's pages are explained above (a district's dashboard reads every district's figures besides
# its own: +3 cold, issue 14); a cold request reads the program's structure besides
# (programs.structure), once per process and structure version.
EXACT_PAGES: dict[str, dict[str, tuple[int, int]]] = {
    "dolisa": {
        "/": (16, 24),
        "/programs/2018/": (2, 19),
        "/programs/2018/agencies/so-y-te/": (8, 9),
        "/programs/2018/districts/883/": (6, 7),
        "/dashboard/2018/": (3, 18),
        "/dashboard/2018/?cut=quarter&quarter=1": (3, 18),
        "/dashboard/2018/?cut=ytd&quarter=2&pending=1": (3, 18),
        "/dashboard/2018/sources/?what=indicator&code=1": (8, 16),
        "/dashboard/2018/export.csv?table=targets": (7, 15),
        "/dashboard/2018/export.xlsx": (7, 15),
        "/reports/2018/": (5, 6),
        "/reports/2018/versions/<version>/": (4, 5),
        "/reports/2018/versions/<version>/progress/": (3, 4),
        "/programs/2018/calendar/": (5, 6),
        "/programs/2018/calendar/quarters/2/": (3, 4),
        "/programs/2018/calendar/reports/six_month/": (5, 6),
        "/submissions/2018/": (3, 4),
        "/submissions/2018/q2/ubnd-cho-moi/": (12, 24),
        "/submissions/2018/q2/ubnd-cho-moi/workbook.xlsx": (7, 19),
        "/submissions/2018/q1/ubnd-tri-ton/": (11, 23),
        "/incidents/": (7, 8),
        "/incidents/<incident>/": (4, 4),
        "/reports/2018/register/": (5, 6),
        "/reports/2018/versions/<version>/issue/": (5, 6),
    },
    "viewer": {
        "/": (11, 20),
        "/programs/2018/": (2, 20),
        "/programs/2018/agencies/so-y-te/": (8, 10),
        "/programs/2018/districts/883/": (6, 8),
        "/dashboard/2018/": (3, 19),
        "/dashboard/2018/?cut=quarter&quarter=1": (3, 19),
        "/dashboard/2018/?cut=ytd&quarter=2&pending=1": (3, 19),
        "/dashboard/2018/sources/?what=indicator&code=1": (8, 17),
        "/dashboard/2018/export.csv?table=targets": (7, 16),
        "/dashboard/2018/export.xlsx": (7, 16),
        "/reports/2018/": (5, 7),
        "/reports/2018/versions/<version>/": (4, 6),
        "/reports/2018/versions/<version>/progress/": (3, 5),
    },
    DISTRICT: {
        "/": (6, 7),
        "/programs/2018/": (2, 19),
        "/programs/2018/agencies/so-y-te/": (8, 9),
        "/programs/2018/districts/883/": (6, 7),
        "/submissions/2018/": (3, 4),
        "/submissions/2018/q2/ubnd-cho-moi/": (11, 23),
        "/submissions/2018/q2/ubnd-cho-moi/workbook.xlsx": (7, 19),
        "/incidents/": (5, 6),
        "/incidents/new/": (4, 5),
        "/dashboard/2018/": (3, 21),
    },
    "so-y-te": {
        "/": (6, 7),
        "/programs/2018/": (2, 19),
        "/programs/2018/agencies/so-y-te/": (8, 9),
        "/programs/2018/districts/883/": (6, 7),
        "/submissions/2018/": (3, 4),
        "/submissions/2018/q2/so-y-te/": (11, 22),
        "/submissions/2018/q2/so-y-te/workbook.xlsx": (7, 18),
        "/incidents/": (5, 6),
        "/incidents/new/": (4, 5),
        "/dashboard/2018/": (3, 17),
    },
}  # fmt: skip


def _page_key(url: str) -> str:
    """The page's URL with its report version's and incident's ids left out."""
    return re.sub(r"/(versions|incidents)/\d+/", lambda m: f"/{m.group(1)}/<{m.group(1)[:-1]}>/", url)


@pytest.mark.parametrize("username", ["dolisa", "viewer", DISTRICT, "so-y-te"])
def test_every_page_makes_exactly_its_queries_warm_and_cold(demo, version, settings, username):
    """Each page's queries are pinned, served with warm caches and with every cache empty."""
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    client = Client()
    client.force_login(User.objects.get(username=username))
    counts = {}
    for url in pages(username, version):
        cache.clear()
        structure.clear_local()
        with CaptureQueriesContext(connection) as cold:
            assert client.get(url).status_code == 200, url
        with CaptureQueriesContext(connection) as warm:
            assert client.get(url).status_code == 200, url
        counts[_page_key(url)] = (len(warm), len(cold))
    assert counts == EXACT_PAGES.get(username), repr(counts)
