"""The TikTok adapter lists buyers' cancellation requests (Search Cancellations) from the sandbox
marketplace: by update window and by order, buyers' requests only, their status mapped to ours."""

import pytest

from channels.adapters.base import PlatformCancelRequest
from tests.channels.test_tiktok_adapter import adapter, our_shop, place, tokens, waits  # noqa: F401 (fixtures)


def test_buyer_requests_by_window_and_by_order(sandbox, shop, adapter, tokens, our_shop):  # noqa: F811
    first, second, third = place(sandbox, shop, count=3)
    asked = [
        sandbox.control("POST", f"tiktok/orders/{o['id']}/buyer_cancel", {"reason": "wrong_size"})
        for o in (first, second)
    ]
    # the seller's own cancellation is no request to answer
    adapter.cancel_order(tokens.access_token, our_shop, third["id"], "Out of Stock", "k-1")

    pages = list(adapter.cancel_requests(tokens.access_token, our_shop))
    found = [request for page in pages for request in page]
    assert [r.id for r in found] == [a["cancel_id"] for a in asked]
    assert found[0] == PlatformCancelRequest(
        id=asked[0]["cancel_id"],
        order_id=first["id"],
        raw_status="CANCELLATION_REQUEST_PENDING",
        status="pending",
        reason="wrong size",
        created_at=found[0].created_at,
        updated_at=found[0].updated_at,
    )
    assert found[0].created_at is not None

    (only,) = list(adapter.cancel_requests(tokens.access_token, our_shop, order_ids=[second["id"]]))
    assert [r.order_id for r in only] == [second["id"]]

    later = found[0].updated_at.replace(year=found[0].updated_at.year + 1)
    assert list(adapter.cancel_requests(tokens.access_token, our_shop, since=later)) == [[]]


@pytest.mark.parametrize("count", [51])
def test_requests_are_paged(sandbox, shop, adapter, tokens, our_shop, count):  # noqa: F811
    for order in place(sandbox, shop, count=count):
        sandbox.control("POST", f"tiktok/orders/{order['id']}/buyer_cancel", {})
    pages = list(adapter.cancel_requests(tokens.access_token, our_shop))
    assert [len(page) for page in pages] == [50, 1]
