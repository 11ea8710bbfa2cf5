"""Tabs another app adds to the After-Sales Refund page: refunds cannot read the apps above it, so
they register here when ready (distribution adds "From Suppliers": the refunds suppliers make to a
distributor, for it to confirm receipt). The page shows a registered tab to the users `shown` says,
counts it with `count`, and when it is open shows the HTML `panel` renders in place of the list."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ExtraTab:
    key: str
    label: str
    shown: Callable  # request -> bool
    count: Callable  # request -> int | None
    panel: Callable  # request -> SafeString (the tab's panel, rendered by render_to_string)


EXTRA_TABS: dict[str, ExtraTab] = {}


def register_tab(tab: ExtraTab) -> None:
    EXTRA_TABS[tab.key] = tab


def tabs_for(request) -> list[ExtraTab]:
    return [tab for tab in EXTRA_TABS.values() if tab.shown(request)]
