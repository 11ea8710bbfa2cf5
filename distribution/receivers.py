"""The case's signals (aftersales/signals.py) and the order's (orders/signals.py), run in the
sending service's transaction."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from aftersales.signals import case_cancelled, case_created
from distribution.signals import record_added
from orders.signals import order_shipped


@receiver(case_created, dispatch_uid="distribution:return_record_add")
def _add_record(sender, *, case, actor, **kwargs) -> None:
    from distribution.services.pushes import return_record_add

    return_record_add(case=case)


@receiver(record_added, dispatch_uid="distribution:auto_push")
def _auto_push(sender, *, push, **kwargs) -> None:
    from distribution.services.pushes import auto_push
    from distribution.tasks import return_push_task

    if auto_push(push.tenant_id):
        # queued once the record commits; the record To Push is the outbox, the beat relay its backstop
        transaction.on_commit(partial(return_push_task.delay, push.pk))


@receiver(case_cancelled, dispatch_uid="distribution:return_recall")
def _recall(sender, *, case, actor, **kwargs) -> None:
    from distribution.services.pushes import return_recall

    return_recall(case=case, actor=actor)


@receiver(order_shipped, dispatch_uid="distribution:distribution_order_create")
def _make_distribution_order(sender, *, order, actor, **kwargs) -> None:
    """Shipped from a supplier warehouse: the distribution order and the supplier's stock-out, in the
    shipment's transaction. A refusal (a SKU not mapped, the partnership not active) leaves the
    shipment standing and says why on the order's history; Make distribution order retries."""
    from core.errors import Refused
    from distribution.services.orders import distribution_order_create
    from orders import events

    if not order.ships_from_supplier:
        return
    try:
        with transaction.atomic():  # a savepoint: the refused attempt's writes go, the shipment stays
            distribution_order_create(order=order)
    except Refused as refusal:
        events.distribution_order_refused(order=order, actor=None, reason=refusal.message)
