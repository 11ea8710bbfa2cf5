"""Assembles the sandbox: the state, the control API and each platform's routes on one server.
A platform is a package with ROUTES, CONTROL_ROUTES and fault_answer; its paths are the real ones
(TikTok, Shopee and Lazada paths do not collide), its control routes live under /_control/<platform>/."""

from sandbox import autoplay, autoplay_control, control, lazada, shopee, tiktok
from sandbox.state import State
from sandbox.web import Router, Server
from sandbox.webhooks import deliver_forever

PLATFORMS = {"tiktok": tiktok, "shopee": shopee, "lazada": lazada}


def build_router() -> Router:
    router = Router()
    router.mount("control", control.ROUTES)
    router.mount("control", autoplay_control.ROUTES)
    for name, platform in PLATFORMS.items():
        router.mount("control", platform.CONTROL_ROUTES)
        router.mount(name, platform.ROUTES, platform.fault_answer)
    return router


def make_server(host: str = "127.0.0.1", port: int = 0, autoplay_every: float = 0) -> Server:
    """The server, its webhook and autoplay threads started (they end when the server closes)."""
    state = State()
    server = Server((host, port), build_router(), state)
    deliver_forever(state)
    autoplay.play_forever(state)
    if autoplay_every:
        autoplay_control.switch(state, autoplay_every)
    return server
