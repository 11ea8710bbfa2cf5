"""Every service that changes data is open to exactly the roles holding its permission.

The services modules are introspected, so a service added later without an entry in its app's
table fails `test_every_public_service_function_has_an_entry`. Each entry is the permission that
opens the service and how to build valid arguments for it in a tenant; every service is then
called as a user of each role (one role per permission, the main account, a sub-account with no
role) and must refuse exactly the roles lacking its permission, with PermissionDenied, before it
changes anything. Valid arguments mean the allowed roles get through without any error.

An app joins by adding its table (`"<app>.services": {...}`) to TABLES.
"""

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.permissions import Perm
from aftersales.models import CaseType
from aftersales.services import LineInput, case_confirm, case_confirm_and_stock_in, case_generate_exchange_order
from channels.models import Channel, Connection, Store
from channels.services import STATE_SALT
from inventory.models import SKU, CustomerTier, Warehouse, WarehouseKind
from inventory.services import SKUInput, WarehouseInput
from orders.models import OrderStatus
from tests.channels.connecting import approve, register_tiktok_app
from tests.factories import (
    PNG_1PX,
    CancelRequestFactory,
    ComboItemFactory,
    CustomerTierFactory,
    OrderFactory,
    OrderItemFactory,
    SKUFactory,
    StoreFactory,
    UserFactory,
    WarehouseFactory,
    make_case,
    make_refund,
    shipped_order,
)

READS = "reads"  # changes nothing: views may call it freely
INTERNAL = "internal"  # a building block of the checked services, or run by the system: no view calls it


@dataclass(frozen=True)
class Opens:
    """The permission that opens a service (None: the main account only), and its arguments (all
    but `actor`), made in the tenant of `owner` (its main account, which may prepare the state the
    service starts from)."""

    perm: Perm | None
    arguments: Callable[..., dict]
    needs: tuple[str, ...] = ()  # what else `arguments` takes by name: "actor" (the caller), or fixtures


# --- the tables, one per app ----------------------------------------------------------------


def _waiting_item(owner):
    return OrderItemFactory(
        order__tenant=owner.tenant, order__status=OrderStatus.WAITING_APPROVAL, order__is_manual=True
    )


def _case(owner):
    return make_case(order=shipped_order(tenant=owner.tenant), actor=owner)


def _exchange_case(owner, *, exchange_quantity=1):
    order = shipped_order(tenant=owner.tenant)  # 2 x 25.00 returned
    sku = SKUFactory(tenant=owner.tenant)  # wholesale 10.00
    return make_case(type=CaseType.EXCHANGE, order=order, actor=owner, exchange=[(sku, exchange_quantity)])


def _confirmed(case, owner):
    case_confirm(case=case, actor=owner)
    case.refresh_from_db()
    return case


def _received(case, owner):
    case_confirm_and_stock_in(case=case, actor=owner, warehouse=WarehouseFactory(tenant=owner.tenant))
    case.refresh_from_db()
    return case


def _with_exchange_order(case, owner):
    case_generate_exchange_order(case=case, actor=owner)
    case.refresh_from_db()
    return case


def _failed_action(owner):
    from channels.models import OutboundAction, OutboundKind

    order = OrderFactory(tenant=owner.tenant)
    return OutboundAction.objects.create(
        tenant=owner.tenant, store=order.store, order=order, kind=OutboundKind.CANCEL_ORDER, status="failed"
    )


