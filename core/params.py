"""Query parameters as the list views read them: a search box, a filter, a date, a page number.

Whatever the user or a crafted link sends, a bad value is ignored (the filter does not apply) and
never reaches the database as is: PostgreSQL refuses NUL in text, and Python's `str.isdigit()`
and `int()` take digits no user types in a filter ("²", "٣").
"""

import re
from datetime import date

from django.http import QueryDict
from django.utils.dateparse import parse_date

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
ASCII_DIGITS = re.compile(r"[0-9]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SEARCH_LENGTH = 200  # longer than any number, code or name a search matches
ID_MAX = 2**63 - 1  # a primary key (bigint)


def clean_text(value: str, *, max_length: int = SEARCH_LENGTH) -> str:
    """The text with control characters (NUL among them) dropped, trimmed, cut to `max_length`."""
    return CONTROL_CHARACTERS.sub("", value).strip()[:max_length]


def text(query: QueryDict, name: str, *, max_length: int = SEARCH_LENGTH) -> str:
    """A search box: its cleaned text, '' when absent."""
    return clean_text(query.get(name) or "", max_length=max_length)


def choice(query: QueryDict, name: str, choices) -> str:
    """A filter among known values: the value when it is one of `choices`, else ''."""
    value = query.get(name) or ""
    return value if value in choices else ""


def parse_int(value: str | None, *, min_value: int = 0, max_value: int = ID_MAX) -> int | None:
    """ASCII digits within [min_value, max_value] as an int, else None."""
    if not value or not ASCII_DIGITS.fullmatch(value) or len(value) > len(str(max_value)):
        return None
    number = int(value)
    return number if min_value <= number <= max_value else None


def integer(query: QueryDict, name: str, *, min_value: int = 0, max_value: int = ID_MAX) -> int | None:
    """A number (an id, a page): None when absent or not a plain number in range."""
    return parse_int(query.get(name), min_value=min_value, max_value=max_value)


def day(query: QueryDict, name: str) -> date | None:
    """A YYYY-MM-DD date: None when absent, malformed or impossible (2026-02-30)."""
    value = query.get(name) or ""
    try:
        return parse_date(value) if ISO_DATE.fullmatch(value) else None
    except ValueError:
        return None
