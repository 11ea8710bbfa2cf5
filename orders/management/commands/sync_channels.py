"""`manage.py sync_channels`: the order sync without Redis (make run): every CHANNEL_SYNC_EVERY seconds,
sync_all_stores runs here, in this process (tasks run eagerly when there is no broker)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from orders.tasks import sync_all_stores


class Command(BaseCommand):
    help = "Pull every connected store's orders now and then every CHANNEL_SYNC_EVERY seconds (--once: once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then stop")

    def handle(self, *args, once: bool = False, **options) -> None:
        every = max(1, settings.CHANNEL_SYNC_EVERY)
        while True:
            started = time.monotonic()
            try:
                stores = sync_all_stores.apply().get()
                self.stdout.write(f"Synced {stores} connected store(s).")
            except Exception as error:  # a bad pass must not stop the loop of `make run`
                if once:
                    raise
                self.stderr.write(f"Sync pass failed: {error}")
            if once:
                return
            time.sleep(max(0.0, every - (time.monotonic() - started)))
