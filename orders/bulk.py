"""Inserting many rows at the speed PostgreSQL takes them: COPY in the caller's transaction, ids drawn
from the table's own sequence first when the caller needs them. Other databases (SQLite in
development) get bulk_create. Rows of a counted model (orders) are counted in the same transaction,
exactly as TenantQuerySet.bulk_create counts them (core/counts.py): Django's bulk INSERT spent more
time compiling its SQL than PostgreSQL spent storing the rows, the one thing COPY changes."""

from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import connection, models, transaction

from core.counts import Counted
from core.models import CountDelta


def reserve_ids(*wanted: tuple[type[models.Model], int]) -> list[list[int]]:
    """For each (model, count), `count` new ids from the model's sequence, in one round trip (safe
    beside other writers: each nextval is unique)."""
    parts, params = [], []
    for n, (model, count) in enumerate(wanted):
        parts.append(f"SELECT {n}, nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)")
        params += [model._meta.db_table, count]
    ids: list[list[int]] = [[] for _ in wanted]
    if any(count for _, count in wanted):
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for n, pk in cursor.fetchall():
                ids[n].append(pk)
    return ids


def insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert `rows`, tuples of the values of `fields` (attnames: "tenant_id"; with "id" when the
    caller drew the ids). Nothing fills a field for them: timestamps are given like any value."""
    if issubclass(model, Counted):
        raise TypeError(f"{model._meta.label} rows are counted: insert them with insert_counted")
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows])
        return
    insert_rows(model, fields, rows)


def insert_with_ids(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence]) -> list[int]:
    """insert() on another database than PostgreSQL, returning the new rows' ids in order."""
    made = model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows])
    return [row.pk for row in made]


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    # wrap_database_errors: the raw cursor's errors reach the caller as Django's (an IntegrityError
    # that a page's retry catches)
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def insert_counted(
    model: type[Counted], fields: Sequence[str], rows: list[Sequence], ids: list[int], *, store, statuses: Counter
) -> None:
    """Rows of a counted model (orders) of one store inserted by COPY with these `ids` (reserve_ids),
    and counted in the same transaction as TenantQuerySet.bulk_create counts them (core.counts
    .record_inserted: one delta per key, here `statuses` of the store): the tab counts stay exact."""
    label = model._meta.label_lower
    with transaction.atomic(savepoint=False):
        insert_rows(model, ["id", *fields], [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
        CountDelta.objects.bulk_create(
            CountDelta(tenant_id=store.tenant_id, list=label, store_id=store.pk, status=status, delta=n)
            for status, n in statuses.items()
        )
