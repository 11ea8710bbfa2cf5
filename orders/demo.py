"""Demo Seller's buyers and ~300 orders in every status, across its six stores.

The whole plan (numbers, dates, lines, prices, platform statuses) is computed first from fixed
seeds, without looking at the database; then only the orders whose (store, number) is not there
yet are written. Orders that left the warehouse are shipped through `order_ship`, so their
stock-out movements exist; their final status is then set with `.update()`, which only seed data
may do (the services have no "the platform says it is completed" operation).
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from channels.models import Channel, Store
from core.demo import Demo
from inventory.models import TierPrice
from orders.cancellation import SELLER_CANCEL
from orders.demo_data import (
    AGE_DAYS,
    BUYERS,
    CANCEL_REQUESTS,
    FX,
    OTHER_CANCEL_REASONS,
    PLATFORM_STATUS,
    RETURNED_REASON,
    STORE_PLAN,
)
from orders.models import Buyer, CancelRequest, Order, OrderItem, OrderStatus
from orders.services import cancelled_order_stock_in, order_ship

S = OrderStatus


@dataclass
class Line:
    sku: str
    quantity: int
    unit_price: Decimal


@dataclass
class Plan:
    """One order as it will be written, plus what to do to it after."""

    store: str
    number: str
    status: str
    platform_status: str
    buyer: str
    ordered_at: datetime
    lines: list[Line]
    tracking_number: str = ""
    ship: bool = False  # goes through order_ship (stock-out movements)
    shipped_at: datetime | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str = ""
    stock_in: bool = False  # cancelled after shipping, and already stocked in
    cancel_request: str = ""  # a pending buyer request with this reason


OWN_COUNTERS = {  # shops that number their orders with a counter: (prefix, first number)
    Channel.SHOPIFY: ("#", 1001),
    Channel.WOOCOMMERCE: ("", 4213),
    Channel.OFFLINE: ("OFF-", 101),
}


def _order_numbers(store: Store, count: int) -> list[str]:
    """`count` distinct numbers in the platform's format, oldest first; the same every run."""
    rng = random.Random(f"order-numbers:{store.name}")
    if store.channel in OWN_COUNTERS:
        prefix, start = OWN_COUNTERS[store.channel]
        return [f"{prefix}{start + i}" for i in range(count)]
    make = {
        Channel.SHOPEE: lambda: f"2611{rng.randrange(10**10):010d}",
        Channel.LAZADA: lambda: str(rng.randrange(3 * 10**14, 4 * 10**14)),
        Channel.TIKTOK: lambda: f"57{rng.randrange(10**16):016d}",
    }[store.channel]
    numbers: list[str] = []
    while len(numbers) < count:
        number = make()
        if number not in numbers:
            numbers.append(number)
    return sorted(numbers)


def tracking_number_for(rng: random.Random, store: Store) -> str:
    """A tracking number in the style of the store's channel (also used for buyers' returns)."""

    def digits(n: int) -> str:
        return f"{rng.randrange(10**n):0{n}d}"

    return {
        Channel.SHOPEE: lambda: f"SPXMY0{digits(11)}",
        Channel.LAZADA: lambda: f"MYMPA{digits(10)}",
        Channel.TIKTOK: lambda: f"JX{digits(10)}",
        Channel.SHOPIFY: lambda: f"1Z9R5W90{digits(10)}",
    }.get(store.channel, lambda: f"ER{digits(9)}MY")()


def _price(base_myr: Decimal, currency: str) -> Decimal:
    """A shelf price in the store's currency: MYR 12.90, USD 2.90, IDR 45,500."""
    amount = base_myr * FX[currency]
    if currency == "IDR":
        return max(Decimal("500"), (amount / 500).quantize(Decimal("1")) * 500)
    return max(Decimal("0.90"), amount.quantize(Decimal("1")) - Decimal("0.10"))


def _lines(rng, store: Store, buyer_tier: str | None, skus: dict, tier_prices: dict) -> list[Line]:
    codes = sorted(skus)
    combos = [c for c in codes if skus[c].is_combo]
    singles = [c for c in codes if not skus[c].is_combo]
    reseller = buyer_tier == "Reseller"
    chosen: list[str] = []
    for _ in range(rng.choices([1, 2, 3], weights=[55, 30, 15])[0]):
        code = rng.choice(combos if rng.random() < 0.15 else singles)
        if code not in chosen:
            chosen.append(code)
    markup = Decimal(rng.choice(["1.9", "2.0", "2.2", "2.5"]))
    lines = []
    for code in chosen:
        sku = skus[code]
        quantity = rng.randint(3, 12) if reseller else rng.choices([1, 2, 3], weights=[75, 18, 7])[0]
        base = tier_prices.get((buyer_tier, code)) or sku.wholesale_price * markup
        lines.append(Line(code, quantity, _price(base, store.currency)))
    return lines


