import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from core.formatting import fmt_date
from demo.accounts import DEMO_PASSWORD, DEMO_USERNAMES, demo_accounts_create
from demo.incidents import demo_incidents_create
from demo.submissions import DEMO_TODAY, DEMO_YEAR, demo_submissions_create
from documents.schedule import daily_run
from programs.models import Program
from reporting.deadlines import deadlines_run

QUARTERLY_DUE = dt.date(2018, 3, 20)
PRODUCTION_SETTINGS = "config.settings.production"


class Command(BaseCommand):
    help = (
        "Create the demo accounts (password angiang-demo-2018) and the demo's Q1 and Q2 2018 submissions. "
        "Only for the demo set-up, never in production. Running it twice creates nothing more."
    )

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE == PRODUCTION_SETTINGS:
            raise CommandError(
                "setup_demo refuses to run under the production settings (config.settings.production): it would "
                f"create {len(DEMO_USERNAMES)} administrative and one reporter account per agency with the published "
                "demo password. Run it on a demo or test database (DJANGO_SETTINGS_MODULE=config.settings.local)."
            )
        created = demo_accounts_create()
        self.stdout.write(f"Demo accounts: {len(created)} created (password: {DEMO_PASSWORD}).")
        program = Program.objects.filter(year=DEMO_YEAR, province__code=settings.PORTAL_PROVINCE_CODE).first()
        if program is None:
            self.stdout.write(f"Demo submissions: none, the {DEMO_YEAR} program is not loaded (run load_program).")
            return
        start = time.perf_counter()
        count = demo_submissions_create(program=program)
        if count:
            seconds = time.perf_counter() - start
            self.stdout.write(f"Demo submissions: {count} created ({seconds:.1f} s).")
        else:
            self.stdout.write("Demo submissions: 0 created (the program already has submissions).")
        self.stdout.write(f"Demo incident reports: {demo_incidents_create(program=program)} created.")
        # The daily jobs as they ran on 20/03/2018, the quarterly report's due date: the quarterly report
        # was compiled, and the drafts past the first deadline were marked late.
        with override_settings(PORTAL_CLOCK_TODAY=QUARTERLY_DUE):
            compiled = daily_run().compiled
            deadlines_run()
        self.stdout.write(f"Demo provincial reports: {len(compiled)} compiled (as of {fmt_date(QUARTERLY_DUE)}).")
        self.stdout.write(
            f"The demo is meant to be served as of {fmt_date(DEMO_TODAY)}: PORTAL_CLOCK_TODAY={DEMO_TODAY.isoformat()}."
        )
