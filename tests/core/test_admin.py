"""The admin of the program's structure (programs, targets, activities) moves the structure version on
with every write it makes (core.admin.StructureAdminMixin): a saved object, its inlines, a deletion,
the changelist's "delete selected", a reverted history version. A page cached before an admin edit
shows the edit at once."""

import datetime as dt

import pytest
from django.contrib import admin

from activities.models import Activity, OutputTarget
from core import structureversion
from core.admin import StructureAdminMixin
from programs.models import Duty, Quarter

pytestmark = pytest.mark.django_db
STRUCTURAL_APPS = {"programs", "targets", "activities"}
OVERVIEW_URL = "/programs/2018/"


def _value(field):
    value = field.value()
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    return value


def change_form_data(response) -> dict:
    """What the admin's change form would post back unchanged: its fields and its inlines."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = _value(form[name])
            if value is not None:
                data[form.add_prefix(name)] = value
    return data


@pytest.fixture
def admin_client(login):
    return login("admin")


def test_every_admin_of_a_structural_model_moves_the_version():
    """A new admin of a structural model that forgot the mixin would serve stale pages."""
    structural = [a for m, a in admin.site._registry.items() if m._meta.app_label in STRUCTURAL_APPS]
    assert len(structural) >= 13
    assert all(isinstance(a, StructureAdminMixin) for a in structural), [
        type(a).__name__ for a in structural if not isinstance(a, StructureAdminMixin)
    ]


def test_saving_an_object_moves_the_version(admin_client, program):
    quarter = program.quarters.get(number=2)
    url = f"/admin/programs/quarter/{quarter.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["entry_deadline"] = "2018-05-16"
    before = structureversion.version()
    assert admin_client.post(url, data).status_code == 302
    assert Quarter.objects.get(pk=quarter.pk).entry_deadline == dt.date(2018, 5, 16)
    assert structureversion.version() > before


def test_saving_an_inline_moves_the_version(admin_client, program, monkeypatch):
    """The inlines are saved after the object itself (save_related): the version moves after them too."""
    activity = Activity.objects.filter(group__program=program, outputs__isnull=False).order_by("pk").first()
    url = f"/admin/activities/activity/{activity.pk}/change/"
    data = change_form_data(admin_client.get(url))
    output = activity.outputs.order_by("order").first()
    key = next(k for k, v in data.items() if k.endswith("-id") and str(v) == str(output.pk))
    data[key.replace("-id", "-quantity")] = output.quantity + 1
    moves = []
    real_bump = structureversion.bump

    def bump():  # records what the database holds when the version moves
        moves.append(OutputTarget.objects.get(pk=output.pk).quantity)
        real_bump()

    monkeypatch.setattr(structureversion, "bump", bump)
    assert admin_client.post(url, data).status_code == 302
    assert moves and moves[-1] == output.quantity + 1


def test_deleting_an_object_moves_the_version(admin_client, program):
    duty = Duty.objects.filter(program=program).order_by("pk").first()
    before = structureversion.version()
    response = admin_client.post(f"/admin/programs/duty/{duty.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Duty.objects.filter(pk=duty.pk).exists()
    assert structureversion.version() > before


def test_deleting_selected_objects_moves_the_version(admin_client, program):
    duties = list(Duty.objects.filter(program=program).order_by("pk").values_list("pk", flat=True)[:2])
    before = structureversion.version()
    data = {"action": "delete_selected", "_selected_action": duties, "post": "yes"}
    assert admin_client.post("/admin/programs/duty/", data).status_code == 302
    assert not Duty.objects.filter(pk__in=duties).exists()
    assert structureversion.version() > before


def test_reverting_to_a_history_version_moves_the_version(admin_client, program, monkeypatch):
    """django-simple-history saves a reverted object's many-to-many fields after the object: the
    version moves after them too."""
    report = program.provincial_reports.get(kind="six_month")
    old = report.history.first()
    url = f"/admin/programs/provincialreport/{report.pk}/history/{old.history_id}/"
    data = change_form_data(admin_client.get(url))
    data["due_date"] = "2018-05-21"
    data["quarters"] = [program.quarters.get(number=1).pk]
    moves = []
    real_bump = structureversion.bump

    def bump():  # records what the database holds when the version moves
        moves.append(sorted(q.number for q in report.quarters.all()))
        real_bump()

    monkeypatch.setattr(structureversion, "bump", bump)
    assert admin_client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.due_date == dt.date(2018, 5, 21)
    assert moves and moves[-1] == [1]


def test_the_overview_shows_an_admin_edit_at_once(admin_client, program):
    output = OutputTarget.objects.get(activity__group__program=program, quantity=800)
    assert "<strong>800 trẻ em</strong>" in admin_client.get(OVERVIEW_URL).content.decode()  # now cached
    url = f"/admin/activities/outputtarget/{output.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["quantity"] = 801
    assert admin_client.post(url, data).status_code == 302
    body = admin_client.get(OVERVIEW_URL).content.decode()
    assert "<strong>801 trẻ em</strong>" in body and "<strong>800 trẻ em</strong>" not in body
