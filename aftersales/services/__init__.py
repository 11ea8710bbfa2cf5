"""After-sales case writes, one function per user action, in modules by topic. Import them from here."""

from aftersales.services.create import LineInput, case_create, order_refusal, returnable_by_sku
from aftersales.services.details import attachment_add, case_update
from aftersales.services.exchange import case_generate_exchange_order
from aftersales.services.stock_in import case_confirm_and_stock_in, case_receive, case_receive_elsewhere
from aftersales.services.transitions import (
    case_cancel,
    case_complete,
    case_confirm,
    check_transition,
    lock_case,
    transition_case,
)

__all__ = [
    "LineInput",
    "attachment_add",
    "case_cancel",
    "case_complete",
    "case_confirm",
    "case_confirm_and_stock_in",
    "case_create",
    "case_generate_exchange_order",
    "case_receive",
    "case_receive_elsewhere",
    "case_update",
    "check_transition",
    "lock_case",
    "order_refusal",
    "returnable_by_sku",
    "transition_case",
]
