"""Load scenarios for bench/run.py (locust, headless): 20 concurrent clients, each signed in with a
session prepared by `manage.py bench_prepare`. BENCH_STATE names that JSON file, BENCH_SCENARIO the
scenario: floor | dashboard | form | save.

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

from locust import FastHttpUser, constant, task

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
