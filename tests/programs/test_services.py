"""The program's loader (programs.services.program_load and the load_program command) is idempotent: a
second run changes nothing and leaves no history. The calendar edits: tests/programs/test_views.py."""

import pytest
from django.conf import settings
from django.core.management import call_command

from activities.models import Activity, ActivityRole, OutputTarget
from programs.models import AdminUnit, Agency, Program
from programs.services import program_load, program_read_file

pytestmark = pytest.mark.django_db


def _history_rows() -> int:
    return (
        Program.history.count()
        + AdminUnit.history.count()
        + OutputTarget.history.count()
        + OutputTarget.units.through.objects.count()
    )


def test_second_load_changes_nothing(program):
    data = program_read_file(path=settings.PROGRAM_DATA_FILE)
    before = _history_rows()
    _, report = program_load(data=data)
    assert not report.changed, (report.created, report.updated)
    assert _history_rows() == before


def test_load_repairs_an_edited_value_and_records_it(program):
    out = OutputTarget.objects.get(activity__group__program=program, quantity=800)
    out.quantity = 799
    out.save()
    _, report = program_load(data=program_read_file(path=settings.PROGRAM_DATA_FILE))
    assert report.updated == {"outputtarget": 1}
    out.refresh_from_db()
    assert out.quantity == 800
    assert out.history.first().quantity == 800


def test_rerunning_the_load_corrects_a_database_loaded_before_the_decision_was_read_to_the_letter(program):
    """A database loaded from the earlier file (III.3 led by the Youth Union, every role the decision's, the
    Front not marked as requested, no role for a body since dropped) is corrected by load_program, with history."""
    iii3 = Activity.objects.get(group__program=program, code="III.3")
    ActivityRole.objects.filter(activity=iii3, agency__code="tinh-doan").update(role="lead", source="decision")
    ActivityRole.objects.filter(activity=iii3, agency__code="so-ldtbxh").update(role="support")
    ActivityRole.objects.create(activity=iii3, agency=Agency.objects.get(code="so-tttt"), role="support")
    Agency.objects.filter(code="mttq-tinh").update(is_requested=False)
    _, report = program_load(data=program_read_file(path=settings.PROGRAM_DATA_FILE))
    assert report.updated == {"agency": 1, "activityrole": 3}
    roles = {r.agency.code: (r.role, r.source) for r in iii3.roles.select_related("agency")}
    assert roles["so-ldtbxh"] == ("lead", "decision") and roles["tinh-doan"] == ("support", "portal")
    assert "so-tttt" not in roles
    assert Agency.objects.get(code="mttq-tinh").is_requested
    assert ActivityRole.history.filter(activity_id=iii3.pk, agency__code="tinh-doan").first().role == "support"
    _, again = program_load(data=program_read_file(path=settings.PROGRAM_DATA_FILE))
    assert not again.changed


def test_a_portal_reading_of_a_body_without_a_role_is_refused(program):
    """`portal_reading` marks roles the file gives; naming a body that has none is a mistake of the file."""
    data = program_read_file(path=settings.PROGRAM_DATA_FILE)
    data["activity_groups"][0]["activities"][0]["portal_reading"] = ["toa-an-tinh"]
    with pytest.raises(ValueError, match="portal_reading"):
        program_load(data=data)


def test_command_reports_nothing_changed(program, capsys):
    call_command("load_program")
    assert "nothing changed" in capsys.readouterr().out
