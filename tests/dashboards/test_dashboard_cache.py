"""The dashboard is cached until the data behind it changes: a change shows at once."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from reporting import services
from tests.reporting.helpers import make_submission

pytestmark = pytest.mark.django_db
URL = "/dashboard/2018/?cut=quarter&quarter=1"


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(URL).content.decode()
    return len(ctx), body


def test_the_page_is_served_from_the_cache_until_a_report_is_accepted(program, clock):
    officer = signed_in("dolisa")
    sub = make_submission("ubnd-an-phu", status="submitted", num=3, den=4)
    cold, first = queries(officer)
    assert "3/4" not in first  # submitted, not yet accepted: not counted
    warm, again = queries(officer)
    assert warm < cold and "3/4" not in again  # the figures were not computed again
    services.submission_accept(submission=sub, user=User.objects.get(username="dolisa"))
    assert "3/4" in officer.get(URL).content.decode()


def test_a_changed_value_shows_at_once(program, clock):
    """Reopened, corrected, sent again and accepted through the services: each step shows at once."""
    officer = signed_in("dolisa")
    sub = make_submission("ubnd-an-phu", status="accepted", num=3, den=4)
    assert "3/4" in officer.get(URL).content.decode()
    services.submission_reopen(submission=sub, user=User.objects.get(username="dolisa"), until=dt.date(2018, 3, 20))
    assert "3/4" not in officer.get(URL).content.decode()  # returned to the agency: not counted
    make_submission("ubnd-an-phu", status="accepted", num=1, den=4)
    assert "1/4" in officer.get(URL).content.decode()


def test_each_language_and_role_has_its_own_page(program, clock):
    make_submission("ubnd-an-phu", status="accepted", num=3, den=4)
    officer, viewer = signed_in("dolisa"), signed_in("viewer")
    assert "Gồm cả báo cáo đã gửi, chưa duyệt" in officer.get(URL).content.decode()
    assert "Gồm cả báo cáo đã gửi, chưa duyệt" not in viewer.get(URL).content.decode()
    officer.post("/i18n/setlang/", {"language": "en", "next": URL})
    english = officer.get(URL).content.decode()
    assert "Including submitted reports not yet accepted" in english
