from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs.exchange import ProgramFileError
from programs.services import program_load, program_read_file


class Command(BaseCommand):
    help = (
        "Load (or update) a program from its YAML data file, checked against programs/data/program.schema.json "
        "(each fault with its line and field). Running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(settings.PROGRAM_DATA_FILE))

    def handle(self, *args, path: str, **options):
        try:
            data = program_read_file(path=Path(path))
        except ProgramFileError as exc:
            raise CommandError(f"{path}:\n{exc}") from exc
        program, report = program_load(data=data)
        if not report.changed:
            self.stdout.write(f"{program.decision_number} ({program.year}): already up to date, nothing changed.")
            return
        for label, bucket in (("created", report.created), ("updated", report.updated)):
            if bucket:
                parts = ", ".join(f"{n} {name}" for name, n in sorted(bucket.items()))
                self.stdout.write(f"{label}: {parts}")
        self.stdout.write(self.style.SUCCESS(f"Loaded {program.decision_number} ({program.year})."))
