"""Keyset pages: the first page, the last and every page between cost the same, however long the list.

A list is ordered by its sort key with the primary key as the tie-breaker (a total order). A page
is the `per_page` rows after (`?after=<cursor>`) or before (`?before=<cursor>`) the row its cursor
names, found through an index in that order instead of walking an OFFSET. The first page has no
cursor; the last (`?page=last`) is the first page of the reversed order, its rows turned back.
Every link is a plain URL, so a page can be bookmarked and reloaded.

A cursor is the boundary row's sort values and pk (and its position in the list, when known, for
"rows 51-100 of N"), as base64 JSON. It only says where to start in rows the list's own selector
already scoped to the tenant and the user's stores, so a forged one can reveal nothing more. A
cursor that does not parse into the list's columns (tampered, NUL bytes, too long, out of range)
gives the first page; so does `?page=<number>`, the old offset links.

No COUNT(*): a view that knows its total (a tab's count) passes `count=`.
"""

import base64
import binascii
import json
import math
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from functools import reduce
from operator import or_

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import DateTimeField, F, Field, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.dateparse import parse_datetime

PAGE_SIZE = 50
LAST = "last"  # ?page=last
PAGE_PARAMS = ("page", "after", "before")  # what a page link sets; tab and search links drop them
MAX_CURSOR = 1_000  # characters: far more than any list's sort values take
MAX_TEXT = 500  # characters of a text sort value in a cursor
BIGINT = 2**63  # PostgreSQL refuses larger integers
MAX_POSITION = 10**12


@dataclass(frozen=True)
class Key:
    """One column of a list's order: a field path (or annotation), its direction, where its nulls go."""

    path: str
    descending: bool
    field: Field
    nullable: bool
    nulls_first: bool

    def order(self) -> OrderBy:
        if not self.nullable:  # no NULLS clause: the plain form matches the index as written
            return F(self.path).desc() if self.descending else F(self.path).asc()
        nulls = {"nulls_first": True} if self.nulls_first else {"nulls_last": True}
        return F(self.path).desc(**nulls) if self.descending else F(self.path).asc(**nulls)

    def reversed(self) -> "Key":
        return replace(self, descending=not self.descending, nulls_first=not self.nulls_first)

    def beyond(self, value) -> Q | None:
        """The rows that come after `value` in this column's order (None: no row does)."""
        if value is None:
            return Q(**{f"{self.path}__isnull": False}) if self.nulls_first else None
        beyond = Q(**{f"{self.path}__{'lt' if self.descending else 'gt'}": value})
        if self.nullable and not self.nulls_first:
            beyond |= Q(**{f"{self.path}__isnull": True})
        return beyond

    def same(self, value) -> Q:
        return Q(**{f"{self.path}__isnull": True}) if value is None else Q(**{self.path: value})

    def reach(self, value) -> Q | None:
        """This column at or beyond `value`: the bound an index range scan starts from."""
        if value is None or self.nullable:
            return None
        return Q(**{f"{self.path}__{'lte' if self.descending else 'gte'}": value})


@dataclass(frozen=True)
class Cursor:
    values: tuple  # one per key
    position: int | None  # the row's place in the list (1 = first), when known


@dataclass
class Page:
    """One page of rows and the links around it; iterable like a Paginator page."""

    object_list: list
    has_previous: bool
    has_next: bool
    count: int | None
    start: int | None  # the first row's place in the list, when known
    first_query: str = ""
    previous_query: str = ""
    next_query: str = ""
    last_query: str = ""

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def start_index(self) -> int | None:
        """The first row's place, when the list's length is known and the place fits in it."""
        if self.count is None or self.start is None or not self.object_list:
            return None
        fits = self.start >= 1 and self.start + len(self.object_list) - 1 <= self.count
        return self.start if fits else None

    def end_index(self) -> int | None:
        start = self.start_index()
        return None if start is None else start + len(self.object_list) - 1


