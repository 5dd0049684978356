"""Who may read and act on an incident: the filing agency, the district People's Committee concerned
and DOLISA read it; only DOLISA closes and reopens; viewers and other agencies get 404; anonymous users
are sent to the login page. Every role against every incident URL, and nothing changes when refused."""

import pytest
from django.urls import reverse

from incidents.models import Incident, IncidentNote

from .helpers import client_for, file_incident, post_form

pytestmark = pytest.mark.django_db

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
def test_list(incident, username):
    response = client_for(username).get(reverse("incidents:list"))
    assert _outcome(response) == _expect(username, REPORTERS | OFFICERS, 404)
    if response.status_code == 200:
        listed = [i.pk for i in response.context["rows"]]
        assert listed == ([incident.pk] if username in READERS else [])


@pytest.mark.parametrize("username", ROLES)
def test_detail(incident, username):
    response = client_for(username).get(reverse("incidents:detail", kwargs={"pk": incident.pk}))
    assert _outcome(response) == _expect(username, READERS, 404)


@pytest.mark.parametrize("username", ROLES)
def test_file_form(program, clock, username):
    response = client_for(username).get(reverse("incidents:create"))
    assert _outcome(response) == _expect(username, REPORTERS, 403)


@pytest.mark.parametrize("username", ROLES)
def test_file(program, clock, username):
    response = client_for(username).post(reverse("incidents:create"), post_form(program))
    assert _outcome(response) == _expect(username, REPORTERS, 403)
    assert Incident.objects.count() == (1 if username in REPORTERS else 0)
    if username in REPORTERS:
        assert Incident.objects.get().agency.code == username


@pytest.mark.parametrize("username", ROLES)
def test_add_note(incident, username):
    response = client_for(username).post(reverse("incidents:note_add", kwargs={"pk": incident.pk}), {"text": "Ghi"})
    assert _outcome(response) == _expect(username, READERS, 404)
    assert IncidentNote.objects.filter(incident=incident).count() == (1 if username in READERS else 0)


@pytest.mark.parametrize("username", ROLES)
def test_close(incident, username):
    response = client_for(username).post(reverse("incidents:close", kwargs={"pk": incident.pk}))
    denied = 403 if username in READERS else 404
    assert _outcome(response) == _expect(username, OFFICERS, denied)
    incident.refresh_from_db()
    assert incident.status == ("closed" if username in OFFICERS else "open")


@pytest.mark.parametrize("username", ROLES)
def test_reopen(incident, username):
    from accounts.models import User
    from incidents.services import incident_close

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


def test_nav_item(incident):
    for username, shown in [(FILER, True), ("dolisa", True), ("viewer", False)]:
        html = client_for(username).get("/").content.decode()
        assert ('data-testid="nav-incidents"' in html) is shown, username
