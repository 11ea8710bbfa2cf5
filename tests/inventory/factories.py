import factory
from factory.django import DjangoModelFactory

from inventory.models import Condition, StockLevel
from tests.factories import SKUFactory, TenantFactory, WarehouseFactory


class StockLevelFactory(DjangoModelFactory):
    """An on-hand row written directly, for read-side tests only: real stock moves through
    `inventory.services.stock_move`, which keeps the ledger and on-hand together."""

    class Meta:
        model = StockLevel

    tenant = factory.SubFactory(TenantFactory)
    sku = factory.SubFactory(SKUFactory, tenant=factory.SelfAttribute("..tenant"))
    warehouse = factory.SubFactory(WarehouseFactory, tenant=factory.SelfAttribute("..tenant"))
    condition = Condition.SELLABLE
    on_hand = 10
