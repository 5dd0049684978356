"""The portal's work against its own floors, in one process and one run, as JSON (bench/run.py):

- figures: a province's figures for the year to date (`figures_compute`, as the dashboard and the
  reports compute them) against the bare SQL aggregates of the same values (SUM/GROUP BY over the same
  rows: the counted submissions' indicator values, commune ticks and budgets, activity progress, output
  quantities, and the reporting per quarter); and the dashboard's page computed (its data version moved
  on before each request) against the same page served from its cache;
- compile: one annual document compiled (`version_compile`: figures, words, PDF, workbook, files)
  against WeasyPrint's render of the same document's HTML alone.

- national (with figures too): the Ministry's national figures of every year (`ministry.selectors.
  national_view`, 63 provinces × 5 years on the bench data: each year's shared indicators summed per
  province and nationally, the reporting rates, the issued documents) against the bare SQL of the same
  values (SUM/COUNT … GROUP BY over every province's rows, and the same two plain reads).

Each pair is timed interleaved (a, b, a, b …), the median of `--runs` kept with its spread.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from accounts.models import User
from core import dataversion
from dashboards.figures import ACCEPTED_ONLY, cut_quarter, figures_compute
from documents.models import ReportVersion
from documents.pdf import body_pdf
from documents.services import version_compile, version_create
from ministry.selectors import national_view, national_years
from programs.models import Program, ProvincialReport

# The same rows figures_compute reads, aggregated by the database alone.
COUNTED = """
    WITH counted AS (
        SELECT s.id, s.agency_id, q.number FROM reporting_submission s
        JOIN programs_quarter q ON q.id = s.quarter_id
        WHERE q.program_id = %(program)s AND q.number <= %(quarter)s AND s.status = ANY(%(statuses)s)
    )
