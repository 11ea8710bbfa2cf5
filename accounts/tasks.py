from celery import shared_task


@shared_task
def tenant_ping(tenant_id: int) -> str:
    """Re-loads a tenant by id and names it: the smallest proof that a worker reaches the
    broker, the database and the result backend."""
    from accounts.models import Tenant

    return Tenant.objects.get(pk=tenant_id).name
