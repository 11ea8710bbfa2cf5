"""What the platform operator's admin needs on tables of millions of rows.

A changelist counts its rows for the page links, sorts them and runs its search; on a big table
each of those must stay on an index. `LargeTableAdmin` counts at most `COUNT_CAP` rows (beyond
that, PostgreSQL's estimate), sorts newest first by primary key, and searches whole numbers and
codes, each on its own index.
"""

import json
from functools import cached_property

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Model, Q, QuerySet

from core.filters import clean_text

COUNT_CAP = 10_000


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


def reaching(model: type[Model], path: str, lookup: str, term: str) -> Q:
    """The rows of `model` whose foreign key `path` (`case`, `case__order`) leads to a row where
    `lookup` equals `term`, as nested `fk IN (SELECT ...)`. ORed with the model's own columns each
    branch keeps its index, where a join ORed with them has the database match every row."""
    head, _, rest = path.partition("__")
    related = model._meta.get_field(head).related_model
    inner = reaching(related, rest, lookup, term) if rest else Q(**{lookup: term})
    return Q(**{f"{head}__in": related._default_manager.filter(inner).values("pk")})


class LargeTableAdmin(admin.ModelAdmin):
    """A changelist that stays under a second at millions of rows.

    - counts through `EstimatedCountPaginator`, and never the whole table beside the filtered one;
    - newest first by primary key (an index), where a `created_at` ordering would sort every row;
    - `search_fields` are matched whole (`number` equal to the term: `=number` or `^number` compare
      UPPER(number), which no index serves, and a part anywhere reads every row), a related row's
      field (`order__number`) through its foreign key (`reaching`);
    - no `date_hierarchy` (its links read every row's date), and `list_filter` only on choices,
      booleans and the tenant: a filter on a foreign key to a big table lists every row of it;
    - foreign keys on forms as `autocomplete_fields` or `raw_id_fields`, never a <select> of all rows.
    """

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    ordering = ["-pk"]

    def get_search_results(self, request, queryset, search_term):
        term = clean_text(search_term)
        if not term:
            return queryset, False
        match = Q()
        for field in self.get_search_fields(request):
            path, _, column = field.rpartition("__")
            match |= reaching(self.model, path, column, term) if path else Q(**{column: term})
        return queryset.filter(match), False


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
