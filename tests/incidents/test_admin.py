"""The admin cannot rewrite an incident: incidents and their follow-up notes can be read in the Django
admin, but not added, changed, deleted or reverted to an earlier version (they are filed, noted,
closed and reopened only through incidents.services)."""

from __future__ import annotations

import pytest

from accounts.models import User
from incidents import services
from incidents.models import Incident, IncidentNote
from tests.admin_pages import (
    assert_add_refused,
    assert_change_refused,
    assert_delete_refused,
    assert_list_queries_do_not_grow,
    assert_pages_show,
    assert_revert_refused,
)

from .helpers import AN_PHU, CHO_MOI, file_incident

pytestmark = pytest.mark.django_db

TABLES = (Incident, IncidentNote)
CHANGES = [(Incident, "status", "open"), (IncidentNote, "text", "Sửa trong trang quản trị")]
MODELS = [model for model, _field, _value in CHANGES]
IDS = [model.__name__ for model in MODELS]


def closed_case(program, code: str) -> Incident:
    """An incident filed, noted, then closed with a note: its history has an earlier, open version."""
    incident = file_incident(program, code=code)
    dolisa = User.objects.get(username="dolisa")
    services.incident_note_add(incident=incident, user=dolisa, text="Đã liên hệ gia đình.")
    return services.incident_close(incident=incident, user=dolisa, note="Trẻ đã ổn định.")


@pytest.fixture
def closed(program, clock):
    return closed_case(program, CHO_MOI)


@pytest.fixture
def admin(login):
    return login("admin")


def first(model):
    return model.objects.order_by("pk").first()


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_admin_pages_still_show_the_records(closed, admin, model):
    """The list and each record's page display (read only), with its history."""
    assert_pages_show(admin, first(model))


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_admin_lists_cost_the_same_queries_for_more_records(closed, admin, program, model, django_assert_num_queries):
    """A list's queries do not grow with its rows (related objects are read with the rows)."""
    assert_list_queries_do_not_grow(admin, model, add_more=lambda: closed_case(program, AN_PHU),
                                    django_assert_num_queries=django_assert_num_queries)  # fmt: skip


@pytest.mark.parametrize("model,field,value", CHANGES, ids=IDS)
def test_admin_cannot_change_a_record(closed, admin, model, field, value):
    """Posting the change page back with a field changed (reopening the case, rewriting a note) is
    refused (403) and changes nothing."""
    assert_change_refused(admin, first(model), field=field, value=value, tables=TABLES)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_admin_cannot_add_a_record(closed, admin, model):
    """The add page is refused (403): an incident is filed through the portal (checks, e-mail to DOLISA)."""
    assert_add_refused(admin, model, tables=TABLES)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_admin_cannot_delete_a_record(closed, admin, model):
    """Neither the delete page nor the list's “delete selected” action deletes anything."""
    assert_delete_refused(admin, first(model), tables=TABLES)


@pytest.mark.parametrize("model", MODELS, ids=IDS)
def test_admin_cannot_revert_to_an_earlier_version(closed, admin, model):
    """Reverting the closed case to its open version is refused (403), as is reverting a note."""
    assert first(Incident).history.earliest().status == Incident.Status.OPEN
    assert_revert_refused(admin, first(model), tables=TABLES)
