"""The ceilings on money and quantities (PRODUCT.md invariants 1 and 7).

What the buyer paid for an order is the most its cases may refund, together: each case claims a
share of it, and a new case or refund order takes only from what is left. The rules are plain
functions (tested with Hypothesis); `order_refund_room` and `case_refund_room` are the one place the
pages and the services read them from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from aftersales.states import CaseStatus
from core.errors import Refused

if TYPE_CHECKING:  # for the hints only: the model imports this module for its refund condition
    from aftersales.models import Case

ZERO = Decimal("0.00")
# Units of SKUs that are not on the order (an accessory bought elsewhere, a missing part) one case
# may return or refund; the order's own lines are bounded by what the order holds.
MAX_ADDED_UNITS = 20


def returnable_message(code: str, left: int) -> str:
    """Said when more of an order's SKU is returned than the order still holds (its earlier cases
    returned the rest)."""
    if left <= 0:
        return f"No unit of {code} can still be returned on this order: earlier after-sales cases took them all."
    return f"Only {left} unit{'s' if left > 1 else ''} of {code} can still be returned on this order."


def case_claim(*, status: str, refundable: Decimal, refunded: Decimal) -> Decimal:
    """What one case takes from its order's paid amount: nothing once cancelled, what it paid once
    completed, otherwise the most it may still pay (its refundable, or more if already paid)."""
    if status == CaseStatus.CANCELLED:
        return ZERO
    if status == CaseStatus.COMPLETED:
        return refunded
    return max(refundable, refunded)


def room_left(*, paid: Decimal, claimed: Decimal) -> Decimal:
    return max(ZERO, paid - claimed)


@dataclass(frozen=True)
class OrderRoom:
    """What an order has left to refund, with the figures a refusal quotes."""

    number: str
    currency: str
    paid: Decimal
    claimed: Decimal  # what the order's (other) cases refunded or may refund

    @property
    def left(self) -> Decimal:
        return room_left(paid=self.paid, claimed=self.claimed)

    def refusal(self, what: str, amount: Decimal, *, left: Decimal, case=None, refunded=ZERO, then="") -> Refused:
        """`what` (`amount`) is above the `left` this order has left to refund (invariant 7): on a new
        case, or on a refund order of `case` (which has `refunded` already)."""
        on_case = f" for case {case.number}" if case else ""
        others = f"its other cases {self.claimed}, this case {refunded}" if case else f"earlier cases {self.claimed}"
        return Refused(
            f"{what} is more than the {left} {self.currency} order {self.number} has left to refund{on_case} "
            f"(paid {self.paid}, {others}){then}.",
            code="above_order_left",
            limit=left,
            amount=amount,
            paid=self.paid,
            claimed=self.claimed,
        )


def _order_room(order, claims) -> OrderRoom:
    claimed = sum((case_claim(status=c.status, refundable=c.refundable, refunded=c.paid_out) for c in claims), ZERO)
    return OrderRoom(number=order.number, currency=order.currency, paid=order.paid_amount, claimed=claimed)


def order_refund_room(order, *, excluding: Case | None = None) -> OrderRoom:
    """What is left to refund on `order`: what the buyer paid (items, and shipping where it was
    paid; `paid_amount` holds both) less what its cases other than `excluding` claim. One query."""
    claims = order.cases.claiming()
    if excluding is not None:
        claims = claims.exclude(pk=excluding.pk)
    return _order_room(order, claims)


@dataclass(frozen=True)
class CaseRoom:
    """What a new refund order on a case may pay: the case's own left to refund, and its share of
    the order's (unless the case was entered as an over-refund, by a user allowed to, with a note)."""

    case_left: Decimal
    refunded: Decimal  # confirmed on this case
    order: OrderRoom  # the order, this case left out
    over_refund: bool

    @property
    def order_left(self) -> Decimal:
        return max(ZERO, self.order.left - self.refunded)

    @property
    def left(self) -> Decimal:
        return self.case_left if self.over_refund else min(self.case_left, self.order_left)


def _case_room(case: Case, *, refunded: Decimal, order: OrderRoom) -> CaseRoom:
    return CaseRoom(
        case_left=max(ZERO, case.refundable - refunded),
        refunded=refunded,
        order=order,
        over_refund=bool(case.over_refund_note),
    )


def case_refund_room(case: Case) -> CaseRoom:
    if (room := case.__dict__.get("refund_room")) is not None:  # read with its page: with_refund_rooms
        return room
    return _case_room(case, refunded=case.refunded(), order=order_refund_room(case.order, excluding=case))


def with_refund_rooms(cases: list[Case]) -> list[Case]:
    """A page of cases, each given its room in one query for the page instead of three per row: a
    list asks each row's machine whether Create Refund Order is open (Case.has_refund_left)."""
    if not cases:
        return cases
    rows = type(cases[0]).objects.filter(tenant_id=cases[0].tenant_id, order_id__in={case.order_id for case in cases})
    claims = list(rows.claiming())
    paid_out = {claim.pk: claim.paid_out for claim in claims}
    for case in cases:
        others = [c for c in claims if c.order_id == case.order_id and c.pk != case.pk]
        case.refund_room = _case_room(case, refunded=paid_out.get(case.pk, ZERO), order=_order_room(case.order, others))
    return cases
