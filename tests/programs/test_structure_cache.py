"""The program's structure is cached under a shared version, read once per request: a change made in
another process is seen by the next request, a change made by a request is seen by that request.
Every writer of the structure moves the version itself (programs' services; the admin, see
tests/core/test_admin.py): a page cached before a calendar edit shows the edit at once."""

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from types import FunctionType, MappingProxyType, MethodType
from unittest import mock

import pytest
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils.functional import Promise

from accounts.models import User
from activities.models import OutputTarget
from core import structureversion
from programs import services, structure
from programs.models import Agency, Quarter
from programs.selectors import program_for_year, program_frame, program_overview
from reporting.selectors import form_spec, submission_for
from targets.models import Indicator
from tests.reporting.helpers import make_submission

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
    OutputTarget.objects.filter(activity__group__program=program, quantity=800).update(quantity=799)
    before = structureversion.version()
    _, report = services.program_load(data=services.program_read_file(path=settings.PROGRAM_DATA_FILE))
    assert report.updated == {"outputtarget": 1}
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
    assert "20/05/2018" in c.get(OVERVIEW_URL).content.decode()  # Q2's deadline; the overview is now cached
    url = reverse("programs:quarter_edit", kwargs={"year": 2018, "number": 2})
    response = c.post(url, {"start": "2018-04-01", "end": "2018-06-30", "entry_deadline": "2018-05-17"})
    assert response.status_code == 302
    body = c.get(OVERVIEW_URL).content.decode()
    assert "17/05/2018" in body and "20/05/2018" not in body


def test_the_overview_shows_a_report_schedule_edit_at_once(login, program):
    c = login("dolisa")
    assert "22/05/2018" not in c.get(OVERVIEW_URL).content.decode()
    q = {q.number: q.pk for q in program.quarters.all()}
    url = reverse("programs:report_edit", kwargs={"year": 2018, "kind": "six_month"})
    assert c.post(url, {"due_date": "2018-05-22", "quarters": [q[1], q[2]]}).status_code == 302
    body = c.get(OVERVIEW_URL).content.decode()
    assert "hạn của Sở 22/05/2018" in body


# ------------------------------------------------------------------------------------------------
# What the cache holds: frozen snapshots that no request can change (programs.snapshots)
# ------------------------------------------------------------------------------------------------
ATOMS = (str, int, float, Decimal, dt.date, type(None), Promise, type, FunctionType, MethodType)
DISTRICT_Q2 = "/submissions/2018/q2/ubnd-cho-moi/"


def reachable(value):
    """Every object reachable from a cached value, through fields, items and attributes."""
    seen, stack = set(), [value]
    while stack:
        obj = stack.pop()
        if isinstance(obj, ATOMS) or id(obj) in seen:
            continue
        seen.add(id(obj))
        yield obj
        if dataclasses.is_dataclass(obj):
            stack += [getattr(obj, f.name) for f in dataclasses.fields(obj)]
        elif isinstance(obj, Mapping):
            stack += [*obj.keys(), *obj.values()]
        elif isinstance(obj, (tuple, list, set, frozenset)):
            stack += list(obj)
        else:
            stack += list(getattr(obj, "__dict__", {}).values())


def render_the_main_pages(login, clock) -> None:
    """The pages that fill the structure cache, as their users open them."""
    make_submission("ubnd-cho-moi", status="accepted")
    make_submission("ubnd-cho-moi", quarter=2)
    clock("2018-05-10")
    district = login("ubnd-cho-moi", Client())
    for url in ("/", DISTRICT_Q2, DISTRICT_Q2 + "workbook.xlsx", "/dashboard/2018/"):
        assert district.get(url).status_code == 200, url
    assert district.post(DISTRICT_Q2, {"version": "1", "district_budget": "-5"}).status_code == 200  # errors shown
    dolisa = login("dolisa", Client())
    for url in ("/", OVERVIEW_URL, "/programs/2018/calendar/", DISTRICT_Q2, "/submissions/2018/q2/so-y-te/",
                "/dashboard/2018/?cut=quarter&quarter=1", "/dashboard/2018/sources/?what=output&output=2",
                "/dashboard/2018/export.xlsx"):  # fmt: skip
        assert dolisa.get(url).status_code == 200, url


