"""The incident list: filters, what each role sees, and a query count that does not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from tests.helpers import writes_of_a_read

from .factories import IncidentFactory, IncidentNoteFactory
from .helpers import AN_PHU, CHO_MOI, client_for, communes_of, district

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


@pytest.mark.parametrize("username", ["dolisa", "ubnd-cho-moi", "so-y-te"])
def test_list_queries_do_not_grow(program, clock, username):
    _make(program, 3)
    c = client_for(username)
    url = reverse("incidents:list")
    before = _count(c, url)
    _make(program, 12, start=3)
    after = _count(c, url)
    assert after == before, (before, after)
    assert after <= 15, after


def test_detail_queries_do_not_grow(program, clock):
    [incident] = _make(program, 1)
    c = client_for("dolisa")
    url = reverse("incidents:detail", kwargs={"pk": incident.pk})
    before = _count(c, url)
    for _i in range(5):
        IncidentNoteFactory(incident=incident, author=User.objects.get(username="dolisa"))
    assert _count(c, url) == before


def test_filters(program, clock):
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


def test_list_page_texts(program, clock):
    [incident] = _make(program, 1)
    html = client_for("dolisa").get(reverse("incidents:list")).content.decode()
    assert "Báo cáo đột xuất" in html and incident.commune.name in html and "Đang theo dõi" in html
    assert 'data-testid="file-incident"' not in html  # DOLISA follows up; agencies file
    assert 'data-testid="file-incident"' in client_for("so-y-te").get(reverse("incidents:list")).content.decode()


def test_reading_the_list_writes_nothing(program, clock):
    """Selectors never write: reading DOLISA's incident list changes nothing."""
    assert writes_of_a_read(client_for("dolisa"), "/incidents/") == []
