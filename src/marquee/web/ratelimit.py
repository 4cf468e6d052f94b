"""Token-bucket rate limits, shared by the API (per address and per token, ``api_common.rate_limit``)
and the community's logins and writes (``security``)."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from marquee.settings import Settings

__all__ = ["Limits", "RateLimiter", "TokenBuckets", "limiter_of", "limiter_of_app"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """A token bucket's size: ``rate`` requests per second on average, bursts of ``burst``; rate 0 = off."""

    rate: float
    burst: float

    @property
    def off(self) -> bool:
        return self.rate <= 0


class TokenBuckets:
    """One token bucket per key (an address, an API token), refilled continuously."""

    def __init__(self, limits: Limits, max_keys: int = 100_000) -> None:
        self.limits = limits
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, now: float | None = None) -> float:
        """Spend one token: 0.0 if allowed, else the seconds until one is available."""
        if self.limits.off:
            return 0.0
        now = time.monotonic() if now is None else now
        rate, burst = self.limits.rate, self.limits.burst
        with self._lock:
            tokens, stamp = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + (now - stamp) * rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                self._buckets.move_to_end(key)
                while len(self._buckets) > self.max_keys:
                    # The least recently seen key goes: its bucket has refilled most, so little is lost.
                    self._buckets.popitem(last=False)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / rate

    def peek(self, key: str, now: float | None = None) -> float:
        """Like ``take`` but spends nothing: 0.0 if a token is there, else the seconds until one is."""
        if self.limits.off:
            return 0.0
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, stamp = self._buckets.get(key, (self.limits.burst, now))
        tokens = min(self.limits.burst, tokens + (now - stamp) * self.limits.rate)
        return 0.0 if tokens >= 1.0 else (1.0 - tokens) / self.limits.rate


class RateLimiter:
    """Per address always, and per API token too when a request sends one (``Authorization: Bearer``).

    Defaults are generous (a public API behind a proxy should set its own): settings
    ``api_rate``/``api_burst`` per address, ``api_token_rate``/``api_token_burst`` per token
    (``MARQUEE_API_RATE`` …), requests per second; 0 turns a limit off.
    """

    def __init__(self, per_address: Limits, per_token: Limits) -> None:
        self.addresses = TokenBuckets(per_address)
        self.tokens = TokenBuckets(per_token)

    @classmethod
    def from_settings(cls, settings: Settings) -> RateLimiter:
        """The limits the settings give."""
        return cls(
            Limits(settings.api_rate, settings.api_burst),
            Limits(settings.api_token_rate, settings.api_token_burst),
        )

    def check(self, address: str, token: str | None) -> float:
        """0.0 if the request may go on, else seconds to wait."""
        wait = self.addresses.take(address)
        if token is not None and not wait:
            wait = self.tokens.take(hashlib.sha256(token.encode()).hexdigest())
        return wait


def limiter_of(request: Request) -> RateLimiter:
    """The app's limiter (made from its settings by ``create_app``; tests may set their own)."""
    return limiter_of_app(request.app)


def limiter_of_app(app: Any) -> RateLimiter:
    """The limiter of an app (see ``limiter_of``)."""
    limiter: RateLimiter = app.state.marquee_api_limiter
    return limiter