def test_no_model_instance_is_reachable_from_the_cache_after_the_main_pages(login, program, clock):
    """After the home pages, the overview, the calendar, the quarterly forms (read, with errors, as a
    workbook) and the dashboard, the cache holds frozen dataclasses of tuples and plain values only
    (and the form's shared fields, checked by tests/reporting/test_lean_form.py): nothing in it is a
    model instance, or a list, dict or object a request could change."""
    render_the_main_pages(login, clock)
    kinds = {key.split(":")[1] for key in structure._local}
    kept = {"program", "frame", "overview", "calendar", "spec", "form-fields", "targets", "activities", "last-year"}
    assert kinds == kept | {"output-districts"}  # a district's dashboard: the districts each output names
    for key, (_at, value) in structure._local.items():
        found = list(reachable(value))
        assert not [o for o in found if isinstance(o, models.Model)], key
        if ":form-fields:" in key:
            assert isinstance(value, MappingProxyType) and all(isinstance(f, forms.Field) for f in value.values())
            continue
        changeable = [type(o).__name__ for o in found if not isinstance(o, (tuple, frozenset)) and not frozen(o)]
        assert not changeable, (key, set(changeable))


def frozen(obj) -> bool:
    return dataclasses.is_dataclass(obj) and obj.__dataclass_params__.frozen


def test_each_cached_reader_returns_what_a_request_cannot_change(login, program, clock):
    """Two calls give the same frozen value, or each a model instance of its own (the program, a
    submission's agency and quarter): what one caller changes, the next does not see."""
    user = User.objects.get(username="dolisa")
    first, second = program_for_year(year=2018, user=user), program_for_year(year=2018, user=user)
    assert first is not second and first == second == program
    first.title, first._prefetched_objects_cache = "Đã đổi", {"quarters": []}
    assert program_for_year(year=2018, user=user).title == program.title

    first = program_for_year(year=2018, user=user)
    readers = [
        lambda: program_frame(program=first),
        lambda: program_overview(program=first),
        lambda: form_spec(program=first, agency=Agency.objects.get(code="ubnd-cho-moi"), quarter=quarter(program, 2)),
    ]
    for read in readers:
        value = read()
        assert read() is value and frozen(value)
        for part in reachable(value):
            if frozen(part):
                name = dataclasses.fields(part)[0].name
                with pytest.raises(dataclasses.FrozenInstanceError):
                    setattr(part, name, getattr(part, name))

    ref = submission_for(user, program=first, quarter_number=2, agency_code="ubnd-cho-moi")
    ref.submission.agency.name = ref.submission.quarter.program.title = "Đã đổi"
    again = submission_for(user, program=second, quarter_number=2, agency_code="ubnd-cho-moi")
    assert again.submission.agency is not ref.submission.agency
    assert again.submission.agency.name == again.agency.name == "Ủy ban nhân dân huyện Chợ Mới"
    assert again.submission.quarter.program.title == program.title


def test_a_request_that_changes_what_it_read_does_not_change_the_next_request(login, program, clock):
    """The objects a page was rendered from, changed after the response (as a careless view or template
    tag might): the next request reads the structure as it is stored."""
    c = login("ubnd-cho-moi")
    response = c.get(AGENCY_URL)
    before = response.content.decode()
    response.context["program"].year = 2017
    response.context["ref"].submission.agency.name = "Cơ quan đã đổi"
    response.context["ref"].submission.quarter.entry_deadline = dt.date(2018, 1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        response.context["spec"].indicators[0].name = "Chỉ số đã đổi"
    after = c.get(AGENCY_URL).content.decode()
    assert "đã đổi" not in after and "02/01/2018" not in after and "/submissions/2017/" not in after
    assert strip_tokens(after) == strip_tokens(before)


def quarter(program, number: int) -> Quarter:
    return program.quarters.get(number=number)


def strip_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
