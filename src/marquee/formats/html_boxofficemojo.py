"""Box Office Mojo's film pages: a film's grosses, budget, release dates per area, running time, genres.

Box Office Mojo (IMDb's) keys its films by IMDb id. Its pages carry no JSON-LD, microdata or Open Graph
film; the facts are markup, in two layout families, told apart by the page's address and markup:

``boxofficemojo-2020-title`` (``/title/tt…/``; ``-release``: ``/release/rl…/``, ``-releasegroup``)::

    <h1 class="a-size-extra-large">Astro Boy<span> (2009)</span></h1><span class="a-size-medium">outline
    <div class="mojo-performance-summary-table"> <div><span class="a-size-small">Domestic (49%)</span>
        <span class="money">$19,551,067</span></div> … International … Worldwide
    <div class="mojo-summary-values"> <div><span>Budget</span><span><span class="money">$65,000,000</span>
        … Domestic Distributor, Domestic Opening, Earliest Release Date, MPAA, Running Time, Genres
    <h3>Domestic</h3><table><tr><th>Area</th><th>Release Date</th><th>Opening</th><th>Gross</th></tr>…

``boxofficemojo-legacy`` (``/movies/?id=avatar.htm``, before 2020; as public scrapers of it read it)::

    <title>Avatar (2009) - Box Office Mojo</title> … <font face="Verdana" size="6"><b>Avatar</b></font>
    <td>Domestic Total Gross: <b>$760,507,625</b></td> <td>Release Date: <b>December 18, 2009</b></td>
    <td>Runtime: <b>2 hrs. 42 min.</b></td> <td>Production Budget: <b>$237 million</b></td> …
    <div class="mp_box_tab">Total Lifetime Grosses</div><div class="mp_box_content"> Domestic: / Foreign: /
        Worldwide: …  <div class="mp_box_tab">Domestic Summary</div> … Opening Weekend: …

"Domestic" is the US & Canada market (IMDb's own pages name the same money "US & Canada"), "International"
(before 2020 "Foreign") every market outside it; amounts are US dollars. A release page's grosses are that
release's ("release gross"), not the film's lifetime. The MPAA rating, the distributor, theatre counts and
the old layout's one-word genre category have no place in a film record: reported, not kept. The site's
other pages (charts, weekends, years, studios, search) are no film's page. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts, clean, imdb_id, parse_date
from marquee.formats.html_layout import Layout
from marquee.formats.vocab import genre_name
from marquee.records import BoxOffice, ReleaseDate, Runtime

__all__ = ["SOURCE", "boxofficemojo_facts"]

SOURCE = "Box Office Mojo"
DOMESTIC = "US & Canada"
_HOST = re.compile(r"^(?:https?:)?//(?:[\w-]+\.)*boxofficemojo\.com(?::\d+)?(?P<path>/[^\s#]*)?$", re.I)
# The film's pages, by address: the kind of page and the site's id of it.
_FILM_PATHS = (
    ("title", re.compile(r"^/title/(tt\d{7,})(?:/[a-z]*)*/?(?:\?.*)?$")),
    ("release", re.compile(r"^/release/(rl\d+)(?:/[a-z]*)*/?(?:\?.*)?$")),
    ("releasegroup", re.compile(r"^/releasegroup/(gr\d+)(?:/[a-z]*)*/?(?:\?.*)?$")),
    ("movies", re.compile(r"^/movies/\?(?:[^#]*&)?id=([\w.-]+?)(?:\.htm)?(?:&[^#]*)?$")),
)
_MONEY = re.compile(r"\$\s*(?P<amount>\d[\d,]*(?:\.\d+)?)\s*(?P<scale>million|billion)?", re.I)
_RUNTIME = re.compile(r"^(?:(?P<h>\d+)\s*hrs?\.?)?\s*(?:(?P<m>\d+)\s*min\.?)?$", re.I)
_YEAR = re.compile(r"^\(?(\d{4})\)?$")
_LEGACY_GROSS = re.compile(r"Domestic (?:Total|Lifetime) Gross:|Domestic Total as of [^:]{3,30}:")
_TITLE_YEAR = re.compile(r"^(?P<title>.+?)\s*\((?P<year>\d{4})(?:-[IVX]+)?\)\s*-\s*Box Office Mojo$")
# Labels of the 2020 summary whose values have no place in a film record (label shown -> what it is).
_NOT_KEPT = {
    "domestic distributor": "distributor", "distributor": "distributor", "mpaa": "MPAA rating",
    "mpaa rating": "MPAA rating", "in release": "days in release", "widest release": "widest release",
}  # fmt: skip
# The performance summary's labels -> (kind, area) of the money under them.
_TOTALS = {
    "domestic": ("gross", DOMESTIC), "international": ("gross", "International"),
    "foreign": ("gross", "International"), "worldwide": ("cumulative worldwide gross", None),
}  # fmt: skip
# On a release's page the same money is that release's, not the film's lifetime.
_RELEASE_KINDS = {"gross": "release gross", "cumulative worldwide gross": "release worldwide gross"}


def boxofficemojo_facts(root: Element) -> tuple[Facts, Layout] | str | None:
    """A Box Office Mojo film page's facts and layout; why it is no film's page (a chart, a search); or
    None when the page is not Box Office Mojo's."""
    address = _address(root)
    if address is None:
        return None
    kind, ident = _page_kind(address)
    if kind is None:
        return f"Box Office Mojo's page {address!r} is a chart or list, no film's page"
    facts = Facts(SOURCE, 1)
    if _first(root, "mojo-summary-values") is not None or _first(root, "mojo-performance-summary-table"):
        if kind not in ("title", "release", "releasegroup"):  # no address: the summary's heading tells
            kind = "title" if _all_releases(root) else "release"
        layout = Layout(f"boxofficemojo-2020-{kind}", "Box Office Mojo's mojo-summary-values")
        _read_2020(root, facts, kind)
    elif _legacy_box(root) is not None:
        layout = Layout("boxofficemojo-legacy", "Box Office Mojo's 'Domestic Total Gross' and mp_box tables")
        _read_legacy(root, facts)
    else:
        return f"a Box Office Mojo page ({address}) with no film's summary (no grosses, no title header)"
    if "title" not in facts.values:
        return f"a Box Office Mojo page ({address}) whose film has no title"
    facts.evidence = layout.evidence
    _put_ids(root, facts, kind, ident)
    return facts, layout


