"""Demo Seller's manual after-sales cases: 35 of them, in every tab of the three manual flows.

Each case is walked to its tab through the real services (`case_create`, `case_confirm`, ...,
`refund_create`, `refund_confirm`, `refund_reject`) by the demo user whose role does that work:
the operator (or the order desk, or the main account at the offline counter) enters and confirms
cases, the warehouse stocks parcels in, finance pays or rejects the refunds. The plans and the case
steps are here; the refund steps, and the walk itself (`seed_cases`), are in refunds.demo, the app
above this one.

A case is known by its order. Each plan names a store, an order status and optionally a SKU the
order must hold, and takes the store's oldest such order not taken by an earlier plan. Oldest
first because the orders the app itself moves later (a New order shipped, an exchange order
approved) are the newest ones, so they do not shift the choice. An order that already has a case
is left alone, so running the seed again adds nothing.
"""

import io
import random
import zlib
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

from aftersales.models import MANUAL_TYPES, Case, CaseSource, CaseStatus, CaseType, LineKind
from aftersales.services import (
    LineInput,
    attachment_add,
    case_cancel,
    case_complete,
    case_confirm,
    case_confirm_and_stock_in,
    case_create,
    case_generate_exchange_order,
    case_receive,
)
from core.demo import Demo
from core.uploads import evidence_type
from orders.demo import tracking_number_for
from orders.models import Order, OrderItem, OrderStatus
from orders.selectors import ELIGIBLE_FOR_AFTERSALES

CENT = Decimal("0.01")
RETURN_REFUND, REFUND_ONLY, EXCHANGE = CaseType.RETURN_REFUND, CaseType.REFUND_ONLY, CaseType.EXCHANGE
TO_PICKUP, SHIPPED = OrderStatus.TO_PICKUP, OrderStatus.SHIPPED
COMPLETED, CANCELLED = OrderStatus.COMPLETED, OrderStatus.CANCELLED

SHOPEE = "Shopee MY - Demo Official"
LAZADA = "Lazada MY - Demo Store"
TIKTOK = "TikTok Shop ID - Demo"
SHOPIFY = "Shopify - demo-seller"
WOO = "WooCommerce - demoseller.my"
OFFLINE = "Offline"

# Steps, in the order they are done to a case.
CONFIRM = "confirm"  # Confirm After-Sales (creator)
STOCK_IN = "stock_in"  # Confirm After-Sales and Stock-In, into the order's warehouse (creator)
RECEIVE = "receive"  # Stock-In / Return, every unit sellable (warehouse)
RECEIVE_DAMAGED = "receive_damaged"  # ... one unit of the first line damaged (warehouse)
RECEIVE_SHORT = "receive_short"  # ... one unit of the first line missing from the parcel (warehouse)
EXCHANGE_ORDER = "exchange_order"  # Generate Exchange Order (creator)
REFUND_PNG = "refund_png"  # Create Refund Order for all that is left, a PNG transfer slip as proof (finance)
REFUND_PDF = "refund_pdf"  # ... a PDF receipt as proof (finance)
PAY = "pay"  # Confirm Refund on the refund order in processing (finance)
REJECT = "reject"  # Reject it (finance)
COMPLETE = "complete"  # Complete After-Sales without a refund (creator)
CANCEL = "cancel"  # Cancel the case (creator)

SAME = "="  # exchange item: the returned SKU again, at the price paid
TWIN = "~"  # exchange item: the returned SKU's other phone model, priced by the service
TWINS = {
    "CASE-IP15-CLR": "CASE-S24-CLR",
    "CASE-S24-CLR": "CASE-IP15-CLR",
    "CASE-IP15-BLK": "CASE-S24-BLK",
    "CASE-S24-BLK": "CASE-IP15-BLK",
    "SCRN-IP15": "SCRN-S24",
    "SCRN-S24": "SCRN-IP15",
}


