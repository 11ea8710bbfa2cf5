"""Distribution: the one place data crosses tenants, built as a bridge with two ends.

The bridge rows (`Partnership`, `PartnerWarehouse`) name both tenants and hold nothing either side
keeps private: who partners with whom, since when, and which supplier warehouse the distributor
knows under which name. Everything else is an end, a `TenantOwned` row of one side keyed by its own
tenant: the distributor's `DistributionOrder` and `SkuMapping`, the supplier's `StockOut` (with the
unit price at shipment, the distribution fee and what was settled). An end may point across to the
other end it matches (a stock-out names the distribution order it fulfils), but each side's
selectors start from its own tenant and its pages never follow such a link: the distributor never
reads the supplier's stock or costs, the supplier reads only what a return needs (copied onto its
own rows when pushed). A refund to the distributor is the supplier's row; the Customer Balance is
a ledger kept on each side, both rows written in one transaction.

Modules: `bridge` (partnerships, distribution orders), `returns` (push records, pushed returns,
timelines, settings), `money` (refunds to the distributor, balance ledgers).
"""

from distribution.models.bridge import (
    ZERO,
    DistributionOrder,
    Partnership,
    PartnershipQuerySet,
    PartnershipStatus,
    PartnerWarehouse,
    SkuMapping,
    StockOut,
    StockOutLine,
)
from distribution.models.money import BalanceMovement, DistributorRefund, RefundMethod
from distribution.models.returns import (
    DistributionSetting,
    InboundStatus,
    PushStatus,
    ReturnEvent,
    ReturnPush,
    SupplierReturn,
    SupplierReturnLine,
)

__all__ = [
    "ZERO",
    "BalanceMovement",
    "DistributionOrder",
    "DistributionSetting",
    "DistributorRefund",
    "InboundStatus",
    "PartnerWarehouse",
    "Partnership",
    "PartnershipQuerySet",
    "PartnershipStatus",
    "PushStatus",
    "RefundMethod",
    "ReturnEvent",
    "ReturnPush",
    "SkuMapping",
    "StockOut",
    "StockOutLine",
    "SupplierReturn",
    "SupplierReturnLine",
]
