from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Tenant
from distribution.models import InboundStatus, PushStatus, ReturnPush, SupplierReturn
from inventory.models import StockMovement, WarehouseKind
from tests.core.test_tenant_isolation import OBJECT_URLS
from tests.distribution.helpers import distribution_order, make_bridge, pushed_return
from tests.factories import SKUFactory, UserFactory, WarehouseFactory, make_case

pytestmark = pytest.mark.django_db
SECRET_PRICE = Decimal("13.57")  # the supplier's unit price at shipment: never on a distributor's page


def _record(bridge, **kwargs) -> ReturnPush:
    return make_case(order=distribution_order(bridge, **kwargs).order, actor=bridge.distributor).distribution_push


def test_the_distributor_pushes_a_selection_and_reads_each_result(login):
    bridge = make_bridge(started_days_ago=400)
    good, old = _record(bridge, supplier_price=SECRET_PRICE), _record(bridge, days_ago=120)
    client = login(bridge.distributor)
    page = client.get(reverse("distribution:index"))
    assert page.status_code == 200 and 'data-tab="to_push"' in page.content.decode()
    assert page.context["tabs"][0].count == 2
    answer = client.post(reverse("distribution:push-selected"), {"push": [good.pk, old.pk]}, follow=True)
    said = [str(m) for m in answer.context["messages"]]
    assert any(good.case.number in m and "pushed" in m for m in said)
    assert any(old.case.number in m and "older than 90 days" in m for m in said)
    failed = client.get(reverse("distribution:index"), {"tab": "push_failed"}).content.decode()
    assert "older than 90 days" in failed and "Re-push" in failed
    counts = {tab.key: tab.count for tab in client.get(reverse("distribution:index")).context["tabs"]}
    assert counts == {"to_push": 0, "pushed": 1, "push_failed": 1, "recalled": 0}
    for url in (reverse("distribution:index") + "?tab=pushed", reverse("distribution:push-detail", args=[good.pk])):
        assert str(SECRET_PRICE) not in client.get(url).content.decode()


def test_one_record_is_pushed_once_however_often_the_button_is_clicked(login):
    bridge = make_bridge()
    push = _record(bridge)
    client = login(bridge.distributor)
    for _ in range(2):
        client.post(reverse("distribution:push", args=[push.pk]))
    assert SupplierReturn.objects.filter(push=push).count() == 1


def test_auto_push_is_a_setting_of_the_settings_role(login):
    bridge = make_bridge()
    pusher = UserFactory(tenant=bridge.distributor.tenant, perms=["accounts.distribution"])
    assert login(pusher).post(reverse("distribution:auto-push"), {"auto_push": "on"}).status_code == 403
    login(bridge.distributor).post(reverse("distribution:auto-push"), {"auto_push": "on"})
    assert login(bridge.distributor).get(reverse("distribution:index")).context["auto_push"] is True


def test_the_push_pages_need_the_distribution_permission(login):
    bridge = make_bridge()
    push = _record(bridge)
    clerk = UserFactory(tenant=bridge.distributor.tenant, perms=["accounts.manual_aftersales"])
    client = login(clerk)
    assert client.get(reverse("distribution:index")).status_code == 403
    assert client.post(reverse("distribution:push", args=[push.pk])).status_code == 403
    assert not SupplierReturn.objects.exists()


def test_the_supplier_sees_pushed_returns_as_return_and_refund_by_distributor(login):
    bridge = make_bridge()
    other = make_bridge(supplier_tenant=bridge.supplier.tenant)
    push, mine = pushed_return(bridge)
    pushed_return(other)
    swap = [(SKUFactory(tenant=bridge.distributor.tenant), 1)]
    exchange = make_case(
        order=distribution_order(bridge).order, actor=bridge.distributor, type="exchange", exchange=swap
    )
    from distribution.services import return_push

    return_push(push=exchange.distribution_push, actor=bridge.distributor)
    client = login(bridge.supplier)
    page = client.get(reverse("bigshop:index"), {"distributor": bridge.distributor.tenant.pk})
    rows = list(page.context["page"])
    assert {r.partnership.distributor_id for r in rows} == {bridge.distributor.tenant.pk} and len(rows) == 2
    html = page.content.decode()
    assert html.count('data-testid="type">Return &amp; Refund<') == 2 and "Exchange" not in html
    buyer = push.case.order.buyer.name
    assert buyer not in html and buyer not in client.get(reverse("bigshop:return", args=[mine.pk])).content.decode()


