"""A film's HTML page -> a ``Film`` and diagnostics saying where each fact came from.

Sources, strongest first: schema.org JSON-LD, IMDb's ``__NEXT_DATA__`` JSON (2022–2023
pages), microdata, Open Graph, then the visible text sections of older layouts and the
``<title>``. A single value (title, outline…) comes from the first source that has it;
a list (cast, reviews…) is taken from the source with the most entries, and entries
other sources also hold are completed from them (IMDb's JSON-LD lists three actors
without characters; ``__NEXT_DATA__`` the billed cast with characters). Sources that
disagree are reported, never silently mixed. The layout family the page was read as
(``html_layout``: ``imdb-2022-nextdata``…) is the first diagnostic and the sections' ``layout``.
Pure: no I/O.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from marquee.errors import NotAMoviePage
from marquee.formats.html_boxofficemojo import boxofficemojo_facts
from marquee.formats.html_dom import parse_dom
from marquee.formats.html_facts import Facts, tidy_genres
from marquee.formats.html_imdb_reference import reference_header_facts
from marquee.formats.html_jsonld import jsonld_facts
from marquee.formats.html_layout import Layout, detect_layout
from marquee.formats.html_metacritic import distributors, without_summary_credit
from marquee.formats.html_microdata import microdata_facts, open_graph_facts, title_element_facts
from marquee.formats.html_nextdata import next_data_facts
from marquee.formats.html_sites import Site, site_facts, site_of, site_score
from marquee.formats.html_subpage import subpage_result
from marquee.formats.html_text import text_section_facts
from marquee.formats.html_wikipedia import wikipedia_facts
from marquee.formats.page_merge import ENTRY_KEYS, comparable, fill_empty, main_page_sections
from marquee.formats.textpage import Diagnostic, PageResult
from marquee.formats.vocab import country_name, language_name
from marquee.records import Film, describe_error
from marquee.slugs import film_slug

__all__ = ["decode_html", "looks_like_html", "merge_facts", "parse_html_bytes", "parse_html_page"]

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANYWHERE = re.compile(r"<(?:html|head|body)\b[^>]*>|<script[^>]+application/ld\+json", re.IGNORECASE)
# Fields where __NEXT_DATA__ states outright what JSON-LD only implies (schema.org has no
# year: it comes from datePublished; @type Movie also covers IMDb's videos and TV films).
_NEXT_DATA_FIRST = frozenset({"year", "kind"})
# The facts a reader expects on a film page: the ones missing are listed in one diagnostic.
_EXPECTED = ("year", "outline", "genres", "rating", "directors", "cast", "runtimes")
# How list entries from two sources are recognised as the same entry (None matches anything): as
# when a page is merged into a stored film, but two sources of one page may name an alternate title's
# region differently, and only here do scores come as a list.
_LIST_KEYS: dict[str, tuple[str, ...]] = {
    **ENTRY_KEYS,
    "alternate_titles": ("title",),
    "scores": ("source", "kind"),
}


def looks_like_html(text: str) -> bool:
    """Whether the input is an HTML document rather than a text page."""
    head = text[:4096].lstrip("\ufeff")
    return bool(_HTML_START.match(head) or _HTML_ANYWHERE.search(head))


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_html(data: bytes, source: str = "<page>") -> str:
    """A saved page's text: a byte-order mark, else ``<meta charset>``, else UTF-8 (older pages: Latin-1)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        raise NotAMoviePage(f"{source}: not a movie page: binary data, not HTML")
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            pass  # an unknown charset name: fall through to UTF-8
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # IMDb served ISO-8859-1 before its move to UTF-8; cp1252 is its superset browsers use.
        return data.decode("cp1252", errors="replace")


def parse_html_bytes(data: bytes, source: str = "<page>") -> PageResult:
    """Decode a page read from a file (see ``decode_html``) and parse it."""
    return parse_html_page(decode_html(data, source), source)


def parse_html_page(html: str, source: str = "<page>") -> PageResult:
    """Read a film from an HTML page; raise ``NotAMoviePage`` when the page holds no film."""
    root = parse_dom(html)
    subpage = subpage_result(root, html, source)  # /trivia, /releaseinfo…: one section of a film
    if subpage is not None:
        return subpage
    # Box Office Mojo, Wikipedia: their markup only (no film item, no film sections)
    for site_reader in (boxofficemojo_facts, wikipedia_facts):
        read = site_reader(root)
        if isinstance(read, str):
            raise NotAMoviePage(f"{source}: not a movie page: {read}")
        if read is not None:
            return _page_result([read[0]], read[1], source)
    scripts = [e for e in root.iter() if e.tag == "script"]
    ld = [s for s in scripts if s.attrs.get("type", "").strip().lower() == "application/ld+json"]
    next_data = next((s for s in scripts if s.attrs.get("id") == "__NEXT_DATA__"), None)
    candidates = [
        jsonld_facts(ld),
        next_data_facts(next_data) if next_data is not None else None,
        microdata_facts(root),
        open_graph_facts(root),
        text_section_facts(root),
        reference_header_facts(root),
        title_element_facts(root),
    ]
    sources = [facts for facts in candidates if facts is not None]
    site = site_of(root)
    if site is not None:
        _as_site_scores(sources, site[0])
        sources.append(site_facts(root, *site))
        if site[0].key == "metacritic":
            _without_summary_credits(sources, distributors(root))
    return _page_result(sources, detect_layout(root, sources, site[0].key if site else None), source)


