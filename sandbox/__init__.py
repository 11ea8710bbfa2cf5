"""A sandbox marketplace: its own process and its own state, speaking the marketplaces' documented
HTTP APIs so the channel adapters are tested against a server, not hand-made dicts. Standard library
only; it imports neither Django nor the project's apps. State lives in memory behind one lock.

Start: ``python -m sandbox --port 8765`` (``--port 0`` takes a free port; the port is printed) or
``make sandbox``. Platforms so far: TikTok Shop, API 202309 (facts: shared/reference/marketplaces*.md).

TikTok Shop endpoints (the real paths; point the adapter's hosts at the sandbox)
    GET  /open/authorize?service_id=&state=      the seller's authorize page (pick a seller, Authorize/Cancel)
    POST /open/authorize  (form: service_id, state, open_id, decision=approve|deny)
                          -> 302 {redirect_uri}?code=&state=  or  ?code=null&error=auth_denied&state=
    GET  /api/v2/token/get?app_key=&app_secret=&auth_code=&grant_type=authorized_code
    GET  /api/v2/token/refresh?app_key=&app_secret=&refresh_token=&grant_type=refresh_token
    GET  /authorization/202309/shops                     signed, x-tts-access-token, no shop_cipher
    POST /order/202309/orders/search?page_size=&page_token=&sort_field=&sort_order=   signed, shop_cipher
    GET  /order/202309/orders?ids=  (also /order/202507/orders)                       signed, shop_cipher
    GET  /fulfillment/202309/orders/<order_id>/tracking   events added as the order moves (control API)
    POST /return_refund/202309/cancellations?idempotency_key=   body {order_id, cancel_reason}: the seller
                          cancels (ON_HOLD, AWAITING_SHIPMENT, AWAITING_COLLECTION; else 25001021)
    POST /return_refund/202309/cancellations/search?page_size=(1..50)&page_token=   body filters
    POST /return_refund/202309/cancellations/<cancel_id>/approve|reject?idempotency_key=   a buyer's request
A repeated idempotency_key gets the first answer again and changes nothing; /_control/calls counts it.
Webhooks: to an app's webhook_url, for the shops of sellers who authorized it: type 1 ORDER_STATUS_CHANGE
(order placed or moved; CANCELLED spelled CANCEL) and 11 CANCELLATION_STATUS_CHANGE, header Authorization =
HMAC-SHA256(app_secret, app_key + body); until a 200 (or 401), retried 2 min, 30 min, 3 h, 12 h later on
the sandbox clock, from a thread of their own.
Signed calls check, in order: app_key (36009004), timestamp within now-5 min..now+30 s (36009004),
sign present (36009004) and right (106001), the access token (36009004; expired: 105002), then on
shop APIs shop_cipher (missing: 106013; not the token's seller: 101000). The timestamp window uses
the real clock; token expiry and order times use the sandbox clock, which /_control/clock moves.

Control API (JSON in, JSON out; for tests and demos)
    POST   /_control/reset                          forget everything
    GET    /_control/clock                          {"now"}; POST {"advance": seconds} makes time pass
    POST   /_control/faults  {"status": 429|500|502|503|504, "delay": s, "drop": true, "count": N, "path": prefix}
                          the next N calls under path are delayed, then answered with that status in the
                          platform's words (TikTok 429: code 36009002) or their connection dropped
    GET    /_control/faults, DELETE /_control/faults
    POST   /_control/rate_limit  {"qps": N}            past N calls a second per (app_key, shop_cipher, path):
                          HTTP 429 in the platform's words (TikTok's real limit is 50); 0 = off (the default)
    GET    /_control/calls                          {"paths": {path: n}, "idempotency_keys": {key: n}}
    GET    /_control/webhooks                       every webhook pushed, its attempts and whether it is done
    POST   /_control/tiktok/apps    {app_key, app_secret, service_id, redirect_uri, access_ttl, refresh_ttl,
                          webhook_url}
    POST   /_control/tiktok/shops   {name, region, seller_type, open_id (an existing seller), seller_name}
                          -> the shop with its cipher and its seller's open_id
    POST   /_control/tiktok/orders  {shop_id, status, currency, shipping_fee, buyer{...},
                          line_items[{sku_id, seller_sku, product_name, sale_price, original_price,
                          seller_discount, platform_discount}], count}   -> {"orders", "count"}
    GET    /_control/tiktok/orders/<id>             the order and its shop_id
    POST   /_control/tiktok/orders/<id>/status  {status, initiator, reason}
    POST   /_control/tiktok/orders/<id>/buyer_cancel  {reason}   the buyer asks to cancel (UNPAID: at once)
    POST   /_control/tiktok/revoke  {open_id, app_key}   the seller de-authorizes: its tokens stop working
    GET    /_play/tiktok                            a plain page (forms, no script) to do the above by hand:
                          add a shop, place an order, move it, ask to cancel as the buyer, make time pass
"""
