"""Autoplay: switched on, the sandbox places paid orders in every authorized shop of each platform and
moves them along their lifecycle by itself, with the platforms' pushes; switched off (or reset) it
stops. Read back from the sandbox's webhook log (the apps' endpoints are a closed port)."""

import json
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.sandbox.test_shopee import KEY, PARTNER, SHOP, token_call
from tests.sandbox.test_shopee import authorize as shopee_authorize
from tests.sandbox.test_tiktok_webhooks import wait_for
from tests.sandbox_fixtures import ROOT, Sandbox, authorize, get_token, lazada_authorize, lazada_call

DEAD_URL = "http://127.0.0.1:9/hooks"


def pushed(sandbox) -> list[dict]:
    return [json.loads(hook["body"]) for hook in sandbox.control("GET", "webhooks")["webhooks"]]


@pytest.fixture
def authorized_shops(sandbox, shop):
    """A TikTok shop, a Shopee shop and a Lazada seller, each with an app it authorized."""
    app = sandbox.control("POST", "tiktok/apps", {"app_key": "play", "app_secret": "s3", "webhook_url": DEAD_URL})
    assert get_token(sandbox, app, authorize(sandbox, app, shop))["code"] == 0
    sandbox.control("POST", "shopee/partners", {"partner_id": PARTNER, "partner_key": KEY, "push_url": DEAD_URL})
    sandbox.control("POST", "shopee/shops", {"shop_id": SHOP, "shop_name": "Maomao SG", "region": "SG"})
    assert token_call(sandbox, "/api/v2/auth/token/get", {"code": shopee_authorize(sandbox)})["error"] == ""
    lazada = {"app_key": "100777", "app_secret": "lz", "redirect_uri": "http://app.test/lz", "webhook_url": DEAD_URL}
    lazada_app = sandbox.control("POST", "lazada/apps", lazada)
    seller = sandbox.control("POST", "lazada/sellers", {"name": "Kedai", "country": "MY"})
    code = lazada_authorize(sandbox, lazada_app, seller)
    assert lazada_call(sandbox, "/auth/token/create", lazada_app, params={"code": code})[1]["code"] == "0"
    return shop


def page_text(sandbox, path: str) -> str:
    with urllib.request.urlopen(sandbox.url + path, timeout=5) as response:
        return response.read().decode()


def statuses(sandbox) -> dict[str, set]:
    """Order statuses pushed, per platform."""
    found = {"tiktok": set(), "shopee": set(), "lazada": set()}
    for push in pushed(sandbox):
        if push.get("type") == 1:
            found["tiktok"].add(push["data"]["order_status"])
        elif push.get("code") == 3:
            found["shopee"].add(push["data"]["status"])
        elif push.get("message_type") == 0:
            found["lazada"].add(push["data"]["order_status"])
    return found


def test_autoplay_places_and_moves_orders_on_every_platform_until_switched_off(sandbox, authorized_shops):
    assert sandbox.control("GET", "autoplay") == {"every": 0, "new_orders": 1, "rounds": 0}
    sandbox.control("POST", "autoplay", {"every": 0.3, "new_orders": 2})
    wait_for(lambda: sandbox.control("GET", "autoplay")["rounds"] >= 4, seconds=10)
    seen = statuses(sandbox)
    assert {"AWAITING_SHIPMENT", "AWAITING_COLLECTION", "IN_TRANSIT"} <= seen["tiktok"]
    assert {"READY_TO_SHIP", "PROCESSED", "SHIPPED"} <= seen["shopee"]
    assert {"pending", "packed", "ready_to_ship"} <= seen["lazada"]
    placed = {p["data"]["order_id"] for p in pushed(sandbox) if p.get("type") == 1}
    assert len(placed) >= 8  # 2 a round

    sandbox.control("POST", "autoplay", {"every": 0})
    rounds, count = sandbox.control("GET", "autoplay")["rounds"], len(pushed(sandbox))
    time.sleep(1.0)
    assert sandbox.control("GET", "autoplay")["rounds"] == rounds
    assert len(pushed(sandbox)) == count


def test_autoplay_leaves_shops_without_an_authorized_app_alone(sandbox, authorized_shops):
    other = sandbox.control("POST", "tiktok/shops", {"name": "Not connected"})
    sandbox.control("POST", "autoplay", {"every": 0.2})
    wait_for(lambda: sandbox.control("GET", "autoplay")["rounds"] >= 2)
    sandbox.control("POST", "autoplay", {"every": 0})
    order_shops = set(re.findall(r"<tr><td>\d+</td><td>(\d+)</td>", page_text(sandbox, "/_play/tiktok")))
    assert order_shops == {authorized_shops["id"]} and other["id"] not in order_shops


def test_reset_switches_autoplay_off(sandbox):
    sandbox.control("POST", "autoplay", {"every": 5, "new_orders": 3})
    sandbox.control("POST", "reset")
    assert sandbox.control("GET", "autoplay") == {"every": 0, "new_orders": 1, "rounds": 0}


@pytest.mark.parametrize(
    ("body", "refusal"),
    [({"every": -1}, "every is 0 (off) to 86400 seconds"), ({"every": 1, "new_orders": 1.5}, "new_orders is")],
)
def test_the_switch_refuses_what_it_cannot_use(sandbox, body, refusal):
    status, answer, _ = sandbox.http("POST", "/_control/autoplay", body=body)
    assert status == 400 and answer["error"].startswith(refusal)


@pytest.mark.parametrize("platform", ["tiktok", "shopee", "lazada"])
def test_each_play_page_switches_autoplay(sandbox, platform):
    status, _, headers = sandbox.http("POST", f"/_play/{platform}/autoplay", body=b"every=2.5&new_orders=4")
    assert status == 303 and headers["Location"].startswith(f"/_play/{platform}?message=Autoplay+on")
    assert sandbox.control("GET", "autoplay")["every"] == 2.5
    page = page_text(sandbox, f"/_play/{platform}")
    assert re.search(r'name="every" value="2.5"', page) and 'value="4"' in page
    sandbox.http("POST", f"/_play/{platform}/autoplay", body=b"every=0&new_orders=1")
    assert sandbox.control("GET", "autoplay")["every"] == 0


def test_the_flag_turns_autoplay_on_at_start_and_the_process_stops_cleanly():
    command = [sys.executable, "-m", "sandbox", "--port", "0", "--autoplay", "0.2"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        url = "http://127.0.0.1:" + re.search(r":(\d+)", process.stdout.readline()).group(1)
        wait_for(lambda: json.loads(page_text(Sandbox(url), "/_control/autoplay"))["rounds"] >= 2)
        assert json.loads(page_text(Sandbox(url), "/_control/autoplay"))["every"] == 0.2
    finally:
        process.terminate()
        code = process.wait(timeout=5)
    assert code == 0  # SIGTERM closes the server and ends its threads, as Ctrl-C does
