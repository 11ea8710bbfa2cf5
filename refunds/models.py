"""Refund orders (payment slips): a request to pay the buyer, confirmed or rejected by finance.

A case keeps every slip it ever had; at most one is in Refund Processing at a time.
"""

from pathlib import Path
from typing import Self

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.permissions import Perm, role_allows
from core.counts import Counted
from core.machines import action, system
from core.models import TimeStamped
from core.tenancy import TenantOwned, TenantQuerySet
from core.uploads import TYPES, stored_name


class RefundStatus(models.TextChoices):
    PROCESSING = "processing", "Refund Processing"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"
    VOIDED = "voided", "Voided (case cancelled)"


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", "Bank Transfer"
    E_WALLET = "e_wallet", "E-wallet"
    CASH = "cash", "Cash"
    PLATFORM = "platform", "Platform refund"
    OTHER = "other", "Other"


def proof_path(refund: "RefundOrder", filename: str) -> str:
    """A random name; of the given name only an extension of an accepted type is kept (the form
    names the file after the type read from its content)."""
    content_type = TYPES.get(Path(filename).suffix.lower(), "")
    return f"refunds/{refund.tenant_id}/{refund.case_id}/{stored_name(content_type)}"


class RefundQuerySet(TenantQuerySet):
    """What a case asks of its refund orders (`case.refunds.confirmed()`): aftersales sits below
    refunds and names none of its models."""

    def processing(self) -> Self:
        return self.filter(status=RefundStatus.PROCESSING)

    def confirmed(self) -> Self:
        return self.filter(status=RefundStatus.CONFIRMED)


class RefundOrder(Counted, ConcurrentTransitionMixin, TenantOwned, TimeStamped):
    number = models.CharField("refund number", max_length=32)
    case = models.ForeignKey("aftersales.Case", on_delete=models.PROTECT, related_name="refunds")
    # the case's: scopes the list to a sub-account's stores and keys its counts without a join
    store = models.ForeignKey("sales_channels.Store", on_delete=models.PROTECT, related_name="refund_orders")
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    method = models.CharField("payment method", max_length=20, choices=PaymentMethod.choices)
    payment_info = models.TextField("payment information", blank=True)
    proof = models.FileField("payment proof", upload_to=proof_path, blank=True)
    note = models.TextField(blank=True)
    status = FSMField(max_length=12, choices=RefundStatus.choices, default=RefundStatus.PROCESSING, protected=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, related_name="+")
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=200, blank=True)

    objects = RefundQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint("tenant", "number", name="refund_number_unique_per_tenant"),
            models.UniqueConstraint("case", condition=Q(status="processing"), name="one_processing_refund_per_case"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
        ]
        indexes = [  # keyset pages (core/paging.py) walk these in the list's order: a tab, All
            models.Index(fields=["tenant", "status", "-created_at", "-id"], name="refund_tab_idx"),
            models.Index(fields=["tenant", "-created_at", "-id"], name="refund_all_idx"),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    def _decide(self, actor) -> None:
        self.decided_by, self.decided_at = actor, timezone.now()

    @transition(
        field=status,
        source=RefundStatus.PROCESSING,
        target=RefundStatus.CONFIRMED,
        permission=role_allows(Perm.AFTERSALES_REFUND),
        custom=action("Confirm Refund", style="success"),
    )
    def confirm(self, *, actor) -> None:
        self._decide(actor)

    @transition(
        field=status,
        source=RefundStatus.PROCESSING,
        target=RefundStatus.REJECTED,
        permission=role_allows(Perm.AFTERSALES_REFUND),
        custom=action("Reject", style="outline-danger"),
    )
    def reject(self, *, actor, reason: str) -> None:
        self._decide(actor)
        self.reject_reason = reason

    # the system's, when the case is cancelled: never a button
    @transition(field=status, source=RefundStatus.PROCESSING, target=RefundStatus.VOIDED, custom=system("Void"))
    def void(self, *, actor) -> None:
        self._decide(actor)
