"""The three figures of a refund to a distributor (issue 12, the seed's Part 2), each one function:

- Return Amount = unit price at the original shipment x quantity (not the cost at stock-in);
- Refundable = Return Amount - unsettled amount on the original order - exchange amount - return
  handling fee, never below 0;
- the estimate shown before stock-in: an abnormal return = stock-out order amount - distribution
  fee - return handling fee; a platform or manual case = unit price at shipment x quantity - return
  handling fee (never below 0 either).

The return handling fee comes from the supplier's Distribution Charge Setting: per order plus per
item returned."""

from dataclasses import dataclass
from decimal import Decimal

from distribution.models import ZERO, DistributionSetting, SupplierReturn

ABNORMAL_RETURN = "abnormal_return"


def handling_fee(supplier_return: SupplierReturn, *, units: int) -> Decimal:
    setting = DistributionSetting.objects.filter(tenant_id=supplier_return.tenant_id).first()
    if setting is None:
        return ZERO
    return setting.return_fee_per_order + setting.return_fee_per_item * units


def return_amount(lines, *, received: bool) -> Decimal:
    """Unit price at shipment x quantity: what came back once received, else what is expected."""
    return sum((line.unit_price * (line.received_quantity if received else line.quantity) for line in lines), ZERO)


@dataclass(frozen=True)
class RefundFigures:
    return_amount: Decimal
    handling_fee: Decimal
    unsettled: Decimal
    exchange_amount: Decimal

    @property
    def refundable(self) -> Decimal:
        return max(ZERO, self.return_amount - self.unsettled - self.exchange_amount - self.handling_fee)


def refund_figures(supplier_return: SupplierReturn) -> RefundFigures:
    """The figures of Create Refund Order, from what was received."""
    lines = list(supplier_return.lines.all())
    units = sum(line.received_quantity for line in lines)
    return RefundFigures(
        return_amount=return_amount(lines, received=True),
        handling_fee=handling_fee(supplier_return, units=units),
        unsettled=supplier_return.stock_out.unsettled,
        exchange_amount=supplier_return.exchange_amount,
    )


def estimate(supplier_return: SupplierReturn) -> Decimal:
    """The estimated refund shown before stock-in."""
    lines = list(supplier_return.lines.all())
    fee = handling_fee(supplier_return, units=sum(line.quantity for line in lines))
    if supplier_return.case_type == ABNORMAL_RETURN:
        stock_out = supplier_return.stock_out
        return max(ZERO, stock_out.amount - stock_out.distribution_fee - fee)
    return max(ZERO, return_amount(lines, received=False) - fee)
