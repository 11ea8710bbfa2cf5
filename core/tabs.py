"""Tabs with live counts: one component for every list (orders, cases, refunds, sub-accounts).

A view builds the tabs from labels and counts; `core/partials/_tabs.html` renders them as real
links (`href` for no-JS and reloads) that htmx swaps into the list partial, pushing the URL so the
back button works. Other query parameters (search, filters) are kept; the page's cursor is not.

Every status list ends with an All tab (key `ALL`). Its count is the sum of the other tabs', which
partition the rows it shows: the strip stays one query however many tabs it has. A list that only
the tab and the store narrow reads kept counts (core/counts.py); a searched or filtered one counts
the rows it has left with a GROUP BY.
"""

from dataclasses import dataclass

from django.db.models import Count
from django.http import Http404, QueryDict

from core.paging import PAGE_PARAMS

ALL = "all"


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
    for page_param in PAGE_PARAMS:  # another tab starts at its first page
        params.pop(page_param, None)
    tabs = []
    for key, label in labels.items():
        params[param] = key
        tabs.append(Tab(key, label, counts.get(key), f"?{params.urlencode()}", key == active))
    return active, tabs


def count_by_status(queryset) -> dict[str, int]:
    """{status: rows} in one query: the kept counts when the list's selector marked its rows so
    (core/counts.keep_counts), else a GROUP BY of the rows."""
    if kept := getattr(queryset, "kept_counts", None):
        return kept()
    return dict(queryset.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def with_all(counts: dict[str, int]) -> dict[str, int]:
    """The tabs' counts and All's: their sum, as the tabs partition the rows All shows."""
    return {**counts, ALL: sum(counts.values())}


def status_tab_counts(queryset, tabs: dict[str, str]) -> dict[str, int]:
    """The live count of each tab of a list whose tabs are statuses (and All), in one query."""
    by_status = count_by_status(queryset)
    return with_all({status: by_status.get(status, 0) for status in tabs if status != ALL})


def tab_statuses(tabs: dict[str, str], tab: str) -> list[str]:
    """The statuses a status tab shows: its own, or on All every tab's."""
    return [status for status in tabs if status != ALL] if tab == ALL else [tab]
