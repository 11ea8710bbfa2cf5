"""After-sales cases: one model for manual cases now and channel cases later.

The state is a protected django-fsm field: it changes only through the transitions below, one per
user action, each guarded by its conditions and by the role permission that action needs. The
services in `aftersales.services` and `refunds.services` lock the row, call the transition, do
the side effects (stock, refund orders, exchange orders) and write the timeline event.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, can_proceed, transition

from accounts.permissions import Perm, role_allows
from aftersales.limits import ZERO, case_refund_room
from aftersales.states import (  # re-exported: the rest of the code names them from here
    CONFIRMED_STATE as CONFIRMED_STATE,
)
from aftersales.states import (
    MANUAL_TYPES as MANUAL_TYPES,
)
from aftersales.states import (
    OPEN_STATES as OPEN_STATES,
)
from aftersales.states import (
    PARCEL_TYPES as PARCEL_TYPES,
)
from aftersales.states import (
    CaseSource as CaseSource,
)
from aftersales.states import (
    CaseStatus as CaseStatus,
)
from aftersales.states import (
    CaseType as CaseType,
)
from aftersales.states import (
    S as S,
)
from core.counts import Counted
from core.machines import action, system
from core.models import TimeStamped
from core.tenancy import TenantOwned, TenantQuerySet
from core.uploads import SHOWN, stored_name


class CaseQuerySet(TenantQuerySet):
    def claiming(self) -> "CaseQuerySet":
        """The cases claiming a share of their orders' paid amounts (not cancelled), each with what it
        paid out (`paid_out`): what `aftersales.limits` sums into an order's room."""
        return (
            self.exclude(status=CaseStatus.CANCELLED)
            .select_related("exchange_order")
            .annotate(paid_out=Sum("refunds__amount", filter=Q(refunds__status="confirmed"), default=ZERO))
        )


