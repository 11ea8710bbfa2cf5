"""Demo Seller's manual cases, walked to their tabs: aftersales.demo plans them, enters each case and
does its case steps; the refund steps (Create Refund Order with a proof, Confirm Refund, Reject) are
done here by the finance user, since refunds sit above after-sales."""

import random

from aftersales.demo import (
    PAY,
    REFUND_PDF,
    REFUND_PNG,
    REJECT,
    Plan,
    case_step,
    cases_to_enter,
    demo_file,
    enter_case,
    print_case_counts,
)
from channels.models import Channel
from core.demo import Demo
from orders.models import Order, OrderItem
from refunds.models import PaymentMethod
from refunds.services import refund_confirm, refund_create, refund_reject


def _payment(order: Order) -> tuple[str, str]:
    """How the seller pays the buyer back, and to where."""
    rng = random.Random(f"refund:{order.number}")
    buyer = order.buyer
    if order.currency == "IDR":
        bank = rng.choice(["BCA", "Mandiri", "BRI", "BNI"])
        return PaymentMethod.BANK_TRANSFER, f"{bank} {rng.randrange(10**10):010d} a.n. {buyer.name}"
    if order.currency == "USD":
        return PaymentMethod.E_WALLET, f"PayPal {buyer.email}"
    if order.store.channel == Channel.OFFLINE:
        return PaymentMethod.CASH, f"Cash at the Kuala Lumpur counter, received by {buyer.name}"
    if rng.random() < 0.3:
        return PaymentMethod.E_WALLET, f"Touch 'n Go eWallet {buyer.phone}, {buyer.name}"
    bank = rng.choice(["Maybank", "CIMB Bank", "Public Bank", "RHB Bank", "Hong Leong Bank"])
    return PaymentMethod.BANK_TRANSFER, f"{bank} {rng.randrange(10**12):012d}, {buyer.name}"


def _walk(demo: Demo, plan: Plan, order: Order, item: OrderItem) -> None:
    case = enter_case(demo, plan, order, item)
    finance = demo.users["finance"]
    refund, rejected = None, False
    for step in plan.steps:
        if step in (REFUND_PNG, REFUND_PDF):
            case.refresh_from_db()  # the exchange order, if just generated, changes what is refundable
            method, info = _payment(order)
            refund = refund_create(
                case=case,
                actor=finance,
                amount=case.refund_left(),
                method=method,
                payment_info=info,
                proof=demo_file("transfer_slip.png" if step == REFUND_PNG else "refund_receipt.pdf"),
                note="New slip after the rejected one, to the account the buyer confirmed." if rejected else "",
            )
        elif step == PAY:
            refund_confirm(refund=refund, actor=finance)
        elif step == REJECT:
            refund_reject(refund=refund, actor=finance, reason=plan.reject_reason)
            rejected = True
        else:
            case = case_step(demo, plan, case, order, step)


def seed_cases(demo: Demo) -> None:
    """About 35 manual cases on Demo Seller's eligible orders, each walked to its tab; orders that
    already have a case are skipped. Prints the count per flow and tab."""
    for plan, order, item in cases_to_enter(demo):
        _walk(demo, plan, order, item)
    print_case_counts(demo.seller)
