# The fixtures live in tests/sandbox_fixtures.py (tests/conftest.py offers them to every folder);
# the helpers stay importable from here for the tests that name this module.
from tests.sandbox_fixtures import Sandbox, authorize, get_token, tiktok_sign

__all__ = ["Sandbox", "authorize", "get_token", "tiktok_sign"]
