"""TikTok Shop's request signature, written from the official recipe (marketplaces.md §1.2), not
from our adapter: the sandbox must catch an adapter that signs wrongly."""

import hashlib
import hmac

UNSIGNED = ("sign", "access_token", "x-tts-access-token")


def sign(app_secret: str, path: str, query: dict[str, str], body: bytes = b"", content_type: str = "") -> str:
    """secret + path + sorted key+value pairs (without sign/access_token) + raw body + secret,
    HMAC-SHA256 keyed with the secret, lower-case hex. A multipart body is left out."""
    pairs = "".join(key + str(query[key]) for key in sorted(query) if key not in UNSIGNED)
    text = path + pairs
    if not content_type.startswith("multipart/form-data"):
        text += body.decode("utf-8", "surrogateescape")
    wrapped = app_secret + text + app_secret
    return hmac.new(app_secret.encode(), wrapped.encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()


def valid(app_secret: str, path: str, query: dict[str, str], body: bytes, content_type: str) -> bool:
    expected = sign(app_secret, path, query, body, content_type)
    return hmac.compare_digest(expected, str(query.get("sign", "")))


def webhook_sign(app_key: str, app_secret: str, body: bytes) -> str:
    """The Authorization header of a webhook: HMAC-SHA256(app_secret, app_key + raw body), lower hex."""
    return hmac.new(app_secret.encode(), app_key.encode() + body, hashlib.sha256).hexdigest()
