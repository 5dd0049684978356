"""The backup and restore drill (docs/operations.md): a database with submissions and compiled
reports is backed up with ops/backup.sh, restored with ops/restore.sh into a new database and a new
media folder, and gives the same dashboard figures and the same files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from demo.submissions import demo_submissions_create
from documents import services as compiling
from documents.models import ReportVersion
from programs.models import Program, ProvincialReport
from reporting.models import Submission
from tests.documents.test_celery_worker import database_url
from tests.helpers import ensure_program, service_missing

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
ROOT = Path(settings.BASE_DIR)


def digest(db_url: str) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "DATABASE_URL": db_url,
           "PORTAL_CLOCK_TODAY": "2018-05-20"}  # fmt: skip
    out = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "figures_digest", "--year", "2018"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


def psql(*args: str) -> None:
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", *args], check=True, capture_output=True)


def test_backup_and_restore_give_the_same_figures_and_files(tmp_path, settings):
    if connection.vendor != "postgresql":
        service_missing("the restore drill needs PostgreSQL (DATABASE_URL)")
    for tool in ("pg_dump", "pg_restore", "psql"):
        if shutil.which(tool) is None:
            service_missing(f"{tool} is not installed")
    program = ensure_program()
    assert demo_submissions_create(program=Program.objects.get(pk=program.pk)) > 0
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_CLOCK_TODAY = "2018-05-20"
    report = ProvincialReport.objects.get(program=program, kind="six_month")
    version, _ = compiling.version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
    version = compiling.version_compile(version_id=version.pk)
    assert version.status == ReportVersion.Status.DONE

    source_url = database_url()
    before = digest(source_url)
    assert Submission.objects.count() == 52

    backup = tmp_path / "backup"
    env = {**os.environ, "DATABASE_URL": source_url, "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    subprocess.run([str(ROOT / "ops" / "backup.sh"), str(backup)], cwd=tmp_path, env=env, check=True,
                   capture_output=True)  # fmt: skip
    assert (backup / "db.dump").stat().st_size > 0 and (backup / "media.tar.gz").exists()

    name = f"restore_drill_{uuid.uuid4().hex[:8]}"
    admin_url = source_url.rsplit("/", 1)[0] + "/postgres"
    psql(admin_url, "-c", f'CREATE DATABASE "{name}"')
    try:
        restored_url = source_url.rsplit("/", 1)[0] + "/" + name
        restored_media = tmp_path / "restored-media"
        subprocess.run([str(ROOT / "ops" / "restore.sh"), str(backup), restored_url, str(restored_media)],
                       check=True, capture_output=True)  # fmt: skip
        after = digest(restored_url)
        assert after == before
        for rel, sha in ((version.pdf_path, version.pdf_sha256), (version.xlsx_path, version.xlsx_sha256)):
            assert hashlib.sha256((restored_media / rel).read_bytes()).hexdigest() == sha
    finally:
        psql(admin_url, "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
