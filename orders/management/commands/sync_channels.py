"""`manage.py sync_channels`: the channel work beat schedules, without Redis (make run): every
CHANNEL_SYNC_EVERY seconds the tokens near expiry are renewed, every connected store is pulled and the
outbox's due actions (retries included) are sent, here, in this process (tasks run eagerly when there
is no broker)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from channels.tasks import connections_refresh_task
from orders.relay_tasks import deliver_outbox
from orders.tasks import sync_all_stores


class Command(BaseCommand):
    help = (
        "Renew tokens, pull every connected store's orders and send the outbox now, then every "
        "CHANNEL_SYNC_EVERY seconds (--once: once)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="one pass, then stop")

    def handle(self, *args, once: bool = False, **options) -> None:
        every = max(1, settings.CHANNEL_SYNC_EVERY)
        while True:
            started = time.monotonic()
            try:
                connections_refresh_task.apply().get()
                stores = sync_all_stores.apply().get()
                deliver_outbox.apply().get()
                self.stdout.write(f"Synced {stores} connected store(s).")
            except Exception as error:  # a bad pass must not stop the loop of `make run`
                if once:
                    raise
                self.stderr.write(f"Sync pass failed: {error}")
            if once:
                return
            time.sleep(max(0.0, every - (time.monotonic() - started)))
