"""The dashboard's doors (dashboards.views): who is let in, the page cached until its data moves on, the
incidents of the cut, and the queries of each page, which do not grow with the data."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from activities.models import OutputTarget
from core import dataversion
from programs import structure
from programs.models import Program
from reporting import services
from reporting.models import Submission
from tests.factories import ActivityProgressFactory, IndicatorValueFactory, OutputProgressFactory
from tests.incidents.helpers import three_incidents
from tests.reporting.helpers import make_submission

from .helpers import SOURCES, URL, body, get, ind, sub, three_districts

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client, program):
    for url in (URL, SOURCES + "?what=indicator&code=1", URL + "export.xlsx", URL + "export.csv?table=targets"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


def test_nav_shows_the_dashboard_to_officers_viewers_and_reporters(login):
    for username in ("dolisa", "viewer", "ubnd-cho-moi", "so-y-te"):
        c = login(username)
        assert 'data-testid="nav-dashboard"' in body(get(c, "/")), username


def test_user_without_a_role_gets_404(client, program):
    user = User.objects.create_user("khach", password="khong-quan-trong-2018")
    client.force_login(user)
    get(client, URL, 404)


def _count(client, url) -> tuple[int, int, int]:
    """Queries of a request with every cache empty, then served from the dashboard's cache, then computed
    again after the data moved on (the program's structure stays cached)."""
    counts = []
    cache.clear()
    structure.clear_local()
    for _path in ("cold", "cached", "computed"):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(ctx))
        if _path == "cached":
            dataversion.bump(Program.objects.get(year=2018).pk)
    return counts[0], counts[1], counts[2]


def _more_data():
    """More agencies, districts and quarters with submissions, values, outputs and accounts."""
    dental = OutputTarget.objects.get(activity__group__program__year=2018, quantity=800)
    for code in ["ubnd-long-xuyen", "ubnd-chau-doc", "ubnd-tan-chau", "ubnd-thoai-son", "so-y-te", "so-gddt",
                 "tinh-doan"]:  # fmt: skip
        for n in (1, 2, 3):
            if Submission.objects.filter(agency__code=code, quarter__number=n).exists():
                continue
            s = sub(code, n, days_late=n - 1, district_budget=160_000_000 if code.startswith("ubnd") else None)
            if s.agency.is_district:
                IndicatorValueFactory(submission=s, indicator=ind("1"), numerator=1, denominator=2)
                IndicatorValueFactory(submission=s, indicator=ind("3"), numerator=5, denominator=6)
            OutputProgressFactory(submission=s, output=dental, quantity=10)
            ActivityProgressFactory(submission=s, activity=dental.activity, account="Đã làm.", difficulties="Khó.")


# A signed-in request: the session, the user with its role (2). The dashboard page reads its data
# versions from the database for its cache key (1: core.dataversion); the drill-down and the files are
# never cached and do not. The figures: submissions, indicator
# values, commune ticks, output progress, activity progress (5); the incidents by district (1), not for a
# provincial agency; the drill-down's check of which submissions the user may open (1). With cold caches the
# program's structure is read too (8). The page is served from its cache until the data moves on; the
# drill-down and the files are never cached. The same counts as on the demo's data (tests/test_query_budget.py).
# The dashboard page looks for the year before (dashboards.previous), kept with the structure: cold only (1).
SIGNED_IN, VERSIONS, FIGURES, INCIDENTS, VISIBLE, STRUCTURE, LAST_YEAR = 2, 1, 5, 1, 1, 8, 1


def _counts(*, cached: int, computed: int, cold: int = 0) -> tuple[int, int, int]:
    """(cold, cached, computed)."""
    return computed + STRUCTURE + cold, cached, computed


