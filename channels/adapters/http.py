"""What every platform adapter does the same way: one httpx client kept open between calls (explicit
timeouts, no redirects followed), one retry policy, the clock it signs with, and the answers of
idempotent calls remembered."""

import time
from collections import OrderedDict
from collections.abc import Callable

import httpx

from channels.adapters.retry import RetryPolicy

DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=5.0)
REMEMBERED_ANSWERS = 1024  # idempotent answers kept in memory per adapter


class HttpAdapter:
    def __init__(
        self,
        *,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
    ):
        self.retry = retry or RetryPolicy()
        self.clock = clock
        self.http = httpx.Client(timeout=timeout, transport=transport, follow_redirects=False)
        # The platform answers a repeated idempotency key with its first answer; remembering it here
        # also spares the call when the same process is asked twice (a retried task, a double click).
        self.answered: OrderedDict[str, object] = OrderedDict()

    def close(self) -> None:
        self.http.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def once(self, key: str, run: Callable[[], object]):
        """run() unless this adapter already has the answer to this idempotency key."""
        if key in self.answered:
            self.answered.move_to_end(key)
            return self.answered[key]
        result = run()
        self.answered[key] = result
        if len(self.answered) > REMEMBERED_ANSWERS:
            self.answered.popitem(last=False)
        return result
