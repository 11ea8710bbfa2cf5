"""The outbox relay's task (orders.relay), in a module of its own so the order sync's orders/tasks.py
and this one are written apart; config/celery.py discovers both."""

from celery import shared_task


@shared_task(acks_late=True, ignore_result=True)
def deliver_outbox() -> int:
    """Deliver every due outbox action (beat, and queued after each commit that writes one). Safe to run
    twice at once: each worker claims rows another one does not hold. Returns how many were tried."""
    from orders.relay import deliver_due  # imported here: a task module loads before the models are

    return deliver_due()
