"""The one retry policy of every adapter call.

Retried: HTTP 429 and 5xx, timeouts and dropped or refused connections, with exponential backoff and
full jitter (many workers throttled at once must not come back in step), a bounded number of tries.
Never retried: any other answer. A 200 carrying a non-zero platform code is a business refusal; the
adapter raises PlatformRefused for it after this policy hands the answer back, so it is asked once.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

from channels.adapters.base import PlatformUnavailable

# What a dropped, refused or half-answered connection raises (httpx.TimeoutException is one of them).
TRANSIENT_ERRORS = (httpx.TransportError,)


def transient_status(status: int) -> bool:
    return status == 429 or 500 <= status <= 599


@dataclass(frozen=True)
class RetryPolicy:
    tries: int = 4
    base_delay: float = 0.5  # seconds; the n-th wait is random(0, min(max_delay, base_delay * 2**n))
    max_delay: float = 8.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)
    jitter: Callable[[], float] = field(default=random.random, compare=False)

    def delay(self, attempt: int) -> float:
        return self.jitter() * min(self.max_delay, self.base_delay * 2**attempt)

    def call(self, send: Callable[[], httpx.Response], what: str) -> httpx.Response:
        """send() until it gives an answer that is not transient, at most `tries` times. `send` builds
        the request each time (signatures carry a timestamp). Raises PlatformUnavailable."""
        failure = ""
        for attempt in range(max(1, self.tries)):
            if attempt:
                self.sleep(self.delay(attempt - 1))
            try:
                response = send()
            except TRANSIENT_ERRORS as error:
                failure = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
                continue
            if not transient_status(response.status_code):
                return response
            failure = f"HTTP {response.status_code}"
        raise PlatformUnavailable(f"{what}: {failure} on each of {max(1, self.tries)} tries")