def _address(root: Element) -> str | None:
    """The page's Box Office Mojo path (``/title/tt0375568/``), ``""`` when only its name says it is the
    site's (``og:site_name``, the ``<title>``), None when it is another site's page."""
    named = False
    for element in root.iter():
        attrs = element.attrs
        if element.tag == "link" and "canonical" in attrs.get("rel", "").lower().split():
            match = _HOST.match(attrs.get("href", "").strip())
            if match:
                return match["path"] or "/"
        elif element.tag == "meta":
            key = (attrs.get("property") or attrs.get("name") or "").lower()
            content = attrs.get("content", "").strip()
            match = _HOST.match(content) if key in ("og:url", "twitter:url") else None
            if match:
                return match["path"] or "/"
            named = named or (key == "og:site_name" and content.lower() == "box office mojo")
        elif element.tag == "title":
            named = named or element.text().lower().endswith("- box office mojo")
    return "" if named else None


def _page_kind(address: str) -> tuple[str | None, str | None]:
    if address == "":
        return "unknown", None  # no address on the page: the markup decides
    for kind, pattern in _FILM_PATHS:
        match = pattern.match(address)
        if match:
            return kind, match.group(1)
    return None, None


def _first(root: Element, css_class: str) -> Element | None:
    return next((e for e in root.iter() if css_class in e.classes()), None)


def _all_releases(root: Element) -> bool:
    """The performance summary is headed "All Releases": the film's lifetime money, not one release's."""
    table = _first(root, "mojo-performance-summary-table")
    heading = next((e for e in table.iter() if e.tag == "h2"), None) if table is not None else None
    return heading is not None and heading.text().lower() == "all releases"


def _put_ids(root: Element, facts: Facts, kind: str, ident: str | None) -> None:
    """The IMDb id: the address's, else the one film the page's title links (``/title/tt…``) point to."""
    if kind == "title" and ident:
        facts.put("id", ident)
    else:
        links = {imdb_id(e.attrs.get("href")) for e in root.iter() if e.tag == "a"}
        films = {i for i in links if i and re.fullmatch(r"tt\d{7,}", i)}
        if len(films) == 1:
            facts.put("id", films.pop())
        elif films:
            facts.note(f"links to {len(films)} different IMDb titles; none taken as the film's id")
    if ident and kind != "unknown":
        facts.put("external_ids", {"boxofficemojo": f"{kind}/{ident}"})


def money(text: str) -> int | None:
    """``$65,000,000`` and ``$237 million`` -> whole dollars; None for ``–``, ``N/A``, other currencies."""
    match = _MONEY.search(text)
    if match is None:
        return None
    amount = float(match["amount"].replace(",", ""))
    scale = {"million": 1e6, "billion": 1e9}.get((match["scale"] or "").lower(), 1)
    return round(amount * scale)


def minutes(text: str) -> int | None:
    """``1 hr 34 min``, ``2 hrs. 42 min.``, ``94 min`` -> minutes."""
    match = _RUNTIME.match(" ".join(text.split()))
    if match is None or not (match["h"] or match["m"]):
        return None
    return int(match["h"] or 0) * 60 + int(match["m"] or 0)


