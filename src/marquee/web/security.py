"""Who is asking, and may they write: session cookies, API tokens, CSRF tokens and write rate limits.

Sessions: a random secret in an HttpOnly, SameSite=Lax cookie (Secure when the request came over
TLS, directly or through a trusted proxy); the store keeps only its hash.

CSRF: every form that writes carries a token that is an HMAC, under the site's secret key, of
the visitor's session secret (or, before login, of a random nonce in a cookie of its own). A
forged or missing token is refused with 403. A request that sends ``Authorization: Bearer`` is
not a browser riding on a cookie, so the API needs no CSRF token.

Rate limits (settings ``login_per_pair`` …, kept in the store so every worker counts against one
limit): token buckets per member and per address for writes; for login attempts per
(address, name) pair, per address, and per name for failures from unknown devices only (a signed
"known device" cookie, set on a successful login, lets the owner in whatever strangers try);
over the limit is a 429 with ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
import threading
from dataclasses import dataclass, field

from starlette.requests import Request
from starlette.responses import Response

from marquee.records_community import User
from marquee.services import accounts
from marquee.services.shared_state import SharedState
from marquee.settings import Settings
from marquee.web.deps import get_site, get_store
from marquee.web.ratelimit import Buckets, Limits, SharedBuckets, TokenBuckets, shares_limits

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "SESSION_COOKIE",
    "CommunityLimits",
    "CommunityState",
    "TooManyRequests",
    "api_user",
    "bearer_token",
    "check_csrf",
    "client_address",
    "community_state",
    "csrf_token",
    "current_user",
    "end_login",
    "ensure_csrf_cookie",
    "is_secure",
    "known_device",
    "limit_edit",
    "limit_login",
    "limit_write",
    "login_failed",
    "remember_device",
    "start_login",
]

SESSION_COOKIE = "marquee_session"
CSRF_COOKIE = "marquee_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class TooManyRequests(Exception):
    """Over a rate limit; ``retry_after`` whole seconds to wait."""

    def __init__(self, retry_after: float, what: str) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        super().__init__(f"Too many {what}; try again in {self.retry_after} s.")


def _default(name: str) -> Limits:
    """A limit's default, from its setting (``Settings.login_per_pair`` …): one place for each."""
    return Limits.from_setting(Settings.model_fields[name].default)


# Logins are limited three ways at once, so that strangers cannot lock an owner out (OWASP's
# "known device" advice): per (address, name) pair tightly, per address overall, and per name only
# for failures from devices that never signed in to that name, under a much higher ceiling. A
# device that has signed in before carries a signed cookie and is limited by its own bucket only.
# Five tries per address and name, then one a minute; twenty per address, then one every 6 s.
_LOGIN_PER_PAIR = _default("login_per_pair")
_LOGIN_PER_ADDRESS = _default("login_per_address")
# A hundred failures per name from unknown devices (from any address), then one every 6 s.
_LOGIN_PER_NAME = _default("login_per_name")
# Ten tries per known device (a copied cookie is no key to brute force), then one a minute.
_LOGIN_PER_DEVICE = _default("login_per_device")
# Bursts of 20 writes per member (60 per address), then one every 2 s (1 s).
_WRITES_PER_MEMBER = _default("writes_per_member")
_WRITES_PER_ADDRESS = _default("writes_per_address")
# Edits of films and people (issue 17): ten at once, then one every 30 s (``limits``).
_EDITS_PER_MEMBER = _default("edits_per_member")
DEVICE_COOKIE = "marquee_device_"
DEVICE_LIFETIME = 400 * 24 * 3600  # the longest a browser keeps a cookie


@dataclass(frozen=True)
class CommunityLimits:
    """Bucket sizes (rate per second, burst); a rate of 0 turns that limit off."""

    login_per_pair: Limits = _LOGIN_PER_PAIR
    login_per_name: Limits = _LOGIN_PER_NAME
    login_per_address: Limits = _LOGIN_PER_ADDRESS
    login_per_device: Limits = _LOGIN_PER_DEVICE
    writes_per_member: Limits = _WRITES_PER_MEMBER
    writes_per_address: Limits = _WRITES_PER_ADDRESS
    edits_per_member: Limits = _EDITS_PER_MEMBER

    @classmethod
    def from_settings(cls, settings: Settings) -> CommunityLimits:
        """The limits the settings give (``MARQUEE_LOGIN_PER_PAIR=5/60`` …)."""
        return cls(**{name: Limits.from_setting(getattr(settings, name)) for name in _LIMIT_NAMES})


