"""After the deadline surge: was any write lost or duplicated?"""

import json

from django.core.management.base import BaseCommand
from django.db.models import Count

from reporting.models import Submission, Transition


class Command(BaseCommand):
    help = "Compare what the surge's clients were told (--acks JSON) with what the database holds."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True)
        parser.add_argument("--acks", required=True, help="JSON: {agency code: marker} of acknowledged submits")

    def handle(self, *args, year, quarter, acks, **options):
        with open(acks, encoding="utf-8") as fh:
            acked: dict[str, str] = json.load(fh)
        subs = Submission.objects.filter(quarter__program__year=year, quarter__number=quarter).select_related("agency")
        stored = {s.agency.code: s for s in subs}
        # one submission per agency and quarter (a duplicate row would be a duplicated write)
        dup_rows = (
            Submission.objects.filter(quarter__program__year=year, quarter__number=quarter)
            .values("agency_id").annotate(n=Count("id")).filter(n__gt=1).count()
        )  # fmt: skip
        submits = (
            Transition.objects.filter(submission__in=subs, action__in=["submit", "resubmit"])
            .values("submission_id").annotate(n=Count("id"))
        )  # fmt: skip
        dup_submits = sum(1 for row in submits if row["n"] > 1)
        lost = []
        for code, marker in acked.items():
            s = stored.get(code)
            if s is None or s.proposals != marker or s.status != Submission.Status.SUBMITTED:
                lost.append(code)
        unacked_written = sum(
            1 for code, s in stored.items() if code not in acked and s.status == Submission.Status.SUBMITTED
        )
        self.stdout.write(json.dumps({
            "acknowledged": len(acked), "lost": len(lost), "lost_agencies": lost[:10],
            "duplicated": dup_rows + dup_submits, "submitted_without_ack": unacked_written,
        }))  # fmt: skip