"""
AGGREGATES = [
    COUNTED
    + """SELECT c.number, v.indicator_id, SUM(v.numerator), SUM(v.denominator)
        FROM reporting_indicatorvalue v JOIN counted c ON c.id = v.submission_id GROUP BY 1, 2""",
    COUNTED
    + """SELECT v.submission_id, COUNT(*) FILTER (WHERE v.safe_home_pilot),
        COUNT(*) FILTER (WHERE v.safe_home_full), COUNT(*) FILTER (WHERE v.child_friendly), SUM(v.budget)
        FROM reporting_communestatus v JOIN counted c ON c.id = v.submission_id GROUP BY 1""",
    COUNTED
    + """SELECT v.activity_id, v.status, COUNT(*), SUM(v.children_boys), SUM(v.children_girls),
        SUM(v.money_spent) FROM reporting_activityprogress v JOIN counted c ON c.id = v.submission_id GROUP BY 1, 2""",
    COUNTED
    + """SELECT v.output_id, c.agency_id, SUM(v.quantity), MAX(c.number)
        FROM reporting_outputprogress v JOIN counted c ON c.id = v.submission_id
        WHERE v.quantity IS NOT NULL GROUP BY 1, 2""",
    """SELECT s.quarter_id, COUNT(*) FILTER (WHERE s.first_submitted_at IS NOT NULL), SUM(s.days_late)
        FROM reporting_submission s JOIN programs_quarter q ON q.id = s.quarter_id
        WHERE q.program_id = %(program)s AND q.number <= %(quarter)s GROUP BY 1""",
]

# The Ministry's national view of one year (ministry.selectors.national_view), by the database alone.
_YEAR_SUBMISSIONS = """reporting_submission s JOIN programs_quarter q ON q.id = s.quarter_id
    JOIN programs_program p ON p.id = q.program_id WHERE p.year = %(year)s AND s.status = 'accepted'"""
NATIONAL = [
    """SELECT p.*, u.* FROM programs_program p JOIN programs_adminunit u ON u.id = p.province_id
        WHERE p.year = %(year)s ORDER BY u.name""",
    "SELECT MAX(q.number) FROM " + _YEAR_SUBMISSIONS,
    """SELECT d.program_id, COUNT(DISTINCT d.agency_id) FROM programs_duty d JOIN programs_program p
        ON p.id = d.program_id WHERE p.year = %(year)s AND d.agency_id IS NOT NULL GROUP BY 1""",
    "SELECT q.program_id, COUNT(*) FROM " + _YEAR_SUBMISSIONS + " AND q.number = %(quarter)s GROUP BY 1",
    """SELECT v.*, r.* FROM reporting_reportversion v JOIN programs_provincialreport r ON r.id = v.report_id
        JOIN programs_program p ON p.id = r.program_id WHERE p.year = %(year)s
        AND r.kind IN ('six_month', 'annual') AND v.doc_number IS NOT NULL AND v.replaced_by_id IS NULL""",
    """SELECT t.number, i.code, COUNT(DISTINCT t.program_id), MAX(i.name), MAX(i.goal) FROM targets_indicator i
        JOIN targets_target t ON t.id = i.target_id JOIN programs_program p ON p.id = t.program_id
        WHERE p.year = %(year)s AND i.input = 'figures' GROUP BY 1, 2 ORDER BY 1, 2""",
    """SELECT q.program_id, t.number, i.code, SUM(v.numerator), SUM(v.denominator) FROM reporting_indicatorvalue v
        JOIN reporting_submission s ON s.id = v.submission_id JOIN programs_quarter q ON q.id = s.quarter_id
        JOIN programs_program p ON p.id = q.program_id JOIN targets_indicator i ON i.id = v.indicator_id
        JOIN targets_target t ON t.id = i.target_id WHERE p.year = %(year)s AND q.number = %(quarter)s
        AND s.status = 'accepted' AND v.numerator IS NOT NULL AND v.denominator IS NOT NULL GROUP BY 1, 2, 3""",
]


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def interleaved(runs: int, **parts) -> dict:
    """Each part timed `runs` times, the parts taking turns; the median and spread of each, in ms."""
    times: dict[str, list[float]] = {name: [] for name in parts}
    for _ in range(runs):
        for name, fn in parts.items():
            times[name].append(timed(fn))
    out = {}
    for name, values in times.items():
        values.sort()
        out[name] = {"ms": round(values[len(values) // 2], 1), "spread": [round(values[0], 1), round(values[-1], 1)]}
    return out


class Command(BaseCommand):
    help = "Time the figures against the bare SQL, the dashboard computed against cached, a compile against WeasyPrint."

    def add_arguments(self, parser):
        parser.add_argument("--what", choices=["figures", "national", "compile"], required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, default=4)
        parser.add_argument("--province", default="S01")
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument(
            "--no-dashboard",
            action="store_true",
            help="figures only: leave out the dashboard, which moves the data version (a write)",
        )

    def handle(self, *args, what, year, quarter, province, runs, no_dashboard, **options):
        program = Program.objects.select_related("province").get(year=year, province__code=province)
        if what == "compile":
            result = self.compile(program, runs)
        else:
            result = self.national(runs) if what == "national" else self.figures(program, quarter, runs, no_dashboard)
        if what == "figures":
            result.update(self.national(runs))
        self.stdout.write(json.dumps(result))

    def national(self, runs: int) -> dict:
        """The Ministry's national figures of every year against the bare SQL of the same values."""
        years = national_years()
        quarters = {year: national_view(year=year).quarter for year in years}  # warm, and each year's quarter

        def compute():
            for year in years:
                national_view(year=year)

        def sql():
            with connection.cursor() as cursor:
                for year in years:
                    for statement in NATIONAL:
                        cursor.execute(statement, {"year": year, "quarter": quarters[year]})
                        cursor.fetchall()

        result = interleaved(runs, national=compute, national_sql=sql)
        programs = Program.objects.filter(year__in=years).count()
        result["national"].update(years=len(years), programs=programs)
        return result

    def figures(self, program: Program, quarter: int, runs: int, no_dashboard: bool = False) -> dict:
        params = {"program": program.pk, "quarter": quarter, "statuses": [str(s) for s in ACCEPTED_ONLY]}

        def compute():
            figures_compute(cut=cut_quarter(program=program, number=quarter, year_to_date=True))

        def sql():
            with connection.cursor() as cursor:
                for statement in AGGREGATES:
                    cursor.execute(statement, params)
                    cursor.fetchall()

        compute()  # the program's structure read once, as a running worker holds it
        result = interleaved(runs, figures=compute, sql=sql)
        if no_dashboard:
            return result
        officer = User.objects.filter(groups__name="dolisa_officer", agency__unit=program.province).first()
        client = Client()
        client.force_login(officer)
        url = f"/dashboard/{program.year}/?cut=ytd&quarter={quarter}"

        def computed():
            dataversion.bump(program.pk)
            assert client.get(url).status_code == 200  # noqa: S101  # nosec B101

        def cached():
            assert client.get(url).status_code == 200  # noqa: S101  # nosec B101

        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            cached()
            result.update(interleaved(runs, dashboard_computed=computed, dashboard_cached=cached))
        return result

    def compile(self, program: Program, runs: int) -> dict:
        report = ProvincialReport.objects.get(program=program, kind=ProvincialReport.Kind.ANNUAL)
        bodies = []

        def compile_one():
            version, _created = version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
            version = version_compile(version_id=version.pk)
            bodies.append((Path(settings.MEDIA_ROOT) / version.html_path).read_text(encoding="utf-8"))

        def weasyprint():
            body_pdf(bodies[-1], report=report, draft=True)

        compile_one()  # warm: fonts, templates, the structure, as a running worker holds them
        return interleaved(runs, compile=compile_one, weasyprint=weasyprint)
