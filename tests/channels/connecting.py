"""Connect store through the sandbox: our TikTok app registered there with a callback URL, and the
state our authorize link carries (what the platform hands back)."""

from urllib.parse import parse_qs, urlencode, urlparse

CALLBACK = "http://testserver/settings/stores/connect/callback/"


def register_tiktok_app(sandbox, settings, redirect_uri: str = CALLBACK, **extra) -> dict:
    """Point settings.CHANNEL_APIS' TikTok app at the sandbox and register it there."""
    config = settings.CHANNEL_APIS["tiktok"] = {
        **settings.CHANNEL_APIS["tiktok"],
        "api_base": sandbox.url,
        "auth_base": sandbox.url,
        "authorize_url": sandbox.url + "/open/authorize",
    }
    app = {key: config[key] for key in ("app_key", "app_secret", "service_id")}
    return sandbox.control("POST", "tiktok/apps", {**app, "redirect_uri": redirect_uri, **extra})


def state_of(authorize_url: str) -> str:
    return parse_qs(urlparse(authorize_url).query)["state"][0]


def approve(sandbox, app, shop, state: str, decision: str = "approve") -> dict:
    """The seller's answer on the sandbox's authorize page: the query our callback is sent (code, state)."""
    answer = {"service_id": app["service_id"], "state": state, "open_id": shop["open_id"], "decision": decision}
    form = urlencode(answer)
    status, _, headers = sandbox.http("POST", "/open/authorize", body=form.encode())
    assert status == 302
    location = urlparse(headers["Location"])
    assert location._replace(query="").geturl() == app["redirect_uri"]
    answer = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert answer["state"] == state  # the platform hands our state back untouched
    return answer
