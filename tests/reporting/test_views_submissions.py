"""The quarterly report's pages (reporting.views.submissions): who may see and do what, every role against
every submission URL and action; what the list and the form cost in queries; a read that writes nothing."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from reporting.models import Submission
from tests.helpers import writes_of_a_read
from tests.reporting.helpers import make_submission, post_data, url_for

pytestmark = pytest.mark.django_db

OWN = "ubnd-cho-moi"


@pytest.fixture
def subs(program, clock):
    """Q1 draft of Chợ Mới, Q1 submitted of An Phú, Q1 accepted of Sở Y tế."""
    return {
        "draft": make_submission(OWN, status="draft"),
        "submitted": make_submission("ubnd-an-phu", status="submitted"),
        "accepted": make_submission("so-y-te", status="accepted"),
    }


def client_for(username):
    c = Client()
    if username:
        from accounts.models import User

        c.force_login(User.objects.get(username=username))
    return c


# (user, agency of the URL, expected status for GET)
VIEW_MATRIX = [
    (None, OWN, 302),
    (OWN, OWN, 200),
    ("so-y-te", OWN, 404),  # another agency typing Chợ Mới's URL
    ("ubnd-an-phu", OWN, 404),
    ("dolisa", OWN, 200),
    ("admin", OWN, 200),
    ("viewer", OWN, 404),  # a draft is not accepted data
    ("viewer", "ubnd-an-phu", 404),  # submitted, not accepted
    ("viewer", "so-y-te", 200),  # accepted
    ("ubnd-an-phu", "ubnd-an-phu", 200),
    (OWN, "so-y-te", 404),
]


@pytest.mark.parametrize("username,agency,expected", VIEW_MATRIX)
def test_who_may_open_a_submission(subs, username, agency, expected):
    """Each role against each agency's report page: the page, 404, or the login page."""
    assert client_for(username).get(url_for(agency)).status_code == expected


@pytest.mark.parametrize(
    "username,expected",
    [(None, 302), (OWN, 302), ("so-y-te", 404), ("dolisa", 403), ("admin", 403), ("viewer", 404)],
)
def test_save_values(subs, username, expected):
    """Only the agency's own reporter writes values; others are refused and nothing changes."""
    before = Submission.objects.get(pk=subs["draft"].pk).version
    response = client_for(username).post(url_for(OWN), post_data(OWN, action="save", difficulties="x"))
    assert response.status_code == expected
    after = Submission.objects.get(pk=subs["draft"].pk)
    assert after.version == (before + 1 if username == OWN else before)


@pytest.mark.parametrize(
    "username,expected_status,expected_code",
    [
        (None, "submitted", 302),
        ("ubnd-an-phu", "submitted", 403),  # the agency itself cannot accept its own report
        (OWN, "submitted", 404),  # another agency cannot even see it
        ("viewer", "submitted", 404),
        ("dolisa", "accepted", 302),
        ("admin", "accepted", 302),
    ],
)
def test_only_dolisa_accepts(subs, username, expected_status, expected_code):
    """Only DOLISA accepts a report waiting for review; others are refused and it stays as it was."""
    response = client_for(username).post(url_for("ubnd-an-phu", review=True), {"action": "accept"})
    assert response.status_code == expected_code
    assert Submission.objects.get(pk=subs["submitted"].pk).status == expected_status


@pytest.mark.parametrize(
    "username,expected_status",
    [("ubnd-an-phu", "submitted"), ("viewer", "submitted"), ("dolisa", "returned"), ("admin", "returned")],
)
def test_only_dolisa_returns(subs, username, expected_status):
    """Only DOLISA returns a report waiting for review."""
    client_for(username).post(url_for("ubnd-an-phu", review=True), {"action": "return", "comment": "Sửa lại"})
    assert Submission.objects.get(pk=subs["submitted"].pk).status == expected_status


@pytest.mark.parametrize("username,reopened", [(OWN, False), ("viewer", False), ("dolisa", True)])
def test_only_dolisa_reopens(subs, username, reopened):
    """Only DOLISA reopens a report after its deadline."""
    client_for(username).post(url_for(OWN, review=True), {"action": "reopen", "until": "2018-04-01"})
    assert (Submission.objects.get(pk=subs["draft"].pk).reopened_until is not None) is reopened


def test_lists_are_scoped(subs):
    """The list shows a reporter its own agency, a viewer the accepted reports, DOLISA every report."""

    def agencies(username):
        response = client_for(username).get("/submissions/2018/")
        return {s.agency.code for s in response.context["rows"]}

    assert agencies(OWN) == {OWN}
    assert agencies("viewer") == {"so-y-te"}
    assert agencies("dolisa") == {OWN, "ubnd-an-phu", "so-y-te"}


