"""TikTok's paging: page_size and an opaque page_token -> next_page_token (empty when done). The token
is the last row's (sort value, id), so a walk sees every row once even while rows are added."""

import base64
import binascii
import json


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


def page(rows: list[dict], field: str, id_field: str, size: int, token: str, descending: bool):
    """(the page's rows, next_page_token), or None for a page_token that is not ours."""
    rows = sorted(rows, key=lambda row: (row[field], row[id_field]), reverse=descending)
    start = 0
    if token:
        after = decode_token(token)
        if after is None:
            return None
        keys = [(row[field], row[id_field]) for row in rows]
        start = next((i for i, key in enumerate(keys) if (key < after if descending else key > after)), len(rows))
    chunk = rows[start : start + size]
    more = start + size < len(rows)
    return chunk, encode_token([chunk[-1][field], chunk[-1][id_field]]) if more else ""
