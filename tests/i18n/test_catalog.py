"""The English catalog is complete and compiled: every Vietnamese text has its English."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries():
    text = PO.read_text(encoding="utf-8")
    return [block for block in text.split("\n\n") if "msgid" in block][1:]  # skip the header


def test_no_fuzzy_or_empty_translation():
    problems = []
    for block in _entries():
        if "#, fuzzy" in block or re.search(r'msgstr(\[\d\])? ""\s*$', block):
            problems.append(block.splitlines()[-2:])
    assert not problems, problems[:5]


def test_compiled_catalog_matches_the_source(tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("msgfmt (gettext) is not installed")
    out = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", str(out), str(PO)], check=True)
    assert out.read_bytes() == MO.read_bytes(), "run: manage.py compilemessages -l en -i .venv"
