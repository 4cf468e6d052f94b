"""Re-import a newer IMDb dump with work proportional to what changed (issue 20; both backends).

The last import of a whole dump stored a hash of each key's raw lines, per file, and each file's
size and CRC (``storage.imdb_line_hashes``). A re-import of the seven files then:

1. skips every file whose size and CRC are unchanged, and reads the others line by line, hashing
   each key's lines (``imdb_line_scan``): keys new or changed are kept, keys gone are removals;
2. keeps, besides, what a full import would write differently because of another file: every line of
   a title new to title.basics (its akas, rating… were left out before), the credits of a person
   new to name.basics (they were left out too), and both credit files' lines of a title whose
   credits change in either (a title's credits are rebuilt from both);
3. stages only the kept lines, parsed as a full import parses them (a bad line fails the import as
   ``FILE:LINE: field: reason``, the store unchanged);
4. merges them as a full dump would (``storage.imdb_delta_load``), refreshing the search and browse
   indexes of the titles and people that changed, in one transaction.

The result equals a full import of the newer dump (``tests/test_imdb_reimport.py``, SQLite and
PostgreSQL). The re-import is not tried (the caller imports the dump whole) for a store without hashes
(imported before, partly, or with skipped rows), a folder without all seven files, ``--skip-bad-rows``,
or a file whose keys are out of order; nor when the last import's search index build did not finish,
when the store's dataset titles or people no longer match the hashes (something removed them
meanwhile), or when more than a quarter of the keys changed (the whole dump, set-based, then costs less).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path
from threading import Lock, Thread
from typing import Any

from marquee.errors import InputError
from marquee.formats.imdb_tsv import DATASETS
from marquee.services.imdb_key_file import KeyFile
from marquee.services.imdb_line_scan import FileScan, Unsorted, file_mark, people_pattern, scan_file
from marquee.services.imdb_read import map_block
from marquee.storage import imdb_line_hashes
from marquee.storage.base import Store
from marquee.storage.imdb_delta_load import DeltaPlan, merge_delta
from marquee.storage.imdb_line_hashes import Keys
from marquee.storage.imdb_load import MergeHook
from marquee.storage.imdb_merge import MergeCounts
from marquee.storage.imdb_stage import STAGE_NAMES, SqliteStage
from marquee.storage.status_rows import search_building

__all__ = ["Hashing", "Reimported", "reimport", "with_hashes"]

_TITLE_PARTS = ("title.ratings", "title.akas", "title.episode")
_BATCH = 5000
_MOST = 4  # a re-import touching more than 1/_MOST of the keys imports the dump whole


@dataclass(frozen=True)
class Reimported:
    """What a re-import did: the merge's counts, per file (dataset, lines read, rows staged), and the
    titles it added, changed or removed (their numbers: ``tt0089560`` is 89560)."""

    counts: MergeCounts
    files: list[tuple[str, int, int]]
    titles: frozenset[int] = frozenset()


def reimport(
    store: Store,
    files: dict[str, Path],
    stage_dir: Path,
    *,
    sources: dict[str, str],
    hook: MergeHook | None = None,
    trace: bool = False,
    say: Callable[[str], None] | None = None,
) -> Reimported | None:
    """Re-import the seven ``files`` (dataset -> path) onto the dump the store last imported whole;
    None when that cannot be done (the caller imports the dump whole). ``sources``: how messages name
    each file. Raises InputError (``FILE:LINE: …``) on a bad line, the store unchanged."""
    if set(files) != set(DATASETS):
        return None
    with ExitStack() as held:  # the newer files' keys, on disk until the merge stores them

        def keep() -> KeyFile:
            return held.enter_context(closing(KeyFile(stage_dir)))

        with store.reading() as conn:
            marks = imdb_line_hashes.read_marks(conn)
            # An import whose index build did not finish (PostgreSQL commits the catalogue first): the
            # next one goes the full way, which builds the indexes again.
            if (
                set(marks) != set(DATASETS)
                or search_building(conn)
                or not imdb_line_hashes.matches_store(conn)
            ):
                return None
            new_marks = {ds: file_mark(path) for ds, path in files.items()}

            def stored(ds: str) -> Keys | None:
                return None if new_marks[ds] == marks[ds] else imdb_line_hashes.read_hashes(conn, ds)

            if say is not None:
                say("comparing with the last import")
            try:
                scans = _scan_all(files, sources, stored, keep)
            except Unsorted:
                return None
            # Past a quarter of the keys, the whole dump costs less (set-based, indexes rebuilt at once).
            if _touched(scans) * _MOST > imdb_line_hashes.count(conn):
                return None
        plan = _plan(scans, new_marks)
        if say is not None:
            say("staging what changed")
        plan.files = _stage(scans, sources, stage_dir, plan)
        if say is not None:
            say("merging into the store")
        counts = merge_delta(store, plan, trace=trace, hook=hook)
    lines = {ds: scan.lines for ds, scan in scans.items()}
    files_read = [(ds, lines.get(ds, 0), plan.staged.get(ds, 0)) for ds in DATASETS]
    titles = plan.titles | plan.credit_scope | scans["title.basics"].added
    return Reimported(counts, files_read, frozenset(titles))


Stored = Callable[[str], "Keys | None"]


def _scan_all(
    files: dict[str, Path], sources: dict[str, str], stored: Stored, keep: Callable[[], KeyFile]
) -> dict[str, FileScan]:
    """Every file read against its hashes (unchanged files only when another file needs their lines);
    the keys of the files read kept where ``keep`` gives."""

    def scan(ds: str, force: set[int] | frozenset[int] = frozenset(), mentions: Any = None) -> FileScan:
        old = stored(ds)
        if old is None and not force and mentions is None:
            return FileScan(ds)
        return scan_file(
            files[ds],
            ds,
            sources[ds],
            old,
            force=force,
            mentions=mentions,
            keys=None if old is None else keep(),
        )

    scans = {"title.basics": scan("title.basics"), "name.basics": scan("name.basics")}
    new_titles = scans["title.basics"].added
    mentions = people_pattern(scans["name.basics"].added)
    for ds in _TITLE_PARTS:
        scans[ds] = scan(ds, new_titles)
    crew = scans["title.crew"] = scan("title.crew", new_titles, mentions)
    principals = scans["title.principals"] = scan(
        "title.principals", new_titles | crew.kept | set(crew.removed), mentions
    )
    missing = (principals.kept | set(principals.removed)) - crew.kept
    if missing:  # titles whose principals changed: their crew lines too (a title's credits are rebuilt)
        more = scan_file(files["title.crew"], "title.crew", sources["title.crew"], None, force=missing)
        crew.groups += more.groups
        crew.kept |= more.kept
    return scans


def _touched(scans: dict[str, FileScan]) -> int:
    return sum(len(s.kept) + len(s.removed) for s in scans.values())


def _plan(scans: dict[str, FileScan], marks: dict[str, list[int]]) -> DeltaPlan:
    def touched(*datasets: str) -> set[int]:
        return {i for ds in datasets for i in (*scans[ds].kept, *scans[ds].removed)}

    return DeltaPlan(
        files={},
        removed={ds: s.removed for ds, s in scans.items() if s.removed},
        credit_scope=touched("title.crew", "title.principals"),
        titles=touched("title.basics", "title.ratings", "title.akas"),
        votes=touched("title.ratings") | scans["title.basics"].added | set(scans["title.basics"].removed),
        people=touched("name.basics"),
        hashes={ds: (marks[ds], s.keys) for ds, s in scans.items() if s.keys is not None},
    )


def _stage(
    scans: dict[str, FileScan],
    sources: dict[str, str],
    stage_dir: Path,
    plan: DeltaPlan,
) -> dict[str, Path]:
    """Stage the kept lines of each file that has any, or removals (both credit files together)."""
    credits = ("title.crew", "title.principals")
    out = {}
    for ds, scan in scans.items():
        if not (scan.groups or scan.removed or (ds in credits and plan.credit_scope)):
            continue
        path = stage_dir / f"{STAGE_NAMES[ds]}.db"
        plan.staged[ds] = _stage_groups(ds, sources[ds], scan.groups, path)
        out[ds] = path
    return out


def _stage_groups(dataset: str, source: str, groups: list[tuple[int, bytes]], path: Path) -> int:
    """Parse and stage these lines (first line number, raw lines) as a full import would; InputError
    naming the first bad line."""
    path.unlink(missing_ok=True)
    sink = SqliteStage(path, dataset)
    staged = 0
    try:
        rows: list[tuple[Any, ...]] = []
        for first_line, block in sorted(groups):
            chunk = map_block(dataset, block, first_line, source)
            if chunk.bad:
                raise InputError(str(chunk.bad[0]))
            rows += chunk.rows
            if len(rows) >= _BATCH:
                staged += _write(sink, rows, source)
                rows = []
        staged += _write(sink, rows, source)
        sink.finish()
    finally:
        sink.close()
    return staged


def _write(sink: SqliteStage, rows: list[tuple[Any, ...]], source: str) -> int:
    repeats = sink.write(rows)
    if repeats:
        first = min(repeats, key=lambda r: r.line)
        raise InputError(f"{source}:{first.line}: {first.reason}")
    return len(rows)


class Hashing:
    """A full import's hashes of every file, computed in a thread while the files are staged, kept on
    disk in ``spill`` (the store's folder; None: the system's temporary folder) until the merge stores them.

    The thread starts at once, or (``start=False``) at ``start()``: a titles-first import starts it once
    the titles are committed, since until then it would hold the GIL against the Python folds of that
    commit (3× its time at 1M titles; BENCHMARKS.md, "The line hashes after the titles").
    ``result()`` gives dataset -> (the file's mark, its keys and hashes), or None when a file cannot be
    compared in one pass (out of order) or reading failed (the staging reports why).
    """

    def __init__(
        self,
        files: dict[str, Path],
        sources: dict[str, str],
        spill: Path | None = None,
        *,
        start: bool = True,
    ) -> None:
        self.files, self.sources, self.spill = files, sources, spill
        self.out: dict[str, tuple[list[int], KeyFile]] | None = None
        self.closed = False
        self.lock = Lock()
        self.thread = Thread(target=self._run, name="imdb-line-hashes", daemon=True)
        if start:
            self.start()

    def start(self) -> None:
        """Begin hashing, if not begun yet."""
        with self.lock:
            if self.thread.ident is None and not self.closed:
                self.thread.start()

    def _run(self) -> None:
        out: dict[str, tuple[list[int], KeyFile]] = {}
        try:
            for ds, path in self.files.items():
                out[ds] = (file_mark(path), KeyFile(self.spill))
                scan_file(path, ds, self.sources[ds], None, keys=out[ds][1])
        except (Unsorted, InputError, OSError):
            _close(out)
            return
        with self.lock:
            if not self.closed:
                self.out, out = out, {}
        _close(out)  # closed meanwhile: nobody will read them

    def result(self) -> dict[str, tuple[list[int], KeyFile]] | None:
        self.start()
        if self.thread.ident is not None:
            self.thread.join()
        return self.out

    def close(self) -> None:
        """Give the disk back: now, or when the thread ends (an import that failed does not wait for it)."""
        with self.lock:
            self.closed = True
            out, self.out = self.out, None
        _close(out or {})


def _close(out: dict[str, tuple[list[int], KeyFile]]) -> None:
    for _, keys in out.values():
        keys.close()


def with_hashes(hook: MergeHook, hashing: Hashing | None) -> MergeHook:
    """``hook``, then the hashes of this import written (``hashing``) or cleared (None: the next import
    of a newer dump reads it whole), in the merge's transaction."""

    def before(conn: Any) -> Callable[[Any], object]:
        after = hook(conn)

        def then(conn: Any) -> object:
            result = after(conn)
            done = None if hashing is None else hashing.result()
            imdb_line_hashes.clear(conn)
            for ds, (mark, keys) in (done or {}).items():
                imdb_line_hashes.write_file(conn, ds, mark, keys)
                keys.close()
            return result

        return then

    return before
