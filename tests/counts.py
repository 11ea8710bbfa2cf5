"""The kept tab counts beside a fresh GROUP BY of the rows they count, key by key."""

from django.db.models import Sum

from core.counts import actual_counts, counted_models
from core.models import CountDelta


def kept() -> dict[tuple, int]:
    """{(list, tenant, store, status): rows} as the ledger sums them (keys summing to 0 left out)."""
    fields = ("list", "tenant_id", "store_id", "status")
    sums = CountDelta.objects.order_by().values(*fields).annotate(n=Sum("delta")).values_list(*fields, "n")
    return {tuple(key): n for *key, n in sums if n}


def fresh() -> dict[tuple, int]:
    """{(list, tenant, store, status): rows} counted now, with a GROUP BY of each counted table."""
    return {
        (model._meta.label_lower, *key): n
        for model in counted_models()
        for key, n in actual_counts(model._base_manager.all(), model.counted_store).items()
    }
