"""Store movie pages by merging each into the film already stored, section by section.

A page carries some sections of a film (``formats.page_merge``): a main title page its headline
facts, an IMDb sub-page only its own section (``/trivia`` the trivia…). Importing reads the stored
films, merges every page into its film in the order given (several pages of one film fold into
one), and saves them in one transaction: either every page is stored or none is. Re-importing a
page changes nothing more (the merge of a page into a film that already holds it is that film).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

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

    def summary(self) -> str:
        """One line for the CLI: ``stored tt…: Title (1999)`` or ``merged …: trivia (144)``."""
        film = f"{self.film_id}: {self.title} ({self.year or '?'})"
        if self.kind in ("main", "text"):
            return f"stored {film}"
        what = ", ".join(f"{name} ({count})" for name, count in self.sections.items()) or "no section"
        verb = "stored" if self.created else "merged"
        return f"{verb} {film} from its {self.kind} page: {what}"


def page_sections(result: PageResult) -> Sections:
    """The sections a parsed page carries (a page that does not say: every section it has, whole)."""
    return result.sections if result.sections is not None else whole_page_sections(result.film)


def import_pages(store: SqlStore, pages: Sequence[tuple[str, PageResult]]) -> list[PageImport]:
    """Merge each ``(source, parsed page)`` into its stored film, all in one transaction; one report
    per page, in order."""
    reports: list[PageImport] = []

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
                )
            )
        return list(touched.values())

    sources = {result.film.id: f"page:{source}" for source, result in pages}  # the last page of a film
    update_films(
        store,
        [result.film.id for _, result in pages],
        merge,
        lambda conn, stored, films: keep_member_edits(conn, stored, films, sources),
    )
    return reports
