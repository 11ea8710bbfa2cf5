"""The supplier's BigShop pages: After Sales Orders - BigShop and Return & Stock-in - BigShop."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from accounts.permissions import Perm, perm_required
from core.errors import Refused
from core.filters import parse_int
from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.tabs import build_tabs, status_tab_counts
from core.types import AppRequest
from distribution import selectors
from distribution.filters import BigShopFilter
from distribution.models import InboundStatus
from distribution.services.bigshop import supplier_return_receive
from inventory.models import Warehouse, WarehouseKind


def _filters(request: AppRequest):
    return BigShopFilter(request.GET, tenant=request.tenant, user=request.user).form


@require_GET
@vary_on_headers("HX-Request")
@area_required("bigshop")
def order_list(request: AppRequest) -> HttpResponse:
    """After Sales Orders - BigShop: every pushed return, by distributor; the type is Return & Refund."""
    returns = selectors.supplier_return_list(tenant=request.tenant, user=request.user, params=request.GET)
    paged = page_context(request, returns)
    context = {**paged, "filters": _filters(request)}
    return render_page(request, "distribution/bigshop_orders.html", context, partial="bigshop-panel")


@require_GET
@vary_on_headers("HX-Request")
@area_required("bigshop")
def return_list(request: AppRequest) -> HttpResponse:
    """Return & Stock-in - BigShop: Pending Stock-in, Received Return, Recalled."""
    returns = selectors.supplier_return_list(tenant=request.tenant, user=request.user, params=request.GET)
    counts = status_tab_counts(returns, selectors.BIGSHOP_TABS)
    tab, tabs = build_tabs(request.GET, labels=selectors.BIGSHOP_TABS, counts=counts)
    paged = page_context(request, returns.filter(status=tab), count=counts[tab])
    context = {"tabs": tabs, "tab": tab, **paged, "filters": _filters(request)}
    return render_page(request, "distribution/bigshop_returns.html", context, partial="bigshop-panel")


def _own_warehouses(tenant):
    return Warehouse.objects.for_tenant(tenant).filter(kind=WarehouseKind.OWN, is_active=True)


def _received(request: AppRequest, lines) -> dict[int, tuple[int, int]]:
    """The quantities typed per line; anything but digits counts as a refusal, never a 500."""
    received = {}
    for line in lines:
        raw = [request.POST.get(f"{kind}-{line.pk}", "") or "0" for kind in ("sellable", "damaged")]
        numbers = [parse_int(value, max_value=10**6) for value in raw]
        if None in numbers:
            raise Refused(f"{line.sku.code}: type whole numbers of items.", code="not_a_number")
        received[line.pk] = (numbers[0], numbers[1])
    return received


@require_http_methods(["GET", "POST"])
@area_required("bigshop")
def return_detail(request: AppRequest, return_id: int) -> HttpResponse:
    returns = selectors.supplier_return_qs(tenant=request.tenant).select_related(
        "partnership__distributor", "warehouse", "received_warehouse", "stock_out"
    )
    supplier_return = get_object_or_404(returns, pk=return_id)
    lines = list(supplier_return.lines.select_related("sku"))
    if request.method == "POST":
        return _receive(request, supplier_return, lines)
    return render(
        request,
        "distribution/bigshop_return.html",
        {
            "supplier_return": supplier_return,
            "lines": lines,
            "warehouses": _own_warehouses(request.tenant),
            "events": selectors.supplier_return_timeline(supplier_return=supplier_return),
            "pending": supplier_return.status == InboundStatus.PENDING,
        },
    )


@perm_required(Perm.RETURN_STOCKIN)
def _receive(request: AppRequest, supplier_return, lines) -> HttpResponse:
    """Stock-In: the quantities per line into one of the supplier's own warehouses."""
    here = reverse("bigshop:return", args=[supplier_return.pk])
    warehouse_id = parse_int(request.POST.get("warehouse"))
    warehouse = _own_warehouses(request.tenant).filter(pk=warehouse_id).first()
    try:
        if warehouse is None:
            raise Refused("Choose one of your own active warehouses.", code="no_warehouse")
        supplier_return_receive(
            supplier_return=supplier_return, actor=request.user, warehouse=warehouse, received=_received(request, lines)
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(here)
    messages.success(request, f"Return {supplier_return.number} stocked in: it is in Received Return.")
    return redirect(here)
