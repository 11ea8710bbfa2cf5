"""The project's TikTok signer (channels.platforms.tiktok, from the `signing` branch) and the sandbox,
written apart from each other from the same reference, agree: a call the adapter signs is accepted,
a webhook the sandbox signs is verified. Skipped until that module is on this branch."""

import json
import time

import pytest

tiktok = pytest.importorskip("channels.platforms.tiktok")


def test_a_call_signed_by_the_adapter_is_accepted(sandbox, app, shop, token):
    path, body = "/order/202309/orders/search", json.dumps({"order_status": "UNPAID"}).encode()
    query = {"app_key": app["app_key"], "timestamp": str(int(time.time())), "shop_cipher": shop["cipher"]}
    query |= {"page_size": "20"}
    query["sign"] = tiktok.sign(app_secret=app["app_secret"], path=path, params=query, body=body)
    headers = {"Content-Type": "application/json", "x-tts-access-token": token}
    status, answer, _ = sandbox.http("POST", path, query, body, headers)
    assert status == 200 and answer["code"] == 0, answer


def test_the_adapter_verifies_the_sandboxs_webhook_signature():
    from sandbox.tiktok.signing import webhook_sign

    body = b'{"type":1,"shop_id":"7","data":{"order_id":"1"}}'
    expected = tiktok.webhook_signature(app_key="k1", app_secret="s1", body=body)
    assert webhook_sign("k1", "s1", body) == expected
