"""Reads, each from one side: the distributor's selectors start from its tenant and read its own
ends; the supplier's start from its tenant and read its own. Neither follows a link across."""

from django.db.models import QuerySet

from distribution.models import DistributionOrder, Partnership, StockOut


def partnership_qs(*, tenant) -> QuerySet[Partnership]:
    return Partnership.objects.for_tenant(tenant).select_related("distributor", "supplier")


def distribution_order_qs(*, tenant) -> QuerySet[DistributionOrder]:
    """The distributor's end: its orders shipped by a supplier."""
    return DistributionOrder.objects.for_tenant(tenant).select_related("order", "warehouse", "partnership__supplier")


def stock_out_qs(*, tenant) -> QuerySet[StockOut]:
    """The supplier's end: its stock-out orders, with their prices at shipment."""
    return StockOut.objects.for_tenant(tenant).select_related("warehouse", "partnership__distributor")
