"""Distribution: the one place data crosses tenants, built as a bridge with two ends.

The bridge rows (`Partnership`, `PartnerWarehouse`) name both tenants and hold nothing either side
keeps private: who partners with whom, since when, and which supplier warehouse the distributor
knows under which name. Everything else is an end, a `TenantOwned` row of one side keyed by its own
tenant: the distributor's `DistributionOrder` and `SkuMapping`, the supplier's `StockOut` (with the
unit price at shipment, the distribution fee and what was settled). An end may point across to the
other end it matches (a stock-out names the distribution order it fulfils), but each side's
selectors start from its own tenant and its pages never follow such a link: the distributor never
reads the supplier's stock or costs, the supplier reads only what a return needs (copied onto its
own rows when pushed).
"""

from decimal import Decimal
from typing import Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from core.counts import Counted
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


# --- returns: the distributor's push record and the supplier's pushed return ---------------------


class PushStatus(models.TextChoices):
    TO_PUSH = "to_push", "To Push"
    PUSHED = "pushed", "Pushed"
    PUSH_FAILED = "push_failed", "Push Failed"
    RECALLED = "recalled", "Recalled"


class ReturnPush(Counted, ConcurrentTransitionMixin, TenantOwned, TimeStamped):
    """The distributor's end: a record of Return & Stock-in - Distribution, one per after-sales case
    on a distribution order. Pushed once: its supplier return points back at it, uniquely."""

    counted_store = "case__store"

    case = models.OneToOneField("aftersales.Case", on_delete=models.PROTECT, related_name="distribution_push")
    distribution_order = models.ForeignKey(DistributionOrder, on_delete=models.PROTECT, related_name="pushes")
    status = FSMField(max_length=20, choices=PushStatus.choices, default=PushStatus.TO_PUSH, protected=True)
    failure = models.CharField("why the push failed", max_length=300, blank=True)
    failure_code = models.CharField(max_length=40, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    recalled_at = models.DateTimeField(null=True, blank=True)
    recall_refused = models.CharField(max_length=300, blank=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "status", "-created_at", "-id"], name="push_tab_idx")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Return of {self.case}"

    @transition(field=status, source=[PushStatus.TO_PUSH, PushStatus.PUSH_FAILED], target=PushStatus.PUSHED)
    def push(self) -> None:
        self.pushed_at, self.failure, self.failure_code = timezone.now(), "", ""

    @transition(field=status, source=[PushStatus.TO_PUSH, PushStatus.PUSH_FAILED], target=PushStatus.PUSH_FAILED)
    def fail(self, *, reason: str, code: str) -> None:
        self.failure, self.failure_code = reason[:300], code[:40]

    @transition(
        field=status, source=[PushStatus.TO_PUSH, PushStatus.PUSH_FAILED, PushStatus.PUSHED], target=PushStatus.RECALLED
    )
    def recall(self) -> None:
        self.recalled_at = timezone.now()


class InboundStatus(models.TextChoices):
    PENDING = "pending", "Pending Stock-in"
    RECEIVED = "received", "Received Return"
    REFUND_PROCESSING = "refund_processing", "Refund Processing"
    COMPLETED = "completed", "After-Sales Completed"
    RECALLED = "recalled", "Recalled"


class SupplierReturn(ConcurrentTransitionMixin, TenantOwned, TimeStamped):
    """The supplier's end: a return a distributor pushed (After Sales Orders - BigShop, type always
    Return & Refund). What the return needs of the distributor's case is copied here at the push,
    so the supplier's pages never read the distributor's rows."""

    number = models.CharField(max_length=32)
    push = models.OneToOneField(ReturnPush, on_delete=models.PROTECT, related_name="supplier_return")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    stock_out = models.ForeignKey(StockOut, on_delete=models.PROTECT, related_name="returns")
    status = FSMField(max_length=20, choices=InboundStatus.choices, default=InboundStatus.PENDING, protected=True)
    case_number = models.CharField("distributor's case number", max_length=32)
    case_type = models.CharField(max_length=20, help_text="The distributor's case type, for the refund estimate")
    order_number = models.CharField("distributor's order number", max_length=64)
    return_tracking_number = models.CharField(max_length=64, blank=True)
    exchange_amount = models.DecimalField(
        max_digits=12, decimal_places=2, default=ZERO, help_text="The exchange items of the distributor's case"
    )
    warehouse = models.ForeignKey("inventory.Warehouse", on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    received_warehouse = models.ForeignKey(
        "inventory.Warehouse", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recalled_at = models.DateTimeField(null=True, blank=True)
    recall_refused = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint("tenant", "number", name="supplier_return_number_unique_per_tenant")]
        indexes = [models.Index(fields=["tenant", "status", "-created_at", "-id"], name="supplier_return_tab_idx")]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def type_label(self) -> str:
        return "Return & Refund"  # whatever the distributor's case type, as the supplier sees it

    @transition(field=status, source=InboundStatus.PENDING, target=InboundStatus.RECEIVED)
    def receive(self, *, actor, warehouse) -> None:
        self.received_at, self.received_by, self.received_warehouse = timezone.now(), actor, warehouse

    @transition(field=status, source=InboundStatus.PENDING, target=InboundStatus.RECALLED)
    def recall(self) -> None:
        self.recalled_at = timezone.now()

    @transition(
        field=status,
        source=InboundStatus.RECEIVED,
        target=RETURN_VALUE(InboundStatus.REFUND_PROCESSING, InboundStatus.COMPLETED),
    )
    def refund(self, *, settled_now: bool) -> str:
        """Create Refund Order: to Customer Balance it completes at once; a bank transfer waits for
        the distributor to confirm receipt."""
        return InboundStatus.COMPLETED if settled_now else InboundStatus.REFUND_PROCESSING

    @transition(field=status, source=InboundStatus.REFUND_PROCESSING, target=InboundStatus.COMPLETED)
    def complete(self) -> None:
        pass


class SupplierReturnLine(TenantOwned):
    """A supplier SKU coming back (a combo already split), at the unit price of the original shipment."""

    supplier_return = models.ForeignKey(SupplierReturn, on_delete=models.CASCADE, related_name="lines")
    sku = models.ForeignKey("inventory.SKU", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField("unit price at shipment", max_digits=12, decimal_places=2)
    received_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="supplier_return_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(received_quantity__lte=F("quantity")), name="supplier_return_line_received_within"
            ),
        ]
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.sku} x {self.quantity}"


