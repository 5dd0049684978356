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


def test_every_text_of_the_source_is_in_the_catalog(tmp_path):
    """makemessages run on a copy of the source finds no text that the committed catalog lacks: a new
    Vietnamese text cannot land without its English."""
    if shutil.which("xgettext") is None:
        pytest.skip("xgettext (gettext) is not installed")
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    copy.mkdir()
    skip = shutil.ignore_patterns(".*", "__pycache__", "var", "media", "staticfiles", "node_modules", "*.sqlite3")
    for item in root.iterdir():
        if item.name.startswith(".") or item.name in {"var", "media", "staticfiles", "static", "docs"}:
            continue
        if item.is_dir():
            shutil.copytree(item, copy / item.name, ignore=skip)
        else:
            shutil.copy2(item, copy / item.name)
    subprocess.run(
        [str(root / ".venv" / "bin" / "python"), "manage.py", "makemessages", "-l", "en", "--no-obsolete",
         "-i", "bench/*", "-i", "demo/*", "-i", "tests/*"],
        cwd=copy, check=True, capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test"},
    )  # fmt: skip

    def ids(po: Path) -> set[str]:
        text = po.read_text(encoding="utf-8")
        found = set()
        for match in re.finditer(r'^msgid ((?:".*"\n)+)', text, re.M):
            found.add("".join(re.findall(r'"(.*)"', match.group(1))))
        return found - {""}

    missing = ids(copy / "locale" / "en" / "LC_MESSAGES" / "django.po") - ids(PO)
    assert not missing, f"{len(missing)} texts without English (run makemessages and translate): {sorted(missing)[:5]}"
