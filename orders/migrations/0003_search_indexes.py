"""A buyer's name found by any part of it, in any case (the `name__icontains` of every search box),
on a trigram index: `UPPER(name) LIKE '%X%'` reads the index instead of every buyer of the tenant.
PostgreSQL only, built CONCURRENTLY (core.migration_ops.trigram_indexes)."""

from django.db import migrations

from core.migration_ops import trigram_indexes

INDEXES = {"buyer_name_trgm": "orders_buyer USING gin (upper(name) gin_trgm_ops)"}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("orders", "0002_order_and_cancel_request_state_machines")]

    operations = [trigram_indexes(INDEXES)]
