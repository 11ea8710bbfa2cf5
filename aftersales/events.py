"""The case timeline: one writer per event type (Saleor's order/events.py), each with the named
fields its type records, so call sites read like prose and `summary` (the timeline's
`event_summary` filter) renders each type from fields it knows are there.

A writer given `from_status` records the move from it to the case's state now; the services call
them after the transition, in the same transaction."""

from decimal import Decimal

from aftersales.models import Case, CaseEvent

T = CaseEvent.Type


def _write(case: Case, type: T, actor, *, from_status: str = "", **data) -> CaseEvent:
    """The one place a row is made; `to_status` is blank when the state did not move."""
    moved = bool(from_status) and from_status != case.status
    return CaseEvent.objects.create(
        tenant_id=case.tenant_id,
        case=case,
        type=type,
        actor=actor,
        from_status=from_status if moved else "",
        to_status=case.status if moved else "",
        data=data,
    )


def case_created(*, case: Case, actor, over_refund_note: str = "", over_refund_beyond: str = "") -> CaseEvent:
    """With the totals as entered, and the over-refund approved with its note (if any)."""
    over = {"over_refund": over_refund_note, "over_refund_beyond": over_refund_beyond} if over_refund_beyond else {}
    return _write(
        case,
        T.CREATED,
        actor,
        type_label=case.get_type_display(),
        returned_total=str(case.returned_total),
        exchange_total=str(case.exchange_total),
        **over,
    )


def case_edited(*, case: Case, actor, fields: list[str]) -> CaseEvent:
    return _write(case, T.EDITED, actor, fields=fields)


def case_attachment_added(*, case: Case, actor, name: str) -> CaseEvent:
    return _write(case, T.ATTACHMENT_ADDED, actor, name=name)


def case_confirmed(*, case: Case, actor, from_status: str) -> CaseEvent:
    return _write(case, T.CONFIRMED, actor, from_status=from_status)


def case_stocked_in(
    *, case: Case, actor, from_status: str, warehouse, lines: dict[str, dict[str, int]], with_confirm: bool = False
) -> CaseEvent:
    """Received (Stock-In / Return) or confirmed and stocked in at once. `lines`: per SKU code, the
    sellable, damaged and expected quantities."""
    type = T.CONFIRMED_AND_STOCKED_IN if with_confirm else T.RECEIVED
    return _write(case, type, actor, from_status=from_status, warehouse=warehouse.name, lines=lines)


def case_received_by_supplier(*, case: Case, from_status: str, warehouse, note: str) -> CaseEvent:
    """The supplier stocked the parcel in: no user of this tenant acted, and the supplier's is not named."""
    return _write(
        case,
        T.RECEIVED_BY_SUPPLIER,
        None,
        from_status=from_status,
        warehouse=warehouse.name if warehouse else "",
        note=note,
    )


def case_refund_requested(*, case: Case, actor, from_status: str, refund) -> CaseEvent:
    return _write(
        case, T.REFUND_REQUESTED, actor, from_status=from_status, refund=refund.number, amount=str(refund.amount)
    )


def case_refund_confirmed(*, case: Case, actor, from_status: str, refund) -> CaseEvent:
    return _write(
        case, T.REFUND_CONFIRMED, actor, from_status=from_status, refund=refund.number, amount=str(refund.amount)
    )


def case_refund_rejected(*, case: Case, actor, from_status: str, refund, reason: str) -> CaseEvent:
    return _write(case, T.REFUND_REJECTED, actor, from_status=from_status, refund=refund.number, reason=reason)


def case_exchange_order_created(*, case: Case, actor, order) -> CaseEvent:
    return _write(case, T.EXCHANGE_ORDER_CREATED, actor, order=order.number)


def case_completed(*, case: Case, actor, from_status: str) -> CaseEvent:
    return _write(case, T.COMPLETED, actor, from_status=from_status)


def case_cancelled(*, case: Case, actor, from_status: str, reason: str, voided: list[str]) -> CaseEvent:
    """`voided`: the refund orders voided and the exchange order withdrawn with the case."""
    return _write(case, T.CANCELLED, actor, from_status=from_status, reason=reason, voided=voided)


# --- reading them back: each type from its own fields ---------------------------------------------


def _created(event: CaseEvent) -> str:
    d = event.data
    noun = "refund items" if event.case.type == "refund_only" else "returned items"
    parts = [f"{noun} {d['returned_total']}"]
    if Decimal(d.get("exchange_total") or 0):
        parts.append(f"exchange items {d['exchange_total']}")
    if "over_refund" in d:
        parts.append(f"over-refund ({d['over_refund_beyond']}) approved: {d['over_refund']}")
    return "; ".join(parts)


def _stocked_in(event: CaseEvent) -> str:
    received = [
        f"{code} {q['sellable']} sellable"
        + (f" + {q['damaged']} damaged" if q["damaged"] else "")
        + (f" (of {q['expected']})" if q["sellable"] + q["damaged"] < q["expected"] else "")
        for code, q in event.data["lines"].items()
    ]
    return f"into {event.data['warehouse']}: " + ", ".join(received)


def _refund(event: CaseEvent) -> str:
    return f"refund {event.data['refund']} of {event.data['amount']}"


def _rejected(event: CaseEvent) -> str:
    return f"refund {event.data['refund']}; reason: {event.data['reason']}"


def _cancelled(event: CaseEvent) -> str:
    voided = event.data["voided"]
    return "; ".join([*(["voided " + ", ".join(voided)] if voided else []), f"reason: {event.data['reason']}"])


SUMMARIES = {
    T.CREATED: _created,
    T.EDITED: lambda e: "changed " + ", ".join(f.replace("_", " ") for f in e.data["fields"]),
    T.ATTACHMENT_ADDED: lambda e: e.data["name"],
    T.CONFIRMED_AND_STOCKED_IN: _stocked_in,
    T.RECEIVED: _stocked_in,
    T.RECEIVED_BY_SUPPLIER: lambda e: (
        e.data["note"] + (f" (into {e.data['warehouse']})" if e.data["warehouse"] else "")
    ),
    T.REFUND_REQUESTED: _refund,
    T.REFUND_CONFIRMED: _refund,
    T.REFUND_REJECTED: _rejected,
    T.EXCHANGE_ORDER_CREATED: lambda e: f"order {e.data['order']}",
    T.CANCELLED: _cancelled,
}


def summary(event: CaseEvent) -> str:
    """The event's details in a line, for the timeline ('' for types with nothing to add)."""
    render = SUMMARIES.get(event.type)
    return render(event) if render else ""
