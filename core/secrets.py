"""Secrets kept at rest (the platforms' access and refresh tokens): Fernet from `cryptography`, keyed
from the environment. Fernet is authenticated encryption (AES-CBC + HMAC) with the key rotation we
need: TOKEN_KEYS lists keys newest first; every key decrypts, the first encrypts."""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@cache
def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(key) for key in settings.TOKEN_KEYS])


def seal(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode() if value else ""


def unseal(token: str) -> str:
    """The plain value; '' when empty or when no key of TOKEN_KEYS opens it (a key was dropped)."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


class SealedField(models.TextField):
    """A text column stored sealed: the database and its backups never hold the plain value."""

    def from_db_value(self, value, expression, connection):
        return unseal(value) if value is not None else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return seal(value) if value else ""
