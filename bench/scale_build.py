"""bench/scale.py's data, table by table: one tenant of N cases, N orders, ~0.7 N refund orders and ~3.9 N timeline
events, written by INSERT ... SELECT FROM generate_series (no Python loop over rows).

Each table has one function holding its one INSERT, with the columns listed in the table's order:
when a migration adds a NOT NULL column, add it to that INSERT (see bench/README.md). Every
"random" choice is a hash of the row's number `g`, so every database gets the same data; orders,
order items and cases take explicit ids (`base + g`) so their rows can be linked by arithmetic.
"""

import case_pages
import order_list
from django.db import connection

from accounts.models import Tenant
from aftersales.models import CaseEvent, CaseStatus, CaseType
from channels.models import Store
from inventory.models import Warehouse
from orders.selectors import ELIGIBLE_FOR_AFTERSALES

S, RR, RO, EX = CaseStatus, CaseType.RETURN_REFUND, CaseType.REFUND_ONLY, CaseType.EXCHANGE
SIZES = {"1k": 1_000, "100k": 100_000, "1M": 1_000_000}
N_SKUS = 500
WAITING = (S.CONFIRM_RETURN, S.CONFIRM_EXCHANGE)
OTHER_PARCELS_TRACKED = 40  # per cent of the other parcel cases with a return tracking number
E = CaseEvent.Type
CONFIRMED = {RR: S.CONFIRM_RETURN, RO: S.CONFIRM_REFUND, EX: S.CONFIRM_EXCHANGE}
FIRST = [(E.CREATED, "", S.TO_CONFIRM)]
PATHS = {  # (status, type) -> the timeline that led there: ~3.9 events per case with the mix
    (S.TO_CONFIRM, None): FIRST,
    (S.CONFIRM_RETURN, RR): [*FIRST, (E.CONFIRMED, S.TO_CONFIRM, S.CONFIRM_RETURN)],
    (S.CONFIRM_REFUND, RO): [*FIRST, (E.CONFIRMED, S.TO_CONFIRM, S.CONFIRM_REFUND)],
    (S.CONFIRM_EXCHANGE, EX): [*FIRST, (E.CONFIRMED, S.TO_CONFIRM, S.CONFIRM_EXCHANGE)],
    (S.CANCELLED, None): [*FIRST, (E.CANCELLED, S.TO_CONFIRM, S.CANCELLED)],
}
for _t in (RR, EX):
    _received = [*FIRST, (E.CONFIRMED, S.TO_CONFIRM, CONFIRMED[_t]), (E.RECEIVED, CONFIRMED[_t], S.RECEIVED_RETURN)]
    PATHS[(S.RECEIVED_RETURN, _t)] = _received
PATHS[(S.REFUND_PROCESSING, RR)] = PATHS[(S.RECEIVED_RETURN, RR)] + [
    (E.REFUND_REQUESTED, S.RECEIVED_RETURN, S.REFUND_PROCESSING)
]
PATHS[(S.REFUND_PROCESSING, RO)] = PATHS[(S.CONFIRM_REFUND, RO)] + [
    (E.REFUND_REQUESTED, S.CONFIRM_REFUND, S.REFUND_PROCESSING)
]
for _t in (RR, RO):
    PATHS[(S.COMPLETED, _t)] = PATHS[(S.REFUND_PROCESSING, _t)] + [
        (E.REFUND_CONFIRMED, S.REFUND_PROCESSING, S.COMPLETED)
    ]
PATHS[(S.COMPLETED, EX)] = PATHS[(S.RECEIVED_RETURN, EX)] + [
    (E.EXCHANGE_ORDER_CREATED, S.RECEIVED_RETURN, S.RECEIVED_RETURN),
    (E.COMPLETED, S.RECEIVED_RETURN, S.COMPLETED),
]


def rnd(expr: str, salt: int, mod: int) -> str:
    """SQL: a stable pseudo-random integer in [0, mod) from the bigint `expr`."""
    return f"mod(hashint8(({expr}) * 1000003 + {salt}) & 2147483647, {mod})"


def pick(mix: dict, r: str) -> str:
    """SQL: a value of `mix` (value -> weight) chosen by `r`, an integer in [0, sum of weights)."""
    whens, bound = [], 0
    for value, weight in mix.items():
        bound += weight
        whens.append(f"WHEN {r} < {bound} THEN '{value}'")
    return f"CASE {' '.join(whens)} END"