def _page_result(sources: list[Facts], layout: Layout, source: str) -> PageResult:
    """The film the sources' facts make, with the layout it was read as first among the diagnostics."""
    film, messages = merge_facts(sources)
    if film is None:
        reason = messages[0][1] if messages else "no film on the page"
        raise NotAMoviePage(f"{source}: not a movie page: {reason}")
    diagnostics = [Diagnostic(source, 1, layout.describe())]
    diagnostics += [Diagnostic(source, line, text) for line, text in messages]
    return PageResult(film=film, diagnostics=diagnostics, sections=main_page_sections(film, layout.name))


def _as_site_scores(sources: list[Facts], site: Site) -> None:
    """On another film site's page, an aggregate rating is that site's score, not IMDb's users' rating."""
    for facts in sources:
        rating = facts.values.pop("rating", None)
        if rating is not None:
            facts.values["scores"] = [*facts.values.get("scores", []), site_score(site, rating)]
            facts.note(f"{facts.source}: the aggregate rating is {site.name}'s own score; kept as a score")


def _without_summary_credits(sources: list[Facts], companies: set[str]) -> None:
    """Metacritic's summaries end with who wrote them ("[Warner Bros.]"): a credit, not the outline."""
    for facts in sources:
        outline = facts.values.get("outline")
        if isinstance(outline, str):
            facts.values["outline"] = without_summary_credit(outline, companies)


def merge_facts(sources: list[Facts]) -> tuple[Film | None, list[tuple[int, str]]]:
    """One Film from the facts of every source, and (line, message) diagnostics."""
    messages: list[tuple[int, str]] = []
    for facts in sources:
        messages.extend(facts.notes)
        _tidy(facts, messages)
    evidence = [f for f in sources if f.evidence]
    if not evidence:
        why = "no JSON-LD or microdata film item, no __NEXT_DATA__ title, no video Open Graph, "
        return None, [(1, why + "and no film sections (Director, Stars, Runtime…)")]
    values: dict[str, Any] = {}
    given: dict[str, list[str]] = {}
    found = {key for facts in sources for key in facts.values}
    for name in [field for field in Film.model_fields if field in found]:
        holders = _ordered([f for f in sources if name in f.values], name)
        if isinstance(holders[0].values[name], list):
            values[name], used = _merge_list(name, holders)
        else:
            values[name], used = _merge_scalar(name, holders, messages)
        given[name] = used
    if "title" not in values:
        return None, [(1, "a film item without a title")]
    _display_title(sources, values, messages)
    if "id" not in values:
        values["id"] = film_slug(values["title"], values.get("year"))
        messages.append((1, f"no IMDb id on the page; the film's id is the slug {values['id']!r}"))
    try:
        film = Film(**values)
    except ValidationError as err:  # a reader let through a value the record refuses: report it
        return None, [(1, f"facts do not make a film record: {describe_error(err)}")]
    messages.extend(_summaries(sources, given))
    missing = [name for name in _EXPECTED if name not in values]
    if missing:
        messages.append((1, f"not on the page: {', '.join(missing)}"))
    return film, messages


_STRUCTURED = ("JSON-LD", "microdata")
_VISIBLE = ("Open Graph", "text sections", "HTML title")


def _display_title(sources: list[Facts], values: dict[str, Any], messages: list[tuple[int, str]]) -> None:
    """The title the page shows, not the original-language name its JSON-LD gives (Princess Mononoke's
    JSON-LD names it "Mononoke-hime"): when the visible title (og:title, the heading, ``<title>``) is one of
    the item's alternate names, or two visible sources agree on it, it is the title and the item's name
    becomes the original title."""
    structured = next((f for f in sources if f.source in _STRUCTURED and "title" in f.values), None)
    if structured is None or structured.values["title"] != values["title"]:
        return
    name = values["title"]
    shown = [
        f.values["title"] for f in sources if f.source in _VISIBLE and isinstance(f.values.get("title"), str)
    ]
    # A visible title that holds the name ("Na špatné straně / Dragged Across Concrete") only decorates it.
    others = [t for t in shown if not _same(t, name) and name.casefold() not in t.casefold()]
    if not others:
        return
    alternates = [a.title for a in structured.values.get("alternate_titles", [])]
    pick = next((t for t in others if any(_same(t, a) for a in alternates)), None)
    if pick is None:
        pick = next((t for t in others if sum(_same(t, o) for o in others) >= 2), None)
    if pick is None:
        return
    values["title"] = pick
    if not values.get("original_title"):
        values["original_title"] = name
    messages.append(
        (
            structured.line,
            f"title: the page shows {pick!r}; {structured.source}'s name {name!r} kept as the original title",
        )
    )


