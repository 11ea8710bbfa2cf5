"""Demo Seller distributes for Demo Supplier: every tab of Return & Stock-in - Distribution and of
Return & Stock-in - BigShop has rows, an order past 90 days sits in Push Failed, and a terminated
partnership (with a former supplier) still has a pushable order of its cooperation period. A bank
transfer with its proof waits for the seller's Confirm receipt (After-Sales Refund, From
Suppliers), and the seller's Customer Balance can pay an order it has not settled yet.
Built through the real services, once: a second run finds the partnership and stops."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Tenant
from aftersales.services import LineInput, case_cancel, case_confirm, case_create
from core.demo import Demo
from core.uploads import stored_name
from distribution.models import Partnership, StockOut
from distribution.services import (
    partner_warehouse_add,
    partnership_accept,
    partnership_invite,
    partnership_terminate,
    return_push,
    sku_map,
)
from distribution.services.bigshop import supplier_return_receive
from distribution.services.refunds import charge_setting_set, distributor_refund_create
from inventory.models import SKU, MovementReason, Warehouse, WarehouseKind
from inventory.services import stock_move
from orders.models import Buyer, Order, OrderItem, OrderStatus
from orders.services import order_ship

SUPPLIER_SKUS = [  # the supplier's code, its wholesale price (the unit price at shipment), the seller's SKU
    ("PG-IP15-CLR", "4.80", "CASE-IP15-CLR"),
    ("PG-SCRN-IP15", "1.60", "SCRN-IP15"),
    ("PG-CHG-20W", "8.90", "CHG-20W"),
    ("PG-PB-10K", "21.00", "PB-10K"),
]
# number, days ago, [(seller SKU, quantity, price paid)], what happens to its case
ORDERS = [
    ("DIST-1001", 3, [("PB-10K", 1, "49.00")], "to_push"),
    ("DIST-1002", 6, [("BDL-IP15-PROTECT", 1, "25.00")], "pending"),  # a combo, pushed as its sub-SKUs
    ("DIST-1003", 10, [("CHG-20W", 2, "29.00")], "received"),
    ("DIST-1004", 100, [("CASE-IP15-CLR", 1, "15.00")], "too_old"),
    ("DIST-1005", 12, [("PB-10K", 1, "49.00")], "recalled"),
    ("DIST-1006", 15, [("CHG-20W", 1, "29.00")], "refunded"),  # to Customer Balance: completed
    ("DIST-1007", 18, [("CASE-IP15-CLR", 2, "15.00")], "bank_transfer"),  # awaits the seller's confirmation
    ("DIST-1008", 2, [("SCRN-IP15", 2, "12.00")], "unsettled"),  # no case: not paid yet, Pay with balance
]
BANK = "Maybank, Demo Supplier Sdn Bhd, 5140 1234 5678"


def _partnership(distributor_owner, supplier_owner, started_days_ago: int) -> Partnership:
    partnership = partnership_invite(actor=distributor_owner, partner=supplier_owner.tenant, as_distributor=True)
    partnership = partnership_accept(partnership=partnership, actor=supplier_owner)
    started = timezone.now() - timedelta(days=started_days_ago)
    Partnership.objects.filter(pk=partnership.pk).update(started_at=started)  # the demo's history
    partnership.refresh_from_db()
    return partnership


def _supplier_catalogue(demo: Demo, supplier_owner, partnership, warehouse) -> None:
    for code, price, seller_code in SUPPLIER_SKUS:
        sku, _ = SKU.objects.get_or_create(
            tenant=supplier_owner.tenant, code=code, defaults={"name": code, "wholesale_price": Decimal(price)}
        )
        stock_move(
            sku=sku,
            warehouse=warehouse,
            quantity=200,
            reason=MovementReason.OPENING,
            source="Opening stock",
            source_key=f"opening:{code}:{warehouse.code}",
        )
        sku_map(partnership=partnership, actor=demo.users["seller"], sku=demo.skus[seller_code], supplier_code=code)


def _order(demo: Demo, warehouse, number: str, days_ago: int, lines, *, settled: bool = True) -> Order:
    store = demo.stores["Shopee MY - Demo Official"]
    buyer, _ = Buyer.objects.get_or_create(tenant=demo.seller, name="Nur Aisyah (distribution)")
    paid = sum(Decimal(price) * quantity for _, quantity, price in lines)
    moment = timezone.now() - timedelta(days=days_ago)
    order = Order.objects.create(
        tenant=demo.seller, store=store, number=number, buyer=buyer, status=OrderStatus.NEW,
        platform_status="Shipped", currency=store.currency, paid_amount=paid, warehouse=warehouse,
        ordered_at=moment,
    )  # fmt: skip
    for code, quantity, price in lines:
        OrderItem.objects.create(
            tenant=demo.seller, order=order, sku=demo.skus[code], quantity=quantity, unit_price=Decimal(price)
        )
    order_ship(order=order, tracking_number=f"SPX{number[-4:]}MY")  # the shipment makes the distribution order
    shipped = moment + timedelta(days=1)
    Order.objects.filter(pk=order.pk).update(shipped_at=shipped)  # the demo's history
    # the distribution fee, and (`settled`) the seller having paid its supplier for what shipped,
    # outside the app: the demo says so here
    settlement = {"settled_amount": F("amount") + Decimal("1.50")} if settled else {}
    StockOut.objects.filter(distribution_order__order=order).update(
        shipped_at=shipped, distribution_fee=Decimal("1.50"), **settlement
    )
    order.refresh_from_db()
    return order


def _case(demo: Demo, order: Order):
    seller = demo.users["seller"]
    returned = [LineInput(sku=item.sku, quantity=item.quantity, order_item=item) for item in order.items.all()]
    return case_create(
        tenant=demo.seller, actor=seller, order=order, type="return_refund", returned=returned,
        reason="Buyer returned the item", return_tracking_number=f"RT{order.number[-4:]}MY",
    )  # fmt: skip


def _walk(demo: Demo, case, fate: str) -> None:
    seller, supplier = demo.users["seller"], demo.users["supplier"]
    if fate == "to_push":
        return
    case_confirm(case=case, actor=seller)
    push = return_push(push=case.distribution_push, actor=seller)  # too_old: lands in Push Failed
    if fate in ("received", "refunded", "bank_transfer"):
        supplier_return = push.supplier_return
        received = {line.pk: (line.quantity, 0) for line in supplier_return.lines.all()}
        supplier_return_receive(
            supplier_return=supplier_return, actor=supplier, warehouse=supplier_return.warehouse, received=received
        )
        if fate == "refunded":
            distributor_refund_create(supplier_return=supplier_return, actor=supplier, method="customer_balance")
        elif fate == "bank_transfer":
            distributor_refund_create(
                supplier_return=supplier_return, actor=supplier, method="bank_transfer", bank_details=BANK,
                proof=_transfer_proof(supplier_return.number),
            )  # fmt: skip
    elif fate == "recalled":
        case_cancel(case=case, actor=seller, reason="Buyer kept the item after all")


def _transfer_proof(number: str) -> ContentFile:
    """A picture of a bank transfer slip, as the supplier would upload it."""
    slip = Image.new("RGB", (420, 140), "white")
    ImageDraw.Draw(slip).multiline_text(
        (16, 16), f"Maybank2u - Transfer successful\n{BANK}\nRef {number}", fill="black"
    )
    buffer = io.BytesIO()
    slip.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=stored_name("image/png"))


def _former_supplier(demo: Demo) -> None:
    """A supplier the seller no longer works with: its order of the cooperation period is To Push."""
    from accounts.models import User

    tenant, _ = Tenant.objects.get_or_create(name="Demo Former Supplier")
    owner = User.objects.filter(tenant=tenant, is_owner=True).first()
    if owner is None:  # its main account exists to act in the seed; nobody logs in with it
        owner = User(username="former-supplier", email="former-supplier@demo.local", tenant=tenant, is_owner=True)
        owner.set_unusable_password()
        owner.save()
    partnership = _partnership(demo.users["seller"], owner, started_days_ago=120)
    warehouse, _ = Warehouse.objects.get_or_create(
        tenant=tenant, code="FS-01", defaults={"name": "Former Supplier Warehouse", "kind": WarehouseKind.OWN}
    )
    mirror = partner_warehouse_add(partnership=partnership, actor=owner, warehouse=warehouse).distributor_warehouse
    sku, _ = SKU.objects.get_or_create(
        tenant=tenant, code="FS-CBL-USBC", defaults={"name": "USB-C cable", "wholesale_price": Decimal("2.90")}
    )
    sku_map(partnership=partnership, actor=demo.users["seller"], sku=demo.skus["CBL-USBC-1M"], supplier_code=sku.code)
    order = _order(demo, mirror, "DIST-0901", 40, [("CBL-USBC-1M", 2, "12.00")])
    partnership_terminate(partnership=partnership, actor=demo.users["seller"])
    _case(demo, order)


def seed_distribution(demo: Demo) -> None:
    seller, supplier = demo.users["seller"], demo.users["supplier"]
    if Partnership.objects.filter(distributor=demo.seller, supplier=demo.supplier).exists():
        return
    partnership = _partnership(seller, supplier, started_days_ago=200)
    warehouse = demo.warehouses["SUP-PG"]
    mirror = partner_warehouse_add(partnership=partnership, actor=supplier, warehouse=warehouse).distributor_warehouse
    _supplier_catalogue(demo, supplier, partnership, warehouse)
    charge_setting_set(actor=supplier, per_order=Decimal("1.00"), per_item=Decimal("0.50"))
    for number, days_ago, lines, fate in ORDERS:
        if fate == "unsettled":
            _order(demo, mirror, number, days_ago, lines, settled=False)
            continue
        _walk(demo, _case(demo, _order(demo, mirror, number, days_ago, lines)), fate)
    # shipped with a SKU the seller has not mapped to the supplier's: the order page says so
    _order(demo, mirror, "DIST-1009", 1, [("CBL-USBC-1M", 1, "12.00")])
    _former_supplier(demo)
