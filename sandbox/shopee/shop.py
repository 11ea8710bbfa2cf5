"""Shopee's shop API: get_shop_info (marketplaces-orders-auth.md §2.1), answered flat as Shopee answers
it: the shop's fields beside request_id, error and message, no `response` wrapper."""

from sandbox.shopee.common import answer, signed
from sandbox.web import Request, Response

INFO = ("shop_name", "region", "status", "is_cb", "is_sip", "merchant_id", "shop_fulfillment_flag")


@signed("shop")
def shop_info(state, request: Request, partner: dict, shop: dict) -> Response:
    granted = state.shopee.authorizations.get((partner["partner_id"], shop["shop_id"]), {})
    times = {"auth_time": granted.get("auth_time", 0), "expire_time": granted.get("expire_time", 0)}
    return answer(flat={**{key: shop[key] for key in INFO}, **times, "sip_affi_shops": []})


ROUTES = [("GET", r"/api/v2/shop/get_shop_info", shop_info)]
