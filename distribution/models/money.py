"""Refunds to the distributor and the Customer Balance ledger (one per side)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from core.models import TimeStamped
from core.tenancy import TenantOwned
from core.uploads import TYPES, stored_name
from distribution.models.bridge import Partnership
from distribution.models.returns import ReturnPush, SupplierReturn


class RefundMethod(models.TextChoices):
    CUSTOMER_BALANCE = "customer_balance", "Customer Balance"
    BANK_TRANSFER = "bank_transfer", "Bank Transfer"
    NONE = "none", "No refund"  # Complete without refund: nothing was refundable


def proof_path(refund: "DistributorRefund", filename: str) -> str:
    """As refunds.models.proof_path: a random name, of the given one only an accepted extension."""
    content_type = TYPES.get(Path(filename).suffix.lower(), "")
    return f"distribution/{refund.tenant_id}/{refund.supplier_return_id}/{stored_name(content_type)}"


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
    proof = models.FileField("transfer proof", upload_to=proof_path, blank=True)
    reason = models.CharField("why nothing was refunded", max_length=300, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("tenant", "number", name="distributor_refund_number_unique_per_tenant"),
            models.CheckConstraint(
                condition=Q(amount__gte=0, amount__lte=F("refundable")), name="distributor_refund_within_refundable"
            ),
            # 0 only when completed without refund, and then nothing was refundable
            models.CheckConstraint(
                condition=Q(amount__gt=0) | Q(method="none", refundable=0), name="distributor_refund_zero_only_none"
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
