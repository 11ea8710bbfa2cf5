from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; the real environment wins

DEV_SECRET_KEY = "dev-only-insecure-key-change-me"


def secret_key_weakness(key: str) -> str | None:
    """Why this key is too weak to sign sessions in production, or None.

    The same bars as Django's `check --deploy` (security.W009), plus a few more distinct
    characters, so that a key repeating a short pattern is refused too.
    """
    if key == DEV_SECRET_KEY or key.startswith("django-insecure-"):
        return "it is a development key"
    if len(key) < 50:
        return f"it is {len(key)} characters long; at least 50 are needed"
    if len(set(key)) < 10:
        return f"it uses only {len(set(key))} different characters; at least 10 are needed"
    return None
