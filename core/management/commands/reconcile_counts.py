from django.core.management.base import BaseCommand

from core.counts import reconcile


class Command(BaseCommand):
    help = (
        "Check the kept tab counts against a fresh GROUP BY, repair (and log) any drift, and compact "
        "their ledger. Run it after writing rows that bypass save() (bulk loads, raw SQL)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--compact-only", action="store_true", help="Only collapse the ledger; no GROUP BY.")

    def handle(self, *args, **options):
        drifts = reconcile(check=not options["compact_only"])
        self.stdout.write(f"Kept counts reconciled: {len(drifts)} key(s) repaired.")
