"""Tab counts kept, not recounted: a list's tab strip is a sum over a few ledger rows, not a GROUP BY
over the tenant's million rows.

A counted model (the `Counted` mixin: cases, orders, cancel requests, refund orders) records, in
the transaction that inserts a row or moves it to another (store, status), a -1 for the key it
leaves and a +1 for the key it enters: `CountDelta` rows, only ever inserted. Writers therefore
take no lock in common: two transitions moving rows in opposite directions cannot wait on each
other (counter rows updated in place would, and could deadlock). A list reads SUM(delta) by status
over its tenant's keys in the user's stores, in one query.

`reconcile()` (beat, and `manage.py reconcile_counts`) compares, in one snapshot, the ledger's sums
with a fresh GROUP BY, logs and repairs any drift, and collapses each key's rows into one, so the
ledger stays about (stores x statuses) rows per list.

`bulk_create()` counts its rows too (core.tenancy.TenantQuerySet). Writes that bypass both
(`QuerySet.update()`, `bulk_update()`, raw SQL: seed data, the bench loader) record nothing: run
`reconcile()` after them.
"""

import logging
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial

from django.apps import apps
from django.db import OperationalError, connection, models, transaction
from django.db.models import Count, Sum
from django.db.models.signals import post_delete
from django_fsm import ConcurrentTransition

from core.models import CountDelta

logger = logging.getLogger(__name__)

Key = tuple[int, int, str]  # tenant, store, status


class Counted(models.Model):
    """A model whose rows are counted by (tenant, store, status) for its list's tabs.

    `counted_store` names the row's store: its own field (guarded like the status: an update that
    finds the row moved since it was loaded is refused), or a parent's (`order__store`), which never
    changes for the row."""

    counted_store = "store"
    _counted_as: tuple[int | None, str] | None = None  # (store, status) as in the database

    class Meta:
        abstract = True

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        # QuerySet.delete() and cascades delete without delete(); the collector sends this for each row
        post_delete.connect(
            _record_deletion, sender=cls, weak=False, dispatch_uid=f"counted:{cls.__module__}.{cls.__qualname__}"
        )

    def save(self, *args, **kwargs) -> None:
        # the deltas commit with the row, also when the caller is not in a transaction
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._counted_as = row._loaded_key()
        return row

    def refresh_from_db(self, *args, fields=None, **kwargs) -> None:
        super().refresh_from_db(*args, fields=fields, **kwargs)
        if fields is None or {"status", self._own_store()} & set(fields):
            self._counted_as = self._loaded_key()

    def _own_store(self) -> str | None:
        """The attname of the row's own store field; None when the store is a parent's."""
        return None if "__" in self.counted_store else self._meta.get_field(self.counted_store).attname

    def _store_id(self) -> int:
        own = self._own_store()
        if own:
            return getattr(self, own)
        parent, _, field = self.counted_store.partition("__")
        return getattr(getattr(self, parent), f"{field}_id")

    def _loaded_key(self) -> tuple[int | None, str] | None:
        deferred = self.get_deferred_fields()
        own = self._own_store()
        if "status" in deferred or own in deferred:
            return None
        return (getattr(self, own) if own else None, self.status)

    def _old_key(self, base_qs, pk_val) -> tuple[int, str] | None:
        """The row's (store, status) in the database, which this update moves it from."""
        own = self._own_store()
        loaded = self._counted_as
        if loaded is None:  # loaded without them (only()/defer()): read them under the row's lock
            loaded = base_qs.filter(pk=pk_val).select_for_update().values_list(own or "pk", "status").first()
            if loaded is None:
                return None
        return (loaded[0] if own else self._store_id(), loaded[1])

    def _do_update(self, base_qs, using, pk_val, values, *args, **kwargs):
        own = self._own_store()
        written = {field.attname for field, _, _ in values}
        if "status" not in written and (own is None or own not in written):
            return super()._do_update(base_qs, using, pk_val, values, *args, **kwargs)
        old = self._old_key(base_qs, pk_val)
        if old is None:  # not in the database: Django inserts it next
            return super()._do_update(base_qs, using, pk_val, values, *args, **kwargs)
        guard = {"status": old[1], **({own: old[0]} if own else {})}
        updated = super()._do_update(base_qs.filter(**guard), using, pk_val, values, *args, **kwargs)
        if not updated:
            if base_qs.filter(pk=pk_val).exists():  # another transaction moved it since it was loaded
                raise ConcurrentTransition(f"{self._meta.label} {pk_val} changed since it was loaded.")
            return updated
        new = (getattr(self, own) if own in written else old[0], self.status if "status" in written else old[1])
        if new != old:
            _record(self, using, [(old, -1), (new, 1)])
        self._counted_as = new
        return updated

    def _do_insert(self, manager, using, fields, returning_fields, raw):
        inserted = super()._do_insert(manager, using, fields, returning_fields, raw)
        key = (self._store_id(), self.status)
        _record(self, using, [(key, 1)])
        self._counted_as = key
        return inserted


