from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.permissions import Perm
from channels.models import Channel
from channels.selectors import stores_for_user
from core import params
from core.errors import Refused
from core.forms import SelectionForm, add_refusal
from core.htmx import render_page
from core.navigation import area_required, perm_required
from core.paging import page_context
from core.tabs import build_tabs
from core.types import AppRequest
from inventory.selectors import sku_choices, warehouse_qs
from orders import selectors, services
from orders.cancellation import cancel_rule_for, third_party_warning
from orders.forms import CancelForm, EntryCreateForm, EntryEditForm
from orders.models import OrderStatus

can_cancel = permission_required(Perm.CANCEL_ORDERS, raise_exception=True)

# The cancel form's field beside which a refusal of `services.order_cancel` is shown (by its code);
# the quantities' errors go on `scope`, shown under them.
CANCEL_REFUSAL_FIELDS = {"unknown_reason": "reason", "whole_orders_only": "scope", "item_quantity": "scope"}


def _cancellable(order) -> bool:
    try:
        cancel_rule_for(order)
    except Refused:
        return False
    return True


@require_GET
@vary_on_headers("HX-Request")
@area_required("orders")
def order_list(request: AppRequest) -> HttpResponse:
    filters = {
        "query": params.text(request.GET, "q"),
        "channel": params.choice(request.GET, "channel", Channel.values),
        "store_id": params.integer(request.GET, "store"),
    }
    counts = selectors.order_tab_counts(tenant=request.tenant, user=request.user, **filters)
    labels = {key: label for key, (label, _) in selectors.ORDER_TABS.items()}
    tab, tabs = build_tabs(request.GET, labels=labels, counts=counts)
    if "search" in request.GET:  # the search form was sent: show the tab holding the matches
        searching = any(filters.values())
        return redirect(request.path + _searched_tab(request.GET, tab=tab, counts=counts, searching=searching))
    orders = selectors.order_list(
        tenant=request.tenant, user=request.user, statuses=selectors.ORDER_TABS[tab][1], **filters
    )
    paging = page_context(request, orders, count=counts[tab])  # the tab count is the total: no 2nd COUNT(*)
    selectors.mark_waiting_to_sync(paging["page"])
    for order in paging["page"]:
        order.cancellable = _cancellable(order)
    return render_page(
        request,
        "orders/order_list.html",
        {
            "tabs": tabs,
            "tab": tab,
            **paging,
            "filters": filters,
            "channels": Channel.choices,
            "stores": stores_for_user(user=request.user),
            "can_cancel": request.user.has_perm(Perm.CANCEL_ORDERS),
        },
        partial="order-panel",
    )


def _searched_tab(query, *, tab: str, counts: dict[str, int], searching: bool) -> str:
    """The list's query string after a search: on the same tab when it holds a match (or nothing matches),
    else on the first tab that does; the search marker dropped, so tab links do not jump again."""
    if searching and not counts[tab]:
        tab = next((key for key in selectors.ORDER_TABS if counts[key]), tab)
    query = query.copy()
    query.pop("search", None)
    query.pop("page", None)
    query["tab"] = tab
    return f"?{query.urlencode()}"


@require_GET
@area_required("orders")
def order_detail(request: AppRequest, order_id: int) -> HttpResponse:
    order = get_object_or_404(
        selectors.order_qs(tenant=request.tenant, user=request.user).select_related("store", "buyer", "warehouse"),
        pk=order_id,
    )
    return render(
        request,
        "orders/order_detail.html",
        {"order": order, **selectors.order_detail_context(order=order), "cancellable": _cancellable(order)},
    )


@require_http_methods(["GET", "POST"])
@area_required("orders")
@can_cancel
def order_cancel(request: AppRequest, order_id: int) -> HttpResponse:
    order = get_object_or_404(
        selectors.order_qs(tenant=request.tenant, user=request.user).select_related("store"), pk=order_id
    )
    try:
        rule = cancel_rule_for(order)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect("orders:detail", order_id=order.pk)
    form = CancelForm(request.POST or None, order=order, rule=rule)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_cancel(
                order=order, actor=request.user, reason=form.cleaned_data["reason"], items=form.item_quantities()
            )
        except Refused as refusal:
            add_refusal(form, refusal, CANCEL_REFUSAL_FIELDS)
        else:
            messages.success(
                request,
                f"Order {order.number}: cancellation recorded, waiting to sync with "
                f"{order.store.get_channel_display()}.",
            )
            return redirect("orders:detail", order_id=order.pk)
    return render(request, "orders/order_cancel.html", {"order": order, "form": form, "rule": rule})


