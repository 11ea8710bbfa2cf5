"""Orders and buyer cancel requests. Their states are protected django-fsm fields, changed only
through the transitions below (the services lock the row, call one, and do the side effects); the
channel sync sets whatever the platform says through `Order.sync`, never by a bare write."""

from django.db import models
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from accounts.permissions import Perm, role_allows
from core.counts import Counted
from core.machines import action, system
from core.models import TimeStamped
from core.tenancy import TenantOwned
from inventory.models import WarehouseKind


class OrderStatus(models.TextChoices):
    WAITING_APPROVAL = "waiting_approval", "Waiting to Approve"  # Order Entry > Pending Order
    NEW = "new", "New"
    IN_PROCESS = "in_process", "In Process"
    TO_PICKUP = "to_pickup", "To Pickup"
    SHIPPED = "shipped", "Shipped"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


S = OrderStatus
NOT_CANCELLED = [s for s in S if s != S.CANCELLED]
SHIPPABLE = [S.NEW, S.IN_PROCESS, S.TO_PICKUP]


class Buyer(TenantOwned, TimeStamped):
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    tier = models.ForeignKey(
        "inventory.CustomerTier", on_delete=models.SET_NULL, null=True, blank=True, related_name="buyers"
    )
    external_id = models.CharField(
        "buyer id on the platform", max_length=80, blank=True, help_text="channel:user id, e.g. tiktok:7494..."
    )

    class Meta:
        indexes = [models.Index(fields=["tenant", "external_id"], name="buyer_external_idx")]

    def __str__(self) -> str:
        return self.name


class Order(Counted, ConcurrentTransitionMixin, TenantOwned, TimeStamped):
    store = models.ForeignKey("sales_channels.Store", on_delete=models.PROTECT, related_name="orders")
    number = models.CharField("order number", max_length=64)
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, null=True, blank=True, related_name="orders")
    status = FSMField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.NEW, protected=True)
    platform_status = models.CharField(max_length=40, blank=True, help_text="The platform's own status, as shown there")
    needs_review = models.BooleanField(
        default=False, help_text="The platform sent a status we do not know: platform_status holds it as sent"
    )
    currency = models.CharField(max_length=3)
    paid_amount = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    warehouse = models.ForeignKey(
        "inventory.Warehouse",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        help_text="Shipping warehouse",
    )
    tracking_number = models.CharField(max_length=64, blank=True)
    ordered_at = models.DateTimeField()
    shipped_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=120, blank=True)
    cancel_stocked_in_at = models.DateTimeField(null=True, blank=True)
    is_manual = models.BooleanField(default=False, help_text="Entered in Order Entry, not synced")

    class Meta:
        constraints = [models.UniqueConstraint("tenant", "store", "number", name="order_number_unique_per_store")]
        indexes = [
            models.Index(fields=["tenant", "status", "-ordered_at", "-id"], name="order_tab_idx"),
            models.Index(fields=["tenant", "-ordered_at", "-id"], name="order_all_idx"),
            models.Index(fields=["tenant", "number"], name="order_number_idx"),
            models.Index(fields=["tenant", "tracking_number"], name="order_tracking_idx"),
        ]
        ordering = ["-ordered_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def ships_from_supplier(self) -> bool:
        """Its shipping warehouse is a supplier's (distribution): the stock is the supplier's."""
        return bool(self.warehouse_id) and self.warehouse.kind == WarehouseKind.SUPPLIER

    @transition(
        field=status,
        source=S.WAITING_APPROVAL,
        target=S.NEW,
        permission=role_allows(Perm.ORDER_ENTRY),
        custom=action("Approve"),
    )
    def approve(self) -> None:
        pass

    @transition(field=status, source=SHIPPABLE, target=S.SHIPPED, custom=system("Ship"))
    def ship(self, *, tracking_number: str = "") -> None:
        self.shipped_at = timezone.now()
        self.tracking_number = tracking_number or self.tracking_number

    # Who may cancel, and in which platform status, is the service's to check (cancel_rule_for):
    # the seller, a buyer's request agreed, or an exchange order withdrawn with its case.
    @transition(field=status, source=NOT_CANCELLED, target=S.CANCELLED, custom=system("Cancel"))
    def cancel(self, *, reason: str) -> None:
        self.cancelled_at, self.cancel_reason = timezone.now(), reason

    @transition(field=status, source="*", target=RETURN_VALUE(*S.values), custom=system("Sync from the platform"))
    def sync(self, *, status: str) -> str:
        """The platform's word: the channel sync sets the status it reads, from any state."""
        return status


class OrderItem(TenantOwned):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    sku = models.ForeignKey("inventory.SKU", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    cancelled_quantity = models.PositiveIntegerField(default=0)
    unit_price = models.DecimalField("unit price paid", max_digits=12, decimal_places=2)
    unit_price_at_shipment = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="order_item_quantity_positive"),
            models.CheckConstraint(
                condition=models.Q(cancelled_quantity__lte=models.F("quantity")),
                name="order_item_cancel_within_quantity",
            ),
        ]

    @property
    def open_quantity(self) -> int:
        return self.quantity - self.cancelled_quantity


class CancelRequestStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    AGREED = "agreed", "Agreed"
    REJECTED = "rejected", "Rejected"


NO_REQUESTS = "this platform has no buyer cancellation requests"


class CancelRequest(Counted, ConcurrentTransitionMixin, TenantOwned, TimeStamped):
    """A buyer's request to cancel (Shopee, TikTok Shop, Tokopedia), to Agree or Reject."""

    counted_store = "order__store"  # the Cancel Order tabs are counted by the order's store

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="cancel_requests")
    reason = models.CharField(max_length=200)
    external_id = models.CharField(
        "request id on the platform", max_length=64, blank=True, help_text="TikTok cancel_id; Shopee: the order_sn"
    )
    status = FSMField(
        max_length=10, choices=CancelRequestStatus.choices, default=CancelRequestStatus.PENDING, protected=True
    )
    answered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("order", condition=models.Q(status="pending"), name="one_pending_cancel_request")
        ]

    def __str__(self) -> str:
        return f"on order {self.order.number}"

    def is_on_a_request_channel(self) -> bool:
        from orders.cancellation import BUYER_REQUEST_CHANNELS  # cancellation reads the channels' rules

        return self.order.store.channel in BUYER_REQUEST_CHANNELS

    def _answer(self, actor) -> None:
        self.answered_by, self.answered_at = actor, timezone.now()

    @transition(
        field=status,
        source=CancelRequestStatus.PENDING,
        target=CancelRequestStatus.AGREED,
        conditions=[is_on_a_request_channel],
        permission=role_allows(Perm.CANCEL_ORDERS),
        custom=action("Agree", style="success", refusal=NO_REQUESTS, code="no_buyer_requests"),
    )
    def agree(self, *, actor) -> None:
        self._answer(actor)

    @transition(
        field=status,
        source=CancelRequestStatus.PENDING,
        target=CancelRequestStatus.REJECTED,
        conditions=[is_on_a_request_channel],
        permission=role_allows(Perm.CANCEL_ORDERS),
        custom=action("Reject", style="outline-danger", refusal=NO_REQUESTS, code="no_buyer_requests"),
    )
    def reject(self, *, actor) -> None:
        self._answer(actor)

    @transition(
        field=status,
        source=[CancelRequestStatus.AGREED, CancelRequestStatus.REJECTED],
        target=CancelRequestStatus.PENDING,
        custom=system("Refused by the platform"),
    )
    def reopen(self) -> None:
        """The platform refused the answer (orders.relay): the request waits for one again."""
        self.answered_by, self.answered_at = None, None


class OrderEvent(TenantOwned):
    """The order's history: who did what, when."""

    class Type(models.TextChoices):
        SHIPPED = "shipped", "Shipped"
        CANCELLED = "cancelled", "Cancelled by seller"
        ITEMS_CANCELLED = "items_cancelled", "Items cancelled by seller"
        CANCEL_REQUEST_AGREED = "cancel_request_agreed", "Buyer cancellation agreed"
        CANCEL_REQUEST_REJECTED = "cancel_request_rejected", "Buyer cancellation rejected"
        CANCEL_STOCKED_IN = "cancel_stocked_in", "Canceled order stocked in"
        CREATED = "created", "Created in Order Entry"
        EDITED = "edited", "Edited in Order Entry"
        APPROVED = "approved", "Approved"
        # the channel layer (orders.sync, orders.relay): what the platform said
        SYNCED = "synced", "Updated from the platform"
        CANCEL_REQUESTED = "cancel_requested", "Buyer asked to cancel"
        PLATFORM_REFUSED = "platform_refused", "Refused by the platform"
        # distribution: an order shipped from a supplier warehouse and the supplier's stock-out
        DISTRIBUTION_MADE = "distribution_made", "Distribution order made"
        DISTRIBUTION_REFUSED = "distribution_refused", "Distribution order not made"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=30, choices=Type.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "order", "created_at"])]
        ordering = ["created_at", "pk"]