def page_context(request, items: QuerySet, *, count: int | None = None, per_page: int = PAGE_SIZE) -> dict:
    """`page` (a Page) and `page_query` (the query string without the page's parameters) for
    core/partials/_pagination.html. `count`, when the caller knows the total, is shown, never counted."""
    keys = order_keys(items)
    query = request.GET.copy()
    for param in PAGE_PARAMS:
        query.pop(param, None)
    page_query = query.urlencode()
    if not getattr(count, "exact", True):  # a lower bound (core.tabs.AtLeast): no total to place a page by
        count = None
    page = _fetch(request.GET, items, keys, count=count, per_page=per_page)
    _link(page, keys, page_query)
    return {"page": page, "page_query": page_query}


def _fetch(params, items: QuerySet, keys: list[Key], *, count: int | None, per_page: int) -> Page:
    after = decode(params.get("after"), keys)
    before = None if after else decode(params.get("before"), keys)
    if after:
        rows, more = _rows(items, keys, after.values, per_page)
        if rows:
            start = after.position + 1 if after.position else None
            return Page(rows, has_previous=True, has_next=more, count=count, start=start)
    elif before:
        rows, more = _rows(items, [key.reversed() for key in keys], before.values, per_page)
        if len(rows) == per_page:  # fewer: the start of the list is near, show the first page whole
            start = before.position - per_page if before.position else None
            return Page(rows[::-1], has_previous=more, has_next=True, count=count, start=start)
    elif params.get("page") == LAST:
        rows, more = _rows(items, [key.reversed() for key in keys], None, per_page)
        start = count - len(rows) + 1 if count is not None else None
        return Page(rows[::-1], has_previous=more, has_next=False, count=count, start=start)
    if after:  # nothing after the cursor (a bookmark past a list that shrank): the last page
        return _fetch({"page": LAST}, items, keys, count=count, per_page=per_page)
    rows, more = _rows(items, keys, None, per_page)
    return Page(rows, has_previous=False, has_next=more, count=count, start=1)


def _rows(items: QuerySet, keys: list[Key], values: tuple | None, per_page: int) -> tuple[list, bool]:
    """Up to `per_page` rows in the order of `keys` after the row with `values` (from the top when
    None), and whether more follow. One query: the index walks only the rows it returns."""
    rows = items.order_by(*(key.order() for key in keys))
    related = {f"keyset_{i}": F(key.path) for i, key in enumerate(keys) if "__" in key.path}
    if related:
        rows = rows.annotate(**related)
    if values is not None:
        rows = rows.filter(_after(keys, values))
    rows = list(rows[: per_page + 1])
    return rows[:per_page], len(rows) > per_page


def _after(keys: list[Key], values: tuple) -> Q:
    """The rows after `values` in the order of `keys`: (a > x) or (a = x and b > y) or ..., with
    `a >= x` beside it, which an index on (a, b) can start its scan from."""
    branches, same = [], Q()
    for key, value in zip(keys, values, strict=True):
        if (beyond := key.beyond(value)) is not None:
            branches.append(same & beyond)
        same &= key.same(value)
    condition = reduce(or_, branches) if branches else Q(pk__in=[])
    reach = keys[0].reach(values[0])
    return condition if reach is None else reach & condition


def _link(page: Page, keys: list[Key], page_query: str) -> None:
    def url(**param) -> str:
        extra = "&".join(f"{name}={value}" for name, value in param.items())
        return "&".join(part for part in (page_query, extra) if part)

    page.first_query = url()
    page.last_query = url(page=LAST)
    if page.object_list:
        first, last = page.object_list[0], page.object_list[-1]
        end = page.start + len(page.object_list) - 1 if page.start else None
        page.previous_query = url(before=encode(keys, first, page.start))
        page.next_query = url(after=encode(keys, last, end))


def order_keys(items: QuerySet) -> list[Key]:
    """The queryset's order (its order_by, else the model's Meta.ordering) up to the primary key,
    which is added as the last key when the order does not already end with it."""
    query = items.query
    ordering = query.order_by or (items.model._meta.ordering if query.default_ordering else []) or []
    keys = []
    pk = items.model._meta.pk
    for entry in ordering:
        key = _key(items, entry)
        keys.append(key)
        if key.field == pk and "__" not in key.path:
            return keys
    descending = keys[-1].descending if keys else False
    return [*keys, Key("pk", descending, pk, nullable=False, nulls_first=False)]


