"""The bridge rows (named by both tenants) and the two ends of a distribution order."""

from decimal import Decimal
from typing import Self

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from core.models import TimeStamped
from core.tenancy import TenantOwned

ZERO = Decimal("0.00")


class PartnershipStatus(models.TextChoices):
    INVITED = "invited", "Invited"
    ACTIVE = "active", "Active"
    DECLINED = "declined", "Declined"
    TERMINATED = "terminated", "Terminated"


class PartnershipQuerySet(models.QuerySet):
    def for_tenant(self, tenant) -> Self:
        """A bridge row is seen by both its tenants, and by no other."""
        if tenant is None:
            return self.none()
        return self.filter(Q(distributor=tenant) | Q(supplier=tenant))

    def as_distributor(self, tenant) -> Self:
        return self.for_tenant(tenant).filter(distributor=tenant)

    def as_supplier(self, tenant) -> Self:
        return self.for_tenant(tenant).filter(supplier=tenant)


class Partnership(TimeStamped):
    """A distributor tenant selling what a supplier tenant ships. Invited by one, accepted by the
    other; `started_at` is the acceptance, `ended_at` the termination: orders placed in between are
    of the cooperation period, and their returns may still be pushed after it ends."""

    distributor = models.ForeignKey("accounts.Tenant", on_delete=models.PROTECT, related_name="+")
    supplier = models.ForeignKey("accounts.Tenant", on_delete=models.PROTECT, related_name="+")
    invited_by = models.ForeignKey("accounts.Tenant", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=PartnershipStatus.choices, default=PartnershipStatus.INVITED)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = PartnershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=~Q(distributor=F("supplier")), name="partnership_two_tenants"),
            models.CheckConstraint(
                condition=Q(invited_by=F("distributor")) | Q(invited_by=F("supplier")),
                name="partnership_invited_by_a_party",
            ),
            models.UniqueConstraint(
                "distributor",
                "supplier",
                condition=Q(status__in=["invited", "active"]),
                name="one_open_partnership_per_pair",
            ),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.distributor} ← {self.supplier}"

    def invitee_id(self) -> int:
        return self.supplier_id if self.invited_by_id == self.distributor_id else self.distributor_id

    def covers(self, moment) -> bool:
        """`moment` (an order's date) falls in the cooperation period."""
        if self.started_at is None or moment < self.started_at:
            return False
        return self.ended_at is None or moment < self.ended_at

    def partner_of(self, tenant_id: int) -> int:
        return self.supplier_id if tenant_id == self.distributor_id else self.distributor_id


class PartnerWarehouse(models.Model):
    """A supplier warehouse the partnership ships from, and the distributor's own warehouse row
    (kind Supplier warehouse) its orders name as their shipping warehouse."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="warehouses")
    supplier_warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+")
    distributor_warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint("partnership", "supplier_warehouse", name="partner_warehouse_once"),
            models.UniqueConstraint("distributor_warehouse", name="distributor_warehouse_one_supplier"),
        ]

    def __str__(self) -> str:
        return str(self.supplier_warehouse)


class SkuMapping(TenantOwned):
    """The distributor's end: its SKU sold as the supplier's SKU (by code; nothing else of it)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    sku = models.ForeignKey("inventory.SKU", on_delete=models.PROTECT, related_name="+")
    supplier_sku = models.ForeignKey("inventory.SKU", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint("partnership", "sku", name="sku_mapping_once")]

    def __str__(self) -> str:
        return f"{self.sku} → {self.supplier_sku}"


class DistributionOrder(TenantOwned, TimeStamped):
    """The distributor's end: one of its orders (channel or manual) fulfilled from a supplier warehouse."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    order = models.OneToOneField("orders.Order", on_delete=models.PROTECT, related_name="distribution")
    warehouse = models.ForeignKey(
        "inventory.Warehouse", on_delete=models.PROTECT, related_name="+", help_text="Shipping warehouse"
    )

    class Meta:
        indexes = [models.Index(fields=["tenant", "partnership"])]

    def __str__(self) -> str:
        return str(self.order)


class StockOut(TenantOwned, TimeStamped):
    """The supplier's end: the stock-out order matching a distribution order, priced at shipment."""

    number = models.CharField(max_length=32)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    distribution_order = models.OneToOneField(DistributionOrder, on_delete=models.PROTECT, related_name="stock_out")
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+")
    order_number = models.CharField("distributor's order number", max_length=64)
    ordered_at = models.DateTimeField()
    currency = models.CharField(max_length=3)
    amount = models.DecimalField("stock-out order amount", max_digits=12, decimal_places=2, default=ZERO)
    distribution_fee = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    settled_amount = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    shipped_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint("tenant", "number", name="stock_out_number_unique_per_tenant"),
            models.CheckConstraint(
                condition=Q(amount__gte=0, distribution_fee__gte=0, settled_amount__gte=0),
                name="stock_out_amounts_not_negative",
            ),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def unsettled(self) -> Decimal:
        return max(ZERO, self.amount + self.distribution_fee - self.settled_amount)


class StockOutLine(TenantOwned):
    stock_out = models.ForeignKey(StockOut, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey("inventory.SKU", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField("unit price at shipment", max_digits=12, decimal_places=2)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="stock_out_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="stock_out_line_price_not_negative"),
            models.UniqueConstraint("stock_out", "sku", name="stock_out_line_sku_once"),
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.sku} x {self.quantity}"
