from django.db import models

from core.models import TimeStamped
from core.tenancy import TenantOwned


class OrderStatus(models.TextChoices):
    WAITING_APPROVAL = "waiting_approval", "Waiting to Approve"  # Order Entry > Pending Order
    NEW = "new", "New"
    IN_PROCESS = "in_process", "In Process"
    TO_PICKUP = "to_pickup", "To Pickup"
    SHIPPED = "shipped", "Shipped"
    COMPLETED = "completed", "Completed"
    CANCELLED = "cancelled", "Cancelled"


class Buyer(TenantOwned, TimeStamped):
    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    tier = models.ForeignKey(
        "inventory.CustomerTier", on_delete=models.SET_NULL, null=True, blank=True, related_name="buyers"
    )

    def __str__(self) -> str:
        return self.name


class Order(TenantOwned, TimeStamped):
    store = models.ForeignKey("sales_channels.Store", on_delete=models.PROTECT, related_name="orders")
    number = models.CharField("order number", max_length=64)
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, null=True, blank=True, related_name="orders")
    status = models.CharField(max_length=20, choices=OrderStatus.choices, default=OrderStatus.NEW)
    platform_status = models.CharField(max_length=40, blank=True, help_text="The platform's own status, as shown there")
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


class CancelRequest(TenantOwned, TimeStamped):
    """A buyer's request to cancel (Shopee, TikTok Shop, Tokopedia), to Agree or Reject."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="cancel_requests")
    reason = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=CancelRequestStatus.choices, default=CancelRequestStatus.PENDING)
    answered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("order", condition=models.Q(status="pending"), name="one_pending_cancel_request")
        ]


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

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=30, choices=Type.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "order", "created_at"])]
        ordering = ["created_at", "pk"]
