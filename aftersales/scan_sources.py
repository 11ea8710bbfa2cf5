"""What else a scanned code may name, and which cases another party stocks in: known to apps above
this one (distribution: a supplier's BigShop returns; a distributor's cases on orders a supplier
fulfils). They register a `ScanSource` when ready (`register_scan_source`), as `register_suppliers`
tells the After-Sales lists their suppliers."""

from collections.abc import Callable
from dataclasses import dataclass

from accounts.models import Tenant


@dataclass(frozen=True)
class ScanSource:
    """`find(tenant, user, code)`: the rows of its own a scanned code names, shown on Stock-In /
    Return through `template` (included with `rows`); `stocked_elsewhere(tenant, cases)`: case id ->
    why another party stocks that case's parcel in, for those of `cases` it knows of."""

    find: Callable[..., list]
    template: str
    stocked_elsewhere: Callable[..., dict[int, str]]


SCAN_SOURCES: list[ScanSource] = []  # one per app above, once it is ready


def register_scan_source(source: ScanSource) -> None:
    SCAN_SOURCES[:] = [s for s in SCAN_SOURCES if s.template != source.template] + [source]


def found_elsewhere(*, tenant: Tenant, user, code: str) -> list[tuple[str, list]]:
    """(template, rows) for each source whose rows the code names."""
    found = []
    for source in SCAN_SOURCES:
        if rows := source.find(tenant=tenant, user=user, code=code):
            found.append((source.template, rows))
    return found


def stocked_elsewhere(*, tenant: Tenant, cases) -> dict[int, str]:
    """Case id -> why its parcel is not stocked in here, for the `cases` another party receives."""
    cases = list(cases)
    why: dict[int, str] = {}
    for source in SCAN_SOURCES if cases else ():
        why.update(source.stocked_elsewhere(tenant=tenant, cases=cases))
    return why
