"""The program's loader (programs.services.program_load and the load_program command) is idempotent: a
second run changes nothing and leaves no history, and keeps DOLISA's calendar; the migration that gives
older databases the decision's calendar. The calendar edits: tests/programs/test_views.py."""

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command

from activities.models import Activity, ActivityRole, OutputTarget
from programs.models import AdminUnit, Agency, Program, ProvincialReport, Quarter
from programs.services import program_load, program_read_file, provincial_report_update, quarter_update

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


def test_a_reload_keeps_dolisas_calendar(program):
    """The calendar is DOLISA's once loaded: a reload (make run loads the program each time) creates missing
    quarters and reports but never moves a date DOLISA set, nor the quarters a report covers."""
    q3 = program.quarters.get(number=3)
    quarter_update(quarter=q3, start=q3.start, end=q3.end, entry_deadline=dt.date(2018, 10, 20))
    annual = program.provincial_reports.get(kind="annual")
    provincial_report_update(report=annual, due_date=dt.date(2018, 12, 5), quarters=list(program.quarters.all()))
    _, report = program_load(data=program_read_file(path=settings.PROGRAM_DATA_FILE))
    assert not report.changed
    assert program.quarters.get(number=3).entry_deadline == dt.date(2018, 10, 20)
    assert program.provincial_reports.get(kind="annual").due_date == dt.date(2018, 12, 5)


def test_the_migration_moves_the_invented_deadlines_to_the_decisions(program):
    """A database loaded before issue 12 (15/03, 15/05, 10/11, 10/11 and the decision's dates as DOLISA's):
    migration programs/0002 gives the decision's (20/03, 20/05, none, 15/11; no date of DOLISA's), and leaves
    a date DOLISA had set; each change is in the history with its reason."""
    old = {1: dt.date(2018, 3, 15), 2: dt.date(2018, 5, 16), 3: dt.date(2018, 11, 10), 4: dt.date(2018, 11, 10)}
    for number, day in old.items():  # Q2 on 16/05: DOLISA had moved it
        Quarter.objects.filter(program=program, number=number).update(entry_deadline=day)
    for kind, day in {"quarterly": dt.date(2018, 3, 20), "six_month": dt.date(2018, 5, 20)}.items():
        ProvincialReport.objects.filter(program=program, kind=kind).update(due_date=day)
    importlib.import_module("programs.migrations.0003_decision_calendar").decision_calendar(django_apps, None)
    deadlines = list(program.quarters.order_by("number").values_list("entry_deadline", flat=True))
    assert deadlines == [dt.date(2018, 3, 20), dt.date(2018, 5, 16), None, dt.date(2018, 11, 15)]
    assert not ProvincialReport.objects.filter(program=program, due_date__isnull=False).exists()
    record = program.quarters.get(number=3).history.get(history_change_reason="Quyết định 535/QĐ-UBND mục VIII.1")
    assert record.entry_deadline is None and record.history_type == "~"
