from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from core.htmx import render_page
from core.navigation import area_required
from core.types import AppRequest
from inventory import selectors

PAGE_SIZE = 50


def _without_page(request: AppRequest) -> str:
    """The current query string minus `page`, for the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@require_GET
@area_required("inventory")
def index(request: AppRequest) -> HttpResponse:
    return render(request, "inventory/index.html")


@require_GET
@vary_on_headers("HX-Request")
@area_required("inventory")
def stock(request: AppRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    warehouse = request.GET.get("warehouse", "")
    levels = selectors.stock_levels(
        tenant=request.tenant, query=query, warehouse_id=int(warehouse) if warehouse.isdigit() else None
    )
    return render_page(
        request,
        "inventory/stock.html",
        {
            "page": Paginator(levels, PAGE_SIZE).get_page(request.GET.get("page")),
            "q": query,
            "warehouse": warehouse,
            "warehouses": selectors.warehouse_qs(tenant=request.tenant),
            "page_query": _without_page(request),
        },
        partial="stock-panel",
    )


@require_GET
@vary_on_headers("HX-Request")
@area_required("inventory")
def sku_ledger(request: AppRequest, sku_id: int) -> HttpResponse:
    sku = get_object_or_404(selectors.sku_qs(tenant=request.tenant), pk=sku_id)
    movements = selectors.sku_ledger(tenant=request.tenant, sku=sku)
    return render_page(
        request,
        "inventory/sku_ledger.html",
        {
            "sku": sku,
            "levels": selectors.sku_stock_levels(tenant=request.tenant, sku=sku),
            "page": Paginator(movements, PAGE_SIZE).get_page(request.GET.get("page")),
            "page_query": _without_page(request),
        },
        partial="ledger-panel",
    )