@dataclass(frozen=True)
class Plan:
    type: CaseType
    store: str
    order_status: OrderStatus
    reason: str
    steps: tuple[str, ...] = ()
    notes: str = ""
    sku: str = ""  # the order holds a SKU whose code starts with this; that line is the one returned
    quantity: int | None = 1  # units of it returned (None: all; 0: none, only `added`)
    keep: Decimal | None = None  # its amount adjusted by hand to this share of quantity x price paid
    added: tuple[tuple[str, int], ...] = ()  # returned SKUs not on the order, priced by the service
    exchange: tuple[tuple[str, int], ...] = ()  # (a SKU code, or SAME or TWIN; quantity)
    tracking: bool = False  # the buyer gave the return parcel's tracking number
    evidence: tuple[str, ...] = ()  # buyer's photos (.png) and documents (.pdf)
    creator: str = "operator"
    assignee: str = ""
    reject_reason: str = ""
    cancel_reason: str = ""


PLANS = [
    # --- Return & Refund ---------------------------------------------------------------------
    Plan(RETURN_REFUND, SHOPEE, COMPLETED, "Item not as described", sku="STD-", tracking=True,
         notes="Buyer says the hinge is loose and the stand tips over with a phone on it.",
         evidence=("loose_hinge.png",)),
    Plan(RETURN_REFUND, TIKTOK, SHIPPED, "Damaged in transit", sku="TRI-", quantity=None,
         notes="Box crushed on arrival; the remote does not pair.", evidence=("crushed_box.png", "remote.png"),
         assignee="operator"),
    Plan(RETURN_REFUND, SHOPIFY, COMPLETED, "Changed mind", evidence=("return_request.pdf",),
         notes="Buyer will print the prepaid return label from the e-mail."),
    Plan(RETURN_REFUND, SHOPEE, SHIPPED, "Wrong model ordered", (CONFIRM,), sku="SCRN-IP15", quantity=2,
         tracking=True, creator="orderdesk", assignee="orderdesk",
         notes="Ordered iPhone 15 protectors for a Galaxy S24; both packs unopened."),
    Plan(RETURN_REFUND, LAZADA, COMPLETED, "Changed mind", (CONFIRM,), sku="BDL-CHARGE", tracking=True,
         creator="orderdesk",
         notes="One kit of the three returned unopened."),
    Plan(RETURN_REFUND, WOO, COMPLETED, "Item not as described", (CONFIRM,),
         notes="Buyer will post it back by Pos Laju; tracking number to follow."),
    Plan(RETURN_REFUND, OFFLINE, COMPLETED, "Changed mind", (STOCK_IN,), added=(("SCRN-IP15", 2),),
         creator="seller",
         notes="Walk-in return at the KL counter. Also brought back 2 iPhone 15 screen protectors bought "
               "the same day (not on this order), credited at the buyer's tier price."),
    Plan(RETURN_REFUND, SHOPEE, COMPLETED, "Damaged in transit", (CONFIRM, RECEIVE_DAMAGED), sku="CHG-",
         tracking=True, evidence=("dented_charger.png",), notes="Casing dented, buyer afraid to plug it in."),
    Plan(RETURN_REFUND, LAZADA, SHIPPED, "Changed mind", (CONFIRM, RECEIVE_SHORT), quantity=2, tracking=True,
         assignee="operator",
         notes="Buyer said both units were sent back; the parcel held only one. Asked the buyer about the other."),
    Plan(RETURN_REFUND, SHOPEE, COMPLETED, "Item not as described", (CONFIRM, RECEIVE, REFUND_PNG), sku="EAR-",
         tracking=True, notes="Left earbud much quieter than the right."),
    Plan(RETURN_REFUND, SHOPIFY, COMPLETED, "Item not as described", (CONFIRM, RECEIVE, REFUND_PDF),
         sku="CHG-", tracking=True, notes="UK plug; the buyer needs a US plug."),
    Plan(RETURN_REFUND, TIKTOK, COMPLETED, "Damaged in transit", (CONFIRM, RECEIVE_DAMAGED, REFUND_PNG, PAY),
         sku="CHG-", tracking=True, evidence=("cracked_casing.png",)),
    Plan(RETURN_REFUND, WOO, COMPLETED, "Changed mind", (STOCK_IN, REFUND_PDF, PAY), sku="TRI-", quantity=None,
         keep=Decimal("0.90"), notes="Opened and used: 10% restocking fee agreed with the buyer."),
    Plan(RETURN_REFUND, LAZADA, COMPLETED, "Item not as described",
         (CONFIRM, RECEIVE, REFUND_PNG, REJECT, REFUND_PDF), sku="PB-", tracking=True, assignee="operator",
         evidence=("charging_test.png",), notes="Charges at 10W only; the listing says 22.5W.",
         reject_reason="Payee name does not match the buyer; ask the buyer for the right account."),
    Plan(RETURN_REFUND, SHOPEE, SHIPPED, "Changed mind", (CONFIRM, CANCEL), tracking=True,
         cancel_reason="Buyer decided to keep the item."),
    # --- Refund-Only -------------------------------------------------------------------------
    Plan(REFUND_ONLY, SHOPEE, COMPLETED, "Missing accessory", sku="BDL-CHARGE-KIT", quantity=0,
         added=(("CBL-LTG-1M", 1),), evidence=("box_contents.png",),
         notes="The Fast Charging Kit arrived without its Lightning cable: refund the cable, no return."),
    Plan(REFUND_ONLY, TIKTOK, TO_PICKUP, "Price adjustment", keep=Decimal("0.20"),
         notes="The flash-sale price was not applied at checkout; refund the difference."),
    Plan(REFUND_ONLY, SHOPEE, COMPLETED, "Missing accessory", (CONFIRM,), sku="HLD-", keep=Decimal("0.30"),
         assignee="operator", notes="Vent clip missing from the box; the buyer keeps the holder."),
    Plan(REFUND_ONLY, WOO, COMPLETED, "Damaged in transit", (CONFIRM, REFUND_PNG, REJECT), sku="SCRN-",
         evidence=("cracked_glass.png",),
         reject_reason="The transfer slip is for a different amount; upload the right one."),
    Plan(REFUND_ONLY, SHOPIFY, CANCELLED, "Order cancelled after payment", (CONFIRM, REFUND_PDF),
         notes="Shopify could not refund the expired card; refund by PayPal."),
    Plan(REFUND_ONLY, SHOPEE, COMPLETED, "Item not as described", (CONFIRM, REFUND_PNG), sku="EAR-",
         keep=Decimal("0.50"), notes="Charging case scratched; the buyer keeps the earbuds for a 50% refund."),
    Plan(REFUND_ONLY, OFFLINE, SHIPPED, "Damaged in transit", (CONFIRM, REFUND_PDF, PAY), sku="CASE-", creator="seller",
         notes="Reseller reports the case cracked on arrival; not worth the postage back."),
    Plan(REFUND_ONLY, TIKTOK, COMPLETED, "Item not as described", (CONFIRM, REFUND_PNG, PAY)),
    Plan(REFUND_ONLY, LAZADA, CANCELLED, "Order cancelled after payment", (CONFIRM, REFUND_PNG, CANCEL),
         cancel_reason="Lazada refunded the buyer itself; no manual refund needed."),
    # --- Exchange ----------------------------------------------------------------------------
    Plan(EXCHANGE, SHOPEE, COMPLETED, "Wrong model ordered", sku="CASE-IP15", exchange=((TWIN, 1),),
         evidence=("wrong_model.png",), notes="Needs the Galaxy S24 case instead."),
    Plan(EXCHANGE, OFFLINE, COMPLETED, "Item not as described", sku="BDL-IP15", exchange=((SAME, 1),), creator="seller",
         notes="Screen protectors in the bundle have bubbles; the reseller wants a fresh bundle."),
    Plan(EXCHANGE, LAZADA, COMPLETED, "Damaged in transit", (CONFIRM,), sku="CASE-", exchange=((SAME, 1),),
         tracking=True),
    Plan(EXCHANGE, WOO, COMPLETED, "Wrong model ordered", (CONFIRM, EXCHANGE_ORDER), sku="CASE-IP15-CLR",
         quantity=None, exchange=((TWIN, 3),), notes="Send the Galaxy S24 cases now; the iPhone ones are on the way."),
    Plan(EXCHANGE, TIKTOK, COMPLETED, "Damaged in transit", (CONFIRM, RECEIVE), exchange=((SAME, 1),),
         tracking=True),
    Plan(EXCHANGE, SHOPEE, SHIPPED, "Item not as described", (STOCK_IN, EXCHANGE_ORDER), sku="WCH-",
         exchange=((SAME, 1),),
         notes="Charger runs hot; the buyer dropped the parcel off at our office."),
    Plan(EXCHANGE, LAZADA, COMPLETED, "Changed mind", (CONFIRM, RECEIVE, EXCHANGE_ORDER, REFUND_PNG),
         sku="PB-20K", exchange=(("PB-10K", 1),), assignee="operator", evidence=("buyer_chat.png",),
         notes="Buyer prefers the slim 10000mAh; refund the difference."),
    Plan(EXCHANGE, SHOPEE, COMPLETED, "Item not as described", (CONFIRM, RECEIVE_DAMAGED, EXCHANGE_ORDER, COMPLETE),
         sku="CBL-", exchange=((SAME, 1),), tracking=True, evidence=("frayed_cable.png",),
         notes="Cable stopped charging after a week; same cable sent as a replacement."),
    Plan(EXCHANGE, OFFLINE, COMPLETED, "Changed mind", (STOCK_IN, EXCHANGE_ORDER, COMPLETE), sku="EAR-",
         quantity=2, exchange=(("EAR-TWS-PRO", 2),), creator="seller",
         notes="Reseller upgrades 2 units to the ANC model and pays the difference on the exchange order."),
    Plan(EXCHANGE, TIKTOK, COMPLETED, "Item not as described", (CANCEL,), sku="TRI-", exchange=((SAME, 1),),
         cancel_reason="Re-pairing the remote fixed it; no exchange needed."),
    Plan(EXCHANGE, SHOPIFY, SHIPPED, "Damaged in transit", (CONFIRM,), exchange=((SAME, 1),), tracking=True),
]  # fmt: skip


