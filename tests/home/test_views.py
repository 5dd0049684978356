"""Each role's first screen: what it lists, where each entry leads, and what it costs in queries."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.models import Submission
from tests.helpers import writes_of_a_read
from tests.reporting.helpers import make_submission, url_for

pytestmark = pytest.mark.django_db
AGENCY = "ubnd-thoai-son"


def links(body: str) -> set[str]:
    return set(re.findall(r'href="(/submissions/\d+/q\d/[^"/]+/)"', body))


def counted_get(client, url: str = "/") -> tuple[int, str]:
    client.get(url)  # the first request fills the caches
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def test_a_reporter_sees_each_quarter_with_a_link_to_its_report(login, program, clock):
    """Every quarter links to the agency's report page, started or not."""
    make_submission(AGENCY, quarter=1)
    queries, body = counted_get(login(AGENCY))
    assert links(body) >= {url_for(AGENCY, quarter=n) for n in (1, 2, 3, 4)}
    assert queries == HOME_QUERIES["reporter"]


def test_an_officer_sees_the_queue_and_every_agency_by_quarter(login, program, clock):
    """The queue links to the submissions waiting for review; the overview links every agency's
    every quarter, reported or not, in a number of queries that does not grow with the reports."""
    make_submission("ubnd-cho-moi", quarter=1, status="accepted")
    make_submission(AGENCY, quarter=1, status="submitted")
    officer = login("dolisa")
    queries, body = counted_get(officer)
    queue = body.split('data-testid="queue"')[1].split("</ul>")[0]
    assert links(queue) == {url_for(AGENCY, quarter=1)}
    matrix = body.split('data-testid="matrix"')[1].split("</table>")[0]
    assert url_for("ubnd-an-phu", quarter=4) in links(matrix)
    assert queries == HOME_QUERIES["officer"]
    make_submission("ubnd-an-phu", quarter=1, status="submitted")
    make_submission("ubnd-chau-doc", quarter=1)
    assert counted_get(officer)[0] == queries


def test_a_viewer_lands_on_the_six_targets_as_the_dashboard_shows_them(login, program, clock):
    """The leaders' first screen: the six targets with the dashboard's figures and standings (its default
    cut), never a recomputation; a report not yet accepted does not count."""
    make_submission(AGENCY, quarter=1, status="accepted", num=9, den=10)
    make_submission("ubnd-an-phu", quarter=1, status="submitted", num=1, den=10)
    viewer = login("viewer")
    queries, body = counted_get(viewer)
    assert queries == HOME_QUERIES["viewer"]
    summary = body.split('data-testid="targets-summary"')[1].split("</section>")[0]
    assert re.findall(r'data-target="(\d)"', summary) == ["1", "2", "3", "4", "5", "6"]
    shown = dict(re.findall(r'data-indicator="([^"]+)">.*?data-testid="summary-value">([^<]+)</a>', summary, re.S))
    dashboard = viewer.get("/dashboard/2018/").content.decode()
    on_dashboard = dict(
        re.findall(r'<tr data-indicator="([^"]+)">.*?data-testid="province-value">([^<]+)<', dashboard, re.S)
    )
    assert shown == on_dashboard and shown["1"] == "90%"
    assert Submission.objects.count() == 2


def test_the_summary_names_what_needs_attention(login, program, clock):
    """Late and missing agencies of a quarter whose deadline has passed, and the latest issued report."""
    make_submission(AGENCY, quarter=1, status="accepted")
    clock("2018-03-25")
    body = login("viewer").get("/").content.decode()
    attention = body.split('data-testid="attention"')[1].split("</section>")[0]
    missing = attention.split('data-testid="late"')[1].split("</li>")[0]
    assert "Quý 1/2018" in missing and "chưa gửi báo cáo" in missing
    assert "UBND huyện An Phú" in missing and "UBND huyện Thoại Sơn" not in missing
    assert "Chưa có văn bản nào được ban hành." in body


def test_a_viewers_status_filter_offers_only_what_viewers_see(login, program, clock):
    body = login("viewer").get("/submissions/2018/").content.decode()
    options = re.findall(r'<option value="(\w*)"', body.split('id="f-status"')[1].split("</select>")[0])
    assert options == ["", "accepted"]
    officer = login("dolisa").get("/submissions/2018/").content.decode()
    assert 'value="submitted"' in officer.split('id="f-status"')[1].split("</select>")[0]


def test_a_reporter_sees_a_returned_report_with_its_reason(login, program, clock):
    make_submission(AGENCY, quarter=1, status="returned")
    body = login(AGENCY).get("/").content.decode()
    alert = body.split('data-testid="returned"')[1].split("</div>\n</div>")[0]
    assert "Xem lại" in alert and url_for(AGENCY, quarter=1) in alert


# The session and the user, then the page's own reads: the quarters, the agency's submissions, its returns
# and its requests to reopen; the quarters, the agencies, the matrix's and the queue's submissions, the
# requests to reopen, then the summary; the summary: the figures (figures_compute: seven once a report
# counts), the reports and their issued versions, the count of open incidents.
HOME_QUERIES = {"reporter": 6, "officer": 16, "viewer": 11}


@pytest.mark.parametrize(
    ("username", "role"), [("dolisa", "officer"), ("viewer", "viewer"), ("ubnd-cho-moi", "reporter")]
)
def test_the_first_screen_costs_the_same_queries_with_more_data(login, program, clock, username, role):
    """Each role's first screen makes its counted queries with one report made and with many."""
    make_submission("ubnd-cho-moi", status="submitted")
    make_submission(AGENCY, status="accepted")
    c = login(username)
    assert counted_get(c)[0] == HOME_QUERIES[role]
    for code in ["ubnd-an-phu", "ubnd-tri-ton", "so-y-te", "so-gddt", "tinh-doan"]:
        make_submission(code, status="accepted")
    make_submission("ubnd-cho-moi", quarter=2)
    assert counted_get(c)[0] == HOME_QUERIES[role]


@pytest.mark.parametrize("username", ["dolisa", "ubnd-cho-moi"])
def test_reading_the_first_screen_writes_nothing(login, program, clock, username):
    make_submission("ubnd-cho-moi", status="submitted")
    assert writes_of_a_read(login(username), "/") == []


def test_reporter_home_shows_days_left(login, program, clock):
    """A reporter's first screen counts the days left before each quarter's deadline (VIII.1); Q3 has none."""
    clock("2018-03-17")
    body = login(AGENCY).get("/").content.decode()
    assert "còn 3 ngày" in body  # Q1 due 20/03
    assert "còn 64 ngày" in body  # Q2 due 20/05
    q3 = re.search(r'data-quarter="3"(.*?)</a>', body, re.S).group(1)
    assert "chưa quy định hạn" in q3 and "còn" not in q3 and "quá hạn" not in q3


def test_an_officer_sees_the_deadlines_of_the_week(login, program, clock):
    """Q1 is due on 20/03: five days before, DOLISA sees it with the directed agencies that have not sent it."""
    clock("2018-03-15")
    make_submission(AGENCY, quarter=1, status="submitted")
    body = login("dolisa").get("/").content.decode()
    week = body.split('data-testid="deadlines"')[1].split("</ul>")[0]
    assert "Quý 1/2018" in week and "20/03/2018" in week and "còn 5 ngày" in week
    assert "19 cơ quan chưa gửi" in week  # 20 directed agencies (the six requested bodies apart), one sent
