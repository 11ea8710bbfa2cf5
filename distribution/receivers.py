"""The case's signals (aftersales/signals.py), run in the case service's transaction."""

from functools import partial

from django.db import transaction
from django.dispatch import receiver

from aftersales.signals import case_cancelled, case_created


@receiver(case_created, dispatch_uid="distribution:return_record_add")
def _add_record(sender, *, case, actor, **kwargs) -> None:
    from distribution.services.pushes import auto_push, return_record_add
    from distribution.tasks import return_push_task

    push = return_record_add(case=case)
    if push is not None and auto_push(case.tenant_id):
        # queued once the case commits; the record To Push is the outbox, the beat relay its backstop
        transaction.on_commit(partial(return_push_task.delay, push.pk))


@receiver(case_cancelled, dispatch_uid="distribution:return_recall")
def _recall(sender, *, case, actor, **kwargs) -> None:
    from distribution.services.pushes import return_recall

    return_recall(case=case, actor=actor)
