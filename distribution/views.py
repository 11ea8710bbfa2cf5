"""Return & Stock-in - Distribution: the distributor's push records."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.permissions import Perm
from core.actions import perform
from core.errors import Refused
from core.forms import SelectionForm
from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.tabs import build_tabs, status_tab_counts
from core.types import AppRequest
from distribution import selectors, services
from distribution.filters import PushFilter
from distribution.models import DistributionSetting, PushStatus
from distribution.money_views import record_or_refund_area
from distribution.services.refunds import distributor_refund_confirm
from orders.selectors import order_qs


def _list_url(tab: str) -> str:
    return f"{reverse('distribution:index')}?tab={tab}"


@require_GET
@vary_on_headers("HX-Request")
@area_required("distribution")
def push_list(request: AppRequest) -> HttpResponse:
    pushes = selectors.push_list(tenant=request.tenant, user=request.user, params=request.GET)
    counts = status_tab_counts(pushes, selectors.PUSH_TABS)
    tab, tabs = build_tabs(request.GET, labels=selectors.PUSH_TABS, counts=counts)
    paged = page_context(request, pushes.filter(status=tab), count=counts[tab])
    setting = DistributionSetting.objects.for_tenant(request.tenant).first()
    may_push = request.user.has_perm(Perm.DISTRIBUTION)
    return render_page(
        request,
        "distribution/push_list.html",
        {
            "tabs": tabs,
            "tab": tab,
            **paged,
            "filters": PushFilter(request.GET, tenant=request.tenant, user=request.user).form,
            "bulk": may_push and tab in (PushStatus.TO_PUSH, PushStatus.PUSH_FAILED),
            "bulk_label": "Re-push" if tab == PushStatus.PUSH_FAILED else "Push",
            "auto_push": bool(setting and setting.auto_push),
            "balances": selectors.balances_as_distributor(tenant=request.tenant),
            "may_set": request.user.has_perm(Perm.SETTINGS),
        },
        partial="push-panel",
    )


def _push_each(request: AppRequest, pushes) -> None:
    """Push each record and say each one's result."""
    for push in pushes:
        try:
            push = services.return_push(push=push, actor=request.user)
        except Refused as refusal:
            messages.error(request, f"{push.case.number}: {refusal.message}")
            continue
        if push.status == PushStatus.PUSHED:
            messages.success(request, f"{push.case.number}: pushed to {push.distribution_order.partnership.supplier}.")
        else:
            messages.error(request, f"{push.case.number}: Push Failed. {push.failure}")


@require_POST
@area_required("distribution")
def push_selected(request: AppRequest) -> HttpResponse:
    """Push (or Re-push) the selected records, one by one: each gets its own result."""
    rows = selectors.push_qs(tenant=request.tenant, user=request.user).select_related("case")
    form = SelectionForm(request.POST, name="push", rows=rows, noun="record")
    if not form.is_valid():
        messages.error(request, form.error_text)
        return redirect(_list_url(PushStatus.TO_PUSH))
    if not request.user.has_perm(Perm.DISTRIBUTION):
        raise PermissionDenied(f"Your role does not include {Perm.DISTRIBUTION.label}.")
    _push_each(request, form.selected)
    return redirect(_list_url(request.POST.get("tab") if request.POST.get("tab") in selectors.PUSH_TABS else "to_push"))


@require_POST
@area_required("distribution")
def push_one(request: AppRequest, push_id: int) -> HttpResponse:
    push = get_object_or_404(
        selectors.push_qs(tenant=request.tenant, user=request.user).select_related("case"), pk=push_id
    )
    was = push.status
    _push_each(request, [push])
    return redirect(_list_url(was))


@require_GET
@area_required("distribution")
def push_detail(request: AppRequest, push_id: int) -> HttpResponse:
    pushes = selectors.push_qs(tenant=request.tenant, user=request.user).select_related(
        "case",
        "distribution_order__order",
        "distribution_order__warehouse",
        "distribution_order__partnership__supplier",
    )
    push = get_object_or_404(pushes, pk=push_id)
    context = {"push": push, "events": selectors.push_timeline(push=push), "refund": selectors.refund_for(push=push)}
    return render(request, "distribution/push_detail.html", context)


@require_POST
@record_or_refund_area
def push_confirm_refund(request: AppRequest, push_id: int) -> HttpResponse:
    """The distributor confirms it received the supplier's bank transfer, from its record's page or
    its After-Sales Refund page's From Suppliers tab (`back=refunds`: sent back there)."""
    push = get_object_or_404(selectors.push_qs(tenant=request.tenant, user=request.user), pk=push_id)
    back = reverse("distribution:push-detail", args=[push.pk])
    if request.POST.get("back") == "refunds":
        back = f"{reverse('refunds:index')}?tab=from_suppliers"
    return perform(
        request,
        lambda: distributor_refund_confirm(push=push, actor=request.user),
        success=lambda refund: f"Refund {refund.number} confirmed as received.",
        redirect_to=back,
    )


@require_POST
@area_required("distribution")
def auto_push(request: AppRequest) -> HttpResponse:
    on = request.POST.get("auto_push") == "on"
    services.auto_push_set(actor=request.user, on=on)
    messages.success(request, f"Auto-push is {'on' if on else 'off'}.")
    return redirect(_list_url(PushStatus.TO_PUSH))


@require_POST
@area_required("distribution")
def order_make(request: AppRequest, order_id: int) -> HttpResponse:
    """Make distribution order: the order shipped from a supplier warehouse, and its distribution
    order was refused then (a SKU not mapped, the partnership not active); tried again now."""
    order = get_object_or_404(order_qs(tenant=request.tenant, user=request.user), pk=order_id)
    return perform(
        request,
        lambda: services.distribution_order_make(order=order, actor=request.user),
        success=lambda ends: f"Distribution order of {order.number} made: {ends.partnership.supplier} ships it.",
        redirect_to=reverse("orders:detail", args=[order.pk]),
    )
