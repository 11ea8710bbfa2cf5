from decimal import ROUND_HALF_UP, Decimal

from inventory.models import SKU, CustomerTier, TierPrice

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


def pick_price(*, tier_price: Decimal | None, wholesale_price: Decimal | None) -> Decimal:
    """The buyer's customer-tier price, else the SKU's wholesale price, else 0."""
    if tier_price is not None:
        return tier_price
    return wholesale_price if wholesale_price is not None else ZERO


def line_amount(*, quantity: int, unit_price: Decimal) -> Decimal:
    """A line's amount: quantity x unit price, to the cent."""
    return (unit_price * quantity).quantize(CENT, ROUND_HALF_UP)


def prices_for(*, skus, tier: CustomerTier | None) -> dict[int, Decimal]:
    """Each SKU's price for a buyer (`pick_price`). Two queries whatever the number of SKUs."""
    skus = list(skus)
    tier_prices = {}
    if tier is not None:
        tier_prices = dict(
            TierPrice.objects.filter(tenant_id=tier.tenant_id, tier=tier, sku__in=[s.pk for s in skus]).values_list(
                "sku_id", "price"
            )
        )
    return {sku.pk: pick_price(tier_price=tier_prices.get(sku.pk), wholesale_price=sku.wholesale_price) for sku in skus}


def price_for(*, sku: SKU, tier: CustomerTier | None) -> Decimal:
    return prices_for(skus=[sku], tier=tier)[sku.pk]