def _record(row: Counted, using: str | None, changes: list[tuple[tuple[int, str], int]]) -> None:
    CountDelta.objects.using(using).bulk_create(
        CountDelta(tenant_id=row.tenant_id, list=row._meta.label_lower, store_id=store, status=status, delta=delta)
        for (store, status), delta in changes
    )


def record_inserted(rows: list[Counted], *, using: str) -> None:
    """Count rows a bulk insert created (core.tenancy.TenantQuerySet.bulk_create): one delta per key."""
    added = Counter((row.tenant_id, row._store_id(), row.status) for row in rows)
    CountDelta.objects.using(using).bulk_create(
        CountDelta(tenant_id=tenant, list=rows[0]._meta.label_lower, store_id=store, status=status, delta=n)
        for (tenant, store, status), n in added.items()
    )
    for row in rows:
        row._counted_as = (row._store_id(), row.status)


def _record_deletion(sender, instance: Counted, using: str, **kwargs) -> None:
    loaded = instance._counted_as
    key = (loaded[0] if instance._own_store() else instance._store_id(), loaded[1]) if loaded else None
    _record(instance, using, [(key or (instance._store_id(), instance.status), -1)])


# Reads


def kept_counts(*, model: type[models.Model], tenant, stores=None) -> dict[str, int]:
    """{status: rows} of `model` in the tenant, in `stores` (ids or a Store queryset; None: all the
    tenant's), in one query."""
    if tenant is None:
        return {}
    deltas = CountDelta.objects.filter(tenant=tenant, list=model._meta.label_lower)
    if stores is not None:
        deltas = deltas.filter(store__in=stores)
    sums = deltas.order_by().values("status").annotate(n=Sum("delta")).values_list("status", "n")
    return {status: n for status, n in sums if n}


def keep_counts(rows: models.QuerySet, filters, *, stores=None) -> models.QuerySet:
    """`rows`, a list's rows after its `filters`, marked so that `core.tabs.count_by_status` reads the
    kept counts instead of counting them, when no filter but the store narrows them (a search or
    another filter leaves a few rows: those are counted live). `rows` must be every row of its model
    the tenant has in `stores` (the user's; None: all the tenant's) before the filters. A queryset
    made from the marked one (another filter, a slice) is not marked: it is counted live."""
    applied = filters.applied
    if set(applied) - {"store"}:
        return rows
    if "store" in applied:  # a store the user may work with: the filter takes no other
        stores = [applied["store"].pk]
    rows.kept_counts = partial(kept_counts, model=rows.model, tenant=filters.tenant, stores=stores)
    return rows


# Reconciling and compacting


@dataclass(frozen=True)
class Drift:
    tenant_id: int
    list: str
    store_id: int
    status: str
    kept: int
    actual: int


def counted_models() -> list[type[Counted]]:
    return [model for model in apps.get_models() if issubclass(model, Counted)]


def actual_counts(rows: models.QuerySet, store: str) -> dict[Key, int]:
    """A fresh GROUP BY: {(tenant, store, status): rows}; `store` is the field or path to the store."""
    fields = ("tenant_id", store, "status")
    counted = rows.order_by().values(*fields).annotate(n=Count("pk")).values_list(*fields, "n")
    return {(tenant, store_id, status): n for tenant, store_id, status, n in counted}


