"""Compile a provincial report from a shell, as DOLISA's "compile now" does, and copy its files out.

    python manage.py compile_report --year 2018 --kind six_month --output /tmp/reports

The compile runs in this process (no worker needed) and is kept as a version like any other: a draft,
which an officer issues from its page.
"""

import resource
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from documents.models import ReportVersion
from documents.services import version_compile, version_create
from programs.models import Program, ProvincialReport


class Command(BaseCommand):
    help = "Compile a provincial report (PDF and Excel annex) now and copy the files to a directory."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=settings.PORTAL_DEFAULT_YEAR)
        parser.add_argument("--kind", required=True, choices=ProvincialReport.Kind.values)
        parser.add_argument("--output", required=True, help="directory to copy the PDF and the workbook to")
        parser.add_argument("--user", help="username recorded as having asked for it (optional)")
        parser.add_argument("--province", default=settings.PORTAL_PROVINCE_CODE, help="province unit code")

    def handle(self, *args, year: int, kind: str, output: str, user: str | None, province: str, **options):
        program = Program.objects.filter(year=year, province__code=province).first()
        if program is None:
            raise CommandError(f"No program for {year}. Run load_program first.")
        report = program.provincial_reports.filter(kind=kind).first()
        if report is None:
            raise CommandError(f"The {year} program has no {kind} report.")
        requester = None
        if user:
            requester = User.objects.filter(username=user).first()
            if requester is None:
                raise CommandError(f"No user {user!r}.")
        out = Path(output)
        out.mkdir(parents=True, exist_ok=True)

        started = time.monotonic()
        version, created = version_create(
            report=report, trigger=ReportVersion.Trigger.COMMAND, user=requester, enqueue=False
        )
        if not created:
            self.stdout.write(f"Version #{version.number} of this report was already queued or running; compiling it.")
        version = version_compile(version_id=version.pk)
        seconds = time.monotonic() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if version.status != ReportVersion.Status.DONE:
            raise CommandError(f"Version #{version.number} is {version.status}: {version.error}")

        media = Path(settings.MEDIA_ROOT)
        stem = f"{year}-{kind}-du-thao-{version.number:02d}"
        for rel, ext, sha in (
            (version.pdf_path, "pdf", version.pdf_sha256),
            (version.xlsx_path, "xlsx", version.xlsx_sha256),
        ):
            target = out / f"bao-cao-{stem}.{ext}"
            shutil.copyfile(media / rel, target)
            self.stdout.write(f"{target}  sha256={sha}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Compiled {report} as version #{version.number}, a draft ({seconds:.1f} s, peak memory "
                f"{peak_mb:.0f} MB)."
            )
        )