def case_type_sql(status: str, r: str) -> str:
    """SQL: a type the case's status allows (case_pages.TYPES_IN), weighted by case_pages.TYPE_MIX."""
    whens = []
    for st, allowed in case_pages.TYPES_IN.items():
        mix = {t: case_pages.TYPE_MIX[t] for t in allowed}
        scaled = {t: w * 1000 // sum(mix.values()) for t, w in mix.items()}
        scaled[allowed[-1]] += 1000 - sum(scaled.values())
        whens.append(f"WHEN {status} = '{st}' THEN {pick(scaled, r)}")
    return f"CASE {' '.join(whens)} ELSE {pick({t: w * 10 for t, w in case_pages.TYPE_MIX.items()}, r)} END"


def run(sql: str, params: dict | None = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.rowcount


def scalar(sql: str, params: dict | None = None):
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.fetchone()[0]


def next_id(table: str) -> int:
    return scalar(f"SELECT coalesce(max(id), 0) FROM {table}")


def reset_sequences(*tables: str) -> None:
    """After explicit ids, the identity continues after the largest one."""
    for table in tables:
        run(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def catalogue(tenant: Tenant) -> tuple[list[Store], Warehouse]:
    """Stores, warehouses, SKUs (SKU-0000.., wholesale 5 + k % 60) and buyers are small: ORM and SQL."""
    stores = [
        Store.objects.create(tenant=tenant, name=name, channel=channel, currency=currency, site=name[-2:])
        for name, channel, currency, _ in order_list.STORES
    ]
    main = Warehouse.objects.create(tenant=tenant, code="WH-1", name="Main Warehouse", is_default_return=True)
    Warehouse.objects.create(tenant=tenant, code="WH-2", name="Returns Hub")
    run(
        """INSERT INTO inventory_sku (created_at, updated_at, code, name, wholesale_price, is_combo, tenant_id,
               is_active)
           SELECT now(), now(), 'SKU-' || lpad(k::text, 4, '0'), 'Product ' || k, 5 + mod(k, 60), false, %(t)s, true
           FROM generate_series(0, %(n)s - 1) k""",
        {"t": tenant.pk, "n": N_SKUS},
    )
    return stores, main


FIRST_NAMES = "Aisyah Wei Ming Siti Kumar Mei Ling Ahmad Nurul Jia Hui Raj Farah Zhi Hao Priya Hafiz Xin Yi Arjun"
LAST_NAMES = "Tan Lim Wong Lee Abdullah Rahman Ng Chan Singh Ismail Goh Yusof Ong Teo Nair Chong Low Hassan"


def insert_buyers(tenant: Tenant, n_buyers: int) -> int:
    first, last = (f"string_to_array('{names}', ' ')" for names in (FIRST_NAMES, LAST_NAMES))
    return run(
        f"""INSERT INTO orders_buyer (created_at, updated_at, name, email, phone, tenant_id, tier_id)
            SELECT now(), now(),
                   ({first})[1 + {rnd("g", 11, FIRST_NAMES.count(" ") + 1)}] || ' '
                   || ({last})[1 + {rnd("g", 12, LAST_NAMES.count(" ") + 1)}] || ' ' || g,
                   '', '+60 12-' || lpad(g::text, 7, '0'), %(t)s, NULL
            FROM generate_series(1, %(n)s::bigint) g""",
        {"t": tenant.pk, "n": n_buyers},
    )


def sku_k(g: str) -> str:
    """SQL: the SKU index (0..N_SKUS-1) of order `g`; its item is paid 2 x wholesale (5 + k % 60)."""
    return rnd(g, 3, N_SKUS)


def order_number_sql(g: str) -> str:
    """SQL: order_list.order_number() in SQL: each platform's format, distinct for distinct `g`."""
    scrambled = f"(({g}) * 7919311 + 1234567)"
    return f"""CASE channel
        WHEN 'shopee' THEN '2611' || lpad(mod({scrambled}, 10000000000)::text, 10, '0')
        WHEN 'lazada' THEN (300000000000000 + mod({scrambled}, 100000000000000))::text
        WHEN 'tiktok' THEN '57' || lpad(mod({scrambled}, 10000000000000000)::text, 16, '0')
        WHEN 'shopify' THEN '#' || (1001 + {g})
        WHEN 'woocommerce' THEN (10000 + {g})::text
        ELSE 'OFF-' || (100 + {g}) END"""


def insert_orders(p: dict) -> int:
    """N orders, ids base_o + g: statuses order_list.STATUS_MIX, stores by their share, a year of history."""
    stores = {i + 1: share for i, (*_, share) in enumerate(order_list.STORES)}
    platform = " ".join(f"WHEN '{s}' THEN '{label}'" for s, label in order_list.PLATFORM_STATUS.items())
    return run(
        f"""INSERT INTO orders_order (id, created_at, updated_at, number, status, platform_status, currency,
               paid_amount, tracking_number, ordered_at, shipped_at, cancelled_at, cancel_reason,
               cancel_stocked_in_at, is_manual, buyer_id, store_id, tenant_id, warehouse_id)
            SELECT %(base_o)s + g, at, at, {order_number_sql("g + %(salt)s")}, status,
                   CASE status {platform} END, currency, 2 * (5 + mod(k, 60)) * qty,
                   CASE WHEN status IN ('shipped', 'completed') THEN 'TRK' || lpad((g + %(salt)s)::text, 10, '0')
                        ELSE '' END,
                   at, CASE WHEN status IN ('shipped', 'completed') THEN at + interval '1 day' END,
                   CASE WHEN status = 'cancelled' THEN at + interval '6 hours' END,
                   CASE WHEN status = 'cancelled' THEN 'Out of stock' ELSE '' END, NULL, channel = 'offline',
                   (%(buyers)s::bigint[])[1 + {rnd("g", 5, "%(n_buyers)s")}], store_id, %(t)s, %(wh)s
            FROM (SELECT g, {pick(order_list.STATUS_MIX, rnd("g", 1, 1000))} AS status,
                         (%(store_ids)s::bigint[])[s] AS store_id, (%(channels)s::text[])[s] AS channel,
                         (%(currencies)s::text[])[s] AS currency, {sku_k("g")} AS k, 1 + {rnd("g", 4, 3)} AS qty,
                         %(now)s - make_interval(secs => {rnd("g", 6, 365 * 86400)}) AS at
                  FROM (SELECT g, {pick(stores, rnd("g", 2, 100))}::int AS s
                        FROM generate_series(1, %(n)s::bigint) g) numbered) o""",
        p,
    )


def insert_order_items(p: dict) -> int:
    """One item per order, ids base_i + g: the order's SKU, quantity and price."""
    return run(
        f"""INSERT INTO orders_orderitem (id, quantity, cancelled_quantity, unit_price, unit_price_at_shipment,
               order_id, sku_id, tenant_id)
            SELECT %(base_i)s + g, 1 + {rnd("g", 4, 3)}, 0, 2 * (5 + mod({sku_k("g")}, 60)), NULL, %(base_o)s + g,
                   (%(skus)s::bigint[])[1 + {sku_k("g")}], %(t)s
            FROM generate_series(1, %(n)s::bigint) g""",
        p,
    )


def insert_cases(p: dict) -> int:
    """N cases, ids base_c + g, on the eligible orders in turn (a tenth of them get a second case):
    case_pages.STATUS_MIX, a type each status allows, every parcel waiting for Stock-In tracked."""
    eligible = ", ".join(f"'{s}'" for s in ELIGIBLE_FOR_AFTERSALES)
    received = (
        f"type IN ('{RR}', '{EX}') AND status IN ('{S.RECEIVED_RETURN}', '{S.REFUND_PROCESSING}', '{S.COMPLETED}')"
    )
    waiting = ", ".join(f"'{s}'" for s in WAITING)
    tracked = f"status IN ({waiting}) OR (type IN ('{RR}', '{EX}') AND {rnd('g', 23, 100)} < {OTHER_PARCELS_TRACKED})"
    later = f"least(%(now)s, at + make_interval(days => 1 + {rnd('g', 26, 10)}))"  # decided 1 to 10 days on
    reasons = f"ARRAY[{', '.join(repr(r) for r in case_pages.REASONS)}]"
    return run(
        f"""INSERT INTO aftersales_case (id, created_at, updated_at, number, type, source, status, reason, notes,
               return_tracking_number, currency, returned_total, exchange_total, received_at, completed_at,
               cancelled_at, cancel_reason, assignee_id, created_by_id, exchange_order_id, order_id, store_id,
               tenant_id, received_warehouse_id, over_refund_note)
            SELECT %(base_c)s + g, at, {later}, 'AS' || to_char(at, 'YYMMDD') || lpad(upper(to_hex(g)), 6, '0'),
                   type, 'manual', status, ({reasons})[1 + {rnd("g", 24, len(case_pages.REASONS))}], '',
                   CASE WHEN {tracked}
                        THEN 'SPXMY0' || lpad(mod((g + %(salt)s) * 7919311 + 1234567, 100000000000)::text, 11, '0')
                        ELSE '' END,
                   currency, price, CASE WHEN type = '{EX}' THEN price ELSE 0 END,
                   CASE WHEN {received} THEN {later} END, CASE WHEN status = '{S.COMPLETED}' THEN {later} END,
                   CASE WHEN status = '{S.CANCELLED}' THEN {later} END,
                   CASE WHEN status = '{S.CANCELLED}' THEN 'Buyer withdrew the request' ELSE '' END,
                   NULL, %(owner)s, NULL, order_id, store_id, %(t)s,
                   CASE WHEN {received} THEN %(wh)s END, ''
            FROM (SELECT x.*, o.id AS order_id, o.store_id, o.currency, i.unit_price AS price,
                         least(%(now)s - interval '5 minutes',
                               o.ordered_at + make_interval(secs => 172800 + {rnd("g", 25, 18 * 86400)})) AS at
                  FROM (SELECT g, status, {case_type_sql("status", rnd("g", 22, 1000))} AS type
                        FROM (SELECT g, {pick(case_pages.STATUS_MIX, rnd("g", 21, 1000))} AS status
                              FROM generate_series(1, %(n)s::bigint) g) s) x
                  JOIN (SELECT id, store_id, currency, ordered_at, row_number() OVER (ORDER BY id) AS rn
                        FROM orders_order WHERE tenant_id = %(t)s AND status IN ({eligible})) o
                    ON o.rn = 1 + mod(x.g - 1, %(n_eligible)s)
                  JOIN orders_orderitem i ON i.order_id = o.id) c""",
        p,
    )


def insert_case_lines(p: dict) -> int:
    """The returned item of each case (its order's item, quantity 1), and the same SKU at the same
    price as the exchange line of an Exchange."""
    return run(
        f"""INSERT INTO aftersales_caseline (kind, quantity, unit_price, amount, received_quantity, case_id,
               order_item_id, sku_id, tenant_id)
            SELECT k.kind, 1, i.unit_price, i.unit_price,
                   CASE WHEN k.kind = 'returned' AND c.received_at IS NOT NULL THEN 1 ELSE 0 END, c.id,
                   CASE WHEN k.kind = 'returned' THEN i.id END, i.sku_id, c.tenant_id
            FROM aftersales_case c
            JOIN orders_orderitem i ON i.order_id = c.order_id
            CROSS JOIN (VALUES ('returned'), ('exchange')) k(kind)
            WHERE c.tenant_id = %(t)s AND (k.kind = 'returned' OR c.type = '{EX}')""",
        p,
    )


def quoted(value: str | None) -> str:
    return f"'{value}'" if value else "NULL"


def insert_events(p: dict) -> int:
    """The timeline that led each case to its status (PATHS), a day apart, by the main account."""
    steps = ", ".join(
        f"('{status}', {quoted(type_)}, {step}, '{event}', '{before}', '{after}')"
        for (status, type_), path in PATHS.items()
        for step, (event, before, after) in enumerate(path)
    )
    return run(
        f"""INSERT INTO aftersales_caseevent (type, from_status, to_status, data, created_at, actor_id, case_id,
               tenant_id)
            SELECT e.event, e.before, e.after, '{{}}'::jsonb,
                   least(%(now)s, c.created_at + make_interval(days => e.step)), %(owner)s, c.id, c.tenant_id
            FROM aftersales_case c
            JOIN (VALUES {steps}) e(status, type, step, event, before, after)
              ON e.status = c.status AND (e.type IS NULL OR e.type = c.type)
            WHERE c.tenant_id = %(t)s""",
        p,
    )


def insert_refunds(p: dict) -> int:
    """A processing slip for every Refund Processing case (15% after a rejected one), a confirmed one
    for every completed Return & Refund / Refund-Only case (10% after a rejected one): ~0.7 N."""
    methods = "ARRAY['bank_transfer', 'e_wallet', 'cash', 'platform', 'other']"
    return run(
        f"""INSERT INTO refunds_refundorder (created_at, updated_at, number, amount, currency, method,
               payment_info, proof, note, status, decided_at, reject_reason, case_id, created_by_id,
               decided_by_id, tenant_id, store_id)
            SELECT at, at, 'RF' || to_char(at, 'YYMMDD') || lpad(upper(to_hex(c.id * 2 + s.rejected)), 8, '0'),
                   c.returned_total, c.currency, ({methods})[1 + {rnd("c.id", 31, 5)}], 'Bank: Maybank 1234567890',
                   '', '', s.status, CASE WHEN s.status <> 'processing' THEN at + interval '5 hours' END,
                   CASE WHEN s.rejected = 1 THEN 'Wrong account number' ELSE '' END, c.id, %(owner)s,
                   CASE WHEN s.status <> 'processing' THEN %(owner)s END, c.tenant_id, c.store_id
            FROM aftersales_case c
            CROSS JOIN LATERAL (VALUES
                ('rejected', 2, 1),
                (CASE WHEN c.status = '{S.REFUND_PROCESSING}' THEN 'processing' ELSE 'confirmed' END, 4, 0)
            ) s(status, days, rejected)
            CROSS JOIN LATERAL (SELECT least(%(now)s - interval '1 minute',
                                             c.created_at + make_interval(days => s.days)) AS at) a
            WHERE c.tenant_id = %(t)s
              AND (c.status = '{S.REFUND_PROCESSING}' OR (c.status = '{S.COMPLETED}' AND c.type IN ('{RR}', '{RO}')))
              AND (s.rejected = 0
                   OR {rnd("c.id", 32, 100)} < CASE WHEN c.status = '{S.REFUND_PROCESSING}' THEN 15 ELSE 10 END)""",
        p,
    )
