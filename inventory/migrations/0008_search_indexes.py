"""A SKU found by any part of its code or name, in any case (the SKU pickers, Settings > Products,
the stock list), on trigram indexes: `UPPER(code) LIKE '%X%'` reads the index, not every SKU.
PostgreSQL only, built CONCURRENTLY (core.migration_ops.trigram_indexes)."""

from django.db import migrations

from core.migration_ops import trigram_indexes

INDEXES = {
    "sku_code_trgm": "inventory_sku USING gin (upper(code) gin_trgm_ops)",
    "sku_name_trgm": "inventory_sku USING gin (upper(name) gin_trgm_ops)",
}


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("inventory", "0007_catalogue_change")]

    operations = [trigram_indexes(INDEXES)]