_LIMIT_NAMES = tuple(CommunityLimits.__dataclass_fields__)


@dataclass
class CommunityState:
    """Per app: the signing key, trusted proxies and the rate-limit buckets (tests may set their own).

    With ``shared`` the buckets are kept in the store, one count for every worker and host."""

    limits: CommunityLimits = field(default_factory=CommunityLimits)
    trusted_proxies: frozenset[str] = frozenset()
    secret: bytes | None = None
    buckets: dict[str, Buckets] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    shared: SharedState | None = None

    def bucket(self, name: str) -> Buckets:
        """The buckets for one kind of limit, made on first use."""
        with self.lock:
            if name not in self.buckets:
                limits = getattr(self.limits, name)
                self.buckets[name] = (
                    TokenBuckets(limits) if self.shared is None else SharedBuckets(self.shared, name, limits)
                )
            return self.buckets[name]


def community_state(request: Request) -> CommunityState:
    """The app's ``CommunityState``, made from the settings on first use."""
    app_state = request.app.state
    state: CommunityState | None = getattr(app_state, "community", None)
    if state is None:
        site = get_site(request)
        state = CommunityState(
            limits=CommunityLimits.from_settings(site.settings),
            trusted_proxies=site.settings.trusted_proxy_list,
            shared=site.shared if shares_limits(site.settings, site.shared) else None,
        )
        app_state.community = state
    return state


def _secret(request: Request) -> bytes:
    state = community_state(request)
    if state.secret is None:
        state.secret = accounts.site_secret(get_store(request), get_site(request).settings.secret_key)
    return state.secret


# ---- where the request comes from ----------------------------------------------------------------


def _peer_trusted(request: Request, trusted: frozenset[str]) -> bool:
    peer = request.client.host if request.client else ""
    if "*" in trusted:
        return True
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return peer in trusted
    for entry in trusted:
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request: Request) -> str:
    """The peer's address, or the first ``X-Forwarded-For`` hop when the peer is a trusted proxy."""
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and _peer_trusted(request, community_state(request).trusted_proxies):
        return forwarded.split(",")[0].strip() or peer
    return peer


def is_secure(request: Request) -> bool:
    """Whether the visitor reached us over TLS (directly, or as a trusted proxy says)."""
    if request.url.scheme == "https":
        return True
    proto = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return proto == "https" and _peer_trusted(request, community_state(request).trusted_proxies)


# ---- who is asking -------------------------------------------------------------------------------

_NO_USER = object()


def current_user(request: Request) -> User | None:
    """The member signed in by session cookie, or None (looked up once per request)."""
    cached = getattr(request.state, "community_user", _NO_USER)
    if cached is not _NO_USER:
        return cached if isinstance(cached, User) else None
    secret = request.cookies.get(SESSION_COOKIE)
    user = accounts.user_for_session(get_store(request), secret) if secret else None
    request.state.community_user = user
    return user


def bearer_token(request: Request) -> str | None:
    """The token of ``Authorization: Bearer <token>``, if sent."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def api_user(request: Request) -> User | None:
    """The member an ``Authorization: Bearer`` token belongs to, or None."""
    token = bearer_token(request)
    return accounts.user_for_token(get_store(request), token) if token else None


def _cookie(response: Response, request: Request, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=is_secure(request)
    )


def start_login(request: Request, response: Response, user: User) -> None:
    """Open a fresh session for ``user`` (ending any old one: no fixation) and set its cookie."""
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        accounts.end_session(get_store(request), old)
    secret = accounts.create_session(get_store(request), user)
    _cookie(response, request, SESSION_COOKIE, secret, int(accounts.SESSION_LIFETIME.total_seconds()))
    request.state.community_user = user


def end_login(request: Request, response: Response) -> None:
    """Close the request's session (if any) and clear its cookie."""
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        accounts.end_session(get_store(request), secret)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=is_secure(request))
    request.state.community_user = None


# ---- CSRF ----------------------------------------------------------------------------------------


def _csrf_subject(request: Request) -> str | None:
    """What the token binds to: the session if signed in, else the CSRF nonce cookie."""
    if current_user(request) is not None:
        return "session:" + request.cookies.get(SESSION_COOKIE, "")
    nonce = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "csrf_nonce", None)
    return "anon:" + nonce if nonce else None


