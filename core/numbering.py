"""Document numbers a person can read aloud: `AS-2611-000123` is the 123rd case of the tenant in
November 2026. One counter per tenant, prefix and month, taken in the transaction that writes the
document: two at once take turns on the counter's row and get consecutive numbers, and a
transaction that rolls back gives its number back, so the numbers have no gaps."""

from django.db import connection, transaction
from django.utils import timezone

from core.models import NumberSequence

# One statement creates the month's row or counts on, and keeps it locked until the commit:
# a SELECT ... FOR UPDATE could not lock the row of a new month before it exists.
NEXT = f"""
    INSERT INTO {NumberSequence._meta.db_table} AS seq (tenant_id, prefix, period, last)
    VALUES (%s, %s, %s, 1)
    ON CONFLICT (tenant_id, prefix, period) DO UPDATE SET last = seq.last + 1
    RETURNING last
"""


def next_number(*, tenant_id: int, prefix: str) -> str:
    """The tenant's next number for `prefix` this month. Call it inside the transaction that
    saves the document, as late as possible: the counter stays locked until that commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that uses the number.")
    period = f"{timezone.localdate():%y%m}"
    with connection.cursor() as cursor:
        cursor.execute(NEXT, [tenant_id, prefix, period])
        (count,) = cursor.fetchone()
    return f"{prefix}-{period}-{count:06d}"
