"""Pay with balance: the distributor spends its Customer Balance with a supplier on what it still
owes for a distribution order (the supplier's stock-out: amount + distribution fee - settled).

The partnership row is locked first: every spend of one partnership's balance takes its turn, so
two clicks (or two orders paid at once) never spend the same money twice. A spend is
min(balance, unsettled), so after one either nothing is left to pay or nothing is left to spend:
a second click is refused with the reason."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from accounts.permissions import Perm, require_perm
from core.errors import Refused
from core.limits import MAX_AMOUNT
from core.tenancy import require_same_tenant
from distribution.models import ZERO, BalanceMovement, DistributionOrder, Partnership, StockOut
from distribution.services.refunds import balance


@dataclass(frozen=True)
class Payment:
    order_number: str
    amount: Decimal
    currency: str
    unsettled: Decimal  # what is left to pay on the order
    balance: Decimal  # what is left of the balance


def _spend(stock_out: StockOut, order: DistributionOrder, amount: Decimal, actor) -> None:
    """-amount on both ledgers, keyed by what was settled before: one movement per step, per side."""
    before = stock_out.settled_amount
    common = {"partnership_id": stock_out.partnership_id, "amount": -amount, "currency": stock_out.currency}
    BalanceMovement.objects.create(
        tenant_id=stock_out.tenant_id, source=f"Paid stock-out {stock_out.number} from the balance",
        source_key=f"pay:{stock_out.pk}:{before}", **common,
    )  # fmt: skip
    BalanceMovement.objects.create(
        tenant_id=order.tenant_id, actor=actor, source=f"Paid order {order.order.number} from the balance",
        source_key=f"pay-order:{order.pk}:{before}", **common,
    )  # fmt: skip


@transaction.atomic
def balance_pay(*, distribution_order: DistributionOrder, actor) -> Payment:
    """Pay with balance: min(Customer Balance, unsettled) off the order, on both sides' ledgers."""
    require_perm(actor, Perm.DISTRIBUTION)
    require_same_tenant(actor.tenant_id, distribution_order)
    partnership = Partnership.objects.select_for_update().get(pk=distribution_order.partnership_id)
    order = DistributionOrder.objects.select_related("order").get(pk=distribution_order.pk)
    stock_out = StockOut.objects.select_for_update().filter(distribution_order=order).first()
    number = order.order.number
    if stock_out is None or stock_out.unsettled <= ZERO:
        raise Refused(f"Order {number} is settled: nothing is left to pay.", code="nothing_unsettled")
    available = balance(tenant=order.tenant_id, partnership=partnership, currency=stock_out.currency)
    if available <= ZERO:
        raise Refused(
            f"Your Customer Balance with {partnership.supplier} is {max(available, ZERO)} {stock_out.currency}: "
            f"nothing to pay order {number} with.",
            code="no_balance",
        )
    amount = min(available, stock_out.unsettled, MAX_AMOUNT)
    _spend(stock_out, order, amount, actor)
    stock_out.settled_amount += amount
    stock_out.save(update_fields=["settled_amount", "updated_at"])
    return Payment(number, amount, stock_out.currency, stock_out.unsettled, available - amount)
