"""Create Refund Order (the supplier, to the distributor) and the Customer Balance ledger.

Customer Balance: creating the refund completes the supplier's return and credits the
distributor's balance with the supplier, one movement on each side's ledger in one transaction.
Bank Transfer: the refund waits in Refund Processing until the distributor confirms receipt; the
supplier attaches the proof of the transfer. Nothing refundable: the supplier completes the return
without refund, saying why (no balance movement)."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from accounts.permissions import Perm, require_perm
from core.errors import Refused
from core.limits import MAX_AMOUNT
from core.numbering import next_number
from core.tenancy import require_same_tenant
from distribution import events
from distribution.formulas import refund_figures
from distribution.models import (
    ZERO,
    BalanceMovement,
    DistributionSetting,
    DistributorRefund,
    InboundStatus,
    RefundMethod,
    ReturnPush,
    SupplierReturn,
)

T = events.T


def balance(*, tenant, partnership, currency: str = "") -> Decimal:
    """A side's Customer Balance for one partnership: the sum of its own ledger rows (in `currency`)."""
    rows = BalanceMovement.objects.for_tenant(tenant).filter(partnership=partnership)
    if currency:
        rows = rows.filter(currency=currency)
    return rows.aggregate(s=Sum("amount"))["s"] or ZERO


def _credit(refund: DistributorRefund, push: ReturnPush, actor) -> None:
    """+amount on both ledgers: the supplier's (naming its refund), the distributor's (its record)."""
    common = {"partnership": refund.partnership, "amount": refund.amount, "currency": refund.currency}
    BalanceMovement.objects.create(
        tenant_id=refund.tenant_id, refund=refund, actor=actor, source=f"Refund order {refund.number}",
        source_key=f"refund:{refund.pk}", **common,
    )  # fmt: skip
    BalanceMovement.objects.create(
        tenant_id=push.tenant_id, push=push, source=f"Refund {refund.number} from {refund.partnership.supplier}",
        source_key=f"supplier-refund:{refund.partnership.supplier_id}:{refund.pk}", **common,
    )  # fmt: skip


def _check_amount(amount: Decimal, refundable: Decimal) -> None:
    if not (ZERO < amount <= MAX_AMOUNT):
        raise Refused("The refund must be more than 0.", code="amount_not_positive", field="amount")
    if amount > refundable:
        raise Refused(
            f"{amount} is more than the refundable {refundable}.", code="above_refundable", field="amount",
            limit=refundable,
        )  # fmt: skip


def _lock_received(supplier_return: SupplierReturn) -> tuple[ReturnPush, SupplierReturn]:
    push = ReturnPush.objects.select_for_update(of=("self",)).get(pk=supplier_return.push_id)
    supplier_return = (
        SupplierReturn.objects.select_for_update(of=("self",)).select_related("stock_out").get(pk=supplier_return.pk)
    )
    if supplier_return.status != InboundStatus.RECEIVED:
        raise Refused(
            f"Return {supplier_return.number} is {supplier_return.get_status_display()}: a refund order is created "
            "from Received Return.",
            code="wrong_state",
        )
    return push, supplier_return


def _check_method(method: str, bank_details: str, proof) -> None:
    if method not in (RefundMethod.CUSTOMER_BALANCE, RefundMethod.BANK_TRANSFER):
        raise Refused("Choose Customer Balance or Bank Transfer.", code="unknown_method", field="method")
    if method != RefundMethod.BANK_TRANSFER:
        return
    if not bank_details:
        raise Refused("Give the bank details of the transfer.", code="bank_details_missing", field="bank_details")
    if not proof:
        raise Refused("Attach the proof of the transfer (an image or a PDF).", code="proof_missing", field="proof")


