"""What the platform operator's admin needs on tables of millions of rows.

A changelist counts its rows for the page links, sorts them and runs its search; on a big table
each of those must stay on an index. `LargeTableAdmin` counts at most `COUNT_CAP` rows (beyond
that, PostgreSQL's estimate), sorts newest first by primary key, and searches whole numbers and
codes, each on its own index.
"""

import json
from collections.abc import Iterable
from functools import cached_property

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Model, Q, QuerySet

from core.filters import clean_text

COUNT_CAP = 10_000
MATCH_CAP = 1_000  # related rows a whole number names, across every tenant: a handful, in truth


def planned_rows(rows: QuerySet) -> int:
    """PostgreSQL's estimate of how many rows `rows` holds: the planner's, from the statistics
    ANALYZE keeps (a whole table's is pg_class.reltuples), read without touching a row."""
    plan = json.loads(rows.order_by().values("pk").explain(format="json"))
    return int(plan[0]["Plan"]["Plan Rows"])


class EstimatedCountPaginator(Paginator):
    """Page links without COUNT(*) over millions of rows: up to COUNT_CAP rows are counted exactly;
    past that, on PostgreSQL, the planner's estimate stands in (`estimated`), and a page beyond the
    real end is empty. Elsewhere (SQLite in development) the exact count."""

    estimated = False

    @cached_property
    def count(self) -> int:
        rows = self.object_list
        counted = rows.order_by().values("pk")[: COUNT_CAP + 1].count()  # COUNT(*) FROM (... LIMIT n)
        if counted <= COUNT_CAP:
            return counted
        if connections[rows.db].vendor != "postgresql":
            return rows.count()
        self.estimated = True
        return max(COUNT_CAP + 1, planned_rows(rows))

    def page(self, number):
        """The page's ids first, then its rows: a deep page's OFFSET walks the ordering's index alone,
        not the joins of `list_select_related` for every row it skips."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page])
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


def tenant_owned(model: type[Model]) -> bool:
    """Every row of `model` belongs to a tenant (a user may belong to none: the platform's staff)."""
    try:
        return not model._meta.get_field("tenant").null
    except FieldDoesNotExist:
        return False


def tenant_ids(model: type[Model]) -> list[int] | None:
    """Every tenant's id when `model` is tenant-owned (None otherwise): `tenant_id IN (...) AND
    number = ...` is what lets a (tenant, number) index serve a number searched across tenants."""
    if not tenant_owned(model):
        return None
    tenants = model._meta.get_field("tenant").related_model
    return list(tenants._default_manager.values_list("pk", flat=True))


def whole_match(model: type[Model], fields: Iterable[str], term: str, tenants: list[int] | None) -> Q:
    """The rows of `model` where one of `fields` equals `term`, each branch of the OR on an index.

    An own column is matched within the `tenants` (see `tenant_ids`); a related row's column
    (`order__number`, `case__order__number`) is looked up first, and its rows joined as literal ids
    (`order_id IN (5, 6)`) on the foreign key's index. A join or a subquery ORed with the row's own
    columns would have the database read every row instead.
    """
    within = Q(tenant__in=tenants) if tenants is not None and tenant_owned(model) else Q()
    match = Q()
    for field in fields:
        head, _, rest = field.partition("__")
        if not rest:
            match |= within & Q(**{head: term})
            continue
        related = model._meta.get_field(head).related_model
        rows = related._default_manager.filter(whole_match(related, [rest], term, tenants))
        match |= Q(**{f"{head}__in": list(rows.values_list("pk", flat=True)[:MATCH_CAP])})
    return match


class LargeTableAdmin(admin.ModelAdmin):
    """A changelist that stays under a second at millions of rows.

    - counts through `EstimatedCountPaginator`, and never the whole table beside the filtered one;
    - newest first by primary key (an index), where a `created_at` ordering would sort every row;
      a column header sorts only where `sortable_by` names it (a column with an index of its own);
    - `search_fields` are matched whole (`number` equal to the term: `=number` or `^number` compare
      UPPER(number), which no index serves, and a part anywhere reads every row), a related row's
      field (`order__number`) through its foreign key (`whole_match`);
    - no `date_hierarchy` (its links read every row's date), and `list_filter` only on choices,
      booleans and the tenant: a filter on a foreign key to a big table lists every row of it;
    - foreign keys on forms as `autocomplete_fields` or `raw_id_fields`, never a <select> of all rows.
    """

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    ordering = ["-pk"]
    sortable_by: tuple[str, ...] | None = ()

    def get_search_results(self, request, queryset, search_term):
        term = clean_text(search_term)
        if not term:
            return queryset, False
        fields = self.get_search_fields(request)
        return queryset.filter(whole_match(self.model, fields, term, tenant_ids(self.model))), False


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that change only through their services (which lock, record the timeline and keep
    the ledger together): the platform admin sees them, never edits them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """A parent's child rows, shown and never edited; `select_related` names the foreign keys the
    rows show, so that each row costs no query of its own."""

    extra = 0
    can_delete = False
    select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.select_related)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
