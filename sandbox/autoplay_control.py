"""The autoplay switch (sandbox/autoplay.py plays the rounds): POST /_control/autoplay {"every": seconds,
"new_orders": n} (every 0 = off, the default), GET for its setting and the rounds played, and the form
each play page shows (it posts to /_play/<platform>/autoplay and comes back to the page)."""

import json
import time
from html import escape
from urllib.parse import urlencode

from sandbox.web import Request, Response

MAX_EVERY = 86400
MAX_NEW_ORDERS = 100

FORM = """<h2>Autoplay</h2><form method="post" action="/_play/{platform}/autoplay">every
<input name="every" value="{every}" size="5"> seconds (0 = off), <input name="new_orders" value="{new_orders}"
size="3"> new paid orders a shop, and a few orders moved on (played {rounds} rounds) <button>Switch</button></form>"""


def switch(state, every: float, new_orders: int = 1) -> None:
    state.autoplay.update(every=every, new_orders=new_orders, next=time.monotonic() + every)


def control(state, request: Request) -> Response:
    """GET: the switch; POST {"every": seconds (0 = off), "new_orders": n (default 1)}."""
    if request.method == "POST":
        data = request.json()
        every, new_orders = data.get("every"), data.get("new_orders", 1)
        if type(every) not in (int, float) or not 0 <= every <= MAX_EVERY:
            return Response.json({"error": f"every is 0 (off) to {MAX_EVERY} seconds"}, 400)
        if type(new_orders) is not int or not 0 <= new_orders <= MAX_NEW_ORDERS:
            return Response.json({"error": f"new_orders is a whole number, 0 to {MAX_NEW_ORDERS}"}, 400)
        switch(state, every, new_orders)
    return Response.json({key: state.autoplay[key] for key in ("every", "new_orders", "rounds")})


def form_html(state, platform: str) -> str:
    shown = {key: escape(str(state.autoplay[key])) for key in ("every", "new_orders", "rounds")}
    return FORM.format(platform=platform, **shown)


def number(text: str, kind):
    try:
        return kind(text)
    except ValueError:
        return text  # the control handler says what it refuses


def from_page(state, request: Request) -> Response:
    form = request.form()
    data = {"every": number(form.get("every", ""), float), "new_orders": number(form.get("new_orders", ""), int)}
    inner = Request("POST", "/_control/autoplay", {}, {}, json.dumps(data).encode())
    answer = json.loads(control(state, inner).body)
    message = answer.get("error") or ("Autoplay off." if not answer["every"] else "Autoplay on.")
    location = f"/_play/{request.params['platform']}?" + urlencode({"message": message})
    return Response(303, b"", {"Location": location})


ROUTES = [
    ("GET", r"/_control/autoplay", control),
    ("POST", r"/_control/autoplay", control),
    ("POST", r"/_play/(?P<platform>tiktok|shopee|lazada)/autoplay", from_page),
]