def _key(items: QuerySet, entry) -> Key:
    if isinstance(entry, str):
        descending, path = entry.startswith("-"), entry.removeprefix("-")
        nulls = None
    elif isinstance(entry, OrderBy) and isinstance(entry.expression, F):
        descending, path = entry.descending, entry.expression.name
        nulls = True if entry.nulls_first else False if entry.nulls_last else None
    elif isinstance(entry, F):
        descending, path, nulls = False, entry.name, None
    else:
        raise TypeError(f"keyset pages need field names in the order, not {entry!r}")
    field, nullable = _field(items, path)
    if nulls is None:  # PostgreSQL's default, made explicit so that SQLite agrees
        nulls = descending
    return Key("pk" if path == "pk" else path, descending, field, nullable, nulls)


def _field(items: QuerySet, path: str) -> tuple[Field, bool]:
    """The model field (or annotation's output field) a path ends on, and whether it can be null."""
    if path in items.query.annotations:
        return items.query.annotations[path].output_field, True
    model, nullable = items.model, False
    parts = path.split("__")
    for i, part in enumerate(parts):
        field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        nullable = nullable or field.null
        if i < len(parts) - 1:
            if not field.is_relation or field.many_to_many or field.one_to_many:
                raise FieldDoesNotExist(f"keyset pages cannot order by {path!r}")
            model = field.related_model
    if field.is_relation:
        raise FieldDoesNotExist(f"keyset pages order by a column, not the relation {path!r}")
    return field, nullable


def encode(keys: list[Key], row, position: int | None) -> str:
    values = [_value(row, key, i) for i, key in enumerate(keys)]
    if position is not None and not 1 <= position <= MAX_POSITION:  # a place drifted off the list: drop it
        position = None
    raw = json.dumps([*(_plain(value) for value in values), position], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _value(row, key: Key, i: int):
    if "__" in key.path:
        return getattr(row, f"keyset_{i}")
    return row.pk if key.path == "pk" else getattr(row, key.field.attname)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def decode(cursor: str | None, keys: list[Key]) -> Cursor | None:
    """The cursor's values, each parsed by its column's field; None for anything that does not fit."""
    if not cursor or len(cursor) > MAX_CURSOR:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw.decode(), parse_constant=_refuse)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, list) or len(data) != len(keys) + 1:
        return None
    *raw_values, position = data
    if position is not None and not (_is_int(position) and 1 <= position <= MAX_POSITION):
        return None
    values = []
    for key, value in zip(keys, raw_values, strict=True):
        try:
            value = _parsed(key, value)
        except (ValidationError, ValueError, TypeError, OverflowError):
            return None
        values.append(value)
    return Cursor(tuple(values), position)


def _parsed(key: Key, value):
    if value is None:
        if not key.nullable:
            raise ValueError("null in a column that has none")
        return None
    if isinstance(value, str):
        if "\x00" in value or len(value) > MAX_TEXT:
            raise ValueError("not a value a list row has")
        if isinstance(key.field, DateTimeField) and not _aware(value):
            raise ValueError("a time without its zone")
    elif not isinstance(value, int | float):  # no lists or objects; bool is an int
        raise TypeError("not a value a list row has")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("not finite")
    parsed = key.field.to_python(value)
    if isinstance(parsed, int) and not isinstance(parsed, bool) and not -BIGINT <= parsed < BIGINT:
        raise OverflowError("beyond a bigint")
    if isinstance(parsed, str) and "\x00" in parsed:
        raise ValueError("NUL")
    return parsed


def _aware(value: str) -> bool:
    parsed = parse_datetime(value)
    return parsed is not None and parsed.tzinfo is not None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _refuse(constant: str):
    raise ValueError(f"{constant} is not a cursor value")
