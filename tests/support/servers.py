"""Servers the tests run for real: ``free_port()`` and ``running(server)``, a uvicorn server in a
thread of the test process for a ``with`` block (``support.browser.serving`` and the tests that speak
to the site over sockets build theirs on it)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn

__all__ = ["free_port", "running"]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(server: uvicorn.Server) -> Iterator[None]:
    """``server`` running in a thread for the block: listening when the block starts, stopped after."""
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.02)
    try:
        yield
    finally:
        server.should_exit = True
        thread.join(timeout=30)
