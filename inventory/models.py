from django.core.exceptions import ValidationError
from django.db import models

from core.models import TimeStamped
from core.tenancy import TenantOwned


class WarehouseKind(models.TextChoices):
    OWN = "own", "Own warehouse"
    THIRD_PARTY = "third_party", "Third-party warehouse"
    SUPPLIER = "supplier", "Supplier warehouse"


class Warehouse(TenantOwned, TimeStamped):
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=WarehouseKind.choices, default=WarehouseKind.OWN)
    is_active = models.BooleanField(default=True)
    is_default_return = models.BooleanField(
        "default return warehouse", default=False, help_text="Proposed first when a returned parcel is stocked in."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint("tenant", "code", name="warehouse_code_unique_per_tenant"),
            models.UniqueConstraint(
                "tenant", condition=models.Q(is_default_return=True), name="one_default_return_warehouse_per_tenant"
            ),
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def default_return_in(warehouses) -> int | None:
        """The id of the seller's default return warehouse among `warehouses`, if it is one of them."""
        return next((w.pk for w in warehouses if w.is_default_return), None)


class CustomerTier(TenantOwned):
    name = models.CharField(max_length=60)

    class Meta:
        constraints = [models.UniqueConstraint("tenant", "name", name="tier_name_unique_per_tenant")]

    def __str__(self) -> str:
        return self.name


class SKU(TenantOwned, TimeStamped):
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200)
    wholesale_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    is_combo = models.BooleanField(default=False)
    is_active = models.BooleanField(
        default=True, help_text="Inactive SKUs are not offered for new orders and cases; old ones still show them."
    )

    class Meta:
        verbose_name = "SKU"
        constraints = [models.UniqueConstraint("tenant", "code", name="sku_code_unique_per_tenant")]
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ComboItem(TenantOwned):
    """One sub-SKU of a combo SKU, with how many of it the combo holds."""

    combo = models.ForeignKey(SKU, on_delete=models.CASCADE, related_name="components")
    component = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint("combo", "component", name="combo_component_unique"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="combo_quantity_positive"),
        ]


class TierPrice(TenantOwned):
    tier = models.ForeignKey(CustomerTier, on_delete=models.CASCADE, related_name="prices")
    sku = models.ForeignKey(SKU, on_delete=models.CASCADE, related_name="tier_prices")
    price = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint("tier", "sku", name="tier_price_unique")]


class Condition(models.TextChoices):
    SELLABLE = "sellable", "Sellable"
    DAMAGED = "damaged", "Damaged / quarantine"


class MovementReason(models.TextChoices):
    OPENING = "opening", "Opening stock"
    ORDER_SHIPPED = "order_shipped", "Order shipped"
    CANCEL_STOCK_IN = "cancel_stock_in", "Canceled order stock-in"
    RETURN_STOCK_IN = "return_stock_in", "Return stock-in"
    ADJUSTMENT = "adjustment", "Adjustment"


class StockMovement(TenantOwned):
    """One row of the stock ledger. Only ever inserted: a mistake is fixed by a reversing row (on
    PostgreSQL a trigger refuses UPDATE and DELETE, whoever asks). `case` or `order` is the document
    it came from; `source_key` names that document and line, unique per tenant, so a retried or
    double-clicked movement is a no-op. Nothing reads `source_key` back: links are the foreign keys."""

    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="movements")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="movements")
    condition = models.CharField(max_length=10, choices=Condition.choices, default=Condition.SELLABLE)
    quantity = models.IntegerField(help_text="Signed: + in, - out")
    reason = models.CharField(max_length=20, choices=MovementReason.choices)
    source = models.CharField(max_length=120, help_text="The source document, as users name it")
    source_key = models.CharField(max_length=160)
    case = models.ForeignKey(
        "aftersales.Case", on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="movements")
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("tenant", "source_key", name="movement_source_unique"),
            models.CheckConstraint(condition=~models.Q(quantity=0), name="movement_not_zero"),
        ]
        indexes = [models.Index(fields=["tenant", "sku", "-created_at"])]
        ordering = ["-created_at", "-pk"]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Stock movements are never edited; record a reversing movement.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Stock movements are never deleted; record a reversing movement.")


class StockLevel(TenantOwned):
    """On-hand per SKU, warehouse and condition: the running sum of the ledger, updated in the same
    transaction as each movement (so it never drifts), for fast reads."""

    sku = models.ForeignKey(SKU, on_delete=models.PROTECT, related_name="levels")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.PROTECT, related_name="levels")
    condition = models.CharField(max_length=10, choices=Condition.choices, default=Condition.SELLABLE)
    on_hand = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint("tenant", "sku", "warehouse", "condition", name="stock_level_unique")]


class CatalogueChange(TenantOwned):
    """One save of a catalogue item in Settings (a SKU, a customer tier or a warehouse): who, when,
    and each value shown as it was and as it became. Only ever inserted."""

    sku = models.ForeignKey(SKU, on_delete=models.CASCADE, null=True, blank=True, related_name="changes")
    tier = models.ForeignKey(CustomerTier, on_delete=models.CASCADE, null=True, blank=True, related_name="changes")
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE, null=True, blank=True, related_name="changes")
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created = models.BooleanField(default=False, help_text="This save created the item")
    changes = models.JSONField(default=list, help_text='[{"what": "Wholesale price", "from": "10.00", "to": "12.50"}]')
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sku__isnull=False, tier__isnull=True, warehouse__isnull=True)
                | models.Q(sku__isnull=True, tier__isnull=False, warehouse__isnull=True)
                | models.Q(sku__isnull=True, tier__isnull=True, warehouse__isnull=False),
                name="catalogue_change_one_item",
            )
        ]
        indexes = [models.Index(fields=["tenant", "-created_at"])]
        ordering = ["-created_at", "-pk"]