ORDERS = {
    "order_cancel": Opens(
        Perm.CANCEL_ORDERS,
        lambda owner: {
            "order": OrderItemFactory(order__tenant=owner.tenant, order__platform_status="To Process").order,
            "reason": "Out of Stock",
        },
    ),
    "cancel_request_answer": Opens(
        Perm.CANCEL_ORDERS,
        lambda owner: {
            "request": CancelRequestFactory(order__tenant=owner.tenant, order__store__channel=Channel.SHOPEE),
            "agree": True,
        },
    ),
    "cancelled_order_stock_in": Opens(
        Perm.CANCEL_ORDERS, lambda owner: {"order": OrderFactory(tenant=owner.tenant, status=OrderStatus.CANCELLED)}
    ),
    "order_approve": Opens(Perm.ORDER_ENTRY, lambda owner: {"order": _waiting_item(owner).order}),
    "outbound_retry": Opens(Perm.CANCEL_ORDERS, lambda owner: {"actions": [_failed_action(owner)]}),
    "order_entry_update": Opens(
        Perm.ORDER_ENTRY,
        lambda owner: (
            lambda item: {"order": item.order, "lines": {item.pk: (2, Decimal("5.00"))}, "tracking_number": "MY1"}
        )(_waiting_item(owner)),
    ),
    "order_entry_create": Opens(
        Perm.ORDER_ENTRY,
        lambda owner: {
            "tenant": owner.tenant,
            "store": StoreFactory(tenant=owner.tenant),
            "warehouse": WarehouseFactory(tenant=owner.tenant),
            "buyer": None,
            "lines": [(SKUFactory(tenant=owner.tenant), 1, None)],
        },
    ),
    # the exchange order is made and withdrawn on its case's authority
    "exchange_order_create": Opens(
        Perm.MANUAL_AFTERSALES,
        lambda owner: {
            "case": _confirmed(_exchange_case(owner), owner),
            "lines": [(SKUFactory(tenant=owner.tenant), 1, Decimal("10.00"))],
        },
    ),
    "exchange_order_withdraw": Opens(
        Perm.MANUAL_AFTERSALES,
        lambda owner: {
            "case": _with_exchange_order(_confirmed(_exchange_case(owner), owner), owner),
            "reason": "Case cancelled",
        },
    ),
    "order_ship": INTERNAL,  # the platform's shipment, recorded by the sync or the seed
    "order_cancel_by_platform": INTERNAL,  # the platform cancelled it: run by the sync, never by a view
    "stock_to_return": READS,
}

AFTERSALES = {
    "case_create": Opens(
        Perm.MANUAL_AFTERSALES,
        lambda owner: (
            lambda order: {
                "tenant": owner.tenant,
                "order": order,
                "type": CaseType.RETURN_REFUND,
                "returned": [LineInput(sku=i.sku, quantity=1, order_item=i) for i in order.items.all()],
            }
        )(shipped_order(tenant=owner.tenant)),
    ),
    "case_confirm": Opens(Perm.MANUAL_AFTERSALES, lambda owner: {"case": _case(owner)}),
    "case_confirm_and_stock_in": Opens(
        Perm.MANUAL_AFTERSALES,
        lambda owner: {"case": _case(owner), "warehouse": WarehouseFactory(tenant=owner.tenant)},
    ),
    "case_receive": Opens(
        Perm.RETURN_STOCKIN,
        lambda owner: (
            lambda case: {
                "case": case,
                "warehouse": WarehouseFactory(tenant=owner.tenant),
                "received": {line.pk: (line.quantity, 0) for line in case.lines.all()},
            }
        )(_confirmed(_case(owner), owner)),
    ),
    "case_generate_exchange_order": Opens(
        Perm.MANUAL_AFTERSALES, lambda owner: {"case": _confirmed(_exchange_case(owner), owner)}
    ),
    "case_complete": Opens(  # an even exchange (5 x 10.00 for 2 x 25.00): nothing to refund
        Perm.MANUAL_AFTERSALES,
        lambda owner: {
            "case": _with_exchange_order(_received(_exchange_case(owner, exchange_quantity=5), owner), owner)
        },
    ),
    "case_cancel": Opens(Perm.MANUAL_AFTERSALES, lambda owner: {"case": _case(owner), "reason": "Duplicate"}),
    "case_receive_elsewhere": INTERNAL,  # the supplier's stock-in (distribution), under its own permission
    "case_update": Opens(
        Perm.MANUAL_AFTERSALES,
        lambda owner: {"case": _case(owner), "return_tracking_number": "RT1", "assignee": None, "notes": ""},
    ),
    "attachment_add": Opens(
        Perm.MANUAL_AFTERSALES,
        lambda owner: {
            "case": _case(owner),
            "upload": SimpleUploadedFile("parcel.png", PNG_1PX, content_type="image/png"),
            "content_type": "image/png",
        },
    ),
    "check_transition": READS,  # refuses or not; the refund page asks it before showing its form
    "order_refusal": READS,
    "returnable_by_sku": READS,
    "lock_case": INTERNAL,
    "transition_case": INTERNAL,  # checks the transition's permission itself, inside the case services
}

