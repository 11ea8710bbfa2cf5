from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from accounts.permissions import Perm, perm_required
from channels.models import OutboundStatus
from channels.selectors import stores_for_user
from core import machines
from core.actions import perform
from core.errors import Refused
from core.forms import SelectionForm
from core.htmx import render_page
from core.navigation import area_required
from core.paging import PAGE_PARAMS, page_context
from core.tabs import build_tabs, status_tab_counts, tab_statuses
from core.types import AppRequest
from inventory.selectors import sku_choices, warehouse_qs
from orders import selectors, services
from orders.cancellation import cancel_rule_for, third_party_warning
from orders.filters import CancelRequestFilter, OrderFilter
from orders.forms import CancelForm, EntryCreateForm, EntryEditForm
from orders.models import CancelRequest, OrderStatus

can_cancel = permission_required(Perm.CANCEL_ORDERS, raise_exception=True)


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
    filters = OrderFilter(request.GET, tenant=request.tenant, user=request.user)
    orders = selectors.order_list(tenant=request.tenant, user=request.user, params=request.GET)  # searched once
    counts = selectors.order_tab_counts(orders)
    labels = {key: label for key, (label, _) in selectors.ORDER_TABS.items()}
    tab, tabs = build_tabs(request.GET, labels=labels, counts=counts)
    if "search" in request.GET:  # the search form was sent: show the tab holding the matches
        searching = bool(filters.applied)
        return redirect(request.path + _searched_tab(request.GET, tab=tab, counts=counts, searching=searching))
    shown = orders.filter(status__in=selectors.ORDER_TABS[tab][1])
    paging = page_context(request, shown, count=counts[tab])  # the tab count is the total: no 2nd COUNT(*)
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
            "filters": filters.form,
            "can_cancel": request.user.has_perm(Perm.CANCEL_ORDERS),
            "retrying": filters.applied.get("sync") == OutboundStatus.FAILED,
        },
        partial="order-panel",
    )


def _searched_tab(query, *, tab: str, counts: dict[str, int], searching: bool) -> str:
    """The list's query string after a search: on the same tab when it holds a match (or nothing matches),
    else on the first tab that does; the search marker dropped, so tab links do not jump again."""
    if searching and not counts[tab]:
        tab = next((key for key in selectors.ORDER_TABS if counts[key]), tab)
    query = query.copy()
    for param in ("search", *PAGE_PARAMS):
        query.pop(param, None)
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
    detail = reverse("orders:detail", kwargs={"order_id": order.pk})
    try:
        rule = cancel_rule_for(order)
    except Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(detail)
    form = CancelForm(request.POST or None, order=order, rule=rule)
    if request.method == "POST" and form.is_valid():
        cancelled = perform(
            request,
            lambda: services.order_cancel(
                order=order, actor=request.user, reason=form.cleaned_data["reason"], items=form.item_quantities()
            ),
            success=f"Order {order.number}: cancellation recorded, waiting to sync with "
            f"{order.store.get_channel_display()}.",
            redirect_to=detail,
            form=form,
        )
        if cancelled:
            return cancelled
    return render(request, "orders/order_cancel.html", {"order": order, "form": form, "rule": rule})


def _retry(request: AppRequest, orders) -> None:
    """Retry the Sync failed actions of `orders` and say what happened."""
    actions = selectors.failed_actions(tenant=request.tenant, user=request.user, orders=orders)
    retried = services.outbound_retry(actions=list(actions), actor=request.user)
    numbers = sorted({action.payload.get("order_number", "") for action in retried})
    if numbers:
        messages.success(request, "Waiting to sync again: " + ", ".join(numbers) + ".")
    else:
        messages.info(request, "Nothing to retry: no action of these orders is Sync failed any more.")


@require_POST
@area_required("orders")
@can_cancel
def order_retry(request: AppRequest, order_id: int) -> HttpResponse:
    """Retry one order's Sync failed actions (its page, or the row's button in the Sync failed list)."""
    order = get_object_or_404(selectors.order_qs(tenant=request.tenant, user=request.user), pk=order_id)
    _retry(request, [order])
    if request.POST.get("back") == "list":
        return redirect(_failed_list())
    return redirect("orders:detail", order_id=order.pk)