def _add(facts: Facts, name: str, item: BoxOffice | ReleaseDate) -> None:
    """Append an entry unless the page already gave the same one (the summary repeats the tables)."""
    have = facts.values.setdefault(name, [])
    if item not in have:
        have.append(item)


def _box(facts: Facts, kind: str, amount: int | None, area: str | None) -> None:
    if amount is not None:
        _add(facts, "box_office", BoxOffice(kind=kind, amount=amount, currency="USD", country=area))


def _release(facts: Facts, text: str, area: str | None) -> None:
    date = parse_date(text)
    if date is not None:
        _add(facts, "release_dates", ReleaseDate(date=date, country=area))


# ---- 2020 on -------------------------------------------------------------------------------------------


def _read_2020(root: Element, facts: Facts, kind: str) -> None:
    heading = _first(root, "mojo-heading-summary") or root
    h1 = next((e for e in heading.iter() if e.tag == "h1"), None)
    if h1 is not None:
        _heading(h1, facts)
    whole = kind == "title"  # a release's (group's) page shows that release's money, not the film's
    area = _totals(root, facts, whole)
    values = _first(root, "mojo-summary-values")
    if values is not None:
        for row in (c for c in values.children if isinstance(c, Element)):
            spans = [c for c in row.children if isinstance(c, Element) and c.tag == "span"]
            if len(spans) >= 2:
                _summary_value(clean(spans[0].text()) or "", spans[1], facts, area)
    for table in (e for e in root.iter() if e.tag == "table"):
        _areas_table(table, facts)


def _heading(h1: Element, facts: Facts) -> None:
    """``<h1>Astro Boy<span> (2009)</span></h1>`` and the outline beside it."""
    years = [m for c in h1.children if isinstance(c, Element) for m in [_YEAR.match(c.text())] if m]
    own = "".join(c for c in h1.children if isinstance(c, str))
    facts.put("title", clean(own) if years else clean(h1.text()))
    if years:
        facts.put("year", int(years[0].group(1)))
    parent = h1.parent
    if parent is not None:
        outline = next(
            (c for c in parent.children if isinstance(c, Element) and "a-size-medium" in c.classes()), None
        )
        if outline is not None:
            facts.put("outline", clean(outline.text()))


def _totals(root: Element, facts: Facts, whole: bool) -> str | None:
    """The performance summary's Domestic / International / Worldwide money; the release's area when the
    page shows Domestic money only (a domestic release's page)."""
    table = _first(root, "mojo-performance-summary-table")
    labels = []
    for row in (c for c in table.children if isinstance(c, Element)) if table is not None else ():
        label_span = next((e for e in row.iter() if "a-size-small" in e.classes()), None)
        amount_span = next((e for e in row.iter() if "money" in e.classes()), None)
        if label_span is None or amount_span is None:
            continue
        label = re.sub(r"\s*\(.*?\)\s*", "", label_span.text()).strip()
        labels.append(label.lower())
        kind, area = _TOTALS.get(label.lower(), (None, None))
        if kind is None:
            facts.ignored.append(f"{label} gross")
            continue
        _box(facts, kind if whole else _RELEASE_KINDS[kind], money(amount_span.text()), area)
    return DOMESTIC if labels == ["domestic"] else None


def _summary_value(label: str, value: Element, facts: Facts, area: str | None) -> None:
    key = label.lower()
    text = clean(" ".join(c for c in value.children if isinstance(c, str))) or clean(value.text()) or ""
    if key in _NOT_KEPT:
        facts.ignored.append(f"{_NOT_KEPT[key]} {text!r}")
    elif key == "domestic opening":
        _box(facts, "opening weekend", money(value.text()), DOMESTIC)
    elif key == "opening" and area is not None:
        _box(facts, "opening weekend", money(value.text()), area)
    elif key == "budget":
        _box(facts, "budget", money(value.text()), None)
    elif key == "earliest release date":
        place = re.search(r"\(([^)]+)\)\s*$", value.text())
        _release(facts, re.sub(r"\([^)]*\)\s*$", "", value.text()), place.group(1) if place else None)
    elif key == "release date" and area is not None:
        _release(facts, re.split(r"\s+-\s+", value.text())[0], area)
    elif key == "running time":
        runtime = minutes(value.text())
        if runtime is not None:
            facts.put("runtimes", [Runtime(minutes=runtime)])
    elif key == "genres":
        _genres(value.text().split(), facts)
    elif key in ("opening", "release date"):
        facts.note(f"{label} {value.text()!r}: the release's area is not on the page; not kept", value.line)
    elif key != "imdbpro":
        facts.ignored.append(f"{label} {clean(value.text())!r}")


