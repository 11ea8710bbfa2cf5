"""Settings > Products, Customer tiers, Warehouses: the seller's catalogue, in its own tenant."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from core import params
from core.errors import Refused
from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.tabs import build_tabs
from core.types import AppRequest
from inventory import selectors, services
from inventory.settings_forms import SKUForm, TierForm, WarehouseForm, add_refusal

SKU_TABS = {"active": "Active", "inactive": "Inactive", "all": "All"}


@require_GET
@vary_on_headers("HX-Request")
@area_required("settings")
def sku_list(request: AppRequest) -> HttpResponse:
    query = params.text(request.GET, "q")
    tab, tabs = build_tabs(
        request.GET, labels=SKU_TABS, counts=selectors.sku_status_counts(tenant=request.tenant, query=query)
    )
    skus = selectors.sku_list(tenant=request.tenant, query=query, status=tab)
    return render_page(
        request,
        "settings/sku_list.html",
        {**page_context(request, skus), "tabs": tabs, "q": query},
        partial="sku-panel",
    )


def _sku_form(request: AppRequest, sku=None) -> SKUForm:
    return SKUForm(
        request.POST if request.method == "POST" else None,
        tenant=request.tenant,
        tiers=selectors.tier_qs(tenant=request.tenant),
        components=selectors.component_choices(tenant=request.tenant, combo=sku),
        sku=sku,
        prices=selectors.sku_tier_prices(sku=sku) if sku else None,
        held=selectors.combo_components(sku=sku) if sku else (),
    )


@require_http_methods(["GET", "POST"])
@area_required("settings")
def sku_create(request: AppRequest) -> HttpResponse:
    form = _sku_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            sku = services.sku_create(
                tenant=request.tenant, actor=request.user, data=form.sku_input(), is_combo=form.combo
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, f"{'Combo' if sku.is_combo else 'SKU'} {sku.code} created.")
            return redirect("settings:sku-list")
    return render(request, "settings/sku_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@area_required("settings")
def sku_edit(request: AppRequest, sku_id: int) -> HttpResponse:
    sku = get_object_or_404(selectors.sku_qs(tenant=request.tenant), pk=sku_id)
    form = _sku_form(request, sku)
    if request.method == "POST" and form.is_valid():
        try:
            sku = services.sku_update(sku=sku, actor=request.user, data=form.sku_input())
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, f"{'Combo' if sku.is_combo else 'SKU'} {sku.code} saved.")
            return redirect("settings:sku-list")
    return render(request, "settings/sku_form.html", {"form": form, "sku": sku})


@require_GET
@area_required("settings")
def tier_list(request: AppRequest) -> HttpResponse:
    query = params.text(request.GET, "q")
    tiers = selectors.tier_list(tenant=request.tenant, query=query)
    return render(request, "settings/tier_list.html", {**page_context(request, tiers), "q": query})


@require_http_methods(["GET", "POST"])
@area_required("settings")
def tier_create(request: AppRequest) -> HttpResponse:
    form = TierForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            tier = services.tier_create(tenant=request.tenant, actor=request.user, name=form.cleaned_data["name"])
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, f"Customer tier {tier.name} created: set its prices on each product.")
            return redirect("settings:tier-list")
    return render(request, "settings/tier_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@area_required("settings")
def tier_edit(request: AppRequest, tier_id: int) -> HttpResponse:
    tier = get_object_or_404(selectors.tier_qs(tenant=request.tenant), pk=tier_id)
    form = TierForm(request.POST or None, tenant=request.tenant, tier=tier)
    if request.method == "POST" and form.is_valid():
        try:
            tier = services.tier_update(tier=tier, actor=request.user, name=form.cleaned_data["name"])
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, f"Customer tier {tier.name} saved.")
            return redirect("settings:tier-list")
    return render(request, "settings/tier_form.html", {"form": form, "tier": tier})


@require_GET
@area_required("settings")
def warehouse_list(request: AppRequest) -> HttpResponse:
    query = params.text(request.GET, "q")
    warehouses = selectors.warehouse_list(tenant=request.tenant, query=query)
    return render(request, "settings/warehouse_list.html", {**page_context(request, warehouses), "q": query})


@require_http_methods(["GET", "POST"])
@area_required("settings")
def warehouse_create(request: AppRequest) -> HttpResponse:
    form = WarehouseForm(request.POST or None, tenant=request.tenant)
    if request.method == "POST" and form.is_valid():
        try:
            warehouse = services.warehouse_create(
                tenant=request.tenant, actor=request.user, data=form.warehouse_input()
            )
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, f"Warehouse {warehouse.name} created.")
            return redirect("settings:warehouse-list")
    return render(request, "settings/warehouse_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@area_required("settings")
def warehouse_edit(request: AppRequest, warehouse_id: int) -> HttpResponse:
    warehouse = get_object_or_404(selectors.warehouse_qs(tenant=request.tenant), pk=warehouse_id)
    form = WarehouseForm(request.POST or None, tenant=request.tenant, warehouse=warehouse)
    if request.method == "POST" and form.is_valid():
        try:
            warehouse = services.warehouse_update(warehouse=warehouse, actor=request.user, data=form.warehouse_input())
        except Refused as refused:
            add_refusal(form, refused)
        else:
            messages.success(request, f"Warehouse {warehouse.name} saved.")
            return redirect("settings:warehouse-list")
    return render(request, "settings/warehouse_form.html", {"form": form, "warehouse": warehouse})
