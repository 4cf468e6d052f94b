"""Speed of the HTML film page parser on real IMDb title pages: pages per second, facts per page.

    .venv/bin/python bench/bench_htmlpage.py [--rounds 7] [--all] [--dom] [DIR]

DIR defaults to ../shared/data/html-pages (else the test copies in tests/data/html/tt*.html).
``--all`` reads every ``*.html`` below DIR (every era and site; a page refused as not a film's page
counts as parsed, with no facts) instead of the top-level ``tt*.html``; ``--dom`` times building the
element tree alone (``html_dom.parse_dom``), the part the HTML parser does.
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

from marquee.errors import NotAMoviePage
from marquee.formats.html_dom import parse_dom
from marquee.formats.htmlpage import decode_html, parse_html_page
from marquee.records import Film

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIRS = (
    ROOT.parent / "shared" / "data" / "html-pages",
    ROOT.parents[1] / "shared" / "data" / "html-pages",  # from a git worktree under /work/wt
    ROOT / "tests" / "data" / "html",
)


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
    parser.add_argument("--all", action="store_true", help="every *.html below DIR")
    parser.add_argument("--dom", action="store_true", help="time the element tree alone")
    args = parser.parse_args()
    directory = args.directory or next(d for d in DEFAULT_DIRS if d.is_dir())
    paths = sorted(directory.rglob("*.html") if args.all else directory.glob("tt*.html"))
    pages = {str(p.relative_to(directory)): decode_html(p.read_bytes(), str(p)) for p in paths}
    if not pages:
        raise SystemExit(f"no tt*.html pages in {directory}")

    timings: dict[str, list[float]] = {name: [] for name in pages}
    round_rates, cpu_rates = [], []
    facts: dict[str, int] = {}
    for _ in range(args.rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        for name, html in pages.items():
            t0 = time.perf_counter()
            if args.dom:
                parse_dom(html)
                facts[name] = 0
            else:
                try:
                    facts[name] = count_facts(parse_html_page(html, name).film)
                except NotAMoviePage:
                    facts[name] = 0
            timings[name].append(time.perf_counter() - t0)
        round_rates.append(len(pages) / (time.perf_counter() - started))
        cpu_rates.append(len(pages) / (time.process_time() - cpu_started))

    size = sum(len(h.encode("utf-8")) for h in pages.values())
    print(f"{len(pages)} pages ({size / 1e6:.1f} MB) from {directory}, {args.rounds} rounds")
    width = max(32, *(len(name) for name in pages))
    print(f"{'page':{width}} {'KB':>6} {'median ms':>10} {'facts':>6}")
    for name, html in pages.items():
        median_ms = statistics.median(timings[name]) * 1000
        print(f"{name:{width}} {len(html.encode('utf-8')) / 1000:6.0f} {median_ms:10.1f} {facts[name]:6d}")
    print(
        f"median pages/s over rounds: {statistics.median(round_rates):.1f} wall clock, "
        f"{statistics.median(cpu_rates):.1f} CPU time"
    )
    counts = list(facts.values())
    print(f"median facts per page: {statistics.median(counts):.0f} (mean {statistics.mean(counts):.1f})")


if __name__ == "__main__":
    main()
