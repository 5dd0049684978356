"""Load scenarios for bench/run.py (locust, headless): 20 concurrent clients, each signed in with a
session prepared by `manage.py bench_prepare`. BENCH_STATE names that JSON file, BENCH_SCENARIO the
scenario: floor | dashboard | form | save, or mix (the deadline-day mix, the classes Mix* below).

The clients run on the same two CPUs as the server, so they are kept cheap: FastHttpUser (locust's
lighter HTTP client) and a form body encoded once per client, only its changing fields re-encoded on
each save. What they cost is then the server's to spend, not the benchmark's."""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets
from urllib.parse import urlencode

from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser

STATE = json.load(open(os.environ["BENCH_STATE"], encoding="utf-8"))  # noqa: SIM115
SCENARIO = os.environ.get("BENCH_SCENARIO", "floor")
YEAR, QUARTER = STATE["year"], STATE["quarter"]
OFFICERS = itertools.cycle(sorted(STATE["officers"].items()))
# the save scenario gives each client its own agency (so that no two clients edit the same report)
AGENCIES = iter([a for a in STATE["agencies"] if a["district"]] + [a for a in STATE["agencies"] if not a["district"]])
READERS = itertools.cycle(STATE["agencies"])
CSRF = secrets.token_hex(16)  # 32 characters: the CSRF secret, sent as cookie and as form field
VERSION = re.compile(r'name="version" value="(\d+)"')


class Client(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        if SCENARIO == "dashboard":
            _province, session = next(OFFICERS)
        elif SCENARIO == "save":
            self.agency = next(AGENCIES)
            session = self.agency["session"]
            self.data = dict(self.agency["data"])
            self.n = 0
        else:
            self.agency = next(READERS)
            session = self.agency["session"]
        self.headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}"}
        if SCENARIO == "save":
            self.resync()
            fixed = {k: v for k, v in self.data.items() if k not in ("difficulties", "version")}
            self.body = urlencode({**fixed, "action": "save", "csrfmiddlewaretoken": CSRF})
            self.post_headers = {**self.headers, "Content-Type": "application/x-www-form-urlencoded"}

    def resync(self):
        """Start again from the report's current version."""
        page = self.client.get(self.agency["url"], name="resync", headers=self.headers).text
        match = VERSION.search(page)
        if match:
            self.data["version"] = match.group(1)

    @task
    def request(self):
        # Cookies come from self.headers only: a browser follows the redirect after a save, which
        # consumes the message cookie the server sets; the benchmark does not follow it.
        self.client.cookiejar.clear()
        if SCENARIO == "floor":
            self.client.get("/healthz", name="floor", headers=self.headers)
        elif SCENARIO == "dashboard":
            self.client.get(f"/dashboard/{YEAR}/?cut=ytd&quarter={QUARTER}", name="dashboard", headers=self.headers)
        elif SCENARIO == "form":
            self.client.get(self.agency["url"], name="form", headers=self.headers)
        else:
            self.save()

    def save(self):
        self.n += 1
        body = f"{self.body}&{urlencode({'difficulties': f'bench {self.n}', 'version': self.data['version']})}"
        with self.client.post(self.agency["url"], data=body, headers=self.post_headers, name="save",
                              allow_redirects=False, catch_response=True) as response:  # fmt: skip
            if response.status_code == 302:
                self.data["version"] = str(int(self.data["version"]) + 1)
                response.success()
            else:
                response.failure(f"save answered {response.status_code}")
                self.resync()


# ------------------------------------------------------------------------------------------------
# The deadline-day mix (BENCH_SCENARIO=mix): in one run, agencies of a few provinces open their form,
# save it and now and then submit it (then take the next agency), while the DOLISA officers of the same
# provinces refresh their dashboard and open their agencies' submissions, and a few clients time the
# floor in the same load. bench/run.py names these classes on locust's command line. What each saver
# was told is written to BENCH_MIX_ACKS at the end, for bench_verify_surge to compare with the database.
# ------------------------------------------------------------------------------------------------
MIX_PROVINCES = [p for p in os.environ.get("BENCH_MIX_PROVINCES", "").split(",") if p]
MIX_CLIENTS = int(os.environ.get("BENCH_CLIENTS", "20"))
SUBMIT_EVERY = 4  # a saver sends its report after this many saves
_in_mix = [a for a in STATE["agencies"] if a["province"] in MIX_PROVINCES]
MIX_AGENCIES = iter(sorted(_in_mix, key=lambda a: (not a["district"], a["code"])))
MIX_OFFICERS = itertools.cycle(sorted((p, s) for p, s in STATE["officers"].items() if p in MIX_PROVINCES))
MIX_OPENED = itertools.cycle(sorted(_in_mix, key=lambda a: a["code"]))
# agency code -> {"acked": the last acknowledged marker, "pending": markers sent after it, unanswered,
# "submitted": the marker of an acknowledged submit}
ACKS: dict[str, dict] = {}


