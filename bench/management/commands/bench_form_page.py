"""The quarterly form page against a plain page, in one process, as JSON: a district's form (some 400
inputs) opened by its reporter with Django's test client, against the floor (`/healthz`, a bare view
that reads one row, signed in), interleaved (floor, form, floor, form …), the median of `--runs` with
its spread, and each page's queries (caches warm). `--profile N` prints the form page's cProfile
(N rows, by cumulative time) instead. Works on the demo (`--agency ubnd-cho-moi --year 2018
--quarter 2`) and on the bench database (docs/benchmarks.md, issue 17).
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User


def interleaved(runs: int, **parts) -> dict:
    """Each part timed `runs` times, taking turns: the median and spread of its wall time and of this
    process's CPU time (steadier on a loaded machine: the waits for a CPU are left out), in ms."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in parts}
    for _ in range(runs):
        for name, fn in parts.items():
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            times[name].append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    out = {}
    for name, values in times.items():
        out[name] = {}
        for i, label in ((0, "ms"), (1, "cpu_ms")):
            ordered = sorted(v[i] for v in values)
            out[name][label] = round(ordered[len(ordered) // 2], 1)
            out[name][f"{label}_spread"] = [round(ordered[0], 1), round(ordered[-1], 1)]
    return out


class Command(BaseCommand):
    help = "Time a district's quarterly form page against the floor (median and spread), or profile it."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--quarter", type=int, default=4)
        parser.add_argument("--agency", required=True, help="the agency's code in the URL, e.g. ubnd-cho-moi")
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--profile", type=int, default=0, help="print the form page's profile (rows)")

    def handle(self, *args, year, quarter, agency, runs, profile, **options):
        user = User.objects.filter(agency__code=agency, is_active=True).order_by("pk").first()
        client = Client()
        client.force_login(user)
        url = f"/submissions/{year}/q{quarter}/{agency}/"

        def form():
            response = client.get(url)
            assert response.status_code == 200, response.status_code  # noqa: S101  # nosec B101

        def floor():
            assert client.get("/healthz").status_code == 200  # noqa: S101  # nosec B101

        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            form(), floor()  # warm: the structure, the templates, the shared fields
            if profile:
                self.stdout.write(self.profiled(form, profile))
                return
            result = interleaved(runs, floor=floor, form=form)
            for name, fn in (("floor", floor), ("form", form)):
                with CaptureQueriesContext(connection) as queries:
                    fn()
                result[name]["queries"] = len(queries)
            body = client.get(url).content
        result["ratio"] = round(result["form"]["ms"] / result["floor"]["ms"], 1)
        result["cpu_ratio"] = round(result["form"]["cpu_ms"] / result["floor"]["cpu_ms"], 1)
        result["fields"] = body.count(b"<input") + body.count(b"<textarea") + body.count(b"<select")
        result["bytes"] = len(body)
        self.stdout.write(json.dumps({"url": url, **result}))

    def profiled(self, fn, rows: int) -> str:
        self.sort = "cumulative"
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(5):
            fn()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(self.sort).print_stats(rows)
        return out.getvalue()