def fill(model: type[models.Model], store: str, *, deltas=CountDelta, using: str = "default") -> None:
    """Start a list's kept counts from a fresh GROUP BY (a migration passes its historical models)."""
    label = model._meta.label_lower
    deltas.objects.using(using).bulk_create(
        (
            deltas(tenant_id=tenant, list=label, store_id=store_id, status=status, delta=n)
            for (tenant, store_id, status), n in actual_counts(model._base_manager.using(using), store).items()
        ),
        batch_size=1000,
    )


@contextmanager
def _one_snapshot():
    """A transaction whose queries all see the same committed rows (REPEATABLE READ on PostgreSQL;
    SQLite has one writer at a time). Inside a caller's transaction, that one is used as it is."""
    nested = connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and not nested:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _ledger(label: str) -> dict[Key, tuple[int, list[int]]]:
    """{key: (sum, the ids of its rows)} of one list, as this snapshot sees it."""
    ledger: dict[Key, tuple[int, list[int]]] = {}
    for pk, tenant, store, status, delta in CountDelta.objects.filter(list=label).values_list(
        "pk", "tenant_id", "store_id", "status", "delta"
    ):
        total, ids = ledger.get((tenant, store, status), (0, []))
        ledger[tenant, store, status] = (total + delta, [*ids, pk])
    return ledger


def _compact(label: str, ledger: dict[Key, tuple[int, list[int]]], target: dict[Key, int]) -> None:
    """Replace each key's rows by one holding `target` (no row for 0). Only the rows this snapshot
    saw are deleted, by id: a delta committed meanwhile stays, and the sum with it stays exact."""
    stale, fresh = [], []
    for key in ledger.keys() | target.keys():
        total, ids = ledger.get(key, (0, []))
        want = target.get(key, 0)
        if (len(ids) == 1 and total == want != 0) or (not ids and not want):
            continue
        stale += ids
        if want:
            tenant, store, status = key
            fresh.append(CountDelta(tenant_id=tenant, list=label, store_id=store, status=status, delta=want))
    for start in range(0, len(stale), 1000):
        CountDelta.objects.filter(pk__in=stale[start : start + 1000]).delete()
    CountDelta.objects.bulk_create(fresh, batch_size=1000)


def reconcile_list(model: type[Counted], *, check: bool = True) -> list[Drift]:
    """Compact one list's ledger; with `check`, first compare it with a fresh GROUP BY in the same
    snapshot and repair (and log) every key that drifted."""
    label = model._meta.label_lower
    drifts = []
    with _one_snapshot():
        ledger = _ledger(label)
        target = {key: total for key, (total, _) in ledger.items()}
        if check:
            actual = actual_counts(model._base_manager.all(), model.counted_store)
            for key in sorted(actual.keys() | target.keys(), key=str):
                if (kept := target.get(key, 0)) != (real := actual.get(key, 0)):
                    drifts.append(Drift(key[0], label, key[1], key[2], kept, real))
            target = actual
        _compact(label, ledger, target)
    for drift in drifts:
        logger.warning(
            "Kept count drifted, repaired: tenant=%s list=%s store=%s status=%s kept=%s actual=%s",
            drift.tenant_id, drift.list, drift.store_id, drift.status, drift.kept, drift.actual,
        )  # fmt: skip
    return drifts


def reconcile(*, check: bool = True) -> list[Drift]:
    """Reconcile (or with check=False only compact) every counted list, each in its own snapshot."""
    drifts = []
    for model in counted_models():
        try:
            drifts += reconcile_list(model, check=check)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != "40001":
                raise
            # another reconcile compacted the same rows first: this list is done by it
            logger.info("Counts of %s compacted by another run meanwhile.", model._meta.label_lower)
    return drifts


def demo_recount(demo) -> None:
    """The demo's last step: its seed writes orders with bulk_create() and update(), which record
    nothing; the counts start exact from a fresh GROUP BY."""
    for model in counted_models():
        CountDelta.objects.filter(list=model._meta.label_lower).delete()
        fill(model, model.counted_store)
