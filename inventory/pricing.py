from decimal import Decimal

from inventory.models import SKU, CustomerTier, TierPrice


def prices_for(*, skus, tier: CustomerTier | None) -> dict[int, Decimal]:
    """Each SKU's price for a buyer: the buyer's customer-tier price, else the SKU's wholesale
    price, else 0. Two queries whatever the number of SKUs."""
    skus = list(skus)
    tier_prices = {}
    if tier is not None:
        tier_prices = dict(
            TierPrice.objects.filter(tenant_id=tier.tenant_id, tier=tier, sku__in=[s.pk for s in skus]).values_list(
                "sku_id", "price"
            )
        )
    zero = Decimal("0.00")
    return {
        sku.pk: tier_prices.get(sku.pk, sku.wholesale_price if sku.wholesale_price is not None else zero)
        for sku in skus
    }


def price_for(*, sku: SKU, tier: CustomerTier | None) -> Decimal:
    return prices_for(skus=[sku], tier=tier)[sku.pk]