# --- choosing the orders -------------------------------------------------------------------------


def _held(item: OrderItem) -> int:
    """Units of the line a case may take: all of a cancelled order's, else those not cancelled."""
    return item.quantity if item.order.status == CANCELLED else item.open_quantity


def _item_for(plan: Plan, order: Order) -> OrderItem | None:
    """The order line the plan returns, or None when the order does not fit the plan."""
    if order.store.name != plan.store or order.status != plan.order_status:
        return None
    if order.status == CANCELLED and order.shipped_at:
        return None  # its parcel came back through Canceled Orders Stock In: only never-shipped ones
    wanted = max(plan.quantity or 1, 1)
    items = sorted(order.items.all(), key=lambda i: i.pk)
    return next((i for i in items if i.sku.code.startswith(plan.sku) and _held(i) >= wanted), None)


def _assign(orders: list[Order]) -> list[tuple[Plan, Order | None, OrderItem | None]]:
    used: set[int] = set()
    assigned = []
    for plan in PLANS:
        order, item = next(((o, i) for o in orders if o.pk not in used and (i := _item_for(plan, o))), (None, None))
        if order is not None:
            used.add(order.pk)
        assigned.append((plan, order, item))
    return assigned


# --- files: buyer evidence and payment proofs, drawn in memory --------------------------------------


