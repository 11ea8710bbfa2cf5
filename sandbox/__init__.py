"""A sandbox marketplace: its own process and its own state, speaking the marketplaces' documented
HTTP APIs so the channel adapters are tested against a server, not hand-made dicts. Standard library
only; it imports neither Django nor the project's apps. State lives in memory behind one lock.

Start: ``python -m sandbox --port 8765`` (``--port 0`` takes a free port; the port is printed) or
``make sandbox``. Platforms so far: TikTok Shop, API 202309, Shopee Open Platform v2 and Lazada Open
Platform (facts: shared/reference/marketplaces*.md).

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

Shopee Open Platform v2 endpoints (the real paths; envelope {request_id, error, message, response})
    GET  /api/v2/shop/auth_partner?partner_id=&timestamp=&sign=&redirect=   the seller's page (pick a shop)
    POST /api/v2/shop/auth_partner (same query; form: shop_id)  -> 302 {redirect}?code=&shop_id=
    POST /api/v2/auth/token/get          body {code, partner_id, shop_id}: code single use, 10 min
    POST /api/v2/auth/access_token/get   body {refresh_token, partner_id, shop_id}: refresh token single use
                          both answer flat {access_token, refresh_token, expire_in (seconds), error, message}
    GET  /api/v2/order/get_order_list?time_range_field=create_time|update_time&time_from=&time_to=
                          &page_size=(1..100)&cursor=&order_status=&response_optional_fields=order_status
                          window over 15 days: order.order_list_invalid_time; oldest first; cursor paging
    GET  /api/v2/order/get_order_detail?order_sn_list=(1..50)&response_optional_fields=item_list,total_amount,..
    POST /api/v2/order/cancel_order   body {order_sn, cancel_reason, item_list}: UNPAID, READY_TO_SHIP,
                          PROCESSED, RETRY_SHIP (before shipping); else order.error_limit
    POST /api/v2/order/handle_buyer_cancellation  body {order_sn, operation: ACCEPT|REJECT}: only IN_CANCEL
    GET  /api/v2/shop/get_shop_info      flat {shop_name, region, status, auth_time, expire_time (the
                          authorization's end, 365 days after the code was exchanged), is_cb, is_sip, ...}
Shopee push: code 3 (order status update) to the push URL of every partner the shop authorized, on
every status change (placed, paid, moved, cancelled; a buyer's cancel request is code 3 with status
IN_CANCEL, the reference's reading): {msg_id, shop_id, code, timestamp, data{ordersn (sic, as captured
from production), status, update_time, completed_scenario, items}}, header Authorization =
HMAC-SHA256(partner_key, push URL + "|" + body), lower hex. Shopee's retry schedule is not in the stored
docs: the sandbox's own is 5 min, 30 min, 3 h on the sandbox clock, until a 200 (or 401).
Shopee signing: partner_id + path + timestamp (public: auth link, token calls) + access_token + shop_id
(shop APIs), HMAC-SHA256 with the partner key, lower hex; checked in order: partner_id
(invalid_partner_id), timestamp within 5 min of the real clock (error_param), access_token present
(error_param), sign (error_sign "Wrong sign."), shop (error_shop), token live and the shop's (error_auth
"Invalid access_token."; expiry follows the sandbox clock). Money is float, ids int, order_sn a string.
An injected 429 answers error "error_too_many_request" (the sandbox's own words: Shopee's are not in the
stored docs).

Lazada Open Platform endpoints (API paths as signed; production puts /rest before them, and the sandbox
takes them with or without it; success {code: "0", request_id, data}, refusal {type, code, message,
request_id} with HTTP 200)
    GET  /oauth/authorize?response_type=code&client_id=&redirect_uri=&state=   the seller's page (pick a
                          seller); client_id must be an app_key, redirect_uri the app's registered one
    POST /oauth/authorize (same query; form: seller_id, decision=approve|deny)
                          -> 302 {redirect_uri}?code=&state=  or  ?error=access_denied&state=
    GET  /auth/token/create?code=        signed, no access_token; code 30 min, single use (InvalidCode)
    GET  /auth/token/refresh?refresh_token=   new tokens, the refresh token's end kept, the old one spent
                          (IllegalRefreshToken); both flat: access_token, refresh_token, expires_in,
                          refresh_expires_in (seconds), country, account, country_user_info (refresh:
                          country_user_info_list) [{country, seller_id, user_id, short_code}]
    GET  /seller/get                     {seller_id, name, short_code, email, status, location, ...}
    GET  /orders/get?created_after|update_after=(ISO)&created_before=&update_before=&status=&sort_by=
                          created_at|updated_at&sort_direction=ASC|DESC&offset=(<=5000)&limit=(1..100)
                          -> {count, countTotal, orders[{statuses[], items_count, price, voucher,
                          shipping_fee, ...}]}; refusals E014 offset, E017 date, E019 limit, E036 status,
                          E074/E075 sort; bounds inclusive
    GET  /order/get?order_id=,  /order/items/get?order_id=   (E016: not this seller's order)
    GET  /orders/items/get?order_ids=[1,2]   1..50 orders -> [{order_id, order_number, order_items}]
                          One item per unit, each with its own status: unpaid, pending, packed, repacked,
                          ready_to_ship, shipped, delivered, canceled, returned, failed, lost (the list
                          filter also takes topack, toship, shipping, all). Money is a decimal string,
                          ids numbers; times ISO (GetOrders), "2014-10-15 19:12:15 +0800" (GetOrder,
                          GetOrderItems), epoch-ms text (GetMultipleOrderItems), as Lazada's samples.
    GET  /order/reverse/cancel/validate?order_id=&order_item_id_list=[..]   -> {tip_type, tip_content,
                          reason_options[{reason_id, reason_name}]} (the reason ids differ per country)
    GET  /order/reverse/cancel/create?order_id=&order_item_id_list=[..]&reason_id=   pending..ready_to_ship
                          items only (else E0123, also for an item cancelled already), a packed item takes
                          its package; E0104 reason, E0102 lines, E0122/E0124 order, E0115 no order_id
    GET  /order/reverse/cancel/seller/decide?reverse_order_id=&agree_cancel=true|false&reason_code=
                          a buyer's request (need_cancel_confirm): agreed items wait is_cancel_pending for
                          60 s of the sandbox clock, then are canceled; E0131 no decision pending, E0105
                          unknown id. An unanswered request cancels itself at cancel_trigger_time (2 days).
    GET  /order/reverse/return/detail/list?reverse_order_id=   a cancel reverse order: {reverse_order_id,
                          trade_order_id, request_type, reverseOrderLineDTOList[{reverse_status (API words:
                          REQUEST_INITIATE, REQUEST_REJECT, CANCEL_SUCCESS), trade_order_line_id, ...}]}
    GET  /logistic/order/trace?order_id=   {code, request_id, result{success, module[{package_detail_info_list
                          [{ofc_package_id, tracking_number, logistic_detail_info_list[{title, description,
                          detail_type, status_code, event_time (ms)}]}]}]}}: events from ready_to_ship on
Lazada pushes: to an app's webhook_url for the sellers who authorized it: message_type 0 per item status
change {seller_id, message_type, data{order_status, trade_order_id, trade_order_line_id,
status_update_time}, timestamp (ms), site "lazada_my"}, and 10 for a cancel reverse order (CANCEL_INIT,
CANCEL_SUCCESS); header Authorization = hex HMAC-SHA256(app_secret, app_key + body), lower case; until a
200 (or 401), retried every 30 min, 12 times, on the sandbox clock.
Lazada signing: path + sorted {name}{value} (query and form, without sign and empty values) + a raw
non-form body, HMAC-SHA256 with the app secret, upper hex; checked in order: app_key, timestamp and sign
present (MissingParameter), app_key known (InvalidAppKey), timestamp (ms or ISO) within 7200 s of the
real clock (InvalidTimestamp), sign_method sha256 (InvalidParameter), sign (IncompleteSignature "The
request signature does not conform to platform standards"), then on seller APIs access_token present
(MissingParameter) and live, the app's, not revoked (IllegalAccessToken "The specified access token is
invalid or expired"; expiry follows the sandbox clock). InvalidAppKey, InvalidTimestamp and the 429's
ApiCallLimit are the sandbox's own words (not in the stored docs).

On their own (sandbox/timed.py), once sandbox time (the real clock or /_control/clock) is past the
window, with the same webhook a manual move pushes; applied before every request and every 50 ms:
    TikTok  ON_HOLD -> AWAITING_SHIPMENT after 1 h (the sandbox's own window: none in the stored docs)
            DELIVERED -> COMPLETED after 7 days (the sandbox's own)
            a buyer's cancel request left unanswered 48 h (documented SLA: "else TikTok auto-approves"):
            CANCELLATION_REQUEST_COMPLETE and the order CANCELLED (initiator BUYER), if still ON_HOLD or
            AWAITING_SHIPMENT (no buyer cancel once AWAITING_COLLECTION)
    Shopee  IN_CANCEL left unanswered 48 h -> CANCELLED, cancel_by buyer (the sandbox's own window)
            TO_CONFIRM_RECEIVE -> COMPLETED after 7 days (the sandbox's own)
    Lazada  a buyer's request cancels itself at cancel_trigger_time (2 days); agreed cancels after 60 s
A manual move in between stops the pending change (the timer only acts on the status it was set for).

Control API (JSON in, JSON out; for tests and demos)
    POST   /_control/reset                          forget everything (autoplay off too)
    GET    /_control/clock                          {"now"}; POST {"advance": seconds} makes time pass
    POST   /_control/autoplay  {"every": seconds (0 = off, the default; up to 86400), "new_orders": n (0..100,
                          default 1)}: every `every` seconds of real time the sandbox places n paid orders
                          in each shop / seller that has authorized an app (TikTok AWAITING_SHIPMENT,
                          Shopee READY_TO_SHIP, Lazada pending), moves up to 3 open orders per shop one step
                          (TikTok AWAITING_SHIPMENT > AWAITING_COLLECTION > IN_TRANSIT > DELIVERED > COMPLETED;
                          Shopee READY_TO_SHIP > PROCESSED > SHIPPED > TO_CONFIRM_RECEIVE > COMPLETED; Lazada
                          pending > packed > ready_to_ship > shipped > delivered) and, one round in five per
                          shop, has a buyer ask to cancel an order not shipped yet; all with webhooks.
                          `python -m sandbox --autoplay SECONDS` turns it on at start (new_orders 1).
    GET    /_control/autoplay                       {"every", "new_orders", "rounds" (played so far)}
    POST   /_play/tiktok|shopee|lazada/autoplay  (form: every, new_orders)   the play pages' switch
    POST   /_control/faults  {"status": 429|500|502|503|504, "delay": s, "drop": true, "count": N, "path": prefix}
                          the next N calls under path are delayed, then answered with that status in the
                          platform's words (TikTok 429: code 36009002) or their connection dropped
    GET    /_control/faults, DELETE /_control/faults
    POST   /_control/rate_limit  {"qps": N}            past N calls a second per (app_key or partner_id,
                          shop_cipher or shop_id, path): HTTP 429 in the platform's words (TikTok's real
                          limit is 50; Shopee's and Lazada's are not in the stored docs); 0 = off (the default)
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
    POST   /_control/shopee/partners  {partner_id, partner_key, redirect, access_ttl, refresh_ttl, push_url}
    POST   /_control/shopee/push_url  {partner_id, push_url}   where its pushes go ("" stops them)
    POST   /_control/shopee/shops     {shop_id, shop_name, region, currency}
    POST   /_control/shopee/orders    {shop_id, order_status, cod, estimated_shipping_fee, item_list[{item_id,
                          model_sku, model_quantity_purchased, model_original_price, model_discounted_price}],
                          buyer_user_id, buyer_username, recipient_address{name, phone, region, zipcode,
                          full_address, ...}, count}   -> {"orders", "count"}
    GET    /_control/shopee/orders/<sn>              the order and its shop_id
    POST   /_control/shopee/orders/<sn>/pay         the buyer pays an UNPAID order: READY_TO_SHIP, pay_time set
    POST   /_control/shopee/orders/<sn>/status  {order_status}
    POST   /_control/shopee/orders/<sn>/buyer_cancel  {reason}   UNPAID: cancelled at once; before shipping:
                          IN_CANCEL until handle_buyer_cancellation
    GET    /_play/tiktok                            a plain page (forms, no script) to do the above by hand:
                          add a shop, place an order, move it, ask to cancel as the buyer, make time pass,
                          switch autoplay
    GET    /_play/shopee                            the same for Shopee: add a shop, place and pay an order, move
                          it, ask to cancel as the buyer, make time pass, switch autoplay
    POST   /_control/lazada/apps      {app_key, app_secret, redirect_uri, access_ttl, refresh_ttl, webhook_url}
    POST   /_control/lazada/sellers   {name, country (SG MY PH TH VN ID), seller_id, email}
    POST   /_control/lazada/orders    {seller_id, status (of every item), shipping_fee, payment_method,
                          buyer{first_name, phone, address1, city, post_code}, items[{sku, name, item_price,
                          voucher_seller, voucher_platform, quantity}], count}   -> {"orders", "count"}
    GET    /_control/lazada/orders/<id>              the order, its items and its seller_id
    POST   /_control/lazada/orders/<id>/status  {status, order_item_ids (default all), reason}
    POST   /_control/lazada/orders/<id>/buyer_cancel  {reason, order_item_ids}   unpaid: canceled at once;
                          pending..ready_to_ship: waits for the seller's decision -> reverse_order_id
    POST   /_control/lazada/revoke    {seller_id, app_key}   the seller de-authorizes: its tokens stop working
    GET    /_play/lazada                            the same by hand for Lazada (sellers, orders, items, time,
                          autoplay)
"""
