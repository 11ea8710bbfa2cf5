from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from channels import selectors, services
from channels.adapters import CONNECTABLE
from channels.filters import StoreFilter
from channels.models import Channel, ConnectionStatus
from core.actions import perform
from core.errors import Refused
from core.htmx import render_page
from core.navigation import area_required
from core.paging import page_context
from core.types import AppRequest


@require_GET
@area_required("settings")
def store_list(request: AppRequest) -> HttpResponse:
    """Settings > Stores: the tenant's stores and their connections; Connect store adds one."""
    stores = selectors.store_list(tenant=request.tenant, params=request.GET)
    context = {**page_context(request, stores), "filters": StoreFilter(request.GET).form}
    return render(request, "settings/store_list.html", context)


@require_GET
@area_required("settings")
def store_connect(request: AppRequest) -> HttpResponse:
    """Connect store: the platforms a store can be connected from."""
    channels = [(channel, Channel(channel).label) for channel in CONNECTABLE]
    return render(request, "settings/store_connect.html", {"channels": channels})


def _callback_uri(request: AppRequest) -> str:
    return request.build_absolute_uri(reverse("settings:store-connect-callback"))


def _to_platform(request: AppRequest, start, refused_to: str) -> HttpResponse:
    """A link (not a form: the CSP's form-action keeps forms on our origin) that sends the seller to the
    platform's authorize page. Starting writes nothing; the signed state carries the request."""
    try:
        return redirect(start())
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect(refused_to)


@require_GET
@area_required("settings")
def store_connect_start(request: AppRequest) -> HttpResponse:
    channel = request.GET.get("channel", "")[:20]
    return _to_platform(
        request,
        lambda: services.connection_start(
            tenant=request.tenant, actor=request.user, channel=channel, redirect_uri=_callback_uri(request)
        ),
        "settings:store-connect",
    )


@require_GET
@area_required("settings")
def store_reauthorize(request: AppRequest, store_id: int) -> HttpResponse:
    store = get_object_or_404(selectors.store_qs(tenant=request.tenant), pk=store_id)
    return _to_platform(
        request,
        lambda: services.connection_start(
            tenant=request.tenant,
            actor=request.user,
            channel=store.channel,
            redirect_uri=_callback_uri(request),
            store=store,
        ),
        reverse("settings:store-detail", args=[store.pk]),
    )


@require_GET
@area_required("settings")
def store_connect_callback(request: AppRequest) -> HttpResponse:
    """Where the platform sends the seller back, with ?code= (or an error) and our state."""
    get = request.GET
    try:
        stores = services.connection_complete(
            tenant=request.tenant,
            actor=request.user,
            state=get.get("state", ""),
            code=get.get("code", ""),
            shop_id=get.get("shop_id", ""),
            error=get.get("error", ""),
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("settings:store-list")
    names = ", ".join(store.name for store in stores)
    messages.success(request, f"Connected: {names}. Its orders will sync in by themselves.")
    return redirect("settings:store-detail", store_id=stores[0].pk)


def _store_context(store) -> dict:
    connection = selectors.connection_of(store)
    return {
        "store": store,
        "connection": connection,
        "running": selectors.sync_running(connection),
        "statuses": ConnectionStatus,
    }


@require_GET
@vary_on_headers("HX-Request")
@area_required("settings")
def store_detail(request: AppRequest, store_id: int) -> HttpResponse:
    """Settings > Stores > a store: its connection and sync; htmx asks for the sync panel alone."""
    store = get_object_or_404(selectors.store_qs(tenant=request.tenant), pk=store_id)
    return render_page(request, "settings/store_detail.html", _store_context(store), partial="store-sync")


@require_POST
@area_required("settings")
def store_sync(request: AppRequest, store_id: int) -> HttpResponse:
    """Sync now: htmx gets the sync panel back (now polling its progress, or saying why not); a plain
    POST the page, with the same words as a message."""
    store = get_object_or_404(selectors.store_qs(tenant=request.tenant), pk=store_id)
    note = ""
    try:
        if not services.sync_request(store=store, actor=request.user):
            note = f"{store.name} is already syncing."
    except Refused as refusal:
        note = refusal.message
    if request.htmx:
        return render(request, "settings/store_detail.html#store-sync", {**_store_context(store), "note": note})
    if note:
        messages.info(request, note)
    return redirect("settings:store-detail", store_id=store.pk)


@require_http_methods(["GET", "POST"])
@area_required("settings")
def store_disconnect(request: AppRequest, store_id: int) -> HttpResponse:
    """Disconnect, after a confirm step: the store stops syncing; it and its orders stay."""
    store = get_object_or_404(selectors.store_qs(tenant=request.tenant), pk=store_id)
    if request.method == "POST":
        return perform(
            request,
            lambda: services.connection_disconnect(store=store, actor=request.user),
            success=f"{store.name} is disconnected. Its orders stay; it no longer syncs.",
            redirect_to=reverse("settings:store-detail", args=[store.pk]),
        )
    return render(request, "settings/store_disconnect.html", _store_context(store))