PAGE = _counts(cached=SIGNED_IN + VERSIONS, computed=SIGNED_IN + VERSIONS + FIGURES + INCIDENTS, cold=LAST_YEAR)
PROVINCIAL_PAGE = _counts(cached=SIGNED_IN + VERSIONS, computed=SIGNED_IN + VERSIONS + FIGURES, cold=LAST_YEAR)
# A district's dashboard sets it beside the province and the other districts: every district's indicator
# values and commune ticks (2, dashboards.figures._district); cold, which districts each output names (1,
# kept with the structure).
BESIDE, NAMED = 2, 1
DISTRICT_PAGE = (PAGE[0] + BESIDE + NAMED, PAGE[1], PAGE[2] + BESIDE)
SOURCES_PAGE = _counts(cached=SIGNED_IN + FIGURES + VISIBLE, computed=SIGNED_IN + FIGURES + VISIBLE)
FILE = _counts(cached=SIGNED_IN + FIGURES, computed=SIGNED_IN + FIGURES)
# A user without an agency (the viewer) reads the installation's province on a cold request (its province).
VIEWER_PAGE = (PAGE[0] + 1, PAGE[1], PAGE[2])


@pytest.mark.parametrize(
    "username,url,expected",
    [
        ("dolisa", URL + "?cut=quarter&quarter=1", PAGE),
        ("dolisa", URL + "?cut=ytd&quarter=4&pending=1", PAGE),
        ("viewer", URL + "?cut=ytd&quarter=3", VIEWER_PAGE),
        ("ubnd-an-phu", URL + "?cut=ytd&quarter=3", DISTRICT_PAGE),
        ("dolisa", URL + "?cut=ytd&quarter=3&district=886", DISTRICT_PAGE),
        ("so-y-te", URL + "?cut=ytd&quarter=3", PROVINCIAL_PAGE),
        ("dolisa", SOURCES + "?cut=ytd&quarter=3&what=indicator&code=1", SOURCES_PAGE),
        ("dolisa", SOURCES + "?cut=quarter&quarter=1&what=compliance&part=expected", SOURCES_PAGE),
        ("dolisa", URL + "export.xlsx?cut=ytd&quarter=3", FILE),
        ("dolisa", URL + "export.csv?cut=ytd&quarter=3&table=outputs", FILE),
    ],
)
def test_queries_do_not_grow_with_agencies_districts_or_quarters(login, username, url, expected):
    """Each page makes exactly the queries counted above, cold, cached and computed, whether a few agencies
    have reported or many agencies, districts and quarters have."""
    three_districts()
    sub("so-y-te", 1)  # every scope starts with one counted submission (an empty one skips its value queries)
    c = login(username)
    before = _count(c, url)
    _more_data()
    after = _count(c, url)
    assert before == after == expected, (before, after)


# ------------------------------------------------------------------------------------------------
# The page is cached until its data moves on
# ------------------------------------------------------------------------------------------------
CUT_URL = "/dashboard/2018/?cut=quarter&quarter=1"


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(CUT_URL).content.decode()
    return len(ctx), body


def test_the_page_is_served_from_the_cache_until_a_report_is_accepted(program, clock):
    officer = signed_in("dolisa")
    sub = make_submission("ubnd-an-phu", status="submitted", num=3, den=4)
    cold, first = queries(officer)
    assert "3/4" not in first  # submitted, not yet accepted: not counted
    warm, again = queries(officer)
    # Served from the cache: the signed-in request only, the figures were not computed again. The first
    # request computed them and read the dashboard's frame of the program (the program, its quarters,
    # agencies and districts: 4), which the form's structure filled before did not hold, and looked for the
    # year before (LAST_YEAR).
    first_counts = SIGNED_IN + VERSIONS + FIGURES + INCIDENTS + 4 + LAST_YEAR
    assert (cold, warm) == (first_counts, SIGNED_IN + VERSIONS) and "3/4" not in again
    services.submission_accept(submission=sub, user=User.objects.get(username="dolisa"))
    assert "3/4" in officer.get(CUT_URL).content.decode()


def test_a_changed_value_shows_at_once(program, clock):
    """Reopened, corrected, sent again and accepted through the services: each step shows at once."""
    officer = signed_in("dolisa")
    sub = make_submission("ubnd-an-phu", status="accepted", num=3, den=4)
    assert "3/4" in officer.get(CUT_URL).content.decode()
    services.submission_reopen(submission=sub, user=User.objects.get(username="dolisa"), until=dt.date(2018, 3, 20))
    assert "3/4" not in officer.get(CUT_URL).content.decode()  # returned to the agency: not counted
    make_submission("ubnd-an-phu", status="accepted", num=1, den=4)
    assert "1/4" in officer.get(CUT_URL).content.decode()


