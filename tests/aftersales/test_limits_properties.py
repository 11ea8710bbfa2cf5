"""Property tests (Hypothesis, bounded) over the pricing of added SKUs and the refundable rules."""

from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.limits import ZERO, case_claim, room_left
from aftersales.models import CaseStatus
from core.limits import MAX_AMOUNT
from inventory.pricing import line_amount, pick_price, price_for
from tests.factories import CustomerTierFactory, SKUFactory, TierPriceFactory

BOUNDED = settings(max_examples=80, deadline=None)
prices = st.decimals(min_value=ZERO, max_value=Decimal("99999.99"), places=2)
maybe_prices = st.none() | prices
quantities = st.integers(min_value=1, max_value=10_000)
money = st.decimals(min_value=ZERO, max_value=MAX_AMOUNT, places=2)


@BOUNDED
@given(tier=maybe_prices, wholesale=maybe_prices)
def test_the_price_is_the_tier_price_else_wholesale_else_zero(tier, wholesale):
    price = pick_price(tier_price=tier, wholesale_price=wholesale)
    assert price >= 0
    if tier is not None:
        assert price == tier  # a tier price wins, even one below wholesale or 0
    elif wholesale is not None:
        assert price == wholesale
    else:
        assert price == Decimal("0.00")


@BOUNDED
@given(quantity=quantities, more=quantities, price=prices)
def test_the_amount_is_quantity_times_price_to_the_cent_and_adds_up(quantity, more, price):
    amount = line_amount(quantity=quantity, unit_price=price)
    assert amount == (price * quantity).quantize(Decimal("0.01"))
    assert amount.as_tuple().exponent == -2
    assert amount >= 0 and amount <= line_amount(quantity=quantity + more, unit_price=price)
    assert line_amount(quantity=quantity + more, unit_price=price) == amount + line_amount(
        quantity=more, unit_price=price
    )


@pytest.mark.django_db
@BOUNDED
@given(tier=maybe_prices, wholesale=maybe_prices, buyer_has_tier=st.booleans())
def test_an_added_skus_price_from_the_database_follows_the_rule(tier, wholesale, buyer_has_tier):
    with transaction.atomic():  # each example on its own rows, rolled back
        sku = SKUFactory(wholesale_price=wholesale)
        buyer_tier = CustomerTierFactory(tenant=sku.tenant)
        if tier is not None:
            TierPriceFactory(tier=buyer_tier, sku=sku, price=tier)
        other_tier = CustomerTierFactory(tenant=sku.tenant)
        TierPriceFactory(tier=other_tier, sku=sku, price=Decimal("1.23"))  # another tier's price never applies
        price = price_for(sku=sku, tier=buyer_tier if buyer_has_tier else None)
        assert price == pick_price(tier_price=tier if buyer_has_tier else None, wholesale_price=wholesale)
        transaction.set_rollback(True)


@BOUNDED
@given(
    status=st.sampled_from(CaseStatus.values),
    refundable=money,
    refunded=money,
)
def test_a_cases_claim_is_never_negative_and_nothing_once_cancelled(status, refundable, refunded):
    claim = case_claim(status=status, refundable=refundable, refunded=refunded)
    assert claim >= 0
    assert claim >= refunded or status == CaseStatus.CANCELLED  # what was paid stays claimed
    if status == CaseStatus.CANCELLED:
        assert claim == 0
    elif status != CaseStatus.COMPLETED:
        assert claim >= refundable


@BOUNDED
@given(paid=money, claims=st.lists(money, max_size=6))
def test_what_an_order_has_left_is_never_negative_and_never_above_what_was_paid(paid, claims):
    left = room_left(paid=paid, claimed=sum(claims, ZERO))
    assert ZERO <= left <= paid
    assert left == paid - sum(claims, ZERO) or left == 0