@require_GET
@area_required("orders")
@can_cancel
def cancel_request_list(request: AppRequest) -> HttpResponse:
    requests = list(selectors.pending_cancel_requests(tenant=request.tenant, user=request.user))
    for cancel_request in requests:  # said before Agree, in the words the service says it after
        cancel_request.warning = third_party_warning(cancel_request.order)
    return render(request, "orders/cancel_request_list.html", {"requests": requests})


@require_POST
@area_required("orders")
@can_cancel
def cancel_request_answer(request: AppRequest, request_id: int) -> HttpResponse:
    cancel_request = get_object_or_404(
        selectors.cancel_request_qs(tenant=request.tenant, user=request.user), pk=request_id
    )
    agree = request.POST.get("decision") == "agree"
    try:
        _, warning = services.cancel_request_answer(request=cancel_request, actor=request.user, agree=agree)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        verb = "agreed" if agree else "rejected"
        messages.success(request, f"Order {cancel_request.order.number}: cancellation {verb}, waiting to sync.")
        if warning:
            messages.warning(request, warning)
    return redirect("orders:cancel-requests")


@require_GET
@area_required("orders")
@can_cancel
def canceled_list(request: AppRequest) -> HttpResponse:
    orders = selectors.canceled_orders(tenant=request.tenant, user=request.user)
    return render(request, "orders/canceled_list.html", page_context(request, orders))


@require_POST
@area_required("orders")
@can_cancel
def canceled_stock_in(request: AppRequest) -> HttpResponse:
    orders = selectors.canceled_orders(tenant=request.tenant, user=request.user)
    form = SelectionForm(request.POST, name="order", rows=orders, noun="order")
    if not form.is_valid():
        messages.error(request, form.error_text)
        return redirect("orders:canceled")
    done, already, refused = [], [], []
    for order in form.selected:
        try:
            (done if services.cancelled_order_stock_in(order=order, actor=request.user) else already).append(order)
        except Refused as refusal:
            refused.append(str(refusal))
    if done:
        messages.success(request, "Stocked in: " + ", ".join(o.number for o in done) + ".")
    if already:
        messages.info(request, "Already stocked in, nothing changed: " + ", ".join(o.number for o in already) + ".")
    for message in refused:
        messages.error(request, message)
    return redirect("orders:canceled")


@require_GET
@area_required("orders")
def entry_list(request: AppRequest) -> HttpResponse:
    orders = selectors.order_list(tenant=request.tenant, user=request.user, statuses=(OrderStatus.WAITING_APPROVAL,))
    return render(request, "orders/entry_list.html", {"orders": orders.select_related("exchange_case")})


@require_POST
@area_required("orders")
@perm_required(Perm.ORDER_ENTRY)
def order_approve(request: AppRequest, order_id: int) -> HttpResponse:
    order = get_object_or_404(selectors.order_qs(tenant=request.tenant, user=request.user), pk=order_id)
    try:
        services.order_approve(order=order, actor=request.user)
    except Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Order {order.number} approved: it is now in New Orders.")
    return redirect("orders:entry")


@require_http_methods(["GET", "POST"])
@area_required("orders")
@perm_required(Perm.ORDER_ENTRY)
def entry_edit(request: AppRequest, order_id: int) -> HttpResponse:
    order = get_object_or_404(
        selectors.order_qs(tenant=request.tenant, user=request.user)
        .filter(status=OrderStatus.WAITING_APPROVAL)
        .select_related("store"),
        pk=order_id,
    )
    form = EntryEditForm(request.POST or None, order=order)
    if request.method == "POST" and form.is_valid():
        try:
            services.order_entry_update(
                order=order,
                actor=request.user,
                lines=form.line_values(),
                tracking_number=form.cleaned_data["tracking_number"],
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"Order {order.number} saved.")
            return redirect("orders:entry")
    return render(request, "orders/entry_edit.html", {"order": order, "form": form})


@require_http_methods(["GET", "POST"])
@area_required("orders")
@perm_required(Perm.ORDER_ENTRY)
def entry_create(request: AppRequest) -> HttpResponse:
    form = EntryCreateForm(
        request.POST or None,
        tenant=request.tenant,
        stores=stores_for_user(user=request.user),
        warehouses=warehouse_qs(tenant=request.tenant),
        skus=sku_choices(tenant=request.tenant),
        buyers=selectors.buyer_qs(tenant=request.tenant),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order = services.order_entry_create(
                tenant=request.tenant,
                actor=request.user,
                store=data["store"],
                warehouse=data["warehouse"],
                buyer=data["buyer"],
                lines=form.lines,
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, f"Order {order.number} created: it waits to approve.")
            return redirect("orders:entry")
    return render(request, "orders/entry_create.html", {"form": form})
