"""The Ministry's department's page: for its accounts only, read-only, a fixed number of queries; its accounts
reach no province's own pages and write nothing anywhere."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tests.helpers import ensure_program
from tests.ministry.helpers import YEAR, ministry_user, province_with

pytestmark = pytest.mark.django_db
URL = f"/ministry/{YEAR}/"


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_department_sees_every_province_and_the_national_figure():
    province_with("Tỉnh Một", [(9, 10), (1, 10)])
    province_with("Tỉnh Hai", [(90, 100), None])
    response = client_of(ministry_user()).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tỉnh Một" in body and "Tỉnh Hai" in body
    assert "100/120" in body  # Σ numerators / Σ denominators
    assert "Chưa gửi" in body  # no province has issued its six-month report


def test_home_sends_the_department_to_its_view():
    response = client_of(ministry_user()).get("/")
    assert response.status_code == 302 and response.url == "/ministry/"


def page_queries(client) -> int:
    client.get(URL)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL).status_code == 200
    return len(ctx.captured_queries)


def test_page_query_count_does_not_grow_with_provinces():
    client = client_of(ministry_user())
    for n in range(2):
        province_with(f"Tỉnh {n}", [(n, 10), (1, 10)])
    two = page_queries(client)
    for n in range(2, 4):
        province_with(f"Tỉnh {n}", [(n, 10), (1, 10)])
    assert page_queries(client) == two
    assert two <= 12


@pytest.mark.parametrize("username", ["dolisa", "viewer", "so-y-te", "admin"])
def test_no_one_else_opens_it(username):
    ensure_program()
    province_with("Tỉnh Một", [(1, 2)])
    assert client_of(User.objects.get(username=username)).get(URL).status_code == 404


PROVINCE_PAGES = ["/programs/2018/", "/submissions/2018/", "/submissions/2018/q1/so-y-te/", "/dashboard/2018/",
                  "/reports/2018/", "/reports/2018/register/", "/incidents/", "/incidents/new/",
                  "/programs/2018/calendar/quarters/1/", "/api/v1/programs/2018/",
                  "/api/v1/programs/2018/submissions/"]  # fmt: skip


def test_the_department_reaches_no_province_page_and_writes_nothing():
    ensure_program()
    client = client_of(ministry_user())
    for url in PROVINCE_PAGES:
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url, {"next_number": "5", "comment": "x"}).status_code in (403, 404, 405), url
    assert client.post(URL).status_code == 405


def test_a_year_and_quarter_chosen_in_the_form_and_bad_input_ignored():
    province_with("Tỉnh Một", [(9, 10)])
    client = client_of(ministry_user())
    assert client.get(f"/ministry/?year={YEAR}&quarter=1").status_code == 200
    response = client.get(f"/ministry/?year={YEAR}&quarter=abc")
    assert response.status_code == 200 and response.context["v"].quarter == 1  # the latest with a report
