import hashlib
import json

from django.core.management.base import BaseCommand

from dashboards.figures import cut_quarter, figures_compute
from dashboards.snapshot import figures_snapshot
from programs.selectors import program_for_year


class Command(BaseCommand):
    help = (
        "Print a digest of every dashboard figure of a program year (each quarter, alone and year to date, "
        "accepted only and with pending): two databases with the same data print the same digest. "
        "Used by the backup and restore drill (docs/operations.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=2018)
        parser.add_argument("--full", action="store_true", help="print every cut's figures, not only digests")

    def handle(self, *args, year, full, **options):
        program = program_for_year(year=year)
        cuts = {}
        for number in range(1, 5):
            for ytd in (False, True):
                for pending in (False, True):
                    cut = cut_quarter(program=program, number=number, year_to_date=ytd, include_pending=pending)
                    key = f"q{number}-{'ytd' if ytd else 'quarter'}-{'pending' if pending else 'accepted'}"
                    cuts[key] = figures_snapshot(figures_compute(cut=cut))
        text = json.dumps(cuts, sort_keys=True, ensure_ascii=False, default=str)
        digest = {key: hashlib.sha256(json.dumps(v, sort_keys=True, default=str).encode()).hexdigest()[:16]
                  for key, v in cuts.items()}  # fmt: skip
        digest["all"] = hashlib.sha256(text.encode()).hexdigest()
        self.stdout.write(text if full else json.dumps(digest, indent=1, sort_keys=True))
