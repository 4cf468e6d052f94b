"""First import into an empty SQLite store: two lanes write the store's final tables in their own files.

A store with no titles and no people needs no merge: nothing is there to update, move or keep.
So instead of staging each file and then copying it into the store row by row, two processes
("lanes") map the files straight into tables laid out exactly like the store's (the DDL is read
from the store), build the secondary indexes and the search index there, and the store copies
the finished tables in one transaction (``imdb_bulk``), which SQLite does record by record
without decoding them (the transfer optimisation of ``INSERT INTO t SELECT * FROM other.t``).

* Lane *titles*: title.basics, title.ratings, title.akas, title.episode → titles, genres,
  runtimes, ratings, alternate titles, episodes; rows of titles not in title.basics are dropped;
  then the title search index in a second file.
* Lane *credits*: name.basics, title.crew, title.principals → people and credits (of known titles
  and people only); when the titles lane has its tables, principals' directors and writers are
  merged into the crew's lists and the person search index built.

The rows, their order and every rule are those of ``imdb_merge`` on an empty store (a test
imports the same files both ways and compares the stores). Bad rows are found as in staging:
the reader (``imdb_read``) maps and checks each row; a repeated key is refused by the table's
key (or, for title.crew and title.principals, whose keys are not the table's, by a check of
the rows of the title being read) and reported with the line it first appeared on.
"""

from __future__ import annotations

import gzip
import os
import re
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from marquee.services.imdb_read import BadRow, raw_lines, read_chunks
from marquee.services.imdb_stage import Rejects, StageJob, StageResult
from marquee.storage import search_rebuild

__all__ = [
    "CREDIT_TABLES",
    "LANE_DATASETS",
    "TITLE_TABLES",
    "Lane",
    "run_lane",
]

TITLE_TABLES = (
    "titles",
    "title_genres",
    "runtimes",
    "imdb_ratings",
    "alternate_titles",
    "episodes",
    "imdb_dataset_titles",
)
CREDIT_TABLES = ("people", "credits", "imdb_dataset_people")
# People go with credits: the lanes then carry about the same work (a third of the rows each is
# title.principals; title.akas and the title search index are the other lane's biggest parts).
LANE_DATASETS = {
    "titles": ("title.basics", "title.ratings", "title.akas", "title.episode"),
    "credits": ("name.basics", "title.crew", "title.principals"),
}
# Principals' directors and writers only add to title.crew's lists (see imdb_merge._merge_credits).
_CREW = ("director", "writer")


@dataclass(frozen=True)
class Lane:
    """What one lane does: its files (in order), where it writes, and the store's DDL to copy."""

    name: str  # "titles" or "credits"
    jobs: tuple[StageJob, ...]
    path: Path  # the lane's database file
    search_path: Path  # titles lane: the file of the title search index
    tables: tuple[str, ...]  # CREATE TABLE statements of the store, for the lane's tables
    indexes: tuple[str, ...]  # CREATE INDEX statements of the store, for the lane's tables
    search_ddl: tuple[str, ...]  # the search index tables this lane fills
    other: Path | None = None  # credits lane: the titles lane's file (read once it is ready)
    # Credits lane: title.basics, whose ids it reads ahead to drop credits of unknown titles.
    id_files: tuple[Path | None, Path | None] = (None, None)


@dataclass
class LaneResult:
    """Per-file results and the rows each table of the lane holds."""

    files: list[StageResult] = field(default_factory=list)
    written: dict[str, int] = field(default_factory=dict)


Say = Callable[..., None]  # (kind, *args): progress messages to the parent


