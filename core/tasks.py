from celery import shared_task


@shared_task
def counts_compact_task() -> None:
    """Collapse the kept counts' ledger to one row per key (cheap: it reads only the ledger)."""
    from core.counts import reconcile  # imported here: a task module loads before the models are

    reconcile(check=False)


@shared_task
def counts_reconcile_task() -> int:
    """Compare the kept counts with a fresh GROUP BY, repair and log any drift, compact. Returns how
    many keys had drifted."""
    from core.counts import reconcile

    return len(reconcile())
