"""The number of queries of the benchmark's pages (in-process, caches warm), as JSON; and the Ministry's
national view over every province (its queries and its time, uncached: the page keeps no cache)."""

import json
import time

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User
from accounts.roles import Role


class Command(BaseCommand):
    help = "Count the queries of the floor, the dashboard, a form page and a form save (--state JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--state", required=True)

    def handle(self, *args, state, **options):
        with open(state, encoding="utf-8") as fh:
            st = json.load(fh)
        agency = next(a for a in st["agencies"] if a["district"])
        officer = next(iter(st["officers"].values()))
        year, quarter = st["year"], st["quarter"]
        results = {}
        with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"]):
            pages = {
                "floor": (officer, "get", "/healthz", None),
                "dashboard": (officer, "get", f"/dashboard/{year}/?cut=ytd&quarter={quarter}", None),
                "form": (agency["session"], "get", agency["url"], None),
                "save": (agency["session"], "post", agency["url"], {**agency["data"], "action": "save"}),
            }
            for name, (session, method, path, data) in pages.items():
                client = Client()
                client.cookies["sessionid"] = session
                if method == "get":
                    client.get(path)  # warm the caches
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(path) if method == "get" else client.post(path, data)
                results[name] = {"queries": len(ctx), "status": response.status_code}
            results["ministry"] = self._ministry(year)
        self.stdout.write(json.dumps(results))

    @staticmethod
    def _ministry(year: int) -> dict:
        """The department's page for the year, as its account opens it (a first request of the process)."""
        user, _created = User.objects.get_or_create(username="bench-ministry")
        user.groups.add(Group.objects.get_or_create(name=Role.MINISTRY.value)[0])
        client = Client()
        client.force_login(user)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(f"/ministry/{year}/")
        return {"queries": len(ctx), "status": response.status_code, "ms": (time.perf_counter() - started) * 1000}