def test_the_supplier_stocks_in_through_the_ledger_into_its_own_warehouse_only(login):
    bridge = make_bridge()
    push, supplier_return = pushed_return(bridge, lines=((Decimal("25.00"), 2),))
    line = supplier_return.lines.get()
    client = login(bridge.supplier)
    url = reverse("bigshop:return", args=[supplier_return.pk])
    third = WarehouseFactory(tenant=bridge.supplier.tenant, kind=WarehouseKind.THIRD_PARTY)
    for bad in ({"warehouse": third.pk}, {"warehouse": bridge.supplier_warehouse.pk, f"sellable-{line.pk}": "x٣"}):
        answer = client.post(url, {f"sellable-{line.pk}": "2", **bad}, follow=True)
        assert answer.status_code == 200 and any(m.level_tag == "error" for m in answer.context["messages"])
    assert not StockMovement.objects.filter(reason="return_stock_in").exists()
    client.post(url, {"warehouse": bridge.supplier_warehouse.pk, f"sellable-{line.pk}": "1", f"damaged-{line.pk}": "1"})
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.RECEIVED
    moved = StockMovement.objects.for_tenant(bridge.supplier.tenant).filter(reason="return_stock_in")
    assert sorted(moved.values_list("condition", "quantity")) == [("damaged", 1), ("sellable", 1)]
    counts = {t.key: t.count for t in client.get(reverse("bigshop:returns")).context["tabs"]}
    assert counts == {"pending": 0, "received": 1, "refund_processing": 0, "completed": 0, "recalled": 0}
    # the distributor's timeline shows the supplier's step, without naming the supplier's user
    timeline = login(bridge.distributor).get(reverse("distribution:push-detail", args=[push.pk])).content.decode()
    assert "Received by the supplier" in timeline and bridge.supplier.username not in timeline


def test_stock_in_needs_the_return_stock_in_role(login):
    bridge = make_bridge()
    _, supplier_return = pushed_return(bridge)
    viewer = UserFactory(tenant=bridge.supplier.tenant, perms=["accounts.manual_aftersales"])
    client = login(viewer)
    url = reverse("bigshop:return", args=[supplier_return.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"warehouse": bridge.supplier_warehouse.pk}).status_code == 403
    supplier_return.refresh_from_db()
    assert supplier_return.status == InboundStatus.PENDING


BRIDGE_URLS = [
    (name, params) for name, params in OBJECT_URLS if set(params) & {"push_id", "return_id", "distribution_order_id"}
]


@pytest.mark.parametrize(("url_name", "params"), BRIDGE_URLS, ids=[name for name, _ in BRIDGE_URLS])
def test_the_partner_never_opens_the_other_end(url_name, params, login):
    """The isolation walk across the bridge: the supplier asks for the distributor's record, the
    distributor for the supplier's return; both 404, by every method."""
    bridge = make_bridge()
    push, supplier_return = pushed_return(bridge)
    obj, partner = (push, bridge.supplier) if "push_id" in params else (supplier_return, bridge.distributor)
    if "distribution_order_id" in params:  # the distributor's order end, asked for by its supplier
        obj, partner = push.distribution_order, bridge.supplier
    Tenant.objects.filter(pk=partner.tenant_id).update(is_supplier=True)  # every area open: no 403 hides a leak
    url = reverse(url_name, kwargs={params[0]: obj.pk})
    client = login(partner)
    statuses = {method: getattr(client, method)(url).status_code for method in ("get", "post")}
    assert set(statuses.values()) <= {404, 405} and 404 in statuses.values(), (url, statuses)
    push.refresh_from_db()
    assert push.status == PushStatus.PUSHED
    assert SupplierReturn.objects.get().status == InboundStatus.PENDING


def test_the_walk_covers_both_ends():
    assert {name for name, _ in BRIDGE_URLS} >= {
        "distribution:push-detail",
        "distribution:push",
        "bigshop:return",
        "distribution:push-refund-proof",
        "bigshop:return-refund-proof",
        "bigshop:return-complete",
        "distribution:order-pay-with-balance",
    }


def test_bigshop_is_a_suppliers_area_only(login):
    bridge = make_bridge()
    seller = login(UserFactory(owner=True))  # a tenant no distributor buys from
    assert seller.get(reverse("bigshop:index")).status_code == 403
    assert "BigShop" not in seller.get("/").content.decode()
    supplier = login(bridge.supplier)  # its partnership accepted: a supplier
    assert supplier.get(reverse("bigshop:index")).status_code == 200
    assert "BigShop" in supplier.get("/").content.decode()