@require_POST
@area_required("orders")
@can_cancel
def orders_retry(request: AppRequest) -> HttpResponse:
    """Retry the Sync failed actions of the selected orders."""
    form = SelectionForm(
        request.POST, name="order", rows=selectors.order_qs(tenant=request.tenant, user=request.user), noun="order"
    )
    if not form.is_valid():
        messages.error(request, form.error_text)
    else:
        _retry(request, form.selected)
    return redirect(_failed_list())


def _failed_list() -> str:
    return reverse("orders:index") + "?tab=all&sync=failed"


@require_GET
@vary_on_headers("HX-Request")
@area_required("orders")
@can_cancel
def cancel_request_list(request: AppRequest) -> HttpResponse:
    requests = selectors.cancel_request_list(tenant=request.tenant, user=request.user, params=request.GET)
    counts = status_tab_counts(requests, selectors.CANCEL_REQUEST_TABS)
    tab, tabs = build_tabs(request.GET, labels=selectors.CANCEL_REQUEST_TABS, counts=counts)
    shown = requests.filter(status__in=tab_statuses(selectors.CANCEL_REQUEST_TABS, tab))
    paging = page_context(request, shown, count=counts[tab])
    selectors.mark_platform_refusals(paging["page"])
    agreeable = machines.sources(CancelRequest, "agree")
    for cancel_request in paging["page"]:  # said before Agree, in the words the service says it after
        if cancel_request.status in agreeable:
            cancel_request.warning = third_party_warning(cancel_request.order)
    filters = CancelRequestFilter(request.GET, tenant=request.tenant, user=request.user).form
    return render_page(
        request,
        "orders/cancel_request_list.html",
        {"tabs": tabs, "tab": tab, **paging, "filters": filters},
        partial="cancel-request-panel",
    )


@require_POST
@area_required("orders")
@can_cancel
def cancel_request_answer(request: AppRequest, request_id: int) -> HttpResponse:
    cancel_request = get_object_or_404(
        selectors.cancel_request_qs(tenant=request.tenant, user=request.user), pk=request_id
    )
    agree = request.POST.get("decision") == "agree"

    def answered(result) -> None:
        verb = "agreed" if agree else "rejected"
        messages.success(request, f"Order {cancel_request.order.number}: cancellation {verb}, waiting to sync.")
        if warning := result[1]:
            messages.warning(request, warning)

    return perform(
        request,
        lambda: services.cancel_request_answer(request=cancel_request, actor=request.user, agree=agree),
        success=answered,
        redirect_to="orders:cancel-requests",
    )


@require_GET
@area_required("orders")
@can_cancel
def canceled_list(request: AppRequest) -> HttpResponse:
    orders = selectors.canceled_orders(tenant=request.tenant, user=request.user, params=request.GET)
    filters = OrderFilter(request.GET, tenant=request.tenant, user=request.user).form
    return render(request, "orders/canceled_list.html", {**page_context(request, orders), "filters": filters})


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
    orders = selectors.order_list(
        tenant=request.tenant, user=request.user, statuses=(OrderStatus.WAITING_APPROVAL,), params=request.GET
    )
    filters = OrderFilter(request.GET, tenant=request.tenant, user=request.user).form
    return render(
        request, "orders/entry_list.html", {"orders": orders.select_related("exchange_case"), "filters": filters}
    )


@require_POST
@area_required("orders")
@perm_required(Perm.ORDER_ENTRY)
def order_approve(request: AppRequest, order_id: int) -> HttpResponse:
    order = get_object_or_404(selectors.order_qs(tenant=request.tenant, user=request.user), pk=order_id)
    return perform(
        request,
        lambda: services.order_approve(order=order, actor=request.user),
        success=f"Order {order.number} approved: it is now in New Orders.",
        redirect_to="orders:entry",
    )


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
        saved = perform(
            request,
            lambda: services.order_entry_update(
                order=order,
                actor=request.user,
                lines=form.line_values(),
                tracking_number=form.cleaned_data["tracking_number"],
            ),
            success=f"Order {order.number} saved.",
            redirect_to="orders:entry",
            form=form,
        )
        if saved:
            return saved
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
        created = perform(
            request,
            lambda: services.order_entry_create(
                tenant=request.tenant,
                actor=request.user,
                store=data["store"],
                warehouse=data["warehouse"],
                buyer=data["buyer"],
                lines=form.lines,
            ),
            success=lambda order: f"Order {order.number} created: it waits to approve.",
            redirect_to="orders:entry",
            form=form,
        )
        if created:
            return created
    return render(request, "orders/entry_create.html", {"form": form})
