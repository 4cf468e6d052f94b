"""uvicorn, configured to hold against slow and greedy clients: ``marquee serve`` runs ``make_config``.

uvicorn (0.55) times out idle keep-alive connections but has no deadline for a request's headers:
a client that opens a connection and sends its request line a byte at a time (slowloris) holds the
connection, and a file descriptor, for as long as it likes. The protocols here give every request
``limits.MAX_HEADER_SECONDS`` from the moment the server waits for it (the connection opened, or the
previous answer sent) until its headers are all in; then the connection is closed (with a 408 if
part of a request came). Headers are bounded in size too (``limits.MAX_HEADER_BYTES``, 431), and
at most ``limits.MAX_PENDING_CONNECTIONS`` connections may be waiting for their headers at once:
past that the one that has waited longest is closed, so a flood of idle connections cannot use up
the process's file descriptors while real requests, which send their headers at once, are served.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections import OrderedDict
from typing import Any, cast

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from marquee import limits

__all__ = [
    "APP_FACTORY",
    "HeaderTimeoutH11",
    "HeaderTimeoutHttpTools",
    "http_protocol",
    "make_config",
    "raise_open_files",
    "serve_workers",
]

# What each worker process imports and calls: the app, built from the environment's settings.
APP_FACTORY = "marquee.web.app:create_app"

_TIMEOUT_RESPONSE = b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
_TOO_LARGE_RESPONSE = (
    b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
)

# Per server: the connections waiting for their headers, longest waiting first.
_waiting: weakref.WeakKeyDictionary[ServerState, OrderedDict[_HeaderClock, None]] = (
    weakref.WeakKeyDictionary()
)


class _HeaderClock:
    """The deadline and byte count for the headers of the request a connection is waiting for."""

    def __init__(self, loop: asyncio.AbstractEventLoop, state: ServerState) -> None:
        self.loop = loop
        self.waiting = _waiting.setdefault(state, OrderedDict())
        self.transport: asyncio.Transport | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.received = 0

    def start(self, transport: asyncio.Transport) -> None:
        """The server now waits for a request's headers."""
        self.stop()
        self.transport = transport
        self.received = 0
        self.timer = self.loop.call_later(limits.MAX_HEADER_SECONDS, self.expire)
        self.waiting[self] = None
        while len(self.waiting) > limits.MAX_PENDING_CONNECTIONS:
            oldest, _ = self.waiting.popitem(last=False)
            oldest.close()

    def stop(self) -> None:
        """The headers are in (or the connection is gone)."""
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.waiting.pop(self, None)

    @property
    def running(self) -> bool:
        return self.timer is not None

    def count(self, size: int) -> None:
        """Count bytes received while still waiting; close with a 431 past ``MAX_HEADER_BYTES``."""
        if self.timer is None:
            return
        self.received += size
        if self.received > limits.MAX_HEADER_BYTES:
            self.close(_TOO_LARGE_RESPONSE)

    def expire(self) -> None:
        self.timer = None
        self.close(_TIMEOUT_RESPONSE if self.received else b"")

    def close(self, farewell: bytes = b"") -> None:
        self.stop()
        transport = self.transport
        if transport is not None and not transport.is_closing():
            if farewell:
                transport.write(farewell)
            transport.close()


class _HeaderClocked:
    """What both protocols share: a header clock started with each connection, stopped at its end.

    Mixed in before uvicorn's protocol class, whose ``loop``, ``server_state`` and methods it uses.
    """

    loop: asyncio.AbstractEventLoop
    server_state: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header_clock = _HeaderClock(self.loop, self.server_state)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)  # type: ignore[misc]
        self.header_clock.start(cast(asyncio.Transport, transport))

    def connection_lost(self, exc: Exception | None) -> None:
        self.header_clock.stop()
        super().connection_lost(exc)  # type: ignore[misc]


class HeaderTimeoutH11(_HeaderClocked, H11Protocol):
    """uvicorn's h11 protocol with a deadline and a size bound for request headers."""

    def data_received(self, data: bytes) -> None:
        # h11 bounds the header block itself (``h11_max_incomplete_event_size``, a 400).
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self.header_clock.stop()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing() and self.conn.their_state is h11.IDLE:
            self.header_clock.start(self.transport)


try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
except ImportError:  # pragma: no cover - httptools is a dependency, but uvicorn runs without it
    HeaderTimeoutHttpTools: type[asyncio.Protocol] | None = None
else:

    class _HeaderTimeoutHttpTools(_HeaderClocked, HttpToolsProtocol):
        """uvicorn's httptools protocol with a deadline and a size bound for request headers."""

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            self.header_clock.count(len(data))  # only while the headers are still incomplete

        def on_headers_complete(self) -> None:
            self.header_clock.stop()
            super().on_headers_complete()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing() and not self.pipeline:
                self.header_clock.start(self.transport)

    HeaderTimeoutHttpTools = _HeaderTimeoutHttpTools


def http_protocol() -> type[asyncio.Protocol]:
    """What uvicorn's ``http="auto"`` would pick (httptools if installed, else h11), with the bounds."""
    return HeaderTimeoutHttpTools or HeaderTimeoutH11


def make_config(app: Any, host: str, port: int, **options: Any) -> uvicorn.Config:
    """uvicorn's settings for Marquee: header deadline and size bound, a short keep-alive."""
    settings: dict[str, Any] = {
        "http": http_protocol(),
        "timeout_keep_alive": 5,
        "h11_max_incomplete_event_size": limits.MAX_HEADER_BYTES,
        "log_level": "warning",
    }
    settings.update(options)
    return uvicorn.Config(app, host=host, port=port, **settings)


def serve_workers(host: str, port: int, workers: int) -> None:
    """Serve with ``workers`` processes on one socket (uvicorn's supervisor restarts one that dies).

    Each worker builds its own app from the environment (``APP_FACTORY``); they share the store, and
    through it the rate-limit counts and the film page versions (``storage/shared_state.py``).
    """
    config = make_config(APP_FACTORY, host, port, factory=True, workers=workers)
    from uvicorn.supervisors import Multiprocess

    Multiprocess(config, sockets=[config.bind_socket()]).run()


def raise_open_files() -> None:
    """Lift the soft limit on open files to the hard one, so idle connections are not what runs out."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on Windows
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):  # a container may forbid it
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
