"""The program's structure is cached under a shared version, read once per request: a change made in
another process is seen by the next request, a change made by a request is seen by that request.
Every writer of the structure moves the version itself (programs' services; the admin, see
tests/core/test_admin.py): a page cached before a calendar edit shows the edit at once."""

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from core import structureversion
from programs import services, structure
from programs.models import Quarter
from targets.models import Indicator

pytestmark = pytest.mark.django_db
AGENCY_URL = "/submissions/2018/q1/ubnd-cho-moi/"
OVERVIEW_URL = "/programs/2018/"


def test_the_version_is_read_once_per_request(login, program, clock):
    c = login("ubnd-cho-moi")
    c.get(AGENCY_URL)  # fills the caches
    real_get = cache.get
    with mock.patch.object(cache, "get", side_effect=real_get) as spy:
        assert c.get(AGENCY_URL).status_code == 200
    reads = [call for call in spy.call_args_list if call.args and call.args[0] == structureversion.VERSION_KEY]
    assert len(reads) == 1


def test_a_change_made_in_another_process_is_seen_by_the_next_request(login, program, clock):
    c = login("ubnd-cho-moi")
    assert "Số trẻ em được khám sàng lọc XYZ" not in c.get(AGENCY_URL).content.decode()
    indicator = Indicator.objects.filter(reporters__code="ubnd-cho-moi").order_by("pk").first()
    # another process: only the shared version tells this one that the structure changed
    Indicator.objects.filter(pk=indicator.pk).update(numerator_label="Số trẻ em được khám sàng lọc XYZ")
    cache.incr(structureversion.VERSION_KEY)
    assert "Số trẻ em được khám sàng lọc XYZ" in c.get(AGENCY_URL).content.decode()


def test_a_change_within_a_request_is_seen_by_that_request(program):
    structureversion.request_started_handler()
    try:
        before = structure.version()
        assert structure.cached("probe", lambda: "old") == "old"
        quarter = program.quarters.get(number=2)
        services.quarter_update(quarter=quarter, start=quarter.start, end=quarter.end, entry_deadline=quarter.end)
        assert structure.version() != before
        assert structure.cached("probe", lambda: "new") == "new"
    finally:
        structureversion.request_finished_handler()


def test_a_write_that_goes_round_the_writers_is_not_seen_until_the_version_moves(program):
    """No signals: a direct save (like a QuerySet.update or a bulk insert) leaves the cache as it was;
    such a writer must move the version itself."""
    assert structure.cached("probe", lambda: "old") == "old"
    Quarter.objects.filter(program=program, number=2).update(entry_deadline=dt.date(2018, 5, 16))
    program.quarters.get(number=3).save()
    assert structure.cached("probe", lambda: "new") == "old"
    structureversion.bump_on_commit()
    assert structure.cached("probe", lambda: "new") == "new"


def test_an_entry_expires_after_the_configured_seconds(program, settings):
    settings.PORTAL_STRUCTURE_CACHE_SECONDS = 0
    assert structure.cached("probe", lambda: "old") == "old"
    assert structure.cached("probe", lambda: "new") == "new"


# ------------------------------------------------------------------------------------------------
# The writers: programs' services
# ------------------------------------------------------------------------------------------------
def test_a_quarter_edit_moves_the_version(program):
    before = structureversion.version()
    quarter = program.quarters.get(number=2)
    services.quarter_update(quarter=quarter, start=quarter.start, end=quarter.end, entry_deadline=dt.date(2018, 5, 16))
    assert structureversion.version() > before


def test_a_report_schedule_edit_moves_the_version(program):
    before = structureversion.version()
    report = program.provincial_reports.get(kind="six_month")
    services.provincial_report_update(
        report=report, due_date=dt.date(2018, 5, 21), quarters=list(program.quarters.filter(number__lte=2))
    )
    assert structureversion.version() > before


def test_a_refused_calendar_edit_leaves_the_version(program):
    before = structureversion.version()
    quarter = program.quarters.get(number=2)
    with pytest.raises(ValidationError):
        services.quarter_update(
            quarter=quarter, start=quarter.start, end=quarter.end, entry_deadline=dt.date(2018, 1, 1)
        )
    assert structureversion.version() == before


def test_a_load_that_changes_something_moves_the_version(program):
    Quarter.objects.filter(program=program, number=2).update(entry_deadline=dt.date(2018, 5, 16))
    before = structureversion.version()
    _, report = services.program_load(data=services.program_read_file(path=settings.PROGRAM_DATA_FILE))
    assert report.updated == {"quarter": 1}
    assert structureversion.version() > before


def test_a_load_that_changes_nothing_keeps_the_cache(program):
    before = structureversion.version()
    _, report = services.program_load(data=services.program_read_file(path=settings.PROGRAM_DATA_FILE))
    assert not report.changed
    assert structureversion.version() == before


# ------------------------------------------------------------------------------------------------
# A cached page shows an edit at once
# ------------------------------------------------------------------------------------------------
def test_the_overview_shows_a_calendar_edit_at_once(login, program):
    c = login("dolisa")
    assert "15/05/2018" in c.get(OVERVIEW_URL).content.decode()  # Q2's deadline; the overview is now cached
    url = reverse("programs:quarter_edit", kwargs={"year": 2018, "number": 2})
    response = c.post(url, {"start": "2018-04-01", "end": "2018-06-30", "entry_deadline": "2018-05-17"})
    assert response.status_code == 302
    body = c.get(OVERVIEW_URL).content.decode()
    assert "17/05/2018" in body and "15/05/2018" not in body


def test_the_overview_shows_a_report_schedule_edit_at_once(login, program):
    c = login("dolisa")
    assert "20/05/2018" in c.get(OVERVIEW_URL).content.decode()
    q = {q.number: q.pk for q in program.quarters.all()}
    url = reverse("programs:report_edit", kwargs={"year": 2018, "kind": "six_month"})
    assert c.post(url, {"due_date": "2018-05-22", "quarters": [q[1], q[2]]}).status_code == 302
    body = c.get(OVERVIEW_URL).content.decode()
    assert "22/05/2018" in body and "20/05/2018" not in body
