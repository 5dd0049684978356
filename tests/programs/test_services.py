"""The program's loader (programs.services.program_load and the load_program command) is idempotent: a
second run changes nothing and leaves no history. The calendar edits: tests/programs/test_views.py."""

import pytest
from django.conf import settings
from django.core.management import call_command

from activities.models import OutputTarget
from programs.models import AdminUnit, Program
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


def test_command_reports_nothing_changed(program, capsys):
    call_command("load_program")
    assert "nothing changed" in capsys.readouterr().out
