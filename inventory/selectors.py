from django.db.models import QuerySet

from inventory.models import Warehouse


def warehouse_qs(*, tenant) -> QuerySet[Warehouse]:
    return Warehouse.objects.for_tenant(tenant)
