"""Load scenarios for bench/run.py (locust, headless): 20 concurrent clients, each signed in with a
session prepared by `manage.py bench_prepare`. BENCH_STATE names that JSON file, BENCH_SCENARIO the
scenario: floor | dashboard | form | save."""

from __future__ import annotations

import itertools
import json
import os
import re
import secrets

from locust import HttpUser, constant, task

STATE = json.load(open(os.environ["BENCH_STATE"], encoding="utf-8"))  # noqa: SIM115
SCENARIO = os.environ.get("BENCH_SCENARIO", "floor")
YEAR, QUARTER = STATE["year"], STATE["quarter"]
OFFICERS = itertools.cycle(sorted(STATE["officers"].items()))
# the save scenario gives each client its own agency (so that no two clients edit the same report)
AGENCIES = iter([a for a in STATE["agencies"] if a["district"]] + [a for a in STATE["agencies"] if not a["district"]])
READERS = itertools.cycle(STATE["agencies"])
CSRF = secrets.token_hex(16)  # 32 characters: the CSRF secret, sent as cookie and as form field
VERSION = re.compile(r'name="version" value="(\d+)"')


class Client(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.cookies.set("csrftoken", CSRF)
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
        self.client.cookies.set("sessionid", session)
        if SCENARIO == "save":  # start from the report's current version
            match = VERSION.search(self.client.get(self.agency["url"], name="resync").text)
            if match:
                self.data["version"] = match.group(1)

    @task
    def request(self):
        if SCENARIO == "floor":
            self.client.get("/healthz", name="floor")
        elif SCENARIO == "dashboard":
            self.client.get(f"/dashboard/{YEAR}/?cut=ytd&quarter={QUARTER}", name="dashboard")
        elif SCENARIO == "form":
            self.client.get(self.agency["url"], name="form")
        else:
            self.save()

    def save(self):
        self.n += 1
        data = {**self.data, "difficulties": f"bench {self.n}", "action": "save", "csrfmiddlewaretoken": CSRF}
        with self.client.post(self.agency["url"], data=data, name="save", allow_redirects=False,
                              catch_response=True) as response:  # fmt: skip
            if response.status_code == 302:
                self.data["version"] = str(int(self.data["version"]) + 1)
                response.success()
            else:
                response.failure(f"save answered {response.status_code}")
                page = self.client.get(self.agency["url"], name="resync").text
                match = VERSION.search(page)
                if match:
                    self.data["version"] = match.group(1)
