"""Real headless Chromium against the app served for real, for the browser tests (marked ``browser``).

``chromium()`` is the browser's path (the test is skipped where it is missing, and fails in CI);
``serving(app)`` runs the app under uvicorn on a free port for the ``with`` block and gives its URL;
``launched(path)`` is a Chromium started by Playwright, closed after the block.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from support.servers import free_port, running

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "chromium", "free_port", "launched", "serving"]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    """The path of Chromium; skip the test where it is not installed (fail in CI, where it must be)."""
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {CHROMIUM} is missing", pytrace=False)
        pytest.skip(f"{CHROMIUM} is not installed")
    return str(CHROMIUM)


@contextmanager
def serving(app: Any, **config: Any) -> Iterator[str]:
    """The app served by uvicorn in a thread (``config``: more ``uvicorn.Config`` options); its URL."""
    port = free_port()
    options = {"host": "127.0.0.1", "port": port, "log_level": "warning", "ws": "none", **config}
    with running(uvicorn.Server(uvicorn.Config(app, **options))):
        yield f"http://127.0.0.1:{port}"


@contextmanager
def launched(path: str) -> Iterator[Any]:
    """Chromium at ``path``, headless, started by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