def _trace(conn: sqlite3.Connection, lane: str) -> None:
    """With ``MARQUEE_IMPORT_TRACE`` set, print each statement's time and CPU (for tuning)."""
    if not os.environ.get("MARQUEE_IMPORT_TRACE"):
        return
    state = {"t": time.monotonic(), "c": time.process_time()}

    def show(sql: str) -> None:
        now, cpu = time.monotonic(), time.process_time()
        head = " ".join(sql.split())[:110]
        print(f"[lane {lane}] {now - state['t']:7.2f}s {cpu - state['c']:7.2f}cpu then: {head}", flush=True)
        state["t"], state["c"] = now, cpu

    quiet: tuple[str, ...] = ("--", "INSERT OR IGNORE", "INSERT INTO pdw", "SAVEPOINT", "RELEASE", "PRAGMA")
    quiet += ("INSERT INTO _ms", "INSERT INTO title_genres", "INSERT INTO runtimes", "INSERT INTO lane_words")
    conn.set_trace_callback(lambda sql: None if sql.startswith(quiet) else show(sql))


def _connect(path: Path) -> sqlite3.Connection:
    """A throwaway file: no syncs, big pages (a crash leaves a file to delete).

    The journal stays in memory (not OFF): a chunk with a repeated key is rolled back to its
    savepoint. New pages are not journaled, so a load into empty tables journals next to nothing.
    """
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in (
        "page_size=65536",
        "journal_mode=MEMORY",
        "synchronous=OFF",
        # Memory stays bounded (two lanes at once, under 1.5 GiB together at any input size):
        # 64 MiB of page cache each; temporary tables and sorts spill to files.
        "cache_size=-65536",
        "temp_store=FILE",
        "locking_mode=EXCLUSIVE",
    ):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def run_lane(lane: Lane, say: Say, wait_ready: Callable[[], None]) -> LaneResult:
    """Load the lane's files, finish its tables and its part of the search index."""
    result = LaneResult()
    conn = _connect(lane.path)
    try:
        for ddl in lane.tables:
            conn.execute(ddl)
        if lane.name == "credits":
            conn.execute(_PDW)
        conn.execute("BEGIN")
        loader = _Loader(conn)
        if lane.name == "credits":
            conn.execute(_CREW_GONE)
            loader.known = (_Known(lane.id_files[0], b"tt"), _Known(None, b"nm"))
        for job in lane.jobs:
            say("start", job.dataset)
            result.files.append(loader.load(job, say))
            say("done", job.dataset, result.files[-1])
        _trace(conn, lane.name)  # after the loads: their inserts are too many to trace
        if lane.name == "titles":
            _finish_titles(conn, lane)
            _count(conn, TITLE_TABLES, result)
            conn.execute("COMMIT")
            conn.close()
            say("ready")
            _title_search(lane)
        else:
            conn.execute("COMMIT")
            wait_ready()
            _finish_credits(conn, lane, loader.known)
            _count(conn, CREDIT_TABLES, result)
    finally:
        conn.close()
    return result


def _count(conn: sqlite3.Connection, tables: Iterable[str], result: LaneResult) -> None:
    for table in tables:
        result.written[table] = int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


# ------------------------------------------------------------------ loading


_PDW = (
    "CREATE TABLE pdw (title_id INTEGER NOT NULL, category TEXT NOT NULL, ordering INTEGER NOT NULL,"
    " person_id INTEGER NOT NULL, job TEXT, character TEXT)"
)
# Places in title.crew's lists of people name.basics does not have: no credit, but they count
# for where principals-only directors and writers go (after the whole list, as imdb_merge does).
_CREW_GONE = (
    "CREATE TABLE crew_gone (title_id INTEGER NOT NULL, category TEXT NOT NULL, ordering INTEGER NOT NULL)"
)

