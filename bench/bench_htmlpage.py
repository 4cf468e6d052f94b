"""Speed of the HTML film page parser on real IMDb title pages: pages per second, facts per page.

    .venv/bin/python bench/bench_htmlpage.py [--rounds 7] [DIR]

DIR defaults to ../shared/data/html-pages (else the test copies in tests/data/html/tt*.html).
Each round parses every page once; the report gives, per page, the median time of the rounds,
and over all pages the median pages per second of the rounds, by the wall clock and by this
process's CPU time (the second is steadier on a busy machine). A "fact" is a filled single
field (title, year, rating…) or one entry of a list (a cast member, a review…).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from marquee.formats.htmlpage import parse_html_page
from marquee.records import Film

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = (ROOT.parent / "shared" / "data" / "html-pages", ROOT / "tests" / "data" / "html")


def count_facts(film: Film) -> int:
    """Filled single fields plus list entries (the id and default values not counted)."""
    facts = 0
    for value in film.model_dump(exclude={"id"}, exclude_defaults=True).values():
        facts += len(value) if isinstance(value, list) else 1
    return facts


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("directory", nargs="?", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    directory = args.directory or next(d for d in DEFAULT_DIRS if d.is_dir())
    paths = sorted(directory.glob("tt*.html"))
    pages = {p.name: p.read_text(encoding="utf-8") for p in paths}
    if not pages:
        raise SystemExit(f"no tt*.html pages in {directory}")

    timings: dict[str, list[float]] = {name: [] for name in pages}
    round_rates, cpu_rates = [], []
    facts: dict[str, int] = {}
    for _ in range(args.rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        for name, html in pages.items():
            t0 = time.perf_counter()
            film = parse_html_page(html, name).film
            timings[name].append(time.perf_counter() - t0)
            facts[name] = count_facts(film)
        round_rates.append(len(pages) / (time.perf_counter() - started))
        cpu_rates.append(len(pages) / (time.process_time() - cpu_started))

    size = sum(len(h.encode("utf-8")) for h in pages.values())
    print(f"{len(pages)} pages ({size / 1e6:.1f} MB) from {directory}, {args.rounds} rounds")
    print(f"{'page':32} {'KB':>6} {'median ms':>10} {'facts':>6}")
    for name, html in pages.items():
        median_ms = statistics.median(timings[name]) * 1000
        print(f"{name:32} {len(html.encode('utf-8')) / 1000:6.0f} {median_ms:10.1f} {facts[name]:6d}")
    print(
        f"median pages/s over rounds: {statistics.median(round_rates):.1f} wall clock, "
        f"{statistics.median(cpu_rates):.1f} CPU time"
    )
    counts = list(facts.values())
    print(f"median facts per page: {statistics.median(counts):.0f} (mean {statistics.mean(counts):.1f})")


if __name__ == "__main__":
    main()