def csrf_token(request: Request) -> str:
    """The token to put in this visitor's forms (sets up a nonce for visitors not signed in)."""
    subject = _csrf_subject(request)
    if subject is None:
        request.state.csrf_nonce = secrets.token_urlsafe(24)
        subject = "anon:" + request.state.csrf_nonce
    return hmac.new(_secret(request), subject.encode("utf-8"), hashlib.sha256).hexdigest()


def ensure_csrf_cookie(request: Request, response: Response) -> None:
    """Set the nonce cookie if ``csrf_token`` made a new one for this response's forms."""
    nonce = getattr(request.state, "csrf_nonce", None)
    if nonce and not request.cookies.get(CSRF_COOKIE):
        _cookie(response, request, CSRF_COOKIE, nonce, None)


def check_csrf(request: Request, sent: str | None) -> bool:
    """Whether ``sent`` (form field or ``X-CSRF-Token`` header) is this visitor's token."""
    subject = _csrf_subject(request)
    if not sent or subject is None:
        return False
    expected = hmac.new(_secret(request), subject.encode("utf-8"), hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, sent)


# ---- rate limits ---------------------------------------------------------------------------------


def limit_write(request: Request, user: User) -> None:
    """Count one write by ``user`` from this address; ``TooManyRequests`` when over either limit."""
    state = community_state(request)
    wait = state.bucket("writes_per_member").take(f"user:{user.id}") or state.bucket(
        "writes_per_address"
    ).take(client_address(request))
    if wait:
        raise TooManyRequests(wait, "writes")


def limit_edit(request: Request, user: User) -> None:
    """Count one edit of a film or person by ``user``; ``TooManyRequests`` past the edit limit.

    Editing routes call it besides ``limit_write`` (edits are rarer and costlier than ratings)."""
    wait = community_state(request).bucket("edits_per_member").take(f"user:{user.id}")
    if wait:
        raise TooManyRequests(wait, "edits")


def _device_cookie(name: str) -> str:
    """The known-device cookie's name for this member name (one cookie per name signed in to)."""
    return DEVICE_COOKIE + hashlib.sha256(accounts.name_key(name).encode("utf-8")).hexdigest()[:16]


def _device_signature(request: Request, name: str, nonce: str) -> str:
    subject = f"device|{accounts.name_key(name)}|{nonce}".encode()
    return hmac.new(_secret(request), subject, hashlib.sha256).hexdigest()


def known_device(request: Request, name: str) -> str | None:
    """The device id if this browser signed in to ``name`` before (its signed cookie), else None."""
    value = request.cookies.get(_device_cookie(name), "")
    nonce, _, signature = value.partition(".")
    if not nonce or not signature:
        return None
    return nonce if hmac.compare_digest(_device_signature(request, name, nonce), signature) else None


def remember_device(request: Request, response: Response, name: str) -> None:
    """After a successful login: mark this browser as a known device for ``name``."""
    nonce = known_device(request, name) or secrets.token_urlsafe(16)
    value = f"{nonce}.{_device_signature(request, name, nonce)}"
    _cookie(response, request, _device_cookie(name), value, DEVICE_LIFETIME)


def limit_login(request: Request, name: str | None) -> None:
    """Count a login attempt (a sign-up when ``name`` is None); ``TooManyRequests`` when over.

    From a known device (see ``remember_device``) only that device's own bucket counts: strangers
    failing from anywhere cannot keep the owner out. Otherwise the (address, name) pair and the
    address are charged, and the name's bucket of failures (``login_failed``) must not be empty.
    """
    state = community_state(request)
    address = client_address(request)
    if name is None:
        wait = state.bucket("login_per_address").take(address)
    else:
        device = known_device(request, name)
        if device is not None:
            wait = state.bucket("login_per_device").take(f"{accounts.name_key(name)}|{device}")
        else:
            key = accounts.name_key(name)
            wait = (
                state.bucket("login_per_pair").take(f"{address}|{key}")
                or state.bucket("login_per_address").take(address)
                or state.bucket("login_per_name").peek(key)
            )
    if wait:
        raise TooManyRequests(wait, "login attempts")


def login_failed(request: Request, name: str) -> None:
    """Count a wrong password against the name, unless it came from a device known to that name."""
    if known_device(request, name) is None:
        community_state(request).bucket("login_per_name").take(accounts.name_key(name))
