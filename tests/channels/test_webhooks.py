"""Webhooks in (issue 11 §6): the signature over the raw body first, each notification taken once,
a re-fetch of the order asked after commit; and a push made by the sandbox marketplace arrives."""

import hashlib
import hmac
import json
import time

import pytest
from django.test import Client

from channels.models import Channel, Connection, ConnectionStatus, WebhookReceipt
from channels.signals import orders_changed
from tests.factories import StoreFactory
from tests.sandbox_fixtures import connect_lazada, connect_shopee, connect_tiktok

TIKTOK = "/channels/webhooks/tiktok/"


def _hmac(secret: str, message: bytes) -> str:
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@pytest.fixture
def heard():
    got = []

    def receiver(sender, numbers, source, **kwargs):
        got.append((sender, list(numbers), source))

    orders_changed.connect(receiver, weak=False, dispatch_uid="test-webhooks-heard")
    yield got
    orders_changed.disconnect(dispatch_uid="test-webhooks-heard")


def _connected(tenant, channel, shop_id, **connection):
    store = StoreFactory(tenant=tenant, channel=channel, external_id=shop_id)
    Connection.objects.create(tenant=tenant, store=store, **connection)
    return store


def _tiktok_push(settings, note: dict, signature=None):
    """POST a TikTok push as the platform signs it (marketplaces.md §1.6), or with `signature`."""
    config = settings.CHANNEL_APIS["tiktok"]
    body = json.dumps(note).encode()
    if signature is None:
        signature = _hmac(config["app_secret"], config["app_key"].encode() + body)
    headers = {"Authorization": signature} if signature else {}
    return Client().post(TIKTOK, body, content_type="application/json", headers=headers)


def _order_note(shop_id="7001", notification="n-1", order_id="5770001"):
    data = {"order_id": order_id, "order_status": "AWAITING_SHIPMENT", "update_time": 1700000000}
    return {"type": 1, "tts_notification_id": notification, "shop_id": shop_id, "timestamp": 1700000000, "data": data}


def test_a_signed_push_is_taken_once_and_asks_for_the_order_once(
    tenant, settings, heard, django_capture_on_commit_callbacks
):
    store = _connected(tenant, Channel.TIKTOK, "7001")
    for _ in range(2):  # the push, then the platform's retry of it
        with django_capture_on_commit_callbacks(execute=True):
            response = _tiktok_push(settings, _order_note())
        assert (response.status_code, response.content) == (200, b"")
    receipt = WebhookReceipt.objects.get()
    assert (receipt.store, receipt.tenant, receipt.notification_id) == (store, tenant, "n-1")
    assert (receipt.kind, receipt.order_number) == ("1", "5770001")
    assert heard == [(store, ["5770001"], "webhook")]


@pytest.mark.parametrize("signature", ["", "0" * 64, "not hex at all"])
def test_a_missing_or_wrong_signature_is_401_and_nothing_is_written(tenant, settings, heard, signature):
    _connected(tenant, Channel.TIKTOK, "7001")
    response = _tiktok_push(settings, _order_note(), signature=signature)
    assert response.status_code == 401
    assert not WebhookReceipt.objects.exists() and not heard


def test_a_body_changed_after_signing_is_401(tenant, settings):
    _connected(tenant, Channel.TIKTOK, "7001")
    config = settings.CHANNEL_APIS["tiktok"]
    signed = json.dumps(_order_note()).encode()
    tampered = signed.replace(b"5770001", b"5770002")
    response = Client().post(
        TIKTOK,
        tampered,
        content_type="application/json",
        headers={"Authorization": _hmac(config["app_secret"], config["app_key"].encode() + signed)},
    )
    assert response.status_code == 401 and not WebhookReceipt.objects.exists()


def test_an_unknown_or_disconnected_shop_is_answered_200_and_nothing_is_written(tenant, settings, heard):
    _connected(tenant, Channel.TIKTOK, "7002", status=ConnectionStatus.DISCONNECTED)
    for shop_id in ("9999", "7002"):
        assert _tiktok_push(settings, _order_note(shop_id=shop_id)).status_code == 200
    assert not WebhookReceipt.objects.exists() and not heard


def test_a_signed_body_that_is_not_json_is_400_never_500(tenant, settings):
    config = settings.CHANNEL_APIS["tiktok"]
    for body in (b"{not json", b"[1, 2]", b"\xff\xfe"):
        signature = _hmac(config["app_secret"], config["app_key"].encode() + body)
        response = Client().post(TIKTOK, body, content_type="application/json", headers={"Authorization": signature})
        assert response.status_code == 400
    assert Client().get(TIKTOK).status_code == 405


