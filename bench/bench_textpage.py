"""Text page speed: pages per second for ``parse_page`` and ``render_page`` on one core.

Run: ``.venv/bin/python bench/bench_textpage.py [--rounds 7] [--pages 2000]``

The input is the reference page (tests/data/pages/mask-1985.txt, ~4 KB, 60 lines); each round
parses (or renders) it ``--pages`` times; the medians over the rounds are printed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from marquee.formats.textpage import parse_page, render_page

PAGE = Path(__file__).parents[1] / "tests" / "data" / "pages" / "mask-1985.txt"


def rate(fn: Callable[[], object], pages: int) -> tuple[float, float]:
    """Pages per second for one round: by wall clock, and by this process's CPU time.

    CPU time is the honest one-core figure on a shared machine; wall clock is also given.
    """
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(pages):
        fn()
    return pages / (time.perf_counter() - wall), pages / (time.process_time() - cpu)


def main() -> None:
    """Measure, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--pages", type=int, default=2000)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    text = PAGE.read_text(encoding="utf-8")
    film = parse_page(text, source=str(PAGE)).film
    rendered = render_page(film)
    assert parse_page(rendered).film == film  # measure the real thing, not a broken fast path

    def do_parse() -> object:
        return parse_page(text, source="mask-1985.txt")

    def do_render() -> object:
        return render_page(film)

    for fn in (do_parse, do_render):  # warm up
        rate(fn, 200)
    rows = []
    for name, fn in (("parse_page", do_parse), ("render_page", do_render)):
        rounds = [rate(fn, args.pages) for _ in range(args.rounds)]
        walls, cpus = [w for w, _ in rounds], [c for _, c in rounds]
        rows.append((name, statistics.median(cpus), min(cpus), max(cpus), statistics.median(walls)))
    print(f"page: {PAGE.name} ({len(text.encode())} bytes, {text.count(chr(10))} lines); "
          f"{args.rounds} rounds x {args.pages} pages; Python {platform.python_version()}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
    print("| operation | median pages/s (CPU time) | min | max | median pages/s (wall) |")
    print("|---|---:|---:|---:|---:|")
    for name, med, lo, hi, wall in rows:
        print(f"| {name} | {med:,.0f} | {lo:,.0f} | {hi:,.0f} | {wall:,.0f} |")


if __name__ == "__main__":
    main()
