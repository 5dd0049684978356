from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from bench.scale import generate_scale_data, scale_province_code
from programs.models import AdminUnit


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic programs shaped like the 2018 one (for benchmarks): "
        "--provinces N --years Y. Meant for PostgreSQL; refuses to run twice on the same database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--provinces", type=int, default=63)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--first-year", type=int, default=2018)
        parser.add_argument("--allow-sqlite", action="store_true", help="for small tests only")

    def handle(self, *args, provinces, years, first_year, allow_sqlite, **options):
        if connection.vendor != "postgresql" and not allow_sqlite:
            raise CommandError("generate_scale_data is meant for PostgreSQL (set DATABASE_URL).")
        if AdminUnit.objects.filter(code=scale_province_code(1)).exists():
            raise CommandError("Scale data is already present in this database.")
        report = generate_scale_data(provinces=provinces, years=years, first_year=first_year, log=self.stdout.write)
        for name, n in sorted(report.counts.items()):
            self.stdout.write(f"{name:>24}: {n:>10,}")
        self.stdout.write(self.style.SUCCESS(f"{sum(report.counts.values()):,} rows in {report.seconds:.0f} s"))
