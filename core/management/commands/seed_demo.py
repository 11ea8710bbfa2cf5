from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from core.demo import Demo


class Command(BaseCommand):
    help = "Create (or complete) the demo tenants, users and data. Safe to run again."

    def handle(self, *args, **options):
        demo = Demo()
        with transaction.atomic():
            for step in map(import_string, settings.DEMO_STEPS):
                step(demo)
                self.stdout.write(f"  {step.__name__}: ok")
        self.stdout.write(
            self.style.SUCCESS("Demo data ready. Users: " + ", ".join(demo.users) + " (password demo12345)")
        )
