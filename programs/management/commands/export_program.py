from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from programs.exchange import program_dump, program_export
from programs.models import Program


class Command(BaseCommand):
    help = (
        "Write a program as a program file (YAML, programs/data/program.schema.json) to standard output: "
        "`manage.py export_program 2018 > program.yaml`; another portal loads it with `load_program`."
    )

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--province", default=settings.PORTAL_PROVINCE_CODE, help="the province's code")

    def handle(self, *args, year: int, province: str, **options):
        program = Program.objects.filter(year=year, province__code=province).select_related("province").first()
        if program is None:
            raise CommandError(f"No program for {year} in province {province}.")
        self.stdout.write(program_dump(data=program_export(program=program)), ending="")