REFUNDS = {
    "refund_create": Opens(
        Perm.AFTERSALES_REFUND,
        lambda owner: (lambda case: {"case": case, "amount": case.refund_left(), "method": "cash"})(
            _received(_case(owner), owner)
        ),
    ),
    "refund_confirm": Opens(Perm.AFTERSALES_REFUND, lambda owner: {"refund": make_refund(case=_case(owner))}),
    "room_refusal": READS,
    "refund_reject": Opens(
        Perm.AFTERSALES_REFUND,
        lambda owner: {"refund": make_refund(case=_case(owner)), "reason": "Wrong account"},
    ),
}


def _sku_input(owner, **fields) -> SKUInput:
    code = fields.pop("code", f"NEW-{SKU.objects.count()}")
    tier_prices = {CustomerTierFactory(tenant=owner.tenant): Decimal("4.00")}
    return SKUInput(code=code, name="New", wholesale_price=Decimal("5.00"), tier_prices=tier_prices, **fields)


def _combo_update(owner) -> dict:
    combo = ComboItemFactory(combo__tenant=owner.tenant).combo
    components = [(SKUFactory(tenant=owner.tenant), 3)]
    return {"sku": combo, "data": _sku_input(owner, code=combo.code, is_active=False, components=components)}


def _warehouse_input(**fields) -> WarehouseInput:
    code = f"WH-NEW-{Warehouse.objects.count()}"
    return WarehouseInput(name=code, code=code, kind=WarehouseKind.OWN, is_default_return=True, **fields)


INVENTORY = {
    "expand_combo": READS,
    "inactive_message": READS,
    "refuse_inactive": INTERNAL,  # a check inside the order, case and combo services
    "stock_move": INTERNAL,  # every movement is made by a checked service (or the seed)
    "sku_create": Opens(
        Perm.SETTINGS,
        lambda owner: {
            "tenant": owner.tenant,
            "data": _sku_input(owner, components=[(SKUFactory(tenant=owner.tenant), 2)]),
            "is_combo": True,
        },
    ),
    "sku_update": Opens(Perm.SETTINGS, lambda owner: _combo_update(owner)),
    "tier_create": Opens(
        Perm.SETTINGS, lambda owner: {"tenant": owner.tenant, "name": f"Tier {CustomerTier.objects.count()}"}
    ),
    "tier_update": Opens(
        Perm.SETTINGS,
        lambda owner: {
            "tier": CustomerTierFactory(tenant=owner.tenant),
            "name": f"Tier {CustomerTier.objects.count()}b",
        },
    ),
    "warehouse_create": Opens(Perm.SETTINGS, lambda owner: {"tenant": owner.tenant, "data": _warehouse_input()}),
    "warehouse_update": Opens(
        Perm.SETTINGS,
        lambda owner: {"warehouse": WarehouseFactory(tenant=owner.tenant), "data": _warehouse_input()},
    ),
}


def _connected_store(owner):
    store = StoreFactory(tenant=owner.tenant, channel=Channel.TIKTOK, external_id="7001")
    Connection.objects.create(tenant=owner.tenant, store=store, access_token="T", refresh_token="R")
    return store


def _approved_callback(owner, actor, sandbox, settings) -> dict:
    """What the platform's callback brings: the seller approved a new shop on the sandbox, with the state
    a Connect store of `actor` carried."""
    app = register_tiktok_app(sandbox, settings)
    shop = sandbox.control("POST", "tiktok/shops", {"name": f"Shop {Store.objects.count()}", "region": "MY"})
    claim = {"t": owner.tenant_id, "u": actor.pk, "c": Channel.TIKTOK, "s": None}
    state = signing.dumps(claim, salt=STATE_SALT, compress=True)
    return {"tenant": owner.tenant, "state": state, "code": approve(sandbox, app, shop, state)["code"]}


