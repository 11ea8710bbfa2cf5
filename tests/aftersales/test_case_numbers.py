"""Case and refund numbers: read aloud as `AS-2611-000123`, one counter per tenant, prefix and
month, consecutive and never colliding when many are made at the same moment (threads, each on its
own connection and transaction against PostgreSQL)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.permissions import Perm
from aftersales import services
from aftersales.filters import cases_matching
from aftersales.models import Case
from aftersales.services import LineInput, case_confirm_and_stock_in
from refunds.services import refund_create, refund_reject
from tests.concurrency import race
from tests.factories import UserFactory, WarehouseFactory, make_case, make_refund, shipped_order

MONTH = f"{timezone.localdate():%y%m}"


def _create(order, actor):
    item = order.items.get()
    return services.case_create(
        tenant=order.tenant,
        actor=actor,
        order=order,
        type="return_refund",
        returned=[LineInput(sku=item.sku, quantity=1, order_item=item)],
    )


@pytest.mark.django_db(transaction=True)
def test_cases_created_at_the_same_moment_get_consecutive_numbers():
    first = shipped_order(lines=((Decimal("10.00"), 1),))
    orders = [first, *(shipped_order(tenant=first.tenant, lines=((Decimal("10.00"), 1),)) for _ in range(11))]
    operators = [UserFactory(tenant=first.tenant, perms=[Perm.MANUAL_AFTERSALES]) for _ in orders]
    pairs = dict(zip(operators, orders, strict=True))

    results, refused, errors = race(lambda user: _create(pairs[user], user), operators)

    assert not errors and not refused, (errors, refused)
    assert sorted(case.number for case in results) == [f"AS-{MONTH}-{n:06d}" for n in range(1, 13)]


@pytest.mark.django_db(transaction=True)
def test_refund_orders_created_at_the_same_moment_get_consecutive_numbers():
    cases = [make_case()]
    owner = cases[0].created_by
    cases += [make_case(order=shipped_order(tenant=owner.tenant), actor=owner) for _ in range(7)]
    warehouse = WarehouseFactory(tenant=owner.tenant)
    for case in cases:
        case_confirm_and_stock_in(case=case, actor=owner, warehouse=warehouse)
    by_actor = {UserFactory(tenant=owner.tenant, perms=[Perm.AFTERSALES_REFUND]): case for case in cases}

    def create(user):
        case = by_actor[user]
        return refund_create(case=case, actor=user, amount=Decimal("10.00"), method="cash")

    results, refused, errors = race(create, list(by_actor))

    assert not errors and not refused, (errors, refused)
    assert sorted(refund.number for refund in results) == [f"RF-{MONTH}-{n:06d}" for n in range(1, 9)]


@pytest.mark.django_db
def test_each_tenant_counts_its_own_cases_and_refunds():
    mine = make_case()
    make_case(order=shipped_order(tenant=mine.tenant), actor=mine.created_by)
    theirs = make_case()
    refund = make_refund(case=mine)
    assert [mine.number, theirs.number, refund.number] == [f"AS-{MONTH}-000001"] * 2 + [f"RF-{MONTH}-000001"]


@pytest.mark.django_db
def test_a_new_month_starts_again_at_one(monkeypatch):
    first = make_case()
    monkeypatch.setattr("core.numbering.timezone.localdate", lambda: datetime.date(2031, 1, 5))
    assert make_case(order=shipped_order(tenant=first.tenant), actor=first.created_by).number == "AS-3101-000001"


@pytest.mark.django_db
def test_a_rejected_refund_keeps_its_number_and_the_next_slip_counts_on():
    refund = make_refund()
    refund_reject(refund=refund, actor=refund.case.created_by, reason="Wrong account")
    again = refund_create(case=refund.case, actor=refund.case.created_by, amount=Decimal("5.00"), method="cash")
    assert (refund.number, again.number) == (f"RF-{MONTH}-000001", f"RF-{MONTH}-000002")


@pytest.mark.django_db
def test_a_case_is_found_by_its_number_as_read_aloud_and_typed_in_lower_case():
    case = make_case()
    found = cases_matching(tenant=case.tenant, code=f" {case.number.lower()} ")
    assert list(Case.objects.filter(pk__in=found)) == [case]
