"""Tabs with live counts: one component for every list (orders, cases, refunds, sub-accounts).

A view builds the tabs from labels and counts; `core/partials/_tabs.html` renders them as real
links (`href` for no-JS and reloads) that htmx swaps into the list partial, pushing the URL so the
back button works. Other query parameters (search, filters) are kept; the page number is not.
"""

from dataclasses import dataclass

from django.http import Http404, QueryDict


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    count: int | None
    url: str
    active: bool


def build_tabs(
    query: QueryDict, *, labels: dict[str, str], counts: dict[str, int], param: str = "tab"
) -> tuple[str, list[Tab]]:
    """Return the active tab key (404 for an unknown one) and the tab strip."""
    active = query.get(param) or next(iter(labels))
    if active not in labels:
        raise Http404(f"No tab {active!r}.")
    params = query.copy()
    params.pop("page", None)
    tabs = []
    for key, label in labels.items():
        params[param] = key
        tabs.append(Tab(key, label, counts.get(key), f"?{params.urlencode()}", key == active))
    return active, tabs


def count_by_status(queryset) -> dict[str, int]:
    """{status: rows} in one GROUP BY query: the live counts of a list's tabs."""
    from django.db.models import Count

    return dict(queryset.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
