"""Returns: the distributor's push record, the supplier's pushed return, both timelines, settings."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from core.counts import Counted
from core.models import TimeStamped
from core.tenancy import TenantOwned
from distribution.models.bridge import ZERO, DistributionOrder, Partnership, StockOut


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
        COMPLETED_NO_REFUND = "no_refund", "Completed without refund"

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
