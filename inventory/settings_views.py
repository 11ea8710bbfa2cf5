"""Settings > Products, Customer tiers, Warehouses: the seller's catalogue, in its own tenant."""

from collections.abc import Callable

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from core.actions import perform
from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.tabs import build_tabs
from core.types import AppRequest
from inventory import selectors, services
from inventory.filters import SKUFilter, TierFilter, WarehouseFilter
from inventory.settings_forms import SKUForm, TierForm, WarehouseForm

SKU_TABS = {"active": "Active", "inactive": "Inactive", "all": "All"}


@require_GET
@vary_on_headers("HX-Request")
@area_required("settings")
def sku_list(request: AppRequest) -> HttpResponse:
    counts = selectors.sku_status_counts(tenant=request.tenant, params=request.GET)
    tab, tabs = build_tabs(request.GET, labels=SKU_TABS, counts=counts)
    skus = selectors.sku_list(tenant=request.tenant, status=tab, params=request.GET)
    return render_page(
        request,
        "settings/sku_list.html",
        {**page_context(request, skus, count=counts[tab]), "tabs": tabs, "filters": SKUFilter(request.GET).form},
        partial="sku-panel",
    )


def _form_round(
    request: AppRequest, form, save: Callable, *, said: Callable, to: str, template: str, **context
) -> HttpResponse:
    """One round of a settings form: a valid form goes to its service (`save`); a refusal lands
    beside the field it is about, a success is said (`said(saved)`) and the list shown again."""
    if request.method == "POST" and form.is_valid():
        done = perform(request, save, success=said, redirect_to=to, form=form)
        if done:
            return done
    return render(request, template, {"form": form, **context})


def _sku_said(verb: str) -> Callable:
    return lambda sku: f"{'Combo' if sku.is_combo else 'SKU'} {sku.code} {verb}."


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
    return _form_round(
        request,
        form,
        lambda: services.sku_create(
            tenant=request.tenant, actor=request.user, data=form.sku_input(), is_combo=form.combo
        ),
        said=_sku_said("created"),
        to="settings:sku-list",
        template="settings/sku_form.html",
    )


@require_http_methods(["GET", "POST"])
@area_required("settings")
def sku_edit(request: AppRequest, sku_id: int) -> HttpResponse:
    sku = get_object_or_404(selectors.sku_qs(tenant=request.tenant), pk=sku_id)
    form = _sku_form(request, sku)
    return _form_round(
        request,
        form,
        lambda: services.sku_update(sku=sku, actor=request.user, data=form.sku_input()),
        said=_sku_said("saved"),
        to="settings:sku-list",
        template="settings/sku_form.html",
        sku=sku,
        history=selectors.catalogue_history(tenant=request.tenant, item=sku),
    )


@require_GET
@area_required("settings")
def tier_list(request: AppRequest) -> HttpResponse:
    tiers = selectors.tier_list(tenant=request.tenant, params=request.GET)
    return render(
        request, "settings/tier_list.html", {**page_context(request, tiers), "filters": TierFilter(request.GET).form}
    )


@require_http_methods(["GET", "POST"])
@area_required("settings")
def tier_create(request: AppRequest) -> HttpResponse:
    form = TierForm(request.POST or None, tenant=request.tenant)
    return _form_round(
        request,
        form,
        lambda: services.tier_create(tenant=request.tenant, actor=request.user, name=form.cleaned_data["name"]),
        said=lambda tier: f"Customer tier {tier.name} created: set its prices on each product.",
        to="settings:tier-list",
        template="settings/tier_form.html",
    )


@require_http_methods(["GET", "POST"])
@area_required("settings")
def tier_edit(request: AppRequest, tier_id: int) -> HttpResponse:
    tier = get_object_or_404(selectors.tier_qs(tenant=request.tenant), pk=tier_id)
    form = TierForm(request.POST or None, tenant=request.tenant, tier=tier)
    return _form_round(
        request,
        form,
        lambda: services.tier_update(tier=tier, actor=request.user, name=form.cleaned_data["name"]),
        said=lambda saved: f"Customer tier {saved.name} saved.",
        to="settings:tier-list",
        template="settings/tier_form.html",
        tier=tier,
        history=selectors.catalogue_history(tenant=request.tenant, item=tier),
    )


@require_GET
@area_required("settings")
def warehouse_list(request: AppRequest) -> HttpResponse:
    warehouses = selectors.warehouse_list(tenant=request.tenant, params=request.GET)
    context = {**page_context(request, warehouses), "filters": WarehouseFilter(request.GET).form}
    return render(request, "settings/warehouse_list.html", context)


@require_http_methods(["GET", "POST"])
@area_required("settings")
def warehouse_create(request: AppRequest) -> HttpResponse:
    form = WarehouseForm(request.POST or None, tenant=request.tenant)
    return _form_round(
        request,
        form,
        lambda: services.warehouse_create(tenant=request.tenant, actor=request.user, data=form.warehouse_input()),
        said=lambda warehouse: f"Warehouse {warehouse.name} created.",
        to="settings:warehouse-list",
        template="settings/warehouse_form.html",
    )


@require_http_methods(["GET", "POST"])
@area_required("settings")
def warehouse_edit(request: AppRequest, warehouse_id: int) -> HttpResponse:
    warehouse = get_object_or_404(selectors.warehouse_qs(tenant=request.tenant), pk=warehouse_id)
    form = WarehouseForm(request.POST or None, tenant=request.tenant, warehouse=warehouse)
    return _form_round(
        request,
        form,
        lambda: services.warehouse_update(warehouse=warehouse, actor=request.user, data=form.warehouse_input()),
        said=lambda saved: f"Warehouse {saved.name} saved.",
        to="settings:warehouse-list",
        template="settings/warehouse_form.html",
        warehouse=warehouse,
        history=selectors.catalogue_history(tenant=request.tenant, item=warehouse),
    )
