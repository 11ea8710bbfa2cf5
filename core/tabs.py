"""Tabs with live counts: one component for every list (orders, cases, refunds, sub-accounts).

A view builds the tabs from labels and counts; `core/partials/_tabs.html` renders them as real
links (`href` for no-JS and reloads) that htmx swaps into the list partial, pushing the URL so the
back button works. Other query parameters (search, filters) are kept; the page's cursor is not.

Every status list ends with an All tab (key `ALL`). Its count is the sum of the other tabs', which
partition the rows it shows: the strip stays one query however many tabs it has. A list that only
the tab and the store narrow reads kept counts (core/counts.py); a searched or filtered one counts
the rows it has left, up to COUNT_CAP: a search that matches more (a part of a name thousands of
buyers share) shows "1,000+" on All and a lower bound on the tabs its first rows fell in, instead
of counting every match (a second a strip at a million cases).
"""

from collections import Counter
from dataclasses import dataclass

from django.http import Http404, QueryDict

from core.paging import PAGE_PARAMS

ALL = "all"
COUNT_CAP = 1000  # rows a searched or filtered list counts; past that its tabs say "at least"


class AtLeast(int):
    """A count known only from below: `{{ count }}` shows "1,000+"; not a total to page by."""

    exact = False

    def __str__(self) -> str:
        return f"{int(self):,}+"


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
    (core/counts.keep_counts), else the statuses of at most COUNT_CAP + 1 of the rows, counted here;
    past the cap each status seen counts `AtLeast` what was seen (a status not seen is left out)."""
    if kept := getattr(queryset, "kept_counts", None):
        return kept()
    seen = Counter(queryset.order_by().values_list("status", flat=True)[: COUNT_CAP + 1])
    if sum(seen.values()) <= COUNT_CAP:
        return dict(seen)
    return {status: AtLeast(n) for status, n in seen.items()}


def with_all(counts: dict[str, int]) -> dict[str, int]:
    """The tabs' counts and All's: their sum, as the tabs partition the rows All shows (at least
    COUNT_CAP when a tab's count is only a lower bound)."""
    total = sum(n for n in counts.values() if n is not None)
    capped = any(isinstance(n, AtLeast) for n in counts.values())
    return {**counts, ALL: AtLeast(COUNT_CAP) if capped else total}


def status_tab_counts(queryset, tabs: dict[str, str]) -> dict[str, int | None]:
    """The count of each tab of a list whose tabs are statuses (and All), in one query; a tab past
    the cap whose status was not among the rows counted has none (None: no badge)."""
    by_status = count_by_status(queryset)
    capped = any(isinstance(n, AtLeast) for n in by_status.values())
    return with_all({status: by_status.get(status, None if capped else 0) for status in tabs if status != ALL})


def grouped_counts(by_status: dict[str, int], groups: dict[str, tuple[str, ...]]) -> dict[str, int | None]:
    """Each tab's count when a tab shows several statuses (`groups`: tab -> its statuses), from
    `count_by_status`; past the cap, as `status_tab_counts` says."""
    capped = any(isinstance(n, AtLeast) for n in by_status.values())
    counts = {}
    for key, statuses in groups.items():
        n = sum(by_status.get(status, 0) for status in statuses)
        counts[key] = (AtLeast(COUNT_CAP) if key == ALL else AtLeast(n) if n else None) if capped else n
    return counts


def tab_statuses(tabs: dict[str, str], tab: str) -> list[str]:
    """The statuses a status tab shows: its own, or on All every tab's."""
    return [status for status in tabs if status != ALL] if tab == ALL else [tab]
