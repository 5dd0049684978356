from django.core.management.base import BaseCommand

from accounts.services import DEMO_PASSWORD, demo_accounts_create


class Command(BaseCommand):
    help = "Create the demo accounts (password angiang-demo-2018). Only for the demo set-up, never in production."

    def handle(self, *args, **options):
        created = demo_accounts_create()
        self.stdout.write(f"Demo accounts: {len(created)} created (password: {DEMO_PASSWORD}).")
