"""The program file as a format: the schema refuses a malformed file with its line and field; an export
loads back to the same program; the export command writes what the load command reads."""

import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from programs.exchange import ProgramFileError, program_dump, program_export, program_parse
from programs.services import program_load

pytestmark = pytest.mark.django_db

SOURCE = Path(settings.PROGRAM_DATA_FILE).read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_the_2018_file_follows_the_schema():
    assert program_parse(text=SOURCE)["program"]["year"] == 2018


def test_a_wrong_type_is_refused_with_its_line_and_field():
    """A target's goal written as words: the fault names `targets[3].goal` and the line it is on."""
    bad = SOURCE.replace("    goal: 85\n", "    goal: tám mươi lăm\n", 1)
    with pytest.raises(ProgramFileError) as caught:
        program_parse(text=bad)
    (fault,) = caught.value.faults
    assert fault.field == "targets[3].goal"
    assert fault.line == _line_of(bad, "goal: tám mươi lăm")
    assert f"dòng {fault.line}" in str(caught.value) and "targets[3].goal" in str(caught.value)


def test_a_missing_field_an_unknown_choice_and_an_unknown_key_are_each_named():
    bad = SOURCE.replace('  decision_number: "535/QĐ-UBND"\n', "", 1)
    bad = bad.replace("            aggregation: latest\n", "            aggregation: most\n", 1)
    bad = bad.replace('    short_name: "Sở Tài chính"\n', '    short_name: "Sở Tài chính"\n    shortname: x\n', 1)
    with pytest.raises(ProgramFileError) as caught:
        program_parse(text=bad)
    by_field = {f.field: f for f in caught.value.faults}
    assert by_field["program.decision_number"].line == _line_of(bad, "program:") + 1  # reported on its mapping
    aggregation = next(f for name, f in by_field.items() if name.endswith(".aggregation"))
    assert aggregation.line == _line_of(bad, "aggregation: most")
    assert "sum, latest, average, per_commune" in aggregation.message
    assert by_field["agencies[1]"].line is not None and "shortname" in by_field["agencies[1]"].message


def test_a_file_that_is_not_yaml_is_refused_with_its_line():
    with pytest.raises(ProgramFileError) as caught:
        program_parse(text="version: 1\nprogram: [\n")
    assert caught.value.faults[0].line is not None


def test_the_load_command_refuses_a_malformed_file_and_changes_nothing(tmp_path, program):
    path = tmp_path / "bad.yaml"
    path.write_text(SOURCE.replace("  year: 2018\n", "  year: hai nghìn\n", 1), encoding="utf-8")
    with pytest.raises(CommandError, match=r"program\.year"):
        call_command("load_program", str(path))


def test_export_then_load_gives_the_same_program(program):
    """The export of 2018, loaded as another year, exports back to the same file (but for the year)."""
    exported = program_export(program=program)
    assert program_load(data=program_parse(text=program_dump(data=exported)))[1].changed is False
    again = yaml.safe_load(program_dump(data=exported))
    again["program"]["year"] = 2030
    copy, report = program_load(data=again)
    assert copy.year == 2030 and report.created["target"] == 6
    round_trip = program_export(program=copy)
    round_trip["program"]["year"] = 2018
    assert round_trip == exported


def test_the_export_holds_every_item_of_the_decision(program):
    data = program_export(program=program)
    assert [t["goal"] for t in data["targets"]] == [100, 100, 100, 85, 100, 100]
    assert len(data["activity_groups"]) == 13
    assert sum(len(a["outputs"]) for g in data["activity_groups"] for a in g["activities"]) == 34
    assert data["calendar"]["quarters"][2]["entry_deadline"] is None


def test_the_export_command_writes_a_file_the_schema_accepts(program):
    out = io.StringIO()
    call_command("export_program", "2018", stdout=out)
    assert program_parse(text=out.getvalue())["program"]["decision_number"] == "535/QĐ-UBND"
