"""TikTok's paging: page_size and an opaque page_token -> next_page_token (empty when done). The token
is the last row's (sort value, id), so a walk sees every row once even while rows are added."""

import base64
import binascii
import json
from bisect import bisect_left, bisect_right


def encode_token(position: list) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def decode_token(token: str) -> tuple | None:
    """The position after which the next page starts; None when the token is not one of ours."""
    try:
        position = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, binascii.Error, UnicodeError):
        return None
    valid = isinstance(position, list) and len(position) == 2 and isinstance(position[0], int)
    return tuple(position) if valid and isinstance(position[1], str) else None


def page(rows: list, keys: list[tuple], size: int, token: str, descending: bool, low: int = 0, high: int = -1):
    """rows[low:high] and their (sort value, id) keys in ascending order -> (the page's rows in the asked
    order, next_page_token), or None for a page_token that is not ours. Bisects: a page costs no scan."""
    high = len(rows) if high < 0 else high
    if token:
        after = decode_token(token)
        if after is None:
            return None
        end = bisect_left(keys, after, low, high) if descending else bisect_right(keys, after, low, high)
    else:
        end = high if descending else low
    if descending:
        start = max(low, end - size)
        chunk, chunk_keys, more = rows[start:end][::-1], keys[start:end][::-1], start > low
    else:
        stop = min(end + size, high)
        chunk, chunk_keys, more = rows[end:stop], keys[end:stop], stop < high
    return chunk, encode_token(list(chunk_keys[-1])) if more and chunk else ""


def sort_rows(rows: list[dict], field: str, id_field: str) -> tuple[list[dict], list[tuple]]:
    rows = sorted(rows, key=lambda row: (row[field], row[id_field]))
    return rows, [(row[field], row[id_field]) for row in rows]
