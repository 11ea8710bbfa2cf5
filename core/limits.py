"""Bounds every document shares: what its columns hold, and the most units one line may ask for.
Services refuse past them with the figure; forms use the same numbers, so no typed value reaches
a database error."""

from decimal import Decimal

MAX_AMOUNT = Decimal("9999999999.99")  # what an amount column holds (max_digits=12, decimal_places=2)
MAX_INTEGER = 2_147_483_647  # what an integer column holds (PostgreSQL `integer`)
MAX_LINE_QUANTITY = 10_000  # units on one line of an order or an after-sales case