def _png(name: str) -> SimpleUploadedFile:
    hue = zlib.crc32(name.encode())
    colour = (60 + hue % 160, 60 + (hue >> 8) % 160, 60 + (hue >> 16) % 160)
    image = Image.new("RGB", (64, 48), colour)
    ImageDraw.Draw(image).rectangle((12, 10, 52, 38), outline=(255, 255, 255), width=3)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _pdf(name: str) -> SimpleUploadedFile:
    """A one-page PDF showing a drawn 'receipt' (a header bar and lines of text)."""
    image = Image.new("RGB", (96, 64), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 6, 88, 14), fill=(40, 90, 160))
    for y in range(22, 60, 6):
        draw.line((8, y, 72 + y % 16, y), fill=(140, 140, 140))
    buffer = io.BytesIO()
    image.save(buffer, "PDF")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def demo_file(name: str) -> SimpleUploadedFile:
    return _pdf(name) if name.endswith(".pdf") else _png(name)


# --- what the buyer gave: lines, tracking number ----------------------------------


def _returned(plan: Plan, item: OrderItem, skus: dict) -> list[LineInput]:
    lines = []
    if plan.quantity != 0:
        quantity = plan.quantity or _held(item)
        amount = None
        if plan.keep is not None:
            amount = (item.unit_price * quantity * plan.keep).quantize(CENT)
        lines.append(LineInput(sku=item.sku, quantity=quantity, order_item=item, amount=amount))
    lines += [LineInput(sku=skus[code], quantity=quantity) for code, quantity in plan.added]
    return lines