# Per dataset: (INSERT statement, the mapped row's fields it takes, length of the file's key).
_PLAIN: dict[str, tuple[str, Callable[[Any], Any], int]] = {
    "name.basics": (
        "INSERT OR IGNORE INTO people (id, nconst, name, birth_year, death_year, professions, known_for)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        itemgetter(0, 1, 2, 3, 4, 5, 6),
        1,
    ),
    "title.basics": (
        "INSERT OR IGNORE INTO titles (id, tconst, kind, primary_title, original_title, is_adult, start_year,"
        " end_year, runtime_minutes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        itemgetter(0, 1, 2, 3, 4, 5, 6, 7, 8),
        1,
    ),
    "title.ratings": (
        "INSERT OR IGNORE INTO imdb_ratings (title_id, average, scale, votes) VALUES (?, ?, 10, ?)",
        itemgetter(0, 1, 2),
        1,
    ),
    "title.akas": (
        "INSERT OR IGNORE INTO alternate_titles"
        " (title_id, ordering, title, region, language, types, attributes, is_original)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        itemgetter(0, 1, 2, 3, 4, 5, 6, 7),
        2,
    ),
    "title.episode": (
        "INSERT OR IGNORE INTO episodes (title_id, series_tconst, season, episode) VALUES (?, ?, ?, ?)",
        itemgetter(0, 1, 2, 3),
        1,
    ),
}
_CREDIT = (
    "INSERT OR IGNORE INTO credits (title_id, category, ordering, person_id, job, character)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)


class _Seen:
    """Which ids were seen (a growing bitmap: ~4.5 MB for today's 36M title ids)."""

    def __init__(self) -> None:
        self.bits = bytearray(1 << 17)

    def add(self, number: int) -> bool:
        """Mark ``number``; True if it was marked already."""
        byte, bit = number >> 3, 1 << (number & 7)
        if byte >= len(self.bits):
            self.bits.extend(bytes(max(byte + 1 - len(self.bits), len(self.bits))))
        if self.bits[byte] & bit:
            return True
        self.bits[byte] |= bit
        return False


class _Known(_Seen):
    """The ids in the first column of a dataset file, read ahead (a superset of the rows stored).

    The credits lane drops credits of unknown titles and people as it writes them, instead of
    deleting them afterwards; ``_finish_credits`` checks the guess against the stored tables.
    """

    def __init__(self, path: Path | None, prefix: bytes) -> None:
        super().__init__()
        self.count = 0
        if path is not None:
            self._scan(path, re.compile(rb"^" + prefix + rb"(\d+)\t", re.MULTILINE))

    def _scan(self, path: Path, first_column: re.Pattern[bytes]) -> None:
        opener: Any = gzip.open if path.name.endswith(".gz") else open
        try:
            with opener(path, "rb") as stream:
                rest = b""
                while block := stream.read(1 << 20):
                    block = rest + block
                    cut = block.rfind(b"\n") + 1
                    rest = block[cut:]
                    for number in first_column.findall(block, 0, cut):
                        self.count += not self.add(int(number))
                for number in first_column.findall(rest):
                    self.count += not self.add(int(number))
        except (OSError, EOFError, zlib.error):  # a damaged file: the titles lane reports it
            pass


class _Loader:
    """Maps each file's rows into the lane's tables, one savepoint per chunk."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.known = (_Known(None, b"tt"), _Known(None, b"nm"))

    def load(self, job: StageJob, say: Say) -> StageResult:
        rejects = Rejects(job)
        read = written = 0
        cpu = time.process_time()
        write = self._writer(job)
        try:
            for chunk in read_chunks(job.path, job.dataset, job.source):
                for bad in chunk.bad:
                    rejects.add(bad)
                kept = write(chunk.rows, rejects)
                read += len(chunk.lines)
                written += kept
                say("advance", job.dataset, chunk.bytes_done, read)
        finally:
            rejects.close()
        if os.environ.get("MARQUEE_IMPORT_TRACE"):
            print(f"[load] {job.source}: {read:,} rows, {time.process_time() - cpu:.2f}cpu", flush=True)
        return StageResult(job.dataset, job.source, read, written, rejects.count)

    def _writer(self, job: StageJob) -> Callable[[list[Any], Rejects], int]:
        if job.dataset == "title.crew":
            return _CrewWriter(self.conn, job, self.known).write
        if job.dataset == "title.principals":
            return _PrincipalsWriter(self.conn, job, self.known).write
        sql, fields, key_len = _PLAIN[job.dataset]

        def write(rows: list[Any], rejects: Rejects) -> int:
            kept = _insert_checked(self.conn, sql, fields, rows, key_len, job, rejects)
            if job.dataset == "title.basics":
                _basics_parts(self.conn, kept)
            elif job.dataset == "name.basics":  # the people stored so far: exactly who credits may name
                for row in kept:
                    self.known[1].count += not self.known[1].add(row[0])
            return len(kept)

        return write


def _insert_checked(
    conn: sqlite3.Connection,
    sql: str,
    fields: Callable[[Any], Any],
    rows: list[Any],
    key_len: int,
    job: StageJob,
    rejects: Rejects,
) -> list[Any]:
    """Insert a chunk; rows whose key is taken are reported (first line found by reading again)."""
    before = conn.total_changes
    conn.execute("SAVEPOINT chunk")
    conn.executemany(sql, map(fields, rows))
    if conn.total_changes - before == len(rows):
        conn.execute("RELEASE chunk")
        return rows
    # Rare: some key repeats. Insert row by row to see which, in file order.
    conn.execute("ROLLBACK TO chunk")
    kept = []
    plain = sql.replace("INSERT OR IGNORE", "INSERT", 1)
    for row in rows:
        try:
            conn.execute(plain, fields(row))
        except sqlite3.IntegrityError:
            _report_repeat(job, row, key_len, rejects)
            continue
        kept.append(row)
    conn.execute("RELEASE chunk")
    return kept


def _report_repeat(job: StageJob, row: Any, key_len: int, rejects: Rejects) -> None:
    key = tuple(row[:key_len])
    first = _first_line(job, key_len, key)
    shown = "/".join(str(v) for v in key)
    raw = raw_lines(job.path, {row[-1]}).get(row[-1], b"")
    rejects.add(BadRow(job.source, row[-1], f"duplicate key {shown} (first on line {first})", raw))


def _first_line(job: StageJob, key_len: int, key: tuple[Any, ...]) -> int:
    """The line a key first appears on (read again: only for the rare repeated key)."""
    for chunk in read_chunks(job.path, job.dataset, job.source):
        for row in chunk.rows:
            if tuple(row[:key_len]) == key:
                return int(row[-1])
    return 0


def _basics_parts(conn: sqlite3.Connection, rows: list[Any]) -> None:
    """Genres (in the file's order) and the basics runtime of the titles just written."""
    conn.executemany(
        "INSERT INTO title_genres (title_id, ordering, genre) VALUES (?, ?, ?)",
        [(r[0], n, g) for r in rows if r[9] for n, g in enumerate(r[9].split(","), 1)],
    )
    conn.executemany(
        "INSERT INTO runtimes (title_id, ordering, minutes) VALUES (?, 0, ?)",
        [(r[0], r[8]) for r in rows if r[8] is not None],
    )


class _CrewWriter:
    """title.crew: one credit per listed director and writer, numbered by the list's order."""

    def __init__(self, conn: sqlite3.Connection, job: StageJob, known: tuple[_Known, _Known]) -> None:
        self.conn = conn
        self.job = job
        self.seen = _Seen()
        self.titles, self.people = known

    def write(self, rows: list[Any], rejects: Rejects) -> int:
        credits: list[tuple[Any, ...]] = []
        gone: list[tuple[Any, ...]] = []
        kept = 0
        titles, people = self.titles.bits, self.people.bits
        for row in rows:
            title = row[0]
            if self.seen.add(title):
                _report_repeat(self.job, row, 1, rejects)
                continue
            kept += 1
            if not _has(titles, title):
                continue
            for category, ids in (("director", row[1]), ("writer", row[2])):
                if ids:
                    for n, p in enumerate(map(int, ids.split(",")), 1):
                        if _has(people, p):
                            credits.append((title, category, n, p, None, None))
                        else:
                            gone.append((title, category, n))
        self.conn.executemany(_CREDIT, credits)
        self.conn.executemany("INSERT INTO crew_gone VALUES (?, ?, ?)", gone)
        return kept


def _has(bits: bytearray, number: int) -> bool:
    """Is ``number`` marked in a ``_Seen`` bitmap?"""
    byte = number >> 3
    return byte < len(bits) and bool(bits[byte] >> (number & 7) & 1)


class _PrincipalsWriter:
    """title.principals: cast and crew to credits, directors and writers aside (merged later).

    The file's key (title, ordering) is not the credits table's, so repeats are found here: rows
    of one title come together (the dumps are sorted), a set holds the current title's orderings
    and a bitmap the titles already passed. A title met again later means an unsorted file: from
    then on every key goes through a keyed table (slower, and as exact).
    """

    def __init__(self, conn: sqlite3.Connection, job: StageJob, known: tuple[_Known, _Known]) -> None:
        self.conn = conn
        self.job = job
        self.titles, self.people = known
        self.passed = _Seen()
        self.current = -1
        self.orderings: set[int] = set()
        self.keyed = False
        self.cast: list[tuple[Any, ...]] = []
        self.crew: list[tuple[Any, ...]] = []

    def _repeat(self, row: Any) -> bool:
        if self.keyed:
            return self._repeat_keyed(row)
        title, ordering = row[0], row[1]
        if title != self.current:
            self.current = title
            self.orderings = set()
            if self.passed.add(title):  # rows of a title not together: check every key from now on
                self._key_all(row[-1])
                return self._repeat_keyed(row)
        if ordering in self.orderings:
            return True
        self.orderings.add(ordering)
        return False

    def _key_all(self, line: int) -> None:
        """An unsorted file (rare): key every row read so far in a table, then each new one."""
        self.keyed = True
        self.conn.execute(
            "CREATE TEMP TABLE principal_keys (title_id INTEGER, ordering INTEGER,"
            " PRIMARY KEY (title_id, ordering)) WITHOUT ROWID"
        )
        for chunk in read_chunks(self.job.path, self.job.dataset, self.job.source):
            before = [r[:2] for r in chunk.rows if r[-1] < line]
            self.conn.executemany("INSERT OR IGNORE INTO principal_keys VALUES (?, ?)", before)
            if len(before) < len(chunk.rows):
                break

    def _repeat_keyed(self, row: Any) -> bool:
        changes = self.conn.total_changes
        self.conn.execute("INSERT OR IGNORE INTO principal_keys VALUES (?, ?)", row[:2])
        return self.conn.total_changes == changes

    def _flush(self) -> None:
        self.conn.executemany(_CREDIT, self.cast)
        self.conn.executemany("INSERT INTO pdw VALUES (?, ?, ?, ?, ?, ?)", self.crew)
        self.cast.clear()
        self.crew.clear()

    def write(self, rows: list[Any], rejects: Rejects) -> int:
        # The hottest loop of the import (90 million rows in a full dump): _has and the common
        # case of _repeat are written out here.
        kept = 0
        titles, people = self.titles.bits, self.people.bits
        n_titles, n_people = len(titles), len(people)
        cast, crew = self.cast.append, self.crew.append
        for row in rows:
            title = row[0]
            if title == self.current and not self.keyed:
                if row[1] in self.orderings:
                    _report_repeat(self.job, row, 2, rejects)
                    continue
                self.orderings.add(row[1])
            elif self._repeat(row):
                _report_repeat(self.job, row, 2, rejects)
                continue
            kept += 1
            person = row[2]
            if (
                title >> 3 < n_titles
                and titles[title >> 3] >> (title & 7) & 1
                and person >> 3 < n_people
                and people[person >> 3] >> (person & 7) & 1
            ):  # credits of unknown titles and people are dropped
                (crew if row[3] in _CREW else cast)((title, row[3], row[1], person, row[4], row[5]))
        self._flush()
        return kept


# ------------------------------------------------------------------ finishing


def _finish_titles(conn: sqlite3.Connection, lane: Lane) -> None:
    """Drop parts of titles title.basics does not have; mark the dataset's titles; build the indexes."""
    for table in ("imdb_ratings", "alternate_titles", "episodes"):
        conn.execute(
            f"DELETE FROM {table} WHERE NOT EXISTS (SELECT 1 FROM titles t WHERE t.id = {table}.title_id)"
        )
    conn.execute("INSERT INTO imdb_dataset_titles (id) SELECT id FROM titles")
    for ddl in lane.indexes:
        conn.execute(ddl)


def _attach(conn: sqlite3.Connection, path: Path) -> None:
    """Attach the titles lane's file as ``t``, with a page cache big enough for its key lookups."""
    conn.execute("ATTACH DATABASE ? AS t", (str(path),))
    conn.execute("PRAGMA t.cache_size=-65536")


def _finish_credits(conn: sqlite3.Connection, lane: Lane, known: tuple[_Known, _Known]) -> None:
    """Merge principals' directors/writers into the crew lists, drop unknown titles/people, index."""
    assert lane.other is not None
    _attach(conn, lane.other)
    conn.execute("BEGIN")
    conn.execute("PRAGMA cache_size=-262144")  # 256 MiB: most of the index build's sort stays in memory
    exists = (
        "EXISTS (SELECT 1 FROM t.titles x WHERE x.id = {0}.title_id)"
        " AND EXISTS (SELECT 1 FROM people y WHERE y.id = {0}.person_id)"
    )
    stored = conn.execute("SELECT (SELECT count(*) FROM t.titles), (SELECT count(*) FROM people)")
    # The ids read ahead are exactly the stored ones unless bad rows were skipped: then look again.
    exact = stored.fetchone() == (known[0].count, known[1].count)
    if not exact:  # only principals rows of stored titles and people count (imdb_merge joins them)
        conn.execute(f"DELETE FROM pdw WHERE NOT ({exists.format('pdw')})")
    # Their job goes onto the crew's line for the same person.
    conn.execute(
        "UPDATE credits SET job = p.job FROM pdw p WHERE p.job IS NOT NULL"
        " AND credits.title_id = p.title_id AND credits.category = p.category"
        " AND credits.person_id = p.person_id AND credits.job IS NULL"
    )
    # Those the crew's lists do not name are appended after the list, in billing order.
    conn.execute(
        "INSERT INTO credits (title_id, category, ordering, person_id, job, character)"
        " SELECT p.title_id, p.category, coalesce((SELECT max(c.ordering) FROM"
        "  (SELECT ordering FROM credits c WHERE c.title_id = p.title_id AND c.category = p.category"
        "   UNION ALL SELECT ordering FROM crew_gone g WHERE g.title_id = p.title_id"
        "   AND g.category = p.category) c), 0)"
        "  + row_number() OVER (PARTITION BY p.title_id, p.category ORDER BY p.ordering),"
        " p.person_id, p.job, p.character FROM pdw p"
        " WHERE NOT EXISTS (SELECT 1 FROM credits c WHERE c.title_id = p.title_id"
        "  AND c.category = p.category AND c.person_id = p.person_id)"
    )
    if not exact:
        conn.execute(f"DELETE FROM credits WHERE NOT ({exists.format('credits')})")
    conn.execute("DROP TABLE pdw")
    conn.execute("DROP TABLE crew_gone")
    conn.execute("INSERT INTO imdb_dataset_people (id) SELECT id FROM people")
    for ddl in lane.indexes:
        conn.execute(ddl)
    _build_search(conn, lane, search_rebuild.build_people)
    conn.execute("COMMIT")


def _title_search(lane: Lane) -> None:
    """The title search index, in its own file (the titles lane's file is being read by the other lane)."""
    conn = _connect(lane.search_path)
    _trace(conn, "title-search")
    try:
        _attach(conn, lane.path)
        conn.execute("BEGIN")
        _build_search(conn, lane, search_rebuild.build_titles)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _build_search(
    conn: sqlite3.Connection, lane: Lane, build: Callable[[sqlite3.Connection, set[str]], None]
) -> None:
    """Create the lane's search tables and fill them; the words go to ``lane_words``."""
    for ddl in lane.search_ddl:
        conn.execute(ddl)
    conn.execute("CREATE TABLE lane_words (word TEXT PRIMARY KEY) WITHOUT ROWID")
    search_rebuild.prepare(conn)
    words: set[str] = set()
    build(conn, words)
    conn.executemany("INSERT INTO lane_words VALUES (?)", ((w,) for w in sorted(words)))
