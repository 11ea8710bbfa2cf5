from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.permissions import Perm
from core.filters import clean_text, parse_int
from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.types import AppRequest
from inventory import selectors
from inventory.filters import LedgerFilter, StockFilter
from inventory.pricing import prices_for


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


PICKER_PERMS = (Perm.MANUAL_AFTERSALES, Perm.ORDER_ENTRY, Perm.SETTINGS)  # the roles whose forms pick SKUs


@require_GET
def sku_search(request: AppRequest) -> HttpResponse:
    """A SKU picker's options (static/js/sku_picker.js): the tenant's active SKUs matching `q`, with
    name, price (at the buyer's `tier`, in `currency` or the stores' usual one) and stock."""
    user = request.user
    if request.tenant is None or not any(user.has_perm(perm) for perm in PICKER_PERMS):
        raise PermissionDenied("Your role does not include choosing SKUs.")
    get = request.GET
    skus = selectors.sku_matches(
        tenant=request.tenant, query=clean_text(get.get("q") or ""), single=get.get("single") == "1"
    )
    tier_id = parse_int(get.get("tier"))
    tier = selectors.tier_qs(tenant=request.tenant).filter(pk=tier_id).first() if tier_id else None
    prices = prices_for(skus=skus, tier=tier)
    currency = clean_text(get.get("currency") or "", max_length=3).upper()
    if not (len(currency) == 3 and currency.isascii() and currency.isalpha()):
        currency = selectors.main_currency(tenant=request.tenant)
    options = [(sku, prices[sku.pk]) for sku in skus]
    return render(request, "inventory/partials/_sku_options.html", {"options": options, "currency": currency})
