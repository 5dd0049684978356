"""The demo's incident reports: plausible, counts only, created once."""

import pytest

from demo.incidents import demo_incidents_create
from incidents.models import Incident
from incidents.selectors import incidents_by_kind_and_district

pytestmark = pytest.mark.django_db


def test_the_demo_files_open_and_closed_incidents_of_several_kinds_once(program, mailoutbox):
    """At least five incidents of four kinds, open and closed, with notes, filed once and e-mailed to nobody."""
    created = demo_incidents_create(program=program)
    assert created == Incident.objects.filter(is_demo=True).count() >= 5
    assert demo_incidents_create(program=program) == 0
    assert Incident.objects.filter(status="closed").exists() and Incident.objects.filter(status="open").exists()
    assert Incident.objects.filter(notes__isnull=False).exists()
    assert all(i.agency_id == i.filed_by.agency_id for i in Incident.objects.select_related("filed_by"))
    assert len({i.kind for i in Incident.objects.all()}) >= 4
    assert incidents_by_kind_and_district(program=program).total.cases == created
    assert mailoutbox == []  # the demo tells nobody
