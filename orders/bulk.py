"""Inserting many rows at the speed PostgreSQL takes them: COPY in the caller's transaction, ids drawn
from the table's own sequence first when the caller needs them. Other databases (SQLite in
development) get bulk_create. Rows of a counted model (orders) are counted in the same transaction,
exactly as TenantQuerySet.bulk_create counts them (core/counts.py): Django's bulk INSERT spent more
time compiling its SQL than PostgreSQL spent storing the rows, the one thing COPY changes."""

from collections.abc import Iterable, Sequence

from django.db import connection, models, transaction

from core.counts import Counted, record_inserted


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new ids from the model's sequence (safe beside other writers: each nextval is unique)."""
    if count == 0:
        return []
    with connection.cursor() as cursor:
        table = model._meta.db_table
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]


def insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert `rows`, tuples of the values of `fields` (attnames: "tenant_id"; with "id" when the
    caller drew the ids). Nothing fills a field for them: timestamps are given like any value."""
    if issubclass(model, Counted):
        raise TypeError(f"{model._meta.label} rows are counted: insert them with insert_counted")
    if connection.vendor != "postgresql":
        model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows])
        return
    insert_rows(model, fields, rows)


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def insert_with_ids(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence]) -> list[int]:
    """insert(), returning the new rows' ids in the order of `rows`."""
    if connection.vendor != "postgresql":
        made = model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows])
        return [row.pk for row in made]
    ids = reserve_ids(model, len(rows))
    insert(model, ["id", *fields], [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
    return ids


def insert_counted(model: type[Counted], objs: list[Counted], fields: Sequence[str]) -> None:
    """Counted rows (orders) inserted by COPY, and counted in the same transaction by the very call
    TenantQuerySet.bulk_create makes (core.counts.record_inserted): the tab counts stay exact. The
    objects get their ids and become saved rows (a later save() updates and counts a move)."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    names = ["id", *fields]
    with transaction.atomic(savepoint=False):
        insert_rows(model, names, [[getattr(obj, name) for name in names] for obj in objs])
        record_inserted(objs, using=connection.alias)
