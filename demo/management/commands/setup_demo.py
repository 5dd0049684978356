import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from accounts.models import User
from core.formatting import fmt_date
from demo.accounts import DEMO_PASSWORD, DEMO_USERNAMES, demo_accounts_create
from demo.incidents import demo_incidents_create
from demo.provinces import SYNTHETIC, synthetic_province_load, synthetic_submissions_create
from demo.submissions import DEMO_TODAY, DEMO_YEAR, OFFICER, TZ, demo_submissions_create
from documents.models import DocumentRegister, ReportVersion
from documents.schedule import daily_run
from documents.services import register_update, version_compile, version_create, version_issue
from programs.models import Program
from reporting.deadlines import deadlines_run

PRODUCTION_SETTINGS = "config.settings.production"
# The demo's nights of the reports' daily job (at 00:30): after the agencies' Q1 deadline (20/03) the quarterly
# report's first draft; after DOLISA accepted the late Q1 reports (by 30/03) a second draft, which DOLISA
# issues on 02/04 as the register's next number (it had numbered 11 reports of 2018 outside the portal).
NIGHTS = (dt.date(2018, 3, 21), dt.date(2018, 4, 2))
ISSUED_AT = dt.datetime(2018, 4, 2, 10, 15, tzinfo=TZ)
REGISTER_NEXT = 12
# The synthetic provinces issue their six-month report early, on 09/05, the day their agencies' reports are accepted.
SYNTHETIC_ISSUED_AT = dt.datetime(2018, 5, 9, 16, 0, tzinfo=TZ)


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
        self._reports(program)
        self._synthetic()
        self.stdout.write(
            f"The demo is meant to be served as of {fmt_date(DEMO_TODAY)}: PORTAL_CLOCK_TODAY={DEMO_TODAY.isoformat()}."
        )

    def _synthetic(self) -> None:
        """Two synthetic provinces beside An Giang (demo.provinces): their 2018 programs, Q1 and Q2 reports
        accepted, and the six-month report compiled and issued, for the Ministry's view (cuc-bvcste)."""
        for code, letter, missing in SYNTHETIC:
            start = time.perf_counter()
            program = synthetic_province_load(code=code, letter=letter)
            officer = f"{code.lower()}-dolisa"
            count = synthetic_submissions_create(program=program, officer=officer, missing_q2=missing)
            report = program.provincial_reports.get(kind="six_month")
            issued = ReportVersion.objects.filter(report=report, doc_number__isnull=False).first()
            if issued is None:
                version, _ = version_create(report=report, trigger=ReportVersion.Trigger.COMMAND, enqueue=False)
                version = version_compile(version_id=version.pk)
                with override_settings(PORTAL_CLOCK_TODAY=SYNTHETIC_ISSUED_AT.date()):
                    user = User.objects.get(username=officer)
                    issued = version_issue(version=version, user=user, at=SYNTHETIC_ISSUED_AT)
            self.stdout.write(
                f"Synthetic province {program.province.name}: {count} submissions created, six-month report "
                f"{issued.doc_symbol} ({time.perf_counter() - start:.1f} s)."
            )

    def _reports(self, program: Program) -> None:
        """The daily jobs as they ran on the demo's nights (compiled drafts, late drafts marked), then the
        quarterly report issued. Nothing again on a second run."""
        if ReportVersion.objects.filter(report__program=program).exists():
            self.stdout.write("Demo provincial reports: already compiled.")
            return
        compiled = []
        for night in NIGHTS:
            with override_settings(PORTAL_CLOCK_TODAY=night):
                compiled += daily_run(at=dt.datetime.combine(night, dt.time(0, 30), tzinfo=TZ)).compiled
                deadlines_run()
        officer = User.objects.get(username=OFFICER)
        if not DocumentRegister.objects.filter(province_id=program.province_id, year=DEMO_YEAR).exists():
            register_update(year=DEMO_YEAR, next_number=REGISTER_NEXT, user=officer)
        latest = ReportVersion.objects.filter(report__program=program, report__kind="quarterly", status="done").first()
        with override_settings(PORTAL_CLOCK_TODAY=ISSUED_AT.date()):
            issued = version_issue(version=latest, user=officer, at=ISSUED_AT) if latest else None
        self.stdout.write(
            f"Demo provincial reports: {len(compiled)} drafts compiled (the nights of "
            f"{', '.join(fmt_date(n) for n in NIGHTS)}); the quarterly report issued as "
            f"{issued.doc_symbol if issued else '-'} on {fmt_date(ISSUED_AT.date())}."
        )
