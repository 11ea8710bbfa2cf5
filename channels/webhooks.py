"""Webhooks in (issue 11 §6): one endpoint per platform, each a signal that orders changed.

The signature over the raw body is checked first: bad or missing is 401 and nothing is written
(401 is also a final answer to TikTok, which then stops retrying). The shop it names is looked up
among the connected stores; a shop we do not know gets 200 and nothing is written, so the platform
stops retrying something no one here will ever take. Each notification is taken once
(WebhookReceipt, unique per store and notification id; a platform that sends no id gets a stable
one from the body's hash), so a replay changes nothing. The answer is fast: one insert, and the
apps above re-fetch the order after commit (`orders_changed`, source "webhook").

The receiver knows no tenant until it finds the store, so the store lookup is the one query here
not started from a tenant: the platform's shop id (and our app's secret) is what scopes it.
"""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from channels.models import Channel, ConnectionStatus, Store, WebhookReceipt
from channels.platforms import lazada, shopee, tiktok
from channels.signals import orders_changed

MAX_ID = 128  # WebhookReceipt.notification_id


def _text(value) -> str:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _data(note: dict) -> dict:
    data = note.get("data")
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class Hook:
    channel: str
    verify: Callable[[HttpRequest, bytes, str], bool]  # request, raw body, Authorization header
    shop: Callable[[dict], str]  # the shop (Lazada: seller) the notification is about
    notification: Callable[[dict], str]  # the platform's id of the notification ("" when it gives none)
    order: Callable[[dict], str]  # the order it names ("" when none)
    kind: Callable[[dict], str]


def _tiktok_verify(request: HttpRequest, body: bytes, signature: str) -> bool:
    config = settings.CHANNEL_APIS["tiktok"]
    return tiktok.verify_webhook(
        app_key=config["app_key"], app_secret=config["app_secret"], body=body, signature=signature
    )


def _shopee_verify(request: HttpRequest, body: bytes, signature: str) -> bool:
    """Shopee signs the callback URL as set in its console: the configured one, else this request's."""
    config = settings.CHANNEL_APIS["shopee"]
    url = config.get("webhook_url") or request.build_absolute_uri()
    return shopee.verify_webhook(partner_key=config["partner_key"], callback_url=url, body=body, signature=signature)


def _lazada_verify(request: HttpRequest, body: bytes, signature: str) -> bool:
    config = settings.CHANNEL_APIS["lazada"]
    return lazada.verify_webhook(
        app_key=config["app_key"], app_secret=config["app_secret"], body=body, signature=signature
    )


HOOKS = {
    Channel.TIKTOK: Hook(
        Channel.TIKTOK,
        _tiktok_verify,
        shop=lambda note: _text(note.get("shop_id")),
        notification=lambda note: _text(note.get("tts_notification_id")),
        order=lambda note: _text(_data(note).get("order_id")),
        kind=lambda note: _text(note.get("type")),
    ),
    Channel.SHOPEE: Hook(
        Channel.SHOPEE,
        _shopee_verify,
        shop=lambda note: _text(note.get("shop_id")),
        notification=lambda note: _text(note.get("msg_id")),
        # the captured push spells it `ordersn`; the API `order_sn` (marketplaces-orders-auth.md §2.5)
        order=lambda note: _text(_data(note).get("ordersn") or _data(note).get("order_sn")),
        kind=lambda note: _text(note.get("code")),
    ),
    Channel.LAZADA: Hook(
        Channel.LAZADA,
        _lazada_verify,
        shop=lambda note: _text(note.get("seller_id")),
        notification=lambda note: "",  # Lazada sends no id: the body's hash stands for it
        order=lambda note: _text(_data(note).get("trade_order_id")),
        kind=lambda note: _text(note.get("message_type")),
    ),
}


def _stores(hook: Hook, shop_id: str):
    if not shop_id:
        return Store.objects.none()
    named = Q(external_id=shop_id)
    if hook.channel == Channel.LAZADA:
        named |= Q(connection__seller_id=shop_id)
    return Store.objects.filter(named, channel=hook.channel, connection__status=ConnectionStatus.CONNECTED)


def _notification_id(hook: Hook, note: dict, body: bytes) -> str:
    given = hook.notification(note)
    if given and len(given) <= MAX_ID:
        return given
    return "sha256:" + hashlib.sha256(body).hexdigest()


def take(hook: Hook, note: dict, body: bytes) -> int:
    """Record the notification for each store it names, once; how many were new."""
    notification_id, number, kind = _notification_id(hook, note, body), hook.order(note)[:64], hook.kind(note)[:40]
    taken = 0
    for store in _stores(hook, hook.shop(note)):
        with transaction.atomic():
            _, created = WebhookReceipt.objects.get_or_create(
                store=store,
                notification_id=notification_id,
                defaults={"tenant_id": store.tenant_id, "kind": kind, "order_number": number},
            )
            if created and number:
                transaction.on_commit(
                    lambda store=store: orders_changed.send(sender=store, numbers=[number], source="webhook")
                )
        taken += created
    return taken


def _receive(request: HttpRequest, channel: str) -> HttpResponse:
    hook = HOOKS[channel]
    body = request.body
    if not hook.verify(request, body, request.headers.get("Authorization", "")):
        return HttpResponse(status=401)
    try:
        note = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return HttpResponse(status=400)
    if not isinstance(note, dict):
        return HttpResponse(status=400)
    take(hook, note, body)
    return HttpResponse(status=200)  # the platforms want an empty 200


def _endpoint(channel: str):
    @csrf_exempt  # the platform signs the body; it has no session nor CSRF token
    @login_not_required
    @require_POST
    def receive(request: HttpRequest) -> HttpResponse:
        return _receive(request, channel)

    receive.__name__ = f"{channel}_webhook"
    return receive


tiktok_webhook = _endpoint(Channel.TIKTOK)
shopee_webhook = _endpoint(Channel.SHOPEE)
lazada_webhook = _endpoint(Channel.LAZADA)