def _genres(words: list[str], facts: Facts) -> None:
    genres = []
    for word in words:
        genre = genre_name(word)
        if genre is None:
            facts.note(f"genre {word!r} is none of IMDb's genres; not kept")
        elif genre not in genres:
            genres.append(genre)
    facts.put("genres", genres)


def _areas_table(table: Element, facts: Facts) -> None:
    """Area | Release Date | Opening | Gross: one market's release date, opening and gross per row."""
    rows = [r for r in table.iter() if r.tag == "tr"]
    if not rows:
        return
    header = [(clean(c.text()) or "").lower() for c in _cells(rows[0])]
    if not header or header[0] != "area" or "gross" not in header:
        return
    column = {name: i for i, name in enumerate(header)}
    for row in rows[1:]:
        cells = [c.text() for c in _cells(row)]
        if len(cells) != len(header):
            continue
        name = clean(cells[0])
        area = DOMESTIC if name == "Domestic" else name
        if "release date" in column:
            _release(facts, cells[column["release date"]], area)
        if "opening" in column:
            _box(facts, "opening weekend", money(cells[column["opening"]]), area)
        _box(facts, "gross", money(cells[column["gross"]]), area)


def _cells(row: Element) -> Iterator[Element]:
    return (c for c in row.children if isinstance(c, Element) and c.tag in ("td", "th"))


# ---- before 2020 ---------------------------------------------------------------------------------------


def _legacy_box(root: Element) -> Element | None:
    """The old page's summary cell: the one whose text starts "Domestic Total Gross:" (or Lifetime)."""
    return next(
        (e for e in root.iter() if e.tag in ("td", "font") and _LEGACY_GROSS.match(e.text())),
        None,
    )


def _read_legacy(root: Element, facts: Facts) -> None:
    title = next((e for e in root.iter() if e.tag == "title"), None)
    named = _TITLE_YEAR.match(title.text()) if title is not None else None
    big = next((e for e in root.iter() if e.tag == "font" and e.attrs.get("size") == "6"), None)
    facts.put("title", clean(big.text()) if big is not None else (named["title"] if named else None))
    if named:
        facts.put("year", int(named["year"]))
    lifetime = any(re.match(r"Domestic Lifetime Gross:", e.text()) for e in root.iter() if e.tag == "td")
    for cell in (e for e in root.iter() if e.tag == "td"):
        label, sep, value = cell.text().partition(":")
        if sep and not any(c.tag == "td" for c in cell.iter() if c is not cell):
            _legacy_value(label.strip(), value.strip(), facts, lifetime)
    for tab in (e for e in root.iter() if "mp_box_tab" in e.classes()):
        content = _next_box(tab)
        if content is not None and tab.text() in ("Total Lifetime Grosses", "Domestic Summary"):
            _legacy_rows(content, facts)


def _legacy_value(label: str, value: str, facts: Facts, lifetime: bool) -> None:
    key = label.lower()
    if key == "domestic total gross":
        _box(facts, "release gross" if lifetime else "gross", money(value), DOMESTIC)
    elif key.startswith("domestic total as of"):  # a film still in release: its running total
        facts.note(f"{label}: {value} is a running total, not the film's gross; not kept")
    elif key == "domestic lifetime gross":
        _box(facts, "gross", money(value), DOMESTIC)
    elif key == "release date":
        _release(facts, value, DOMESTIC)
    elif key == "runtime" and minutes(value) is not None:
        facts.put("runtimes", [Runtime(minutes=minutes(value))])
    elif key == "production budget":
        _box(facts, "budget", money(value), None)
    elif key in ("distributor", "mpaa rating"):
        facts.ignored.append(f"{key.replace('mpaa', 'MPAA')} {value!r}")
    elif key == "genre":
        facts.ignored.append(f"Box Office Mojo's genre category {value!r}")


def _next_box(tab: Element) -> Element | None:
    """The ``mp_box_content`` after a ``mp_box_tab`` heading, in the same box."""
    parent = tab.parent
    siblings = [c for c in parent.children if isinstance(c, Element)] if parent is not None else []
    after = siblings[siblings.index(tab) + 1 :] if tab in siblings else []
    return next((s for s in after if "mp_box_content" in s.classes()), None)


def _legacy_rows(content: Element, facts: Facts) -> None:
    for row in (r for r in content.iter() if r.tag == "tr"):
        cells = [c.text().replace("\xa0", " ") for c in _cells(row)]
        if len(cells) < 2:
            continue
        label = re.sub(r"^[+=\s]+|:\s*$", "", cells[0]).strip().lower()
        if label in _TOTALS:
            kind, area = _TOTALS[label]
            _box(facts, kind, money(cells[1]), area)
        elif label == "opening weekend":
            _box(facts, "opening weekend", money(cells[1]), DOMESTIC)
