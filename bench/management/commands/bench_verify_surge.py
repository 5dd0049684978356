"""After the deadline surge or the deadline-day mix: was any write lost or duplicated?"""

import json

from django.core.management.base import BaseCommand
from django.db.models import Count

from reporting.models import Submission, Transition


class Command(BaseCommand):
    help = "Compare what the surge's clients were told (--acks JSON) with what the database holds."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True)
        parser.add_argument("--acks", help="the surge's JSON: {agency code: marker} of acknowledged submits")
        parser.add_argument(
            "--mix-acks",
            help="the mix's JSON: {agency code: {acked: the last acknowledged marker, pending: markers sent "
            "after it and not answered, submitted: the marker of an acknowledged submit}}",
        )

    def handle(self, *args, year, quarter, acks, mix_acks, **options):
        if mix_acks:
            self.mix(year, quarter, mix_acks)
            return
        with open(acks, encoding="utf-8") as fh:
            acked: dict[str, str] = json.load(fh)
        subs = Submission.objects.filter(quarter__program__year=year, quarter__number=quarter).select_related("agency")
        stored = {s.agency.code: s for s in subs}
        dup_rows, dup_submits = duplicates(year, quarter)
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

    def mix(self, year: int, quarter: int, path: str) -> None:
        """A save is lost when the stored text is neither its marker nor one sent after it and never
        answered (still in flight when the run ended); a submit, when the report is not sent with its marker."""
        with open(path, encoding="utf-8") as fh:
            acked: dict[str, dict] = json.load(fh)
        subs = Submission.objects.filter(quarter__program__year=year, quarter__number=quarter, agency__code__in=acked)
        stored = {s.agency.code: s for s in subs.select_related("agency")}
        lost = []
        for code, ack in acked.items():
            s = stored.get(code)
            saved = s is not None and s.difficulties in (ack["acked"], *ack["pending"])
            sent = s is not None and s.proposals == ack["submitted"] and s.status == Submission.Status.SUBMITTED
            if (ack["acked"] is not None and not saved) or (ack["submitted"] and not sent):
                lost.append(code)
        dup_rows, dup_submits = duplicates(year, quarter)
        self.stdout.write(json.dumps({
            "saves_acknowledged": sum(1 for a in acked.values() if a["acked"]),
            "submits_acknowledged": sum(1 for a in acked.values() if a["submitted"]),
            "lost": len(lost), "lost_agencies": lost[:10], "duplicated": dup_rows + dup_submits,
        }))  # fmt: skip


def duplicates(year: int, quarter: int) -> tuple[int, int]:
    """Agencies with two rows for the quarter, and submissions sent twice (two submit steps)."""
    subs = Submission.objects.filter(quarter__program__year=year, quarter__number=quarter)
    dup_rows = subs.values("agency_id").annotate(n=Count("id")).filter(n__gt=1).count()
    submits = (
        Transition.objects.filter(submission__in=subs, action__in=["submit", "resubmit"])
        .values("submission_id").annotate(n=Count("id"))
    )  # fmt: skip
    return dup_rows, sum(1 for row in submits if row["n"] > 1)
