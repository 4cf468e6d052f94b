"""Score the HTML page parser against facts written by hand (bench/page_facts.py).

    .venv/bin/python bench/score_pages.py [-v]

Prints, per page and per layout family, the % of expected facts found right and the invented items
(names, genres, countries… the page does not show as that fact), and the layout each page was read as
(``formats.html_layout``; "refused" for a page that is no film's). An entry with ``then`` is a film's page
with its sub-pages merged into it in that order (``page_merge.merge_film``, as ``import page`` does). Pages
are read from tests/data/html/ (copies) or ../shared/data/html-pages/.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from marquee.errors import NotAMoviePage
from marquee.formats.htmlpage import parse_html_bytes
from marquee.formats.page_merge import merge_film
from marquee.records import Film
from page_facts import COMPLETE, HELD_OUT, HELD_OUT_2, HELD_OUT_3, MERGED, PAGES
from page_facts_4 import HELD_OUT_4
from page_facts_5 import HELD_OUT_5
from page_facts_6 import HELD_OUT_6

ROOT = Path(__file__).parents[1]
PLACES = [
    ROOT / "tests" / "data" / "html" / "real",
    ROOT / "tests" / "data" / "html",
    ROOT.parent / "shared" / "data" / "html-pages",
    ROOT.parents[1] / "shared" / "data" / "html-pages",
]


def find(page: str) -> Path | None:
    for place in PLACES:
        for candidate in (place / page, place / Path(page).name):
            if candidate.is_file():
                return candidate
    return None


def got(film: Film, key: str) -> Any:
    """The parser's value for one expected fact key, shaped like the expectation."""
    if key == "rating":
        return film.rating.value if film.rating else None
    if key == "votes":
        return film.rating.votes if film.rating else None
    if key == "runtime":
        return next((r.minutes for r in film.runtimes if r.minutes), None)
    if key in ("directors", "writers"):
        return [p.name for p in getattr(film, key)]
    if key == "cast":
        return [(c.name, c.character) for c in film.cast]
    if key in ("release", "releases"):
        return [(r.date, r.country) for r in film.release_dates]
    if key == "akas":
        return [a.title for a in film.alternate_titles]
    if key == "locations":
        return film.filming_locations
    if key == "crew":
        return [(c.name, c.category) for c in film.crew]
    if key == "box_office":
        return [(b.kind, b.amount, b.currency, b.country) for b in film.box_office]
    if key == "scores":
        return [(s.source, s.kind, s.value, s.scale, s.count) for s in film.scores]
    return getattr(film, key)


def score(entry: dict[str, Any], verbose: bool) -> tuple[int, int, int, list[str], str]:
    """(right, total, invented, problems, the layout it was read as) of one page."""
    path = find(entry["page"])
    if path is None:
        return 0, 0, 0, ["page not found"], "-"
    try:
        result = parse_html_bytes(path.read_bytes(), str(path))
    except NotAMoviePage as err:
        return (1, 1, 0, [], "refused") if entry.get("refuse") else (0, 1, 0, [f"refused: {err}"], "refused")
    film = result.film
    layout = result.sections.layout if result.sections is not None else "-"
    for extra in entry.get("then", ()):  # sub-pages imported after the page, merged as `import page` does
        extra_path = find(extra)
        if extra_path is None:
            return 0, 0, 0, [f"page not found: {extra}"], layout
        sub = parse_html_bytes(extra_path.read_bytes(), str(extra_path))
        if sub.sections is None:
            return 0, 0, 0, [f"{extra}: no sections"], layout
        film = merge_film(film, sub.film, sub.sections)
        layout += "+" + sub.sections.kind
    if entry.get("refuse"):
        return 0, 1, 0, [f"not refused: read as {film.title!r}"], layout
    right = total = invented = 0
    problems = []
    for key, want in entry["facts"].items():
        have = got(film, key)
        if key == "release":
            total += 1
            if tuple(want) in have:
                right += 1
            else:
                problems.append(f"release: want {want}, got {have[:3]}")
        elif key == "external_ids":
            for k, v in want.items():
                total += 1
                if have.get(k) == v:
                    right += 1
                else:
                    problems.append(f"external_ids[{k}]: want {v!r}, got {have.get(k)!r}")
            extra = {k: v for k, v in have.items() if k not in want}
            invented += len(extra)
            problems += [f"invented external id {k}={v!r}" for k, v in extra.items()]
        elif isinstance(want, list):
            for item in want:
                total += 1
                if item in have:
                    right += 1
                else:
                    problems.append(f"{key}: missing {item!r}")
            if key in COMPLETE + tuple(entry.get("complete", ())) and key not in entry.get("partial", ()):
                extra = [item for item in have if item not in want]
                invented += len(extra)
                problems += [f"{key}: invented {item!r}" for item in extra]
        else:
            total += 1
            if have == want:
                right += 1
            else:
                problems.append(f"{key}: want {want!r}, got {have!r}")
                if want is None:
                    invented += 1
    return right, total, invented, problems, layout


def main() -> None:
    verbose = "-v" in sys.argv
    families: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    all_right = all_total = all_invented = 0
    for entry in PAGES + HELD_OUT + HELD_OUT_2 + HELD_OUT_3 + MERGED + HELD_OUT_4 + HELD_OUT_5 + HELD_OUT_6:
        right, total, invented, problems, layout = score(entry, verbose)
        fam = families[entry["family"]]
        fam[0] += right
        fam[1] += total
        fam[2] += invented
        all_right, all_total, all_invented = all_right + right, all_total + total, all_invented + invented
        pct = 100 * right / total if total else 0
        print(f"{pct:5.1f}% {right:3d}/{total:<3d} invented {invented:2d}  {layout:22} {entry['page']}")
        if verbose:
            for problem in problems:
                print(f"        {problem[:160]}")
    print()
    for family, (right, total, invented) in families.items():
        print(f"{100 * right / max(total, 1):5.1f}% {right:3d}/{total:<3d} invented {invented:2d}  {family}")
    pct = 100 * all_right / max(all_total, 1)
    print(f"{pct:5.1f}% {all_right:3d}/{all_total:<3d} invented {all_invented:2d}  ALL")


if __name__ == "__main__":
    main()