class ReturnEvent(TenantOwned):
    """A step on one side's timeline of a distribution return: the distributor's rows hang on its
    push record, the supplier's on its return. Each step is written on both sides, as each side
    sees it (the other side's user is not named)."""

    class Type(models.TextChoices):
        ADDED = "added", "Added to To Push"
        PUSHED = "pushed", "Pushed to the supplier"
        PUSH_FAILED = "push_failed", "Push failed"
        RECEIVED = "received", "Received by the supplier"
        RECALLED = "recalled", "Recalled"
        RECALL_REFUSED = "recall_refused", "Recall refused"
        REFUNDED = "refunded", "Refund order created"
        REFUND_CONFIRMED = "refund_confirmed", "Refund received"

    push = models.ForeignKey(ReturnPush, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    supplier_return = models.ForeignKey(
        SupplierReturn, on_delete=models.CASCADE, null=True, blank=True, related_name="events"
    )
    type = models.CharField(max_length=20, choices=Type.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(push__isnull=False, supplier_return__isnull=True)
                | Q(push__isnull=True, supplier_return__isnull=False),
                name="return_event_one_side",
            )
        ]
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.get_type_display()


class DistributionSetting(TenantOwned):
    """A tenant's distribution settings: Auto-push (as a distributor), and the Distribution Charge
    Setting's return handling fee (as a supplier), per order and per item."""

    auto_push = models.BooleanField(
        "Auto-push", default=False, help_text="Push each new return to the supplier at once"
    )
    return_fee_per_order = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    return_fee_per_item = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)

    class Meta:
        constraints = [
            models.UniqueConstraint("tenant", name="distribution_setting_once"),
            models.CheckConstraint(
                condition=Q(return_fee_per_order__gte=0, return_fee_per_item__gte=0), name="return_fees_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"Distribution settings of {self.tenant}"


# --- refunds to the distributor and the Customer Balance ------------------------------------------


class RefundMethod(models.TextChoices):
    CUSTOMER_BALANCE = "customer_balance", "Customer Balance"
    BANK_TRANSFER = "bank_transfer", "Bank Transfer"


class DistributorRefund(TenantOwned, TimeStamped):
    """The supplier's end: Create Refund Order on a received return, to the distributor. The
    figures are kept as they were computed (distribution/formulas.py)."""

    class Status(models.TextChoices):
        PROCESSING = "processing", "Refund Processing"
        COMPLETED = "completed", "Completed"

    number = models.CharField(max_length=32)
    supplier_return = models.OneToOneField(SupplierReturn, on_delete=models.PROTECT, related_name="refund_order")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    return_amount = models.DecimalField(max_digits=12, decimal_places=2)
    handling_fee = models.DecimalField("return handling fee", max_digits=12, decimal_places=2)
    unsettled = models.DecimalField("unsettled on the original order", max_digits=12, decimal_places=2)
    exchange_amount = models.DecimalField(max_digits=12, decimal_places=2)
    refundable = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    method = models.CharField(max_length=20, choices=RefundMethod.choices)
    bank_details = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("tenant", "number", name="distributor_refund_number_unique_per_tenant"),
            models.CheckConstraint(
                condition=Q(amount__gt=0, amount__lte=F("refundable")), name="distributor_refund_within_refundable"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class BalanceMovement(TenantOwned):
    """One row of a Customer Balance ledger: the distributor's money held by the supplier. Each side
    keeps its own rows (the supplier's name its refund, the distributor's its push record), written
    in one transaction; a balance is the sum of a side's rows for one partnership. Only inserted."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=12, decimal_places=2, help_text="Signed: + credited, - spent")
    currency = models.CharField(max_length=3)
    source = models.CharField(max_length=120, help_text="The source document, as users name it")
    source_key = models.CharField(max_length=160)
    refund = models.ForeignKey(
        DistributorRefund, on_delete=models.PROTECT, null=True, blank=True, related_name="movements"
    )
    push = models.ForeignKey(ReturnPush, on_delete=models.PROTECT, null=True, blank=True, related_name="movements")
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("tenant", "source_key", name="balance_movement_source_unique"),
            models.CheckConstraint(condition=~Q(amount=0), name="balance_movement_not_zero"),
        ]
        indexes = [models.Index(fields=["tenant", "partnership"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.amount:+} {self.currency}: {self.source}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("Balance movements are never edited; record a reversing movement.")
        super().save(*args, **kwargs)