def test_reporter_cannot_edit_a_submitted_report(subs):
    response = client_for("ubnd-an-phu").post(url_for("ubnd-an-phu"), post_data("ubnd-an-phu", action="save"))
    assert response.status_code == 403


def test_viewer_sees_a_read_only_page(subs):
    body = client_for("viewer").get(url_for("so-y-te")).content.decode()
    assert "Lưu nháp" not in body
    assert 'data-testid="review"' not in body
    assert 'data-testid="history"' not in body


# ------------------------------------------------------------------------------------------------
# What the pages cost: a number of queries that does not grow with the data, and no write on a read
# ------------------------------------------------------------------------------------------------
def count(client, url):
    """Queries of a request once the program's structure is cached (the first request fills the cache)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


# Counted on a first quarter with one submitted report, then with more reports, values and history: the
# list and the form read the same number of rows-sets whatever the data (the home pages are pinned in
# tests/home/test_views.py). DOLISA's form page reads the history of changes too; both read the report's
# requests to reopen (one query).
@pytest.mark.parametrize(
    "username,url,expected",
    [
        ("dolisa", "/submissions/2018/", 3),
        ("dolisa", url_for("ubnd-cho-moi"), 11),
        ("ubnd-cho-moi", url_for("ubnd-cho-moi"), 10),
    ],
)
def test_queries_do_not_grow(login, program, clock, username, url, expected):
    """The list and the form make exactly the counted queries, before and after more reports are made."""
    make_submission("ubnd-cho-moi", status="submitted")
    c = login(username)
    before = count(c, url)
    # more submissions, more values and more history
    for code in ["ubnd-an-phu", "ubnd-tri-ton", "so-y-te", "so-gddt", "tinh-doan"]:
        make_submission(code, status="accepted")
    make_submission("ubnd-cho-moi", quarter=2)
    assert before == count(c, url) == expected


def test_form_page_query_budget(login, program, clock):
    """The district form (4 indicators, 18 communes × 3 ticks, 40+ activities), with the previous quarter
    read for the >50% warnings and the requests to reopen: 11 queries for its agency, 12 for DOLISA, who sees the
    history of changes."""
    make_submission("ubnd-cho-moi", status="accepted")
    make_submission("ubnd-cho-moi", quarter=2, status="submitted")
    assert count(login("dolisa"), url_for("ubnd-cho-moi", quarter=2)) == 12
    assert count(login("ubnd-cho-moi"), url_for("ubnd-cho-moi", quarter=2)) == 11


@pytest.mark.parametrize(
    "username,url",
    [
        ("viewer", "/submissions/2018/"),
        ("dolisa", url_for("ubnd-cho-moi")),
        ("ubnd-cho-moi", url_for("ubnd-cho-moi")),
        ("ubnd-cho-moi", url_for("ubnd-cho-moi", quarter=3)),  # not started yet
        ("ubnd-cho-moi", url_for("ubnd-cho-moi") + "workbook.xlsx"),
        ("so-y-te", url_for("ubnd-cho-moi")),  # another agency's: 404, logged, nothing written
    ],
)
def test_reading_a_page_writes_nothing(login, program, clock, username, url):
    """Selectors never write: a GET of the quarterly pages (and of what they refuse) changes nothing."""
    make_submission("ubnd-cho-moi", status="submitted")
    assert writes_of_a_read(login(username), url) == []


@pytest.mark.parametrize(
    "quarter, note",
    [(1, "Đây là báo cáo quý (hạn gửi 20/03/2018), trước khi kỳ báo cáo kết thúc (31/03/2018)"),
     (2, "Đây là báo cáo 6 tháng (hạn gửi 20/05/2018), trước khi kỳ báo cáo kết thúc (30/06/2018)"),
     (4, "Đây là báo cáo năm (hạn gửi 15/11/2018), trước khi kỳ báo cáo kết thúc (31/12/2018)"),
     (3, None)],
)  # fmt: skip
def test_the_form_says_which_period_a_report_due_before_its_end_covers(program, clock, quarter, note):
    """Q1 (20/03), the six-month (20/05) and the annual report (15/11) are due before their period ends: the
    form says which report it is, its period, and that the figures run to the day of reporting. Q3 has no
    deadline and no such note."""
    page = client_for(OWN).get(url_for(OWN, quarter=quarter)).content.decode()
    if note is None:
        assert 'data-testid="period-note"' not in page and 'data-testid="deadline">chưa quy định hạn<' in page
    else:
        assert note in page and "tính đến ngày báo cáo" in page