def test_saving_a_draft_leaves_the_page_cached_and_true(program, clock):
    """On deadline day every agency saves its draft: no figure counts a draft, so its save does not move
    the data version; the cached page is served, and it is what the figures computed afresh show."""
    from reporting.forms import SubmissionForm
    from tests.reporting.helpers import fill_indicators, post_data, spec_for

    officer = signed_in("dolisa")
    make_submission("ubnd-tri-ton", status="accepted", num=3, den=4)
    queries(officer)  # computed and cached
    spec = spec_for("ubnd-an-phu")
    form = SubmissionForm(post_data("ubnd-an-phu", **fill_indicators("ubnd-an-phu")), spec=spec)
    assert form.is_valid(), form.errors
    draft = Submission(agency_id=spec.agency.pk, quarter_id=spec.quarter.pk, version=0)
    saved = services.submission_save(submission=draft, user=User.objects.get(username="ubnd-an-phu"), spec=spec,
                                     data=form.cleaned_data, expected_version=0)  # fmt: skip
    assert saved.changed and saved.submission.status == Submission.Status.DRAFT
    count, served = queries(officer)
    assert count == SIGNED_IN + VERSIONS  # from the cache
    cache.clear()
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
    assert token.sub("", served) == token.sub("", queries(officer)[1])  # the same page as computed afresh


def test_each_language_and_role_has_its_own_page(program, clock):
    make_submission("ubnd-an-phu", status="accepted", num=3, den=4)
    officer, viewer = signed_in("dolisa"), signed_in("viewer")
    assert "Gồm cả báo cáo đã gửi, chưa duyệt" in officer.get(CUT_URL).content.decode()
    assert "Gồm cả báo cáo đã gửi, chưa duyệt" not in viewer.get(CUT_URL).content.decode()
    officer.post("/i18n/setlang/", {"language": "en", "next": URL})
    english = officer.get(CUT_URL).content.decode()
    assert "Including submitted reports not yet accepted" in english


# ------------------------------------------------------------------------------------------------
# The incidents of the cut
# ------------------------------------------------------------------------------------------------
@pytest.fixture
def incidents(program):
    three_incidents(program)


def section(body: str) -> str:
    start = body.index('id="incidents"')
    return body[start : body.index("</section>", start)]


def test_dashboard_shows_the_cuts_incidents(login, program, incidents):
    c = login("viewer")
    q2 = section(c.get("/dashboard/2018/?cut=quarter&quarter=2").content.decode())
    assert 'data-district="' in q2
    cho_moi_row = re.search(r'data-district="893">(.*?)</tr>', q2, re.S).group(1)
    assert '1 <span class="text-muted">(3)</span>' in cho_moi_row  # violence: 1 case, 3 children
    assert '2 <span class="text-muted">(4)</span>' in cho_moi_row  # total: 2 cases, 4 children
    tri_ton_row = re.search(r'data-district="891">(.*?)</tr>', q2, re.S).group(1)
    assert "(1)" not in tri_ton_row  # its case was in Q1
    ytd = section(c.get("/dashboard/2018/?cut=ytd&quarter=2").content.decode())
    assert 'data-testid="incidents-total">3 (6)<' in ytd  # the province's total over the year to date


def test_a_district_sees_its_own_district_and_a_provincial_agency_none(login, program, incidents):
    own = section(login("ubnd-cho-moi").get("/dashboard/2018/?cut=ytd&quarter=2").content.decode())
    assert 'data-district="893"' in own and 'data-district="891"' not in own
    assert 'id="incidents"' not in login("so-gddt").get("/dashboard/2018/").content.decode()


def test_the_compliance_table_says_a_quarter_has_no_deadline(login, program, settings):
    settings.PORTAL_CLOCK_TODAY = "2018-05-10"
    page = body(get(login("dolisa"), f"{URL}?cut=ytd&quarter=4"))
    rows = dict(re.findall(r'<tr data-quarter="(\d)">(.*?)</tr>', page, re.S))
    assert "chưa quy định hạn" in rows["3"] and "hạn 20/03/2018" in rows["1"]
    assert "hạn 20/05/2018 · chưa đến hạn" in " ".join(rows["2"].split())