CHANNELS = {
    "connection_start": Opens(
        Perm.SETTINGS,
        lambda owner: {"tenant": owner.tenant, "channel": Channel.TIKTOK, "redirect_uri": "http://app.test/cb"},
    ),
    "connection_complete": Opens(Perm.SETTINGS, _approved_callback, needs=("actor", "sandbox", "settings")),
    "connection_disconnect": Opens(Perm.SETTINGS, lambda owner: {"store": _connected_store(owner)}),
    "sync_request": Opens(Perm.SETTINGS, lambda owner: {"store": _connected_store(owner)}),
    "connection_link": INTERNAL,  # inside connection_complete, and the sandbox demo command
    "read_state": READS,
    "channel_label": READS,
}

TABLES: dict[str, dict[str, Opens | str]] = {
    "orders.services": ORDERS,
    "aftersales.services": AFTERSALES,
    "refunds.services": REFUNDS,
    "inventory.services": INVENTORY,
    "channels.services": CHANNELS,
}

OPENED = [
    (module, name) for module, table in TABLES.items() for name, entry in table.items() if isinstance(entry, Opens)
]


# --- the tests --------------------------------------------------------------------------------


def _public_functions(module_name: str) -> set[str]:
    module = import_module(module_name)
    return {
        name
        for name, value in vars(module).items()
        if inspect.isfunction(value)
        and (value.__module__ == module_name or value.__module__.startswith(f"{module_name}."))  # a package's modules
        and not name.startswith("_")
    }


@pytest.mark.parametrize("module_name", list(TABLES))
def test_every_public_service_function_has_an_entry(module_name):
    functions = _public_functions(module_name)
    assert not functions - set(TABLES[module_name]), "add these to the table, with the permission that opens them"
    assert not set(TABLES[module_name]) - functions, "these are no longer services: remove them from the table"


def _view_sources() -> dict[str, str]:
    """The source of every view and URL module of the project's apps."""
    sources = {}
    for config in apps.get_app_configs():
        if not Path(config.path).is_relative_to(settings.BASE_DIR):
            continue
        for pattern in ("*views.py", "*urls.py"):  # views.py and the like of stock_in_views.py
            for path in Path(config.path).glob(pattern):
                sources[f"{config.name}.{path.stem}"] = path.read_text()
    return sources


def test_internal_services_are_called_by_no_view():
    sources = _view_sources()
    assert "orders.views" in sources  # the walk finds the project's apps
    internal = [name for table in TABLES.values() for name, entry in table.items() if entry == INTERNAL]
    called = {
        (name, module) for name in internal for module, text in sources.items() if re.search(rf"\b{name}\b", text)
    }
    assert not called, "a page calls a service that checks no permission: give it one and an entry in the table"


@pytest.mark.parametrize(("module_name", "name"), OPENED, ids=[f"{m.split('.')[0]}.{n}" for m, n in OPENED])
def test_each_service_refuses_exactly_the_roles_without_its_permission(module_name, name, tenant, owner, request):
    service = getattr(import_module(module_name), name)
    entry = TABLES[module_name][name]
    actors = {perm.label: UserFactory(tenant=tenant, perms=[perm]) for perm in Perm}
    actors["main account"] = owner
    actors["no role"] = UserFactory(tenant=tenant)

    denied = set()
    for label, actor in actors.items():
        needed = {need: actor if need == "actor" else request.getfixturevalue(need) for need in entry.needs}
        arguments = entry.arguments(owner, **needed)
        try:
            service(actor=actor, **arguments)
        except PermissionDenied:
            denied.add(label)

    allowed = {"main account"} | ({entry.perm.label} if entry.perm else set())
    assert denied == set(actors) - allowed
