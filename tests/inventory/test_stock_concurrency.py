"""Concurrent stock moves on one SKU and warehouse, each thread on its own connection and
transaction: nothing is lost, and a replayed source key counts once."""

import threading

import pytest
from django.db.models import Sum

from inventory.models import MovementReason, StockLevel, StockMovement
from inventory.services import stock_move
from tests.factories import SKUFactory, WarehouseFactory

THREADS = 8
MOVES_PER_THREAD = 25
REPLAYED_KEY = "return:CASE-DOUBLE-SCAN:1"
REPLAYED_QUANTITY = 3


def _quantity(thread: int, move: int) -> int:
    """Mostly in, some out: every third move ships."""
    return -(move % 4 + 1) if move % 3 == 0 else thread + move % 5 + 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_lose_nothing_and_a_replayed_key_counts_once():
    # given one SKU and warehouse, with no stock row yet (so its creation races too)
    sku = SKUFactory()
    warehouse = WarehouseFactory(tenant=sku.tenant)
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    replays: list[bool] = []  # `created` of every replay of the shared key

    def work(thread: int) -> None:
        from django.db import connection

        try:
            barrier.wait(timeout=30)
            if thread % 2 == 0:  # half the threads scan the same return at the same moment
                _, created = stock_move(
                    sku=sku,
                    warehouse=warehouse,
                    quantity=REPLAYED_QUANTITY,
                    reason=MovementReason.RETURN_STOCK_IN,
                    source="CASE-DOUBLE-SCAN",
                    source_key=REPLAYED_KEY,
                )
                replays.append(created)
            for move in range(MOVES_PER_THREAD):
                stock_move(
                    sku=sku,
                    warehouse=warehouse,
                    quantity=_quantity(thread, move),
                    reason=MovementReason.ADJUSTMENT,
                    source=f"T{thread}",
                    source_key=f"adj:T{thread}:{move}",
                )
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    # when 8 threads start together
    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    # then no thread failed or hung
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    ledger = StockMovement.objects.filter(sku=sku)
    # no movement is lost
    assert ledger.count() == THREADS * MOVES_PER_THREAD + 1
    # the replayed key made exactly one row, and exactly one replay reported creating it
    assert ledger.filter(source_key=REPLAYED_KEY).count() == 1
    assert sorted(replays) == [False] * (THREADS // 2 - 1) + [True]
    # on-hand is the ledger sum, and the expected total
    expected = REPLAYED_QUANTITY + sum(_quantity(t, m) for t in range(THREADS) for m in range(MOVES_PER_THREAD))
    level = StockLevel.objects.get(sku=sku, warehouse=warehouse)
    assert level.on_hand == ledger.aggregate(total=Sum("quantity"))["total"] == expected