def _exchange(plan: Plan, item: OrderItem, skus: dict) -> list[LineInput]:
    lines = []
    for code, quantity in plan.exchange:
        if code == SAME:
            lines.append(LineInput(sku=item.sku, quantity=quantity, unit_price=item.unit_price))
        else:
            lines.append(LineInput(sku=skus[TWINS[item.sku.code] if code == TWIN else code], quantity=quantity))
    return lines


def _return_tracking(order: Order) -> str:
    return tracking_number_for(random.Random(f"return:{order.number}"), order.store)


# --- entering and walking one case -------------------------------------------------------------------


def enter_case(demo: Demo, plan: Plan, order: Order, item: OrderItem) -> Case:
    """Create After-Sales Order as the plan's creator, with the buyer's evidence attached."""
    users = demo.users
    clerk = users[plan.creator]
    case = case_create(
        tenant=demo.seller,
        actor=clerk,
        order=order,
        type=plan.type,
        returned=_returned(plan, item, demo.skus),
        exchange=_exchange(plan, item, demo.skus),
        reason=plan.reason,
        notes=plan.notes,
        return_tracking_number=_return_tracking(order) if plan.tracking else "",
        assignee=users[plan.assignee] if plan.assignee else None,
    )
    for name in plan.evidence:
        upload = demo_file(name)
        attachment_add(case=case, actor=clerk, upload=upload, content_type=evidence_type(upload))
    return case


def case_step(demo: Demo, plan: Plan, case: Case, order: Order, step: str) -> Case:
    """Do one of the case's own steps (not a refund step) as the user whose role does it."""
    clerk, warehouse = demo.users[plan.creator], demo.users["warehouse"]
    if step == CONFIRM:
        return case_confirm(case=case, actor=clerk)
    if step == STOCK_IN:
        return case_confirm_and_stock_in(case=case, actor=clerk, warehouse=order.warehouse)
    if step in (RECEIVE, RECEIVE_DAMAGED, RECEIVE_SHORT):
        lines = list(case.lines.filter(kind=LineKind.RETURNED).order_by("pk"))
        received = {line.pk: (line.quantity, 0) for line in lines}
        first = lines[0]
        if step == RECEIVE_DAMAGED:
            received[first.pk] = (first.quantity - 1, 1)
        elif step == RECEIVE_SHORT:
            received[first.pk] = (first.quantity - 1, 0)
        return case_receive(case=case, actor=warehouse, warehouse=order.warehouse, received=received)
    if step == EXCHANGE_ORDER:
        case_generate_exchange_order(case=case, actor=clerk)
        return case
    if step == COMPLETE:
        return case_complete(case=case, actor=clerk)
    if step == CANCEL:
        return case_cancel(case=case, actor=clerk, reason=plan.cancel_reason)
    raise ValueError(f"unknown demo step {step!r}")


def cases_to_enter(demo: Demo) -> list[tuple[Plan, Order, OrderItem]]:
    """The plans to enter, each with its order and line; orders that already have a case are left."""
    tenant = demo.seller
    orders = list(
        Order.objects.for_tenant(tenant)
        .filter(status__in=ELIGIBLE_FOR_AFTERSALES, exchange_case__isnull=True)
        .select_related("store", "buyer", "warehouse")
        .prefetch_related("items__sku")
        .order_by("ordered_at", "number")
    )
    with_case = set(Case.objects.for_tenant(tenant).values_list("order_id", flat=True))
    todo = []
    for plan, order, item in _assign(orders):
        if order is None:
            print(f"    no {plan.order_status.label} order in {plan.store} fits a {plan.type.label} case: skipped")
        elif order.pk not in with_case:
            todo.append((plan, order, item))
    return todo


def print_case_counts(tenant) -> None:
    counts = Counter(
        Case.objects.for_tenant(tenant).filter(source=CaseSource.MANUAL).values_list("type", "status").order_by()
    )
    for case_type in MANUAL_TYPES:
        tabs = ", ".join(f"{status.label} {n}" for status in CaseStatus if (n := counts[(case_type, status.value)]))
        print(f"    {case_type.label}: {tabs}")
