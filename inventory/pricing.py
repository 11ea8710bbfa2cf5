from decimal import Decimal

from inventory.models import SKU, CustomerTier, TierPrice


def price_for(*, sku: SKU, tier: CustomerTier | None) -> Decimal:
    """A SKU's price for a buyer: the buyer's customer-tier price, else the wholesale price, else 0."""
    if tier is not None:
        tier_price = (
            TierPrice.objects.filter(tenant_id=sku.tenant_id, tier=tier, sku=sku)
            .values_list("price", flat=True)
            .first()
        )
        if tier_price is not None:
            return tier_price
    return sku.wholesale_price if sku.wholesale_price is not None else Decimal("0.00")
