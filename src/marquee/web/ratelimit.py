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

from marquee.services.shared_state import SharedState
from marquee.settings import Settings, burst_per_seconds

__all__ = [
    "Buckets",
    "Limits",
    "RateLimiter",
    "SharedBuckets",
    "TokenBuckets",
    "lease_for",
    "limiter_of",
    "limiter_of_app",
    "shares_api_limits",
    "shares_limits",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limits:
    """A token bucket's size: ``rate`` requests per second on average, bursts of ``burst``; rate 0 = off."""

    rate: float
    burst: float

    @property
    def off(self) -> bool:
        return self.rate <= 0

    @classmethod
    def from_setting(cls, value: str) -> Limits:
        """``"5/60"`` (a burst of 5, then one every 60 s) as a bucket; ``"off"`` as no limit."""
        burst, seconds = burst_per_seconds(value)
        return cls(rate=1.0 / seconds if seconds else 0.0, burst=burst)


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


class SharedBuckets:
    """Token buckets kept in the store, so every worker and host counts against one limit.

    Same interface as ``TokenBuckets``; when the store cannot answer at once (SQLite's write lock
    held by an import), the request is counted in this process's memory instead. With ``lease``
    above 1, a process takes that many tokens at once and spends them locally (the API: one
    statement per ``lease`` requests of a key); each process may then hold up to ``lease - 1``
    tokens it has not used yet, a slack of a percent of the burst at most (``lease_for``).
    """

    def __init__(self, shared: SharedState, name: str, limits: Limits, lease: int = 1) -> None:
        self.shared = shared
        self.name = name
        self.limits = limits
        self.lease = max(1, lease)
        self.fallback = TokenBuckets(limits)
        self._leased: OrderedDict[str, int] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        if self.limits.off:
            return 0.0
        if self.lease > 1:
            with self._lock:
                left = self._leased.get(key, 0)
                if left > 0:
                    self._leased[key] = left - 1
                    self._leased.move_to_end(key)
                    return 0.0
        got = self.shared.take_many(self.name, key, self.limits.rate, self.limits.burst, self.lease)
        if got is None:
            return self.fallback.take(key)
        spent, wait = got
        if not spent:
            return wait
        if spent > 1:
            with self._lock:
                self._leased[key] = spent - 1
                self._leased.move_to_end(key)
                while len(self._leased) > 100_000:
                    self._leased.popitem(last=False)
        return 0.0

    def peek(self, key: str) -> float:
        if self.limits.off:
            return 0.0
        if self._leased.get(key, 0) > 0:
            return 0.0
        wait = self.shared.peek(self.name, key, self.limits.rate, self.limits.burst)
        return self.fallback.peek(key) if wait is None else wait


def lease_for(limits: Limits) -> int:
    """Tokens a process takes at once for a busy limit: a percent of the burst, 1 to 100."""
    return max(1, min(100, int(limits.burst // 100)))


Buckets = TokenBuckets | SharedBuckets


def shares_limits(settings: Settings, shared: SharedState | None) -> bool:
    """Whether login and write limits are counted in the store (``limit_storage``)."""
    return shared is not None and settings.limit_storage != "memory"


def shares_api_limits(settings: Settings, shared: SharedState | None) -> bool:
    """Whether API limits are counted in the store: unless ``limit_storage`` is ``memory``. Tokens are
    leased a hundred at a time (``lease_for``), so a shared API limit costs ~2 µs a request, as the
    memory's does (BENCHMARKS.md, "Several workers, several hosts")."""
    return shared is not None and settings.limit_storage != "memory"


def _buckets(shared: SharedState | None, name: str, limits: Limits) -> Buckets:
    if shared is None:
        return TokenBuckets(limits)
    return SharedBuckets(shared, name, limits, lease=lease_for(limits))


class RateLimiter:
    """Per address always, and per API token too when a request sends one (``Authorization: Bearer``).

    Defaults are generous (a public API behind a proxy should set its own): settings
    ``api_rate``/``api_burst`` per address, ``api_token_rate``/``api_token_burst`` per token
    (``MARQUEE_API_RATE`` …), requests per second; 0 turns a limit off.
    """

    def __init__(self, per_address: Limits, per_token: Limits, shared: SharedState | None = None) -> None:
        self.addresses: Buckets = _buckets(shared, "api_per_address", per_address)
        self.tokens: Buckets = _buckets(shared, "api_per_token", per_token)

    @classmethod
    def from_settings(cls, settings: Settings, shared: SharedState | None = None) -> RateLimiter:
        """The limits the settings give, counted in the store when ``shares_api_limits``."""
        return cls(
            Limits(settings.api_rate, settings.api_burst),
            Limits(settings.api_token_rate, settings.api_token_burst),
            shared if shares_api_limits(settings, shared) else None,
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
