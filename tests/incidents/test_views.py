"""The incidents' pages (incidents.views): who may read and act on an incident, the list's filters and what
each role sees, and query counts that do not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from incidents.models import Incident, IncidentNote
from incidents.services import incident_close
from tests.helpers import writes_of_a_read

from .factories import IncidentFactory, IncidentNoteFactory
from .helpers import AN_PHU, CHO_MOI, client_for, communes_of, district, file_incident, post_form

pytestmark = pytest.mark.django_db


def _make(program, n: int, start: int = 0):
    filers = [User.objects.get(username=u) for u in ("so-y-te", "ubnd-cho-moi", "cong-an-tinh")]
    places = communes_of(program, CHO_MOI)[:3] + communes_of(program, AN_PHU)[:2]
    kinds = ["violence", "sexual_abuse", "drowning_injury", "child_labour"]
    made = []
    for i in range(start, start + n):
        incident = IncidentFactory(
            filed_by=filers[i % 3], commune=places[i % 5], kind=kinds[i % 4],
            occurred_on=dt.date(2018, 1, 1) + dt.timedelta(days=7 * i),
        )  # fmt: skip
        IncidentNoteFactory(incident=incident)
        made.append(incident)
    return made


def _count(c, url) -> int:
    """Queries of a request once the program's structure is cached (the first request fills the cache)."""
    c.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = c.get(url)
    assert response.status_code == 200
    return len(ctx)


# The session and the user (2), the program's units for the filters (2), the list's incidents (1); DOLISA's
# list adds its table by kind and district: the districts and the grouped incidents (2).
@pytest.mark.parametrize(("username", "expected"), [("dolisa", 7), ("ubnd-cho-moi", 5), ("so-y-te", 5)])
def test_list_queries_do_not_grow(program, clock, username, expected):
    """The incident list makes exactly its counted queries with 3 incidents and with 15."""
    _make(program, 3)
    c = client_for(username)
    url = reverse("incidents:list")
    before = _count(c, url)
    _make(program, 12, start=3)
    after = _count(c, url)
    assert before == after == expected, (before, after)


def test_detail_queries_do_not_grow(program, clock):
    """A case's page costs the same with one note or six."""
    [incident] = _make(program, 1)
    c = client_for("dolisa")
    url = reverse("incidents:detail", kwargs={"pk": incident.pk})
    before = _count(c, url)
    for _i in range(5):
        IncidentNoteFactory(incident=incident, author=User.objects.get(username="dolisa"))
    assert _count(c, url) == before


def test_the_list_filters_by_kind_district_dates_and_status(program, clock):
    """Each filter narrows the list; a value that does not parse is ignored."""
    made = _make(program, 8)
    c = client_for("dolisa")
    url = reverse("incidents:list")

    def listed(**params):
        return {i.pk for i in c.get(url, params).context["rows"]}

    assert listed() == {i.pk for i in made}
    assert listed(kind="violence") == {i.pk for i in made if i.kind == "violence"}
    assert listed(district=district(AN_PHU).pk) == {i.pk for i in made if i.district.code == AN_PHU}
    assert listed(date_from="2018-01-15", date_to="2018-02-05") == {
        i.pk for i in made if dt.date(2018, 1, 15) <= i.occurred_on <= dt.date(2018, 2, 5)
    }
    made[0].status, made[0].closed_at = "closed", made[0].reported_at
    made[0].save()
    assert listed(status="closed") == {made[0].pk}
    assert listed(kind="nonsense", district="x", date_from="31/31/2018") == {i.pk for i in made}  # ignored


def test_officer_list_shows_counts_by_kind_and_district(program, clock):
    _make(program, 4)
    response = client_for("dolisa").get(reverse("incidents:list"), {"district": district(CHO_MOI).pk})
    html = response.content.decode()
    assert "Tổng hợp theo loại vụ việc và địa bàn" in html
    table = response.context["table"]
    assert [r.district.code for r in table.rows] == [CHO_MOI] and table.total.cases == 3
    assert client_for("so-y-te").get(reverse("incidents:list")).context["table"] is None


def test_the_list_offers_filing_to_agencies_not_to_dolisa(program, clock):
    """The list names each case's commune and standing; agencies get the button to file, DOLISA does not."""
    [incident] = _make(program, 1)
    html = client_for("dolisa").get(reverse("incidents:list")).content.decode()
    assert "Báo cáo đột xuất" in html and incident.commune.name in html and "Đang theo dõi" in html
    assert 'data-testid="file-incident"' not in html  # DOLISA follows up; agencies file
    assert 'data-testid="file-incident"' in client_for("so-y-te").get(reverse("incidents:list")).content.decode()


def test_reading_the_list_writes_nothing(program, clock):
    """Selectors never write: reading DOLISA's incident list changes nothing."""
    assert writes_of_a_read(client_for("dolisa"), "/incidents/") == []


