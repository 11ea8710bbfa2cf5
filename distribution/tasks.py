from celery import shared_task
from django.db import OperationalError


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=6)
def return_push_task(push_id: int) -> str:
    """Auto-push one record. Re-run after a crash or a retry, it finds the record pushed."""
    from distribution.models import ReturnPush  # imported here: services import this module
    from distribution.services.pushes import return_push

    push = ReturnPush.objects.filter(pk=push_id).first()
    if push is None:
        return "gone"
    return return_push(push=push, actor=None).status


@shared_task
def auto_push_relay() -> int:
    """Beat: push every To Push record of an Auto-push tenant whose task was lost (a crash between
    the commit and the enqueue). Returns how many were queued."""
    from datetime import timedelta

    from django.utils import timezone

    from distribution.models import DistributionSetting, PushStatus, ReturnPush

    stale = timezone.now() - timedelta(minutes=2)
    tenants = DistributionSetting.objects.filter(auto_push=True).values("tenant_id")
    ids = list(
        ReturnPush.objects.filter(tenant__in=tenants, status=PushStatus.TO_PUSH, created_at__lt=stale).values_list(
            "pk", flat=True
        )[:500]
    )
    for push_id in ids:
        return_push_task.delay(push_id)
    return len(ids)
