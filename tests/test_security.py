"""Where a request comes from and whether it came over TLS: proxies are believed only when trusted."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from starlette.requests import Request

from marquee.web.ratelimit import Limits
from marquee.web.security import (
    CommunityLimits,
    CommunityState,
    TooManyRequests,
    client_address,
    is_secure,
    limit_login,
    login_failed,
)


def request(peer: str, trusted: set[str], scheme: str = "http", **headers: str) -> Request:
    """A bare request from ``peer``, to an app that trusts ``trusted`` proxies."""
    app = SimpleNamespace(state=SimpleNamespace(community=CommunityState(trusted_proxies=frozenset(trusted))))
    raw = [(name.replace("_", "-").lower().encode(), value.encode()) for name, value in headers.items()]
    scope = {
        "type": "http",
        "method": "GET",
        "scheme": scheme,
        "path": "/",
        "query_string": b"",
        "headers": raw,
        "client": (peer, 40000),
        "server": ("films.example", 80),
        "app": app,
    }
    return Request(scope)


@pytest.mark.parametrize(
    ("peer", "trusted", "expected"),
    [
        ("203.0.113.9", set(), "203.0.113.9"),  # nobody trusted: the header is ignored
        ("203.0.113.9", {"10.0.0.0/8"}, "203.0.113.9"),  # peer not a trusted proxy
        ("10.1.2.3", {"10.0.0.0/8"}, "198.51.100.7"),  # trusted network
        ("127.0.0.1", {"127.0.0.1"}, "198.51.100.7"),  # trusted address
        ("192.0.2.1", {"*"}, "198.51.100.7"),  # trust any
    ],
)
def test_forwarded_for_is_believed_only_from_trusted_proxies(
    peer: str, trusted: set[str], expected: str
) -> None:
    assert client_address(request(peer, trusted, x_forwarded_for="198.51.100.7, 10.1.2.3")) == expected


def test_tls_is_direct_or_vouched_for_by_a_trusted_proxy() -> None:
    assert is_secure(request("203.0.113.9", set(), scheme="https"))
    assert not is_secure(request("203.0.113.9", set(), x_forwarded_proto="https"))
    assert is_secure(request("10.0.0.1", {"10.0.0.0/8"}, x_forwarded_proto="https"))
    assert not is_secure(request("10.0.0.1", {"10.0.0.0/8"}, x_forwarded_proto="http"))


def test_login_attempts_are_limited_per_pair_per_address_and_per_name_for_failures() -> None:
    limits = CommunityLimits(
        login_per_pair=Limits(rate=0.001, burst=2),
        login_per_address=Limits(rate=0.001, burst=3),
        login_per_name=Limits(rate=0.001, burst=2),
    )
    app = SimpleNamespace(state=SimpleNamespace(community=CommunityState(limits=limits, secret=b"k")))

    def attempt(peer: str, name: str, *, fails: bool = False) -> None:
        req = request(peer, set())
        req.scope["app"] = app
        limit_login(req, name)
        if fails:
            login_failed(req, name)

    attempt("203.0.113.1", "ada")
    attempt("203.0.113.1", "ADA")  # the same name as the pair sees it
    with pytest.raises(TooManyRequests) as caught:
        attempt("203.0.113.1", "ada")  # a third try on that pair
    assert caught.value.retry_after >= 1
    attempt("203.0.113.2", "ada")  # another address: its own pair (attempts alone do not lock a name)
    attempt("203.0.113.1", "bob")  # the first address, another name
    with pytest.raises(TooManyRequests):
        attempt("203.0.113.1", "cy")  # the first address's fourth try, whatever the name
    # Failures count against the name from every address: two, then the name waits.
    attempt("198.51.100.1", "dee", fails=True)
    attempt("198.51.100.2", "dee", fails=True)
    with pytest.raises(TooManyRequests):
        attempt("198.51.100.3", "dee")