@transaction.atomic
def distributor_refund_create(
    *,
    supplier_return: SupplierReturn,
    actor,
    method: str,
    amount: Decimal | None = None,
    bank_details: str = "",
    proof=None,
) -> DistributorRefund:
    """Create Refund Order from Received Return: at most the refundable, once per return. `proof`:
    the transfer's proof, already checked by the form (`refunds.forms.checked_proof`)."""
    require_perm(actor, Perm.AFTERSALES_REFUND)
    require_same_tenant(actor.tenant_id, supplier_return)
    push, supplier_return = _lock_received(supplier_return)
    bank_details = bank_details.strip()
    _check_method(method, bank_details, proof)
    figures = refund_figures(supplier_return)
    amount = figures.refundable if amount is None else amount
    _check_amount(amount, figures.refundable)
    settled_now = method == RefundMethod.CUSTOMER_BALANCE
    refund = DistributorRefund.objects.create(
        tenant_id=supplier_return.tenant_id,
        number=next_number(tenant_id=supplier_return.tenant_id, prefix="RD"),
        supplier_return=supplier_return, partnership=supplier_return.partnership,
        return_amount=figures.return_amount, handling_fee=figures.handling_fee, unsettled=figures.unsettled,
        exchange_amount=figures.exchange_amount, refundable=figures.refundable, amount=amount,
        currency=supplier_return.currency, method=method, bank_details=bank_details,
        proof=proof if method == RefundMethod.BANK_TRANSFER else "",
        status=DistributorRefund.Status.COMPLETED if settled_now else DistributorRefund.Status.PROCESSING,
        created_by=actor, completed_at=timezone.now() if settled_now else None,
    )  # fmt: skip
    supplier_return.refund(settled_now=settled_now)
    supplier_return.save()
    if settled_now:
        _credit(refund, push, actor)
    note = f"{refund.number}: {amount} {refund.currency} by {refund.get_method_display()}"
    events.on_both(push, supplier_return, T.REFUNDED, actor=actor, note=note)
    return refund


@transaction.atomic
def distributor_refund_none(*, supplier_return: SupplierReturn, actor, reason: str) -> DistributorRefund:
    """Complete without refund, from Received Return when the Refundable is 0: a refund order of 0
    (no balance movement) that completes the return at once, the reason on both timelines."""
    require_perm(actor, Perm.AFTERSALES_REFUND)
    require_same_tenant(actor.tenant_id, supplier_return)
    push, supplier_return = _lock_received(supplier_return)
    reason = " ".join("".join(c if c.isprintable() else " " for c in reason).split())[:200]
    if not reason:
        raise Refused("Say why nothing is refunded.", code="reason_missing", field="reason")
    figures = refund_figures(supplier_return)
    if figures.refundable > ZERO:
        raise Refused(
            f"{figures.refundable} {supplier_return.currency} is refundable: create a refund order.",
            code="refundable_left",
        )
    refund = DistributorRefund.objects.create(
        tenant_id=supplier_return.tenant_id,
        number=next_number(tenant_id=supplier_return.tenant_id, prefix="RD"),
        supplier_return=supplier_return, partnership=supplier_return.partnership,
        return_amount=figures.return_amount, handling_fee=figures.handling_fee, unsettled=figures.unsettled,
        exchange_amount=figures.exchange_amount, refundable=ZERO, amount=ZERO,
        currency=supplier_return.currency, method=RefundMethod.NONE, reason=reason,
        status=DistributorRefund.Status.COMPLETED, created_by=actor, completed_at=timezone.now(),
    )  # fmt: skip
    supplier_return.refund(settled_now=True)
    supplier_return.save()
    events.on_both(push, supplier_return, T.COMPLETED_NO_REFUND, actor=actor, note=f"{refund.number}: {reason}")
    return refund


@transaction.atomic
def distributor_refund_confirm(*, push: ReturnPush, actor) -> DistributorRefund:
    """The distributor confirms it received the bank transfer: both sides complete."""
    require_perm(actor, Perm.AFTERSALES_REFUND)
    require_same_tenant(actor.tenant_id, push)
    push = ReturnPush.objects.select_for_update(of=("self",)).get(pk=push.pk)
    supplier_return = SupplierReturn.objects.select_for_update(of=("self",)).filter(push=push).first()
    refund = DistributorRefund.objects.filter(supplier_return=supplier_return).first() if supplier_return else None
    if refund is None or refund.status != DistributorRefund.Status.PROCESSING:
        raise Refused("There is no bank transfer waiting for your confirmation.", code="nothing_to_confirm")
    refund.status, refund.completed_at = DistributorRefund.Status.COMPLETED, timezone.now()
    refund.save(update_fields=["status", "completed_at", "updated_at"])
    supplier_return.complete()
    supplier_return.save()
    events.on_both(push, supplier_return, T.REFUND_CONFIRMED, actor=actor, note=f"{refund.number} received")
    return refund


@transaction.atomic
def charge_setting_set(*, actor, per_order: Decimal, per_item: Decimal) -> DistributionSetting:
    """The supplier's Distribution Charge Setting: the return handling fee, per order and per item."""
    require_perm(actor, Perm.SETTINGS)
    for value in (per_order, per_item):
        if not (ZERO <= value <= MAX_AMOUNT):
            raise Refused(f"A fee must be between 0 and {MAX_AMOUNT:,}.", code="fee_out_of_bounds")
    setting, _ = DistributionSetting.objects.select_for_update().get_or_create(tenant=actor.tenant)
    setting.return_fee_per_order, setting.return_fee_per_item = per_order, per_item
    setting.save(update_fields=["return_fee_per_order", "return_fee_per_item"])
    return setting
