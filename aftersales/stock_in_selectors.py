"""Stock-In / Return reads: finding the case a scanned parcel belongs to, and why it may not be
stocked in."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django_fsm import has_transition_perm

from aftersales.filters import ReturnFilter, cases_matching
from aftersales.models import Case, CaseLine, CaseStatus, LineKind
from aftersales.scan_sources import found_elsewhere, stocked_elsewhere
from aftersales.selectors import case_qs
from core import machines

WAITING_STATES = machines.sources(Case, "receive")  # confirmed, the parcel not in yet: what Stock-In leaves from


WAITING_COLUMNS = (
    *("tenant", "number", "type", "status", "return_tracking_number", "created_at"),
    *("store__name", "order__number", "order__status", "order__buyer__name"),  # an order reads its state at load
)


def return_qs(*, tenant, user) -> QuerySet[Case]:
    """The cases this user may stock in (the after-sales scope: tenant, then the user's stores),
    each with the warehouse its parcel went into, if it was received already."""
    return case_qs(tenant=tenant, user=user).select_related("store", "order__buyer", "received_warehouse")


def returns_matching(*, tenant, user, code: str) -> QuerySet[Case]:
    """The cases a scanned code names (case number, the buyer's return tracking number, the order
    number or the order's tracking number; as typed or upper-cased), newest first."""
    matching = cases_matching(tenant=tenant, code=code)
    return return_qs(tenant=tenant, user=user).filter(pk__in=matching).order_by("-created_at", "-pk")


def returns_waiting(*, tenant, user, params=None) -> QuerySet[Case]:
    """Cases confirmed and waiting for their parcel (Confirm Return / Confirm Exchange), newest first,
    filtered by `params` through ReturnFilter."""
    cases = (
        case_qs(tenant=tenant, user=user)
        .filter(status__in=WAITING_STATES)
        .select_related("store", "order__buyer")
        .only(*WAITING_COLUMNS)  # the page after every receive: only what its table shows
    )
    return ReturnFilter(params, cases, tenant=tenant, user=user).qs.order_by("-created_at", "-pk")


def return_lines(*, case: Case) -> QuerySet[CaseLine]:
    """The items the parcel should hold."""
    return case.lines.filter(kind=LineKind.RETURNED).select_related("sku").order_by("pk")


def stock_in_refusal(case: Case, user, elsewhere: str | None = None) -> str:
    """Why this case's parcel cannot be stocked in ('' when it can), in the words users know, with
    what this user can do about it. `elsewhere`: why another party stocks it in, when the caller
    asked already (`stocked_elsewhere`, for many cases at once)."""
    if elsewhere is None:
        elsewhere = stocked_elsewhere(tenant=case.tenant, cases=[case]).get(case.pk, "")
    if elsewhere and not case.received_at and case.status != CaseStatus.CANCELLED:
        return elsewhere
    if case.status in WAITING_STATES:
        return ""
    if case.received_at:
        when = f"{timezone.localtime(case.received_at):%Y-%m-%d %H:%M}"
        into = case.received_warehouse.name if case.received_warehouse else ""
        return (
            f"Case {case.number} was already received on {when}{f' into {into}' if into else ''}; "
            f"it is now {case.get_status_display()}."
        )
    if case.status == CaseStatus.CANCELLED:
        return f"Case {case.number} is Cancelled: there is nothing to stock in."
    if not case.has_parcel():
        return f"Case {case.number} is {case.get_type_display()}: there is no parcel to stock in."
    if case.status == CaseStatus.TO_CONFIRM:
        if has_transition_perm(case.confirm, user):
            return f"Case {case.number} is To Confirm: confirm it on the After-Sales page first."
        return (
            f"Case {case.number} is To Confirm: it can be stocked in once After-Sales confirms it. "
            "Set the parcel aside and tell them; your role cannot confirm cases."
        )
    return f"Case {case.number} is {case.get_status_display()}: it is not waiting for a parcel."


@dataclass(frozen=True)
class ReturnScan:
    """What a scanned code found: the cases to receive now, and the others with the reason why not."""

    code: str
    waiting: list[Case]
    refused: list[tuple[Case, str]]
    others: list[tuple[str, list]] = ()  # (template, rows) of what else it names (`found_elsewhere`)

    @property
    def found(self) -> bool:
        return bool(self.waiting or self.refused or self.others)


def return_scan(*, tenant, user, code: str) -> ReturnScan:
    waiting, refused = [], []
    cases = list(returns_matching(tenant=tenant, user=user, code=code))
    elsewhere = stocked_elsewhere(tenant=tenant, cases=cases)
    for case in cases:
        if refusal := stock_in_refusal(case, user, elsewhere.get(case.pk, "")):
            refused.append((case, refusal))
        else:
            waiting.append(case)
    others = found_elsewhere(tenant=tenant, user=user, code=code)
    return ReturnScan(code=code.strip(), waiting=waiting, refused=refused, others=others)


def mark_stocked_elsewhere(*, tenant, cases) -> None:
    """Each waiting case whose parcel another party stocks in gets `stocked_elsewhere`, the reason
    its row shows instead of a Stock-In button (one question for the page)."""
    cases = list(cases)
    elsewhere = stocked_elsewhere(tenant=tenant, cases=cases)
    for case in cases:
        case.stocked_elsewhere = elsewhere.get(case.pk, "")
