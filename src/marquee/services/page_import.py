"""Store movie pages by merging each into the film already stored, section by section.

A page carries some sections of a film (``formats.page_merge``): a main title page its headline
facts, an IMDb sub-page only its own section (``/trivia`` the trivia…). Importing reads the stored
films, merges every page into its film in the order given (several pages of one film fold into
one), and saves them in one transaction: either every page is stored or none is. Re-importing a
page changes nothing more (the merge of a page into a film that already holds it is that film).

Every section a page changes names that page in the film's ``sources``: ``page:FILE#LAYOUT``, the file
(or address) and the layout family it was read as (``page:mask.html#imdb-2022-nextdata``,
``page:trivia.html#imdb-2010-trivia``, ``page:movie.nfo#kodi-nfo``; ``formats.html_layout``). When
several pages of one film are stored at once, each section names the last of them that showed it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from marquee.formats.page_merge import Sections, merge_film, section_counts, whole_page_sections
from marquee.formats.textpage import PageResult
from marquee.records import Film
from marquee.services.editing import keep_member_edits
from marquee.storage.film_update import update_films
from marquee.storage.sqlstore import SqlStore

__all__ = ["PageImport", "import_pages", "page_sections"]


@dataclass(frozen=True)
class PageImport:
    """What storing one page did: the film, the page's kind, the sections merged and their entries."""

    source: str
    film_id: str
    title: str
    year: int | None
    kind: str
    created: bool
    sections: dict[str, int] = field(default_factory=dict)
    layout: str = ""

    def summary(self) -> str:
        """One line for the CLI: ``stored tt…: Title (1999), read as imdb-2022-nextdata`` or
        ``merged …: trivia (144), read as imdb-2010-trivia``."""
        film = f"{self.film_id}: {self.title} ({self.year or '?'})"
        read_as = f", read as {self.layout}" if self.layout else ""
        if self.kind in ("main", "text"):
            return f"stored {film}{read_as}"
        what = ", ".join(f"{name} ({count})" for name, count in self.sections.items()) or "no section"
        verb = "stored" if self.created else "merged"
        return f"{verb} {film} from its {self.kind} page: {what}{read_as}"


def page_sections(result: PageResult) -> Sections:
    """The sections a parsed page carries (a page that does not say: every section it has, whole)."""
    return result.sections if result.sections is not None else whole_page_sections(result.film)


def page_layout(sections: Sections) -> str:
    """The layout family a page was read as: its reader's name for it, else its kind (``marquee-text``
    for Marquee's own text page)."""
    return sections.layout or ("marquee-text" if sections.kind == "text" else sections.kind)


def page_source(source: str, sections: Sections) -> str:
    """What a film's ``sources`` name for a section a page gave: ``page:FILE#LAYOUT``."""
    return f"page:{source}#{page_layout(sections)}"


def import_pages(store: SqlStore, pages: Sequence[tuple[str, PageResult]]) -> list[PageImport]:
    """Merge each ``(source, parsed page)`` into its stored film, all in one transaction; one report
    per page, in order."""
    reports: list[PageImport] = []
    # film id -> section -> the page (``page:FILE#LAYOUT``) that last showed it in this import
    shown_by: dict[str, dict[str, str]] = {}
    for source, result in pages:
        sections = page_sections(result)
        named = page_source(source, sections)
        shown_by.setdefault(result.film.id, {}).update(dict.fromkeys(sections.shown, named))
    # What keep_member_edits names for every section the import changes (and a revision's source): the
    # film's page, or all its pages joined; a joined name is then replaced section by section below.
    sources = {
        film_id: " + ".join(dict.fromkeys(by_section.values())) for film_id, by_section in shown_by.items()
    }

    def merge(stored: dict[str, Film]) -> list[Film]:
        films = dict(stored)
        touched: dict[str, Film] = {}
        for source, result in pages:
            sections = page_sections(result)
            before = films.get(result.film.id)
            merged = merge_film(before, result.film, sections)
            films[merged.id] = touched[merged.id] = merged
            counts = section_counts(result.film, sections)
            reports.append(
                PageImport(
                    source=source,
                    film_id=merged.id,
                    title=merged.title,
                    year=merged.year,
                    kind=sections.kind,
                    created=before is None,
                    sections={k: v for k, v in counts.items() if k in sections.shown},
                    layout=page_layout(sections),
                )
            )
        return list(touched.values())

    def guard(conn: Any, stored: Mapping[str, Film], films: Sequence[Film]) -> list[Film]:
        kept = keep_member_edits(conn, stored, films, sources)
        return [_name_each_page(film, sources[film.id], shown_by.get(film.id, {})) for film in kept]

    update_films(store, [result.film.id for _, result in pages], merge, guard)
    return reports


def _name_each_page(film: Film, joined: str, shown_by: Mapping[str, str]) -> Film:
    """``film`` with each section the import named by the joined name of several pages naming the page
    that showed it."""
    if " + " not in joined:
        return film  # one page: its name is already each section's
    sources = {
        section: shown_by.get(section, source) if source == joined else source
        for section, source in film.sources.items()
    }
    return film.model_copy(update={"sources": sources}) if sources != film.sources else film