def _buyer_pool(store: Store, region: str) -> list[str]:
    """Marketplace shoppers are consumers; resellers and tier buyers order offline and on the web shop."""
    people = BUYERS[region]
    if store.channel == Channel.OFFLINE:
        return [name for name, tier in people if tier]
    if store.channel == Channel.WOOCOMMERCE:
        return [name for name, _ in people]
    return [name for name, tier in people if tier != "Reseller"]


def _plan(demo: Demo, anchor: datetime, skus: dict, tier_prices: dict, buyer_tiers: dict) -> list[Plan]:
    rng = random.Random(42)
    plans: list[Plan] = []
    requests = {store: [r for s, r in CANCEL_REQUESTS if s == store] for store in STORE_PLAN}
    for store_name, (region, _, counts) in STORE_PLAN.items():
        store = demo.stores[store_name]
        statuses = [status for status, n in counts.items() for _ in range(n)]
        ages = [
            timedelta(days=rng.randint(*AGE_DAYS[s]), minutes=rng.randint(1, 24 * 60 - 1)) for s in statuses
        ]  # minutes before the anchor (midnight today), so never in the future
        numbers = _order_numbers(store, len(statuses))  # oldest first: pair them with the oldest orders
        by_age = sorted(range(len(statuses)), key=lambda i: ages[i], reverse=True)
        store_plans: list[Plan] = []
        seen: Counter = Counter()  # orders so far per status, to cycle through the platform statuses
        for position, i in enumerate(by_age):
            status = statuses[i]
            ordered_at = anchor - ages[i]
            buyer = rng.choice(_buyer_pool(store, region))
            own_shop = store.channel in (Channel.OFFLINE, Channel.WOOCOMMERCE)  # tier prices apply there only
            platform_statuses = PLATFORM_STATUS[store.channel][status]
            nth = seen[status]
            seen[status] += 1
            plan = Plan(
                store=store_name,
                number=numbers[position],
                status=status,
                platform_status=platform_statuses[nth % len(platform_statuses)],
                buyer=buyer,
                ordered_at=ordered_at,
                lines=_lines(rng, store, buyer_tiers.get(buyer) if own_shop else None, skus, tier_prices),
            )
            _ship_or_cancel(plan, rng, store, nth, anchor)
            store_plans.append(plan)
        _request_cancellations(store_plans, requests[store_name], rng, store, anchor)
        plans.extend(store_plans)
    return plans


def _ship_or_cancel(plan: Plan, rng, store: Store, nth: int, anchor: datetime) -> None:
    """What happened to the `nth` order of its status after it was placed."""
    status, ordered_at = plan.status, plan.ordered_at
    if status in (S.TO_PICKUP, S.SHIPPED, S.COMPLETED):
        plan.tracking_number = tracking_number_for(rng, store)
    if status in (S.SHIPPED, S.COMPLETED):
        plan.ship = True
        plan.shipped_at = ordered_at + timedelta(hours=rng.randint(18, 44))
    if status == S.CANCELLED:
        # Every other cancelled order had already left the warehouse (failed delivery, a
        # parcel the buyer refused); one in three of those is already stocked in again.
        if nth % 2 == 0 and ordered_at < anchor - timedelta(days=9):
            plan.ship = True
            plan.tracking_number = tracking_number_for(rng, store)
            plan.shipped_at = ordered_at + timedelta(hours=rng.randint(18, 44))
            plan.cancelled_at = plan.shipped_at + timedelta(days=rng.randint(3, 6))
            plan.cancel_reason = RETURNED_REASON
            plan.stock_in = nth % 6 == 4
        else:
            plan.cancelled_at = ordered_at + timedelta(hours=rng.randint(1, 30))
            rule = SELLER_CANCEL.get(store.channel)
            plan.cancel_reason = rng.choice(rule.reasons if rule else OTHER_CANCEL_REASONS)


