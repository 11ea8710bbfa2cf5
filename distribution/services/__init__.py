"""Distribution writes, one function per user action, in modules by topic. Import them from here."""

from distribution.services.orders import distribution_order_create, supplier_lines
from distribution.services.partnerships import (
    partner_warehouse_add,
    partnership_accept,
    partnership_invite,
    partnership_terminate,
    sku_map,
)
from distribution.services.pushes import distribution_order_make, return_push, return_recall, return_record_add
from distribution.services.settings import auto_push_set

__all__ = [
    "auto_push_set",
    "distribution_order_create",
    "distribution_order_make",
    "partner_warehouse_add",
    "partnership_accept",
    "partnership_invite",
    "partnership_terminate",
    "return_push",
    "return_recall",
    "return_record_add",
    "sku_map",
    "supplier_lines",
]
