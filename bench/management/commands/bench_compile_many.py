"""Compile one provincial report for each of many provinces through the Celery workers, and time it."""

import json
import time

from django.core.management.base import BaseCommand

from documents import services as compiling
from documents.models import ReportVersion
from programs.models import ProvincialReport


class Command(BaseCommand):
    help = "Queue the --kind report of --year for every province (or --limit of them) and wait for all."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--kind", default="annual")
        parser.add_argument("--limit", type=int, default=0)
        parser.add_argument("--timeout", type=float, default=900)

    def handle(self, *args, year, kind, limit, timeout, **options):
        reports = ProvincialReport.objects.filter(program__year=year, kind=kind).order_by("program__province__code")
        reports = list(reports[:limit] if limit else reports)
        ReportVersion.objects.filter(report__in=reports).delete()
        started = time.monotonic()
        ids = [compiling.version_create(report=r, trigger=ReportVersion.Trigger.COMMAND)[0].pk for r in reports]
        while time.monotonic() - started < timeout:
            pending = ReportVersion.objects.filter(pk__in=ids).exclude(status__in=["done", "failed"]).count()
            if not pending:
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        done = ReportVersion.objects.filter(pk__in=ids, status="done").count()
        failed = ReportVersion.objects.filter(pk__in=ids, status="failed").count()
        self.stdout.write(json.dumps({"reports": len(ids), "done": done, "failed": failed, "seconds": elapsed}))