# ------------------------------------------------------------------------------------------------
# Who may read and act on an incident: the filing agency, the district People's Committee concerned and
# DOLISA read it; only DOLISA closes and reopens; viewers and other agencies get 404; anonymous users are
# sent to the login page. Every role against every incident URL, and nothing changes when refused.
# ------------------------------------------------------------------------------------------------
FILER = "so-y-te"  # a provincial agency files an incident that happened in Chợ Mới
OTHER_AGENCY = "so-gddt"
DISTRICT = "ubnd-cho-moi"  # the People's Committee of the district concerned
OTHER_DISTRICT = "ubnd-an-phu"
ROLES = [None, FILER, OTHER_AGENCY, DISTRICT, OTHER_DISTRICT, "dolisa", "admin", "viewer"]
READERS = {FILER, DISTRICT, "dolisa", "admin"}
OFFICERS = {"dolisa", "admin"}
REPORTERS = {FILER, OTHER_AGENCY, DISTRICT, OTHER_DISTRICT}


@pytest.fixture
def incident(program, clock):
    return file_incident(program, FILER)


def _login_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def _expect(username, allowed: set, denied: int) -> int | str:
    if username is None:
        return "login"
    return "ok" if username in allowed else denied


def _outcome(response) -> int | str:
    if _login_redirect(response):
        return "login"
    if response.status_code in (200, 302):
        return "ok"
    return response.status_code


@pytest.mark.parametrize("username", ROLES)
def test_who_lists_incidents(incident, username):
    """Agencies and DOLISA reach the list; each sees the cases it may read."""
    response = client_for(username).get(reverse("incidents:list"))
    assert _outcome(response) == _expect(username, REPORTERS | OFFICERS, 404)
    if response.status_code == 200:
        listed = [i.pk for i in response.context["rows"]]
        assert listed == ([incident.pk] if username in READERS else [])


@pytest.mark.parametrize("username", ROLES)
def test_who_reads_an_incident(incident, username):
    """The filing agency, the district concerned and DOLISA read a case; others get 404."""
    response = client_for(username).get(reverse("incidents:detail", kwargs={"pk": incident.pk}))
    assert _outcome(response) == _expect(username, READERS, 404)


@pytest.mark.parametrize("username", ROLES)
def test_who_may_open_the_filing_form(program, clock, username):
    """Only agencies file: the form answers 403 to anyone else."""
    response = client_for(username).get(reverse("incidents:create"))
    assert _outcome(response) == _expect(username, REPORTERS, 403)


@pytest.mark.parametrize("username", ROLES)
def test_who_may_file(program, clock, username):
    """An agency files for itself; anyone else is refused and nothing is filed."""
    response = client_for(username).post(reverse("incidents:create"), post_form(program))
    assert _outcome(response) == _expect(username, REPORTERS, 403)
    assert Incident.objects.count() == (1 if username in REPORTERS else 0)
    if username in REPORTERS:
        assert Incident.objects.get().agency.code == username


@pytest.mark.parametrize("username", ROLES)
def test_who_may_add_a_note(incident, username):
    """Those who read a case may add a note to it; the note is saved for them only."""
    response = client_for(username).post(reverse("incidents:note_add", kwargs={"pk": incident.pk}), {"text": "Ghi"})
    assert _outcome(response) == _expect(username, READERS, 404)
    assert IncidentNote.objects.filter(incident=incident).count() == (1 if username in READERS else 0)


@pytest.mark.parametrize("username", ROLES)
def test_only_dolisa_closes(incident, username):
    """Only DOLISA closes a case: other readers get 403, the rest 404, and the case stays open."""
    response = client_for(username).post(reverse("incidents:close", kwargs={"pk": incident.pk}))
    denied = 403 if username in READERS else 404
    assert _outcome(response) == _expect(username, OFFICERS, denied)
    incident.refresh_from_db()
    assert incident.status == ("closed" if username in OFFICERS else "open")


@pytest.mark.parametrize("username", ROLES)
def test_only_dolisa_reopens(incident, username):
    """Only DOLISA reopens a closed case: other readers get 403, the rest 404."""
    incident_close(incident=incident, user=User.objects.get(username="dolisa"))
    response = client_for(username).post(reverse("incidents:reopen", kwargs={"pk": incident.pk}))
    denied = 403 if username in READERS else 404
    assert _outcome(response) == _expect(username, OFFICERS, denied)
    incident.refresh_from_db()
    assert incident.status == ("open" if username in OFFICERS else "closed")


def test_district_reads_incidents_in_its_district_filed_by_others(program, clock):
    """A district PC reads what happened in its district, whoever filed it, and what it filed elsewhere."""
    here = file_incident(program, "cong-an-tinh", "893")
    elsewhere = file_incident(program, DISTRICT, "886")
    not_ours = file_incident(program, "cong-an-tinh", "886")
    listed = {i.pk for i in client_for(DISTRICT).get(reverse("incidents:list")).context["rows"]}
    assert listed == {here.pk, elsewhere.pk}
    assert not_ours.pk not in listed


def test_the_nav_shows_incidents_to_agencies_and_dolisa(incident):
    """The menu shows the incidents to agencies and DOLISA, not to viewers."""
    for username, shown in [(FILER, True), ("dolisa", True), ("viewer", False)]:
        html = client_for(username).get("/").content.decode()
        assert ('data-testid="nav-incidents"' in html) is shown, username
