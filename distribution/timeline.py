"""The distributor's case page tells the supplier's side of its return (aftersales.timeline): the
steps of the case's Return & Stock-in - Distribution record, read from the distributor's own
ReturnEvent rows, and a link to the record with its push status."""

from django.urls import reverse

from aftersales.timeline import CaseLink, ExternalStep, Extras
from distribution.models import ReturnEvent, ReturnPush
from orders.models import OrderEvent

T = ReturnEvent.Type
BY_SUPPLIER = {T.RECEIVED, T.REFUNDED}  # steps the supplier's users take: named as 'supplier', never by name
SOURCE = "Distribution"


def _who(event: ReturnEvent, push: ReturnPush) -> str:
    if event.actor_id and event.actor.tenant_id == push.tenant_id:
        return event.actor.username
    return "supplier" if event.type in BY_SUPPLIER else "system"


def _missing(case) -> Extras:
    """A case on an order shipped from a supplier warehouse without a distribution order: no record
    to push, and the order's last refusal says why."""
    order = case.order
    if not (case.has_parcel() and order.ships_from_supplier):
        return Extras()
    refused = OrderEvent.objects.for_tenant(case.tenant).filter(order=order, type=OrderEvent.Type.DISTRIBUTION_REFUSED)
    last = refused.order_by("-created_at", "-pk").first()
    why = last.data.get("reason", "") if last else f"Order {order.number} has no distribution order."
    link = CaseLink(
        label="Return & Stock-in - Distribution",
        number=f"Order {order.number}",
        url=reverse("orders:detail", args=[order.pk]),
        status="No distribution order",
        perm="accounts.manual_aftersales",  # the order's page (the Orders area), where it is made
        note=f"{why} Make distribution order on the order's page adds the record.",
    )
    return Extras(links=[link])


def case_distribution(case) -> Extras:
    push = ReturnPush.objects.for_tenant(case.tenant).filter(case=case).first()
    if push is None:
        return _missing(case)
    events = ReturnEvent.objects.for_tenant(case.tenant).filter(push=push).select_related("actor")
    steps = [
        ExternalStep(
            created_at=event.created_at,
            label=event.get_type_display(),
            note=event.note,
            who=_who(event, push),
            source=SOURCE,
        )
        for event in events
        if event.type != T.RECEIVED  # the case's own "Received by the supplier" moved it: one line, not two
    ]
    status = push.get_status_display()
    if push.recall_refused:
        status += " · recall refused"
    link = CaseLink(
        label="Return & Stock-in - Distribution",
        number=f"Return of {case.number}",
        url=reverse("distribution:push-detail", args=[push.pk]),
        status=status,
        perm="accounts.distribution",
    )
    return Extras(steps=steps, links=[link])