def _share(part: int) -> int:
    """Clients for one part of the mix, out of BENCH_CLIENTS (tenths; at least one)."""
    return max(1, MIX_CLIENTS * part // 10)


class MixFloor(FastHttpUser):
    """The floor, measured in the same load as the pages."""

    fixed_count = _share(1)
    wait_time = constant(0)

    def on_start(self):
        _province, session = next(MIX_OFFICERS)
        self.headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}"}

    @task
    def request(self):
        self.client.cookiejar.clear()
        self.client.get("/healthz", name="mix floor", headers=self.headers)


class MixSaver(FastHttpUser):
    """An agency on deadline day: opens its form, saves it, and after a few saves sends it."""

    fixed_count = _share(4)
    wait_time = constant(0)

    def on_start(self):
        self.next_agency()

    def next_agency(self):
        self.agency = next(MIX_AGENCIES, None)
        if self.agency is None:
            raise StopUser  # every agency of the mix's provinces has been sent
        self.headers = {"Cookie": f"sessionid={self.agency['session']}; csrftoken={CSRF}"}
        self.post_headers = {**self.headers, "Content-Type": "application/x-www-form-urlencoded"}
        fixed = {k: v for k, v in self.agency["data"].items() if k not in ("difficulties", "proposals", "version")}
        self.body = urlencode({**fixed, "change_explanation": "Số liệu cuối năm", "csrfmiddlewaretoken": CSRF})
        self.saves = 0
        self.acks = ACKS.setdefault(self.agency["code"], {"acked": None, "pending": [], "submitted": None})

    @task
    def request(self):
        self.client.cookiejar.clear()
        page = self.client.get(self.agency["url"], name="mix form", headers=self.headers).text
        match = VERSION.search(page or "")
        if match is None:
            return
        submit = self.saves >= SUBMIT_EVERY
        marker = f"mix {self.agency['code']} {secrets.token_hex(4)}"
        fields = {"difficulties": marker, "version": match.group(1), "action": "submit" if submit else "save"}
        if submit:
            fields["proposals"] = marker
        self.acks["pending"].append(marker)
        with self.client.post(self.agency["url"], data=f"{self.body}&{urlencode(fields)}", headers=self.post_headers,
                              name="mix submit" if submit else "mix save", allow_redirects=False,
                              catch_response=True) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"answered {response.status_code}")
                return
            response.success()
        self.acks["acked"], self.acks["pending"] = marker, []
        self.saves += 1
        if submit:
            self.acks["submitted"] = marker
            self.next_agency()


class MixDashboard(FastHttpUser):
    """A DOLISA officer of one of the mix's provinces refreshing the dashboard."""

    fixed_count = _share(3)
    wait_time = constant(0)

    def on_start(self):
        _province, session = next(MIX_OFFICERS)
        self.headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}"}

    @task
    def request(self):
        self.client.cookiejar.clear()
        self.client.get(f"/dashboard/{YEAR}/?cut=ytd&quarter={QUARTER}", name="mix dashboard", headers=self.headers)


class MixReview(FastHttpUser):
    """A DOLISA officer opening the submissions of the agencies of their province as they come in."""

    fixed_count = max(1, MIX_CLIENTS - _share(1) - _share(4) - _share(3))
    wait_time = constant(0)

    def on_start(self):
        self.province, session = next(MIX_OFFICERS)
        self.headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF}"}

    @task
    def request(self):
        self.client.cookiejar.clear()
        agency = next(MIX_OPENED)
        while agency["province"] != self.province:
            agency = next(MIX_OPENED)
        self.client.get(agency["url"], name="mix review", headers=self.headers)


@events.test_stop.add_listener
def _write_acks(**_kwargs):
    path = os.environ.get("BENCH_MIX_ACKS")
    if path and SCENARIO == "mix":
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(ACKS, fh)