def _tidy(facts: Facts, messages: list[tuple[int, str]]) -> None:
    """Values every source gives alike: genres as IMDb names them, countries and languages in English."""
    if "genres" in facts.values:
        genres, dropped = tidy_genres(facts.values["genres"])
        if dropped:
            messages.append(
                (facts.line, f"{facts.source}: not genres, not kept: {', '.join(map(repr, dropped))}")
            )
        if genres:
            facts.values["genres"] = genres
        else:
            del facts.values["genres"]
    for name, canonical in (("countries", country_name), ("languages", language_name)):
        if name in facts.values:
            facts.values[name] = list(dict.fromkeys(canonical(v) for v in facts.values[name]))


def _ordered(holders: list[Facts], name: str) -> list[Facts]:
    if name in _NEXT_DATA_FIRST:
        holders = sorted(holders, key=lambda f: f.source != "__NEXT_DATA__")
    if len({repr(f.values[name]) for f in holders}) > 1:  # they disagree: a source that only implies loses
        holders = sorted(holders, key=lambda f: name in f.weak)  # stable: the order stays among equals
    return holders


def _merge_scalar(name: str, holders: list[Facts], messages: list[tuple[int, str]]) -> tuple[Any, list[str]]:
    """The first source's value; a later one replaces it only when it completes a truncated text."""
    chosen, used = holders[0].values[name], [holders[0].source]
    for other in holders[1:]:
        value = other.values[name]
        if _same(value, chosen):
            continue
        if isinstance(chosen, str) and isinstance(value, str) and _completes(chosen, value):
            messages.append(
                (other.line, f"{name}: {used[0]} cut the text short; the full text is from {other.source}")
            )
            chosen, used = value, [other.source]
        elif isinstance(chosen, str) and isinstance(value, str) and _completes(value, chosen):
            continue
        else:
            said = f"{other.source} says {_show(value)}, {used[0]} says {_show(chosen)}"
            messages.append((other.line, f"{name}: {said}; kept {used[0]}"))
    return chosen, used


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return a.casefold().split() == b.casefold().split()
    return bool(a == b)


def _completes(short: str, full: str) -> bool:
    """``"…humanity's future salvat..."`` is completed by the whole sentence."""
    stem = short.rstrip().removesuffix("...").removesuffix("…").rstrip()
    return len(stem) < len(short.rstrip()) and len(full) > len(stem) and full.startswith(stem)


def _show(value: Any) -> str:
    text = value.model_dump_json() if isinstance(value, BaseModel) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _merge_list(name: str, holders: list[Facts]) -> tuple[list[Any], list[str]]:
    """The longest source's list, its entries completed from the others, unmatched ones appended."""
    base = max(holders, key=lambda f: len(f.values[name]))  # max keeps the first of equals
    merged = list(base.values[name])
    used = [base.source]
    for other in holders:
        if other is base:
            continue
        contributed = False
        for item in other.values[name]:
            index = next((i for i, have in enumerate(merged) if _matches(name, have, item)), None)
            if index is None:
                merged.append(item)
                contributed = True
            else:
                completed = fill_empty(merged[index], item)
                contributed = contributed or completed is not merged[index]
                merged[index] = completed
        if contributed:
            used.append(other.source)
    return merged, used


def _matches(name: str, have: Any, item: Any) -> bool:
    """Same entry: equal text, or equal on every key field both sides know (and at least one)."""
    if not isinstance(have, BaseModel):
        return bool(comparable(have) == comparable(item))
    have_id, item_id = getattr(have, "id", None), getattr(item, "id", None)
    if have_id and item_id:
        return bool(have_id == item_id)
    known = 0
    for key in _LIST_KEYS.get(name, ()):
        a, b = comparable(getattr(have, key)), comparable(getattr(item, key))
        if a is None or b is None:
            continue
        if a != b:
            return False
        known += 1
    return known > 0


def _summaries(sources: list[Facts], given: dict[str, list[str]]) -> list[tuple[int, str]]:
    """One line per source: the fields it gave, and what it held that a film record has no place for."""
    lines = []
    for facts in sources:
        gave = [name for name, used in given.items() if facts.source in used]
        if gave:
            lines.append((facts.line, f"{facts.source} gave {', '.join(gave)}"))
        elif facts.values:
            lines.append(
                (facts.line, f"{facts.source} gave nothing new ({', '.join(sorted(facts.values))} known)")
            )
        if facts.ignored:
            lines.append(
                (
                    facts.line,
                    f"{facts.source}: not kept (no place in a film record): {', '.join(facts.ignored)}",
                )
            )
    return lines
