"""Prepare the benchmark database: a year's quarter back to drafts for every agency, a session for
every reporter and officer, and each agency's form as the browser would post it (written as JSON)."""

import json
import time

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management.base import BaseCommand
from django.db import connection

from accounts.models import User
from core import dataversion as datacache
from programs.models import Quarter
from reporting.fields import initial_from
from reporting.models import Submission, Transition
from reporting.selectors import form_spec, values_for

BACKEND = "accounts.backends.PortalBackend"


def session_for(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store["portal_started"] = store["portal_seen"] = time.time()
    store.create()
    return store.session_key


def as_post(initial: dict) -> dict:
    """The form as a browser posts it: every text input, textarea and select, empty or not; a
    checkbox only when it is ticked."""
    data = {}
    for name, value in initial.items():
        if value is False:
            continue
        data[name] = "on" if value is True else ("" if value is None else str(value))
    return data


class Command(BaseCommand):
    help = "Prepare the benchmark: drafts, sessions and form data for --year/--quarter (JSON to --out)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, required=True)
        parser.add_argument("--out", required=True)
        parser.add_argument(
            "--sessions-only", action="store_true", help="new sessions in the --out file, nothing else (BENCH_REUSE)"
        )

    def handle(self, *args, year, quarter, out, sessions_only, **options):
        started = time.monotonic()
        if sessions_only:
            self.sessions(out)
            return
        quarters = Quarter.objects.filter(program__year=year, number=quarter).select_related("program__province")
        subs = Submission.objects.filter(quarter__in=quarters)
        reset = subs.update(
            status=Submission.Status.DRAFT, first_submitted_at=None, submitted_at=None, days_late=0,
            reopened_until=None, change_explanation="", proposals="",
        )  # fmt: skip
        # the surge then counts exactly one submit per agency
        Transition.objects.filter(submission__in=subs).delete()
        bump_all = {q.program_id for q in quarters}
        for program_id in bump_all:
            datacache.bump(program_id)  # the reset above bypassed the signals
        by_agency = {s.agency_id: s for s in subs.select_related("agency__unit", "quarter__program")}
        users = {
            u.agency_id: u for u in User.objects.filter(agency_id__in=list(by_agency), groups__name="agency_reporter")
        }
        officers = {
            u.agency.unit.code: u
            for u in User.objects.filter(groups__name="dolisa_officer", agency__isnull=False).select_related(
                "agency__unit"
            )
        }
        state = {"year": year, "quarter": quarter, "officers": {}, "agencies": []}
        for q in quarters:
            officer = officers.get(q.program.province.code)
            if officer is not None:
                state["officers"][q.program.province.code] = session_for(officer)
        submissions = list(by_agency.values())
        values = values_for(submissions=submissions)
        for sub in submissions:
            user = users.get(sub.agency_id)
            if user is None:
                continue
            spec = form_spec(agency=sub.agency, quarter=sub.quarter)
            data = as_post(initial_from(spec=spec, values=values[sub.pk], submission=sub))
            state["agencies"].append({
                "code": sub.agency.code,
                "province": sub.quarter.program.province.code,
                "district": sub.agency.is_district,
                "session": session_for(user),
                "url": f"/submissions/{year}/q{quarter}/{sub.agency.code}/",
                "data": data,
            })  # fmt: skip
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(state, fh)
        if connection.vendor == "postgresql":
            # The data was bulk inserted and changed above: the planner's statistics, as autovacuum keeps
            # them on a server that runs it (the bench's may not: without them a province's figures read
            # every submission and every unit by sequential scans, docs/benchmarks.md issue 17).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"{reset} submissions back to draft, {len(state['agencies'])} agencies and "
            f"{len(state['officers'])} officers with sessions, in {time.monotonic() - started:.0f} s"
        )

    def sessions(self, out: str) -> None:
        """Sign every client of the state file in again (a new run has a new secret key)."""
        with open(out, encoding="utf-8") as fh:
            state = json.load(fh)
        reporters = {
            u.agency.code: u for u in User.objects.filter(groups__name="agency_reporter").select_related("agency")
        }
        officers = {
            u.agency.unit.code: u
            for u in User.objects.filter(groups__name="dolisa_officer", agency__isnull=False).select_related(
                "agency__unit"
            )
        }
        for agency in state["agencies"]:
            agency["session"] = session_for(reporters[agency["code"]])
        for province in state["officers"]:
            state["officers"][province] = session_for(officers[province])
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(state, fh)
        if connection.vendor == "postgresql":
            # The data was bulk inserted and changed above: the planner's statistics, as autovacuum keeps
            # them on a server that runs it (the bench's may not: without them a province's figures read
            # every submission and every unit by sequential scans, docs/benchmarks.md issue 17).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(f"{len(state['agencies'])} agencies and {len(state['officers'])} officers signed in again")
