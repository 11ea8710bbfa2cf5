"""Lazada in the sandbox: signed calls refused in Lazada's words, and the authorization flow (authorize
page, /auth/token/create, /auth/token/refresh, revocation), against the real process."""

import time
from urllib.parse import urlencode

import pytest

from channels.platforms import lazada
from sandbox.lazada import common as lazada_common
from sandbox.lazada import store as lazada_store
from tests.sandbox_fixtures import lazada_authorize, lazada_call

APP = {"app_key": "100123", "app_secret": "lz-secret-1", "redirect_uri": "http://app.test/lazada"}


@pytest.fixture
def app(sandbox):
    return sandbox.control("POST", "lazada/apps", {**APP, "access_ttl": 600, "refresh_ttl": 3600})


@pytest.fixture
def seller(sandbox):
    return sandbox.control("POST", "lazada/sellers", {"name": "Kedai Sandbox", "country": "MY"})


def create_token(sandbox, app, code):
    return lazada_call(sandbox, "/auth/token/create", app, params={"code": code})[1]


@pytest.fixture
def token(sandbox, app, seller):
    answer = create_token(sandbox, app, lazada_authorize(sandbox, app, seller))
    assert answer["code"] == "0", answer
    return answer


def test_the_code_gives_tokens_with_the_sellers_country_info(sandbox, app, seller, token):
    assert token["expires_in"] == 600 and token["refresh_expires_in"] == 3600
    assert token["country"] == "my" and token["account_platform"] == "seller_center"
    (info,) = token["country_user_info"]
    assert info["seller_id"] == str(seller["seller_id"]) and info["country"] == "MY"
    status, answer = lazada_call(sandbox, "/seller/get", app, token["access_token"])
    assert status == 200 and answer["code"] == "0"
    assert (answer["data"]["seller_id"], answer["data"]["name"]) == (seller["seller_id"], "Kedai Sandbox")


def test_a_code_is_single_use_and_dies_after_30_minutes(sandbox, app, seller):
    code = lazada_authorize(sandbox, app, seller)
    assert create_token(sandbox, app, code)["code"] == "0"
    assert create_token(sandbox, app, code)["code"] == "InvalidCode"
    late = lazada_authorize(sandbox, app, seller)
    sandbox.control("POST", "clock", {"advance": 30 * 60 + 1})
    assert create_token(sandbox, app, late)["code"] == "InvalidCode"


def test_refresh_restarts_the_access_token_but_not_the_authorization(sandbox, app, token):
    sandbox.control("POST", "clock", {"advance": 601})
    assert lazada_call(sandbox, "/seller/get", app, token["access_token"])[1]["code"] == "IllegalAccessToken"

    _, renewed = lazada_call(sandbox, "/auth/token/refresh", app, params={"refresh_token": token["refresh_token"]})

    assert renewed["code"] == "0" and renewed["expires_in"] == 600
    assert renewed["refresh_expires_in"] == 3600 - 601  # the authorization keeps its end
    assert renewed["country_user_info_list"][0]["country"] == "MY"  # the refresh sample's spelling
    assert lazada_call(sandbox, "/seller/get", app, renewed["access_token"])[1]["code"] == "0"
    _, again = lazada_call(sandbox, "/auth/token/refresh", app, params={"refresh_token": token["refresh_token"]})
    assert again["code"] == "IllegalRefreshToken"  # the old one is spent


def test_a_revoked_seller_cannot_call_or_refresh(sandbox, app, seller, token):
    assert sandbox.control("POST", "lazada/revoke", {"seller_id": seller["seller_id"]})["revoked"] == 1
    assert lazada_call(sandbox, "/seller/get", app, token["access_token"])[1]["code"] == "IllegalAccessToken"
    _, refused = lazada_call(sandbox, "/auth/token/refresh", app, params={"refresh_token": token["refresh_token"]})
    assert refused["code"] == "IllegalRefreshToken"


def test_the_authorize_page_checks_client_id_and_redirect_uri(sandbox, app, seller):
    link = {"response_type": "code", "client_id": app["app_key"], "redirect_uri": app["redirect_uri"]}
    status, _, _ = sandbox.http("GET", "/oauth/authorize", link)
    assert status == 200
    assert sandbox.http("GET", "/oauth/authorize", {**link, "redirect_uri": "http://evil.test/"})[0] == 400
    assert sandbox.http("GET", "/oauth/authorize", {**link, "client_id": "999"})[0] == 400
    status, _, headers = sandbox.http("POST", "/oauth/authorize", {**link, "state": "s1"}, body=b"decision=deny")
    assert status == 302 and headers["Location"] == "http://app.test/lazada?error=access_denied&state=s1"


@pytest.mark.parametrize(
    ("app_change", "call", "code"),
    [
        ({}, {"sign": "0" * 64}, "IncompleteSignature"),
        ({"app_key": "999999"}, {}, "InvalidAppKey"),
        ({}, {"timestamp": str(int(time.time() * 1000) - 7300 * 1000)}, "InvalidTimestamp"),
        ({}, {"params": {"sign_method": "md5"}}, "InvalidParameter"),
    ],
)
def test_signed_calls_are_refused_in_lazadas_words(sandbox, app, token, app_change, call, code):
    _, answer = lazada_call(sandbox, "/seller/get", {**app, **app_change}, token["access_token"], **call)
    assert (answer["code"], answer["type"]) == (code, "ISV") and answer["request_id"]


def test_a_wrong_secret_or_token_is_refused(sandbox, app, token):
    good = lazada_call(sandbox, "/seller/get", app, token["access_token"])[1]
    assert good["code"] == "0"
    wrong_secret = {**app, "app_secret": "not-the-secret"}
    refused = lazada_call(sandbox, "/seller/get", wrong_secret, token["access_token"])[1]
    assert refused["code"] == "IncompleteSignature"
    assert refused["message"] == "The request signature does not conform to platform standards"
    missing = lazada_call(sandbox, "/seller/get", app, "")[1]
    assert (missing["code"], missing["message"]) == ("MissingParameter", "Missing required parameter: access_token")
    assert lazada_call(sandbox, "/seller/get", app, "50000nope")[1]["code"] == "IllegalAccessToken"


def test_the_sandbox_signs_the_official_example_as_documented():
    # open.lazada.com docId=108069 (the vector of tests/channels/test_signing.py)
    params = {"app_key": "123456", "access_token": "test", "timestamp": "1517820392000", "sign_method": "sha256"}
    expected = "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A"
    assert lazada_common.sign("helloworld", "/order/get", {**params, "order_id": "1234"}) == expected


def test_a_form_post_signed_by_the_adapters_signer_is_accepted_under_rest(sandbox, app, seller):
    code = lazada_authorize(sandbox, app, seller)
    params = {"app_key": app["app_key"], "timestamp": str(int(time.time() * 1000)), "sign_method": "sha256"}
    params |= {"code": code}
    params["sign"] = lazada.sign(app_secret=app["app_secret"], path="/auth/token/create", params=params)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, answer, _ = sandbox.http(
        "POST", "/rest/auth/token/create", body=urlencode(params).encode(), headers=headers
    )
    assert status == 200 and answer["code"] == "0", answer


def test_the_adapter_verifies_the_sandboxs_push_signature():
    body = b'{"seller_id":"1001","message_type":0,"data":{"order_status":"pending"},"site":"lazada_my"}'
    pushed_app = lazada_store.App(app_key="100123", app_secret="lz-secret-1", redirect_uri="")
    signature = lazada_common.sign_push(pushed_app, body)
    assert lazada.verify_webhook(app_key="100123", app_secret="lz-secret-1", body=body, signature=signature)
