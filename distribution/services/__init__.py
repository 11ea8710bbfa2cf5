"""Distribution writes, one function per user action, in modules by topic. Import them from here."""

from distribution.services.orders import distribution_order_create, supplier_lines
from distribution.services.partnerships import (
    partner_warehouse_add,
    partnership_accept,
    partnership_invite,
    partnership_terminate,
    sku_map,
)

__all__ = [
    "distribution_order_create",
    "partner_warehouse_add",
    "partnership_accept",
    "partnership_invite",
    "partnership_terminate",
    "sku_map",
    "supplier_lines",
]
