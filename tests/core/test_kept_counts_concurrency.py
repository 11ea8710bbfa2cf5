"""Kept tab counts under concurrent writers, each thread on its own connection and transaction
against PostgreSQL: transitions in both directions over the same keys, and the ledger compacted
and checked meanwhile. No thread waits for another on the counts, so none deadlocks, and the
counts end equal to a fresh GROUP BY."""

import time
from decimal import Decimal

import pytest

from aftersales.services import case_confirm_and_stock_in
from core.counts import reconcile
from core.models import CountDelta
from refunds.models import PaymentMethod
from refunds.services import refund_create, refund_reject
from tests.concurrency import race
from tests.counts import fresh, kept
from tests.factories import StoreFactory, UserFactory, WarehouseFactory, make_case, shipped_order

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 4
AMOUNT = Decimal("10.00")


def _received_cases(owner, n: int) -> list:
    """`n` cases of one store waiting in Received Return for a refund order."""
    store, warehouse = StoreFactory(tenant=owner.tenant), WarehouseFactory(tenant=owner.tenant)
    cases = [make_case(order=shipped_order(tenant=owner.tenant, store=store), actor=owner) for _ in range(n)]
    for case in cases:
        case_confirm_and_stock_in(case=case, actor=owner, warehouse=warehouse)
    return cases


def _checking(rounds: int) -> list:
    """Reconcile again and again while the others write: every snapshot must find the counts exact."""
    drifts = []
    for _ in range(rounds):
        drifts += reconcile()
        time.sleep(0.02)
    return drifts


def test_transitions_both_ways_at_once_keep_the_counts_exact_and_never_deadlock():
    # given cases of one store: half waiting for a refund order, half with one waiting for finance
    owner = UserFactory(owner=True)
    cases = _received_cases(owner, 6)
    refunds = {
        case.pk: refund_create(case=case, actor=owner, amount=AMOUNT, method=PaymentMethod.CASH) for case in cases[3:]
    }

    def walk(case) -> list:
        """Move one case to Refund Processing and back, starting from where it is."""
        if case == "checker":
            return _checking(8)
        refund = refunds.get(case.pk)
        for _ in range(ROUNDS):
            if refund is None:
                refund = refund_create(case=case, actor=owner, amount=AMOUNT, method=PaymentMethod.CASH)
            else:
                refund_reject(refund=refund, actor=owner, reason="Wrong account")
                refund = None
        return []

    # when every case moves at the same moment, opposite ways over the same keys, checked meanwhile
    done, refused, errors = race(walk, [*cases, "checker"])
    # then nothing failed (no deadlock, no refusal), no snapshot saw a drift, and the counts are exact
    assert not errors, errors
    assert not refused, refused
    assert [drift for drifts in done for drift in drifts] == []
    assert kept() == fresh()
    assert reconcile() == []


def test_compacting_while_rows_are_created_keeps_every_delta():
    # given a tenant's owner
    owner = UserFactory(owner=True)
    store = StoreFactory(tenant=owner.tenant)
    orders = [shipped_order(tenant=owner.tenant, store=store) for _ in range(12)]

    def create(order):
        if order == "compactor":
            for _ in range(10):
                reconcile(check=False)
                time.sleep(0.01)
            return None
        return make_case(order=order, actor=owner)

    # when cases are created while the ledger is compacted again and again
    _, refused, errors = race(create, [*orders, "compactor"])
    # then no created case is missing from the counts
    assert not errors and not refused, (errors, refused)
    assert kept() == fresh()
    reconcile(check=False)
    assert kept() == fresh()
    assert CountDelta.objects.count() == len(kept())  # one row per key