def test_shopee_signs_the_callback_url_and_its_push_names_the_order_sn(
    tenant, settings, heard, django_capture_on_commit_callbacks
):
    store = _connected(tenant, Channel.SHOPEE, "336094210")
    note = {"msg_id": "64ca21a1", "shop_id": 336094210, "code": 3, "timestamp": 1765689440}
    body = json.dumps({**note, "data": {"ordersn": "251214B9XAB0ST", "status": "READY_TO_SHIP"}}).encode()
    url = "http://testserver/channels/webhooks/shopee/"
    key = settings.CHANNEL_APIS["shopee"]["partner_key"]
    wrong, right = _hmac(key, b"http://elsewhere/|" + body), _hmac(key, url.encode() + b"|" + body)
    with django_capture_on_commit_callbacks(execute=True):
        refused = Client().post(url, body, content_type="application/json", headers={"Authorization": wrong})
        taken = Client().post(url, body, content_type="application/json", headers={"Authorization": right})
    assert (refused.status_code, taken.status_code) == (401, 200)
    assert WebhookReceipt.objects.get().notification_id == "64ca21a1"
    assert heard == [(store, ["251214B9XAB0ST"], "webhook")]


def test_lazada_sends_no_id_so_the_body_hash_takes_it_once(tenant, settings, heard, django_capture_on_commit_callbacks):
    store = _connected(tenant, Channel.LAZADA, "", seller_id="1000123")
    data = {"order_status": "pending", "trade_order_id": "260001", "trade_order_line_id": "1", "status_update_time": 1}
    body = json.dumps({"seller_id": "1000123", "message_type": 0, "data": data, "timestamp": 1, "site": "MY"}).encode()
    config = settings.CHANNEL_APIS["lazada"]
    signature = _hmac(config["app_secret"], config["app_key"].encode() + body).upper()  # either case (§3.8)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = Client().post(
                "/channels/webhooks/lazada/", body, "application/json", headers={"Authorization": signature}
            )
        assert response.status_code == 200
    assert WebhookReceipt.objects.get().notification_id == "sha256:" + hashlib.sha256(body).hexdigest()
    assert heard == [(store, ["260001"], "webhook")]


@pytest.mark.django_db(transaction=True)  # the live server answers from another thread
def test_a_push_made_by_the_sandbox_arrives_verified(sandbox, settings, tenant, live_server, heard):
    store, shop = connect_tiktok(sandbox, settings, tenant, webhook_url=live_server.url + TIKTOK)
    placed = sandbox.control("POST", "tiktok/orders", {"shop_id": shop["id"], "status": "AWAITING_SHIPMENT"})
    number = placed["orders"][0]["id"]

    deadline = time.monotonic() + 30
    while not any(d["done"] for d in sandbox.control("GET", "webhooks")["webhooks"]):
        assert time.monotonic() < deadline, sandbox.control("GET", "webhooks")
        time.sleep(0.1)

    [delivery] = sandbox.control("GET", "webhooks")["webhooks"]
    assert [a["status"] for a in delivery["attempts"]] == [200]
    receipt = WebhookReceipt.objects.get(store=store)
    assert (receipt.kind, receipt.order_number) == ("1", number)
    assert heard == [(store, [number], "webhook")]


@pytest.mark.django_db(transaction=True)
def test_a_shopee_push_made_by_the_sandbox_arrives_verified(sandbox, settings, tenant, live_server, heard):
    store, shop = connect_shopee(sandbox, settings, tenant, push_url=live_server.url + "/channels/webhooks/shopee/")
    placed = sandbox.control("POST", "shopee/orders", {"shop_id": shop["shop_id"], "order_status": "READY_TO_SHIP"})
    number = placed["orders"][0]["order_sn"]

    deadline = time.monotonic() + 30
    while not any(d["done"] for d in sandbox.control("GET", "webhooks")["webhooks"]):
        assert time.monotonic() < deadline, sandbox.control("GET", "webhooks")
        time.sleep(0.1)

    assert [[a["status"] for a in d["attempts"]] for d in sandbox.control("GET", "webhooks")["webhooks"]] == [[200]]
    assert WebhookReceipt.objects.get(store=store).order_number == number
    assert heard == [(store, [number], "webhook")]


@pytest.mark.django_db(transaction=True)
def test_a_lazada_push_made_by_the_sandbox_arrives_verified(sandbox, settings, tenant, live_server, heard):
    store, seller = connect_lazada(
        sandbox, settings, tenant, webhook_url=live_server.url + "/channels/webhooks/lazada/"
    )
    placed = sandbox.control("POST", "lazada/orders", {"seller_id": seller["seller_id"], "status": "pending"})
    number = str(placed["orders"][0]["order_id"])

    deadline = time.monotonic() + 30
    while not sandbox.control("GET", "webhooks")["webhooks"] or not all(
        d["done"] for d in sandbox.control("GET", "webhooks")["webhooks"]
    ):
        assert time.monotonic() < deadline, sandbox.control("GET", "webhooks")
        time.sleep(0.1)

    pushes = sandbox.control("GET", "webhooks")["webhooks"]
    assert {a["status"] for d in pushes for a in d["attempts"]} == {200}
    receipts = WebhookReceipt.objects.filter(store=store)
    assert receipts.count() == len(pushes) and {r.order_number for r in receipts} == {number}
    assert {(sender, tuple(numbers), source) for sender, numbers, source in heard} == {(store, (number,), "webhook")}