class Case(Counted, ConcurrentTransitionMixin, TenantOwned, TimeStamped):
    number = models.CharField("case number", max_length=32)
    objects = CaseQuerySet.as_manager()
    store = models.ForeignKey("sales_channels.Store", on_delete=models.PROTECT, related_name="cases")
    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="cases")
    type = models.CharField(max_length=20, choices=CaseType.choices)
    source = models.CharField(max_length=10, choices=CaseSource.choices, default=CaseSource.MANUAL)
    status = FSMField(max_length=20, choices=CaseStatus.choices, default=S.TO_CONFIRM, protected=True)
    reason = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    return_tracking_number = models.CharField("buyer's return tracking number", max_length=64, blank=True)
    assignee = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases"
    )
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    currency = models.CharField(max_length=3)
    returned_total = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    exchange_total = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    exchange_order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="exchange_case"
    )
    received_at = models.DateTimeField(null=True, blank=True)
    received_warehouse = models.ForeignKey(
        "inventory.Warehouse",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="received into",
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    over_refund_note = models.TextField(
        blank=True, help_text="Why this case refunds more than quantity x price, or than the order has left"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint("tenant", "number", name="case_number_unique_per_tenant"),
            models.CheckConstraint(
                condition=Q(returned_total__gte=0, exchange_total__gte=0), name="case_totals_not_negative"
            ),
        ]
        indexes = [
            # keyset pages (core/paging.py) walk these in the list's order: a tab, All
            models.Index(fields=["tenant", "status", "-created_at", "-id"], name="case_tab_idx"),
            models.Index(fields=["tenant", "-created_at", "-id"], name="case_all_idx"),
            models.Index(fields=["tenant", "return_tracking_number"], name="case_tracking_idx"),
            # Stock-In / Return's waiting list (stock_in_selectors.WAITING_STATES), read in its order
            models.Index(
                fields=["tenant", "-created_at", "-id"],
                condition=Q(status__in=[S.CONFIRM_RETURN, S.CONFIRM_EXCHANGE]),
                name="case_waiting_idx",
            ),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    # --- money -------------------------------------------------------------------------------

    @property
    def total_refund(self) -> Decimal:
        """Returned items (seller pays buyer) less exchange items (buyer pays seller); may be < 0."""
        return self.returned_total - self.exchange_total

    @property
    def exchange_amount(self) -> Decimal:
        """The exchange order's amount once generated (it may be edited before approval)."""
        return self.exchange_order.paid_amount if self.exchange_order_id else self.exchange_total

    @property
    def refundable(self) -> Decimal:
        return max(ZERO, self.returned_total - self.exchange_amount)

    def refunded(self) -> Decimal:
        return self.refunds.confirmed().aggregate(s=Sum("amount"))["s"] or ZERO

    def refund_left(self) -> Decimal:
        """What a new refund order may still pay: the refundable less what was confirmed."""
        return max(ZERO, self.refundable - self.refunded())

    # --- conditions (predicates for the transitions) -------------------------------------------

    def has_parcel(self) -> bool:
        return self.type in PARCEL_TYPES

    def has_refund_left(self) -> bool:
        """A refund order may still pay something: the case's left to refund, within what its order
        has left (the very room `refund_create` refuses an amount above)."""
        return case_refund_room(self).left > 0

    def is_settled_without_refund(self) -> bool:
        """Nothing left a refund order could pay; an exchange also needs its exchange order."""
        return not self.awaits_exchange_order() and not self.has_refund_left()

    def awaits_exchange_order(self) -> bool:
        return self.type == CaseType.EXCHANGE and self.exchange_order_id is None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def awaits_parcel(self) -> bool:
        """Confirmed, the parcel not in yet: the warehouse's Stock-In takes it from here."""
        return can_proceed(self.receive, check_conditions=False)

    # --- transitions: one per user action, with their button (core.machines.action) -----------

    @transition(
        field=status,
        source=S.TO_CONFIRM,
        target=RETURN_VALUE(S.CONFIRM_RETURN, S.CONFIRM_REFUND, S.CONFIRM_EXCHANGE),
        permission=role_allows(Perm.MANUAL_AFTERSALES),
        custom=action("Confirm After-Sales"),
    )
    def confirm(self) -> str:
        return CONFIRMED_STATE[self.type]

    @transition(
        field=status,
        source=S.TO_CONFIRM,
        target=S.RECEIVED_RETURN,
        conditions=[has_parcel],
        permission=role_allows(Perm.MANUAL_AFTERSALES),
        custom=action(
            "Confirm After-Sales and Stock-In",
            style="outline-primary",
            refusal="a Refund-Only case has no parcel to stock in",
            code="no_parcel",
        ),
    )
    def confirm_and_stock_in(self) -> None:
        self.received_at = timezone.now()

    @transition(
        field=status,
        source=[S.CONFIRM_RETURN, S.CONFIRM_EXCHANGE],
        target=S.RECEIVED_RETURN,
        permission=role_allows(Perm.RETURN_STOCKIN),
        custom=action("Stock-In"),
    )
    def receive(self) -> None:
        self.received_at = timezone.now()

    @transition(
        field=status,
        source=[S.TO_CONFIRM, S.CONFIRM_RETURN, S.CONFIRM_EXCHANGE],
        target=S.RECEIVED_RETURN,
        conditions=[has_parcel],
        custom=system("Received by the supplier"),
    )
    def receive_elsewhere(self, *, warehouse) -> None:
        """The supplier stocked the parcel in, into its warehouse: `warehouse` is this tenant's row naming it."""
        self.received_at, self.received_warehouse = timezone.now(), warehouse

    @transition(
        field=status,
        source=[S.CONFIRM_EXCHANGE, S.RECEIVED_RETURN],
        target=None,
        conditions=[awaits_exchange_order],
        permission=role_allows(Perm.MANUAL_AFTERSALES),
        custom=action(
            "Generate Exchange Order",
            style="outline-primary",
            refusal="only an exchange without its exchange order has one to generate",
            code="no_exchange_order_to_generate",
        ),
    )
    def generate_exchange_order(self, *, order) -> None:
        self.exchange_order = order

    @transition(
        field=status,
        source=[S.RECEIVED_RETURN, S.CONFIRM_REFUND],
        target=S.REFUND_PROCESSING,
        conditions=[has_refund_left],
        permission=role_allows(Perm.AFTERSALES_REFUND),
        custom=action(
            "Create Refund Order",
            refusal="nothing is left to refund on it, or within what its order has left",
            code="nothing_to_refund",
        ),
    )
    def request_refund(self) -> None:
        pass

    @transition(
        field=status,
        source=S.REFUND_PROCESSING,
        target=S.COMPLETED,
        permission=role_allows(Perm.AFTERSALES_REFUND),
        custom=action("Confirm Refund", style="success"),
    )
    def confirm_refund(self) -> None:
        self.completed_at = timezone.now()

    @transition(
        field=status,
        source=S.REFUND_PROCESSING,
        target=RETURN_VALUE(S.RECEIVED_RETURN, S.CONFIRM_REFUND),
        permission=role_allows(Perm.AFTERSALES_REFUND),
        custom=action("Reject", style="outline-danger"),
    )
    def reject_refund(self) -> str:
        return S.CONFIRM_REFUND if self.type == CaseType.REFUND_ONLY else S.RECEIVED_RETURN

    @transition(
        field=status,
        source=[S.RECEIVED_RETURN, S.CONFIRM_REFUND],
        target=S.COMPLETED,
        conditions=[is_settled_without_refund],
        permission=role_allows(Perm.MANUAL_AFTERSALES),
        custom=action(
            "Complete After-Sales",
            style="success",
            refusal="there is still money to refund (or, for an exchange, the exchange order is not generated yet)",
            code="refund_left",
        ),
    )
    def complete(self) -> None:
        self.completed_at = timezone.now()

    @transition(
        field=status,
        source=OPEN_STATES,
        target=S.CANCELLED,
        permission=role_allows(Perm.MANUAL_AFTERSALES),
        custom=action("Cancel case", style="outline-danger"),
    )
    def cancel(self, *, reason: str) -> None:
        self.cancel_reason, self.cancelled_at = reason, timezone.now()


class LineKind(models.TextChoices):
    RETURNED = "returned", "Returned item"
    EXCHANGE = "exchange", "Exchange item"


class CaseLine(TenantOwned):
    """A returned (or refunded) item, or an exchange item. `amount` follows quantity x unit price
    unless adjusted by hand; `received_quantity` is what the stock-in took back."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=10, choices=LineKind.choices, default=LineKind.RETURNED)
    order_item = models.ForeignKey(
        "orders.OrderItem", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sku = models.ForeignKey("inventory.SKU", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price = models.DecimalField(max_digits=12, decimal_places=2)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    received_quantity = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="case_line_quantity_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0, unit_price__gte=0), name="case_line_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(received_quantity__lte=models.F("quantity")), name="case_line_received_within_quantity"
            ),
        ]
        ordering = ["kind", "pk"]


def attachment_path(attachment: "CaseAttachment", filename: str) -> str:
    """A random name with the extension of the type read from the content: never the uploader's
    name (kept in `name`, for display), so `evil.html` is not stored as .html."""
    return f"cases/{attachment.tenant_id}/{attachment.case_id}/{stored_name(attachment.content_type)}"


class CaseAttachment(TenantOwned):
    """Buyer evidence: photos, video, PDF. Served only through a tenant-scoped view."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    @property
    def is_image(self) -> bool:
        """A picture the browser shows inline (HEIC is downloaded)."""
        return self.content_type in SHOWN


class CaseEvent(TenantOwned):
    """The case's timeline: who, when, from which state to which, and why."""

    class Type(models.TextChoices):
        CREATED = "created", "Created"
        EDITED = "edited", "Details edited"
        ATTACHMENT_ADDED = "attachment_added", "Evidence added"
        CONFIRMED = "confirmed", "Confirm After-Sales"
        CONFIRMED_AND_STOCKED_IN = "confirmed_stocked_in", "Confirm After-Sales and Stock-In"
        RECEIVED = "received", "Return stocked in"
        RECEIVED_BY_SUPPLIER = "received_by_supplier", "Received by the supplier"
        REFUND_REQUESTED = "refund_requested", "Refund order created"
        REFUND_CONFIRMED = "refund_confirmed", "Refund confirmed"
        REFUND_REJECTED = "refund_rejected", "Refund rejected"
        EXCHANGE_ORDER_CREATED = "exchange_order", "Exchange order generated"
        COMPLETED = "completed", "Completed without refund"
        CANCELLED = "cancelled", "Cancelled"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=30, choices=Type.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["tenant", "case", "created_at"])]
        ordering = ["created_at", "pk"]
