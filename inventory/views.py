from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.types import AppRequest
from inventory import selectors
from inventory.filters import LedgerFilter, StockFilter


@require_GET
@vary_on_headers("HX-Request")
@area_required("inventory")
def stock(request: AppRequest) -> HttpResponse:
    levels = selectors.stock_levels(tenant=request.tenant, params=request.GET)
    return render_page(
        request,
        "inventory/stock.html",
        {**page_context(request, levels), "filters": StockFilter(request.GET, tenant=request.tenant).form},
        partial="stock-panel",
    )


@require_GET
@vary_on_headers("HX-Request")
@area_required("inventory")
def sku_ledger(request: AppRequest, sku_id: int) -> HttpResponse:
    sku = get_object_or_404(selectors.sku_qs(tenant=request.tenant), pk=sku_id)
    movements = selectors.sku_ledger(tenant=request.tenant, user=request.user, sku=sku, params=request.GET)
    return render_page(
        request,
        "inventory/sku_ledger.html",
        {
            "sku": sku,
            "levels": selectors.sku_stock_levels(tenant=request.tenant, sku=sku),
            "filters": LedgerFilter(request.GET, tenant=request.tenant).form,
            **page_context(request, movements),
        },
        partial="ledger-panel",
    )
