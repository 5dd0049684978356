"""The compile_report command: compiles a report in-process and copies its two files out."""

import pytest
from django.core.management import CommandError, call_command

from documents.models import ReportVersion

from .helpers import seed, sha256

pytestmark = pytest.mark.django_db
V = ReportVersion


def test_the_command_compiles_and_copies_the_files(program, media, tmp_path):
    seed(program)
    out = tmp_path / "out"
    call_command("compile_report", year=2018, kind="quarterly", output=str(out))
    version = ReportVersion.objects.get()
    assert (version.trigger, version.status) == (V.Trigger.COMMAND, V.Status.DONE)
    pdf = out / "bao-cao-2018-quarterly-du-thao-01.pdf"
    xlsx = out / "bao-cao-2018-quarterly-du-thao-01.xlsx"
    assert sha256(pdf) == version.pdf_sha256 and sha256(xlsx) == version.xlsx_sha256
    with pytest.raises(CommandError):
        call_command("compile_report", year=2017, kind="quarterly", output=str(out))
