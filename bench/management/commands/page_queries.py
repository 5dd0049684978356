import json

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User


class Command(BaseCommand):
    help = (
        "Count the database queries of pages, rendered in-process as a signed-in user: "
        "page_queries USER:URL [USER:URL ...] (prints JSON; used by the benchmark)."
    )

    def add_arguments(self, parser):
        parser.add_argument("pages", nargs="+", help="username:/path/")
        parser.add_argument("--warm", action="store_true", help="request each page once before counting")

    def handle(self, *args, pages, warm, **options):
        results = []
        hosts = [*settings.ALLOWED_HOSTS, "testserver"]
        with override_settings(ALLOWED_HOSTS=hosts, SECURE_SSL_REDIRECT=False):
            for spec in pages:
                username, path = spec.split(":", 1)
                client = Client()
                client.force_login(User.objects.get(username=username))
                if warm:
                    client.get(path)
                with CaptureQueriesContext(connection) as ctx:
                    response = client.get(path)
                results.append({"user": username, "path": path, "status": response.status_code, "queries": len(ctx)})
        self.stdout.write(json.dumps(results, indent=1))