def _request_cancellations(store_plans: list[Plan], reasons: list[str], rng, store: Store, anchor: datetime) -> None:
    """Buyer cancellation requests go on the store's newest New orders."""
    newest_new = [p for p in reversed(store_plans) if p.status == S.NEW]
    for plan, reason in zip(newest_new, reasons, strict=False):
        plan.cancel_request = reason
        if store.channel == Channel.SHOPEE:
            plan.platform_status = "In Cancellation"
        else:
            plan.platform_status = "Awaiting Shipment"
    if store.channel == Channel.TIKTOK and reasons:
        # The 3PL had already handed this one to the courier when the buyer asked to cancel.
        plan = newest_new[len(reasons) - 1]
        plan.ship = True
        plan.platform_status = "Awaiting Collection"
        plan.tracking_number = tracking_number_for(rng, store)
        plan.shipped_at = min(plan.ordered_at + timedelta(hours=6), anchor - timedelta(minutes=1))


def seed_buyers(demo: Demo) -> dict[str, Buyer]:
    buyers = {}
    for region, people in BUYERS.items():
        phone = {"MY": "+60 12-{:03d} {:04d}", "ID": "+62 812-{:04d}-{:04d}", "INTL": "+1 415-{:03d}-{:04d}"}[region]
        for i, (name, tier) in enumerate(people):
            slug = "".join(c for c in name.lower().replace(" ", ".") if c.isalnum() or c == ".")
            buyers[name], _ = Buyer.objects.get_or_create(
                tenant=demo.seller,
                name=name,
                defaults={
                    "email": f"{slug[:40]}@example.com",
                    "phone": phone.format(100 + (i * 37) % 900, 1000 + (i * 7919) % 9000),
                    "tier": demo.tiers[tier] if tier else None,
                },
            )
    return buyers


def _create_orders(demo: Demo, plans: list[Plan], buyers: dict[str, Buyer]) -> list[Order]:
    return Order.objects.bulk_create(
        [
            Order(
                tenant=demo.seller,
                store=demo.stores[p.store],
                number=p.number,
                buyer=buyers[p.buyer],
                status=S.NEW if p.ship else p.status,  # order_ship takes New orders only
                platform_status=p.platform_status,
                currency=demo.stores[p.store].currency,
                paid_amount=sum((line.quantity * line.unit_price for line in p.lines), Decimal("0")),
                warehouse=demo.warehouses[STORE_PLAN[p.store][1]],
                tracking_number=p.tracking_number,
                ordered_at=p.ordered_at,
                is_manual=demo.stores[p.store].channel == Channel.OFFLINE,  # keyed in through Order Entry
                cancelled_at=None if p.ship else p.cancelled_at,
                cancel_reason="" if p.ship else p.cancel_reason,
            )
            for p in plans
        ]
    )


def seed_orders(demo: Demo) -> None:
    """Buyers, ~300 orders in every status, their shipments and stock-ins, and pending buyer
    cancellation requests. Orders already there (by store and number) are left as they are."""
    tenant, actor = demo.seller, demo.users["seller"]
    buyers = seed_buyers(demo)
    skus = demo.skus  # the catalogue step's SKUs: not ones added since, which would change the plan
    tier_prices = {
        (tp.tier.name, tp.sku.code): tp.price
        for tp in TierPrice.objects.for_tenant(tenant).select_related("tier", "sku")
    }
    buyer_tiers = {name: buyer.tier.name for name, buyer in buyers.items() if buyer.tier}
    now = timezone.now()
    anchor = now.replace(hour=0, minute=0, second=0, microsecond=0)
    plans = _plan(demo, anchor, skus, tier_prices, buyer_tiers)

    existing = set(Order.objects.for_tenant(tenant).values_list("store_id", "number"))
    plans = [p for p in plans if (demo.stores[p.store].pk, p.number) not in existing]
    if not plans:
        return
    orders = _create_orders(demo, plans, buyers)
    OrderItem.objects.bulk_create(
        [
            OrderItem(
                tenant=tenant, order=order, sku=skus[line.sku], quantity=line.quantity, unit_price=line.unit_price
            )
            for order, p in zip(orders, plans, strict=True)
            for line in p.lines
        ]
    )
    for order, p in zip(orders, plans, strict=True):
        if p.ship:
            order_ship(order=order, actor=actor, tracking_number=p.tracking_number)
            Order.objects.filter(pk=order.pk).update(
                status=p.status, shipped_at=p.shipped_at, cancelled_at=p.cancelled_at, cancel_reason=p.cancel_reason
            )
        if p.status == S.CANCELLED:
            OrderItem.objects.filter(order=order).update(cancelled_quantity=F("quantity"))
        if p.stock_in:
            cancelled_order_stock_in(order=order, actor=actor)
    CancelRequest.objects.bulk_create(
        [
            CancelRequest(tenant=tenant, order=order, reason=p.cancel_request)
            for order, p in zip(orders, plans, strict=True)
            if p.cancel_request
        ]
    )
