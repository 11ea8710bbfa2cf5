from django.conf import settings
from django.core.management.base import BaseCommand

from channels.sandbox_demo import Unreachable, connect_demo_stores


class Command(BaseCommand):
    help = (
        "Connect the demo's TikTok Shop, Shopee and Lazada stores to the sandbox marketplace at SANDBOX_URL, with a "
        "few orders each to sync. Does nothing (and says so) when the sandbox is not running. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--wait", type=float, default=0, help="Seconds to wait for a sandbox just started")

    def handle(self, *args, **options):
        try:
            connected = connect_demo_stores(settings.SANDBOX_URL, self.stdout.write, wait=options["wait"])
        except Unreachable:
            self.stdout.write(f"The sandbox marketplace is not running at {settings.SANDBOX_URL}: no store connected.")
            return
        self.stdout.write(self.style.SUCCESS(f"Demo stores connected to the sandbox: {connected}."))
