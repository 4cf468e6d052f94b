"""IMDb rows that test the staging paths: the fast paths (SQLite, PostgreSQL) against the precise one."""

from __future__ import annotations

import gzip
from pathlib import Path

from marquee.formats.imdb_tsv import HEADERS

__all__ = ["ACCEPTED", "FATAL", "GOOD", "LEFT_TO_THE_PRECISE_PATH", "REAL", "write"]

DATA = Path(__file__).resolve().parents[1] / "data" / "imdb"
REAL = [DATA / "pimdb-test-fixtures", DATA / "othonas-head-samples"]


def write(tmp: Path, dataset: str, rows: list[str], *, gz: bool = False, header: str | None = None) -> Path:
    body = "\t".join(HEADERS[dataset]) if header is None else header
    data = ("\n".join([body, *rows]) + "\n").encode()
    if gz:
        path = tmp / f"{dataset}.tsv.gz"
        path.write_bytes(gzip.compress(data))
    else:
        path = tmp / f"{dataset}.tsv"
        path.write_bytes(data)
    return path


# Unusual but valid rows the fast path maps itself (each file also gets plain rows around them).
ACCEPTED = {
    "title.basics": [
        "tt0000001\tshort\tCarmencita\tCarmencita\t0\t1894\t\\N\t1\tDocumentary,Short",
        'tt0000002\t\\N\t"Quoted" \\ title\t\\N\t1\t\\N\t2001\t\\N\t',
        "tt10000003\tmovie\tA\tB\t0\t1870\t2200\t120\t\\N",
        "tt0000004\tmovie\tTab-free \u00e9t\u00e9 \U0001f600\t\\N\t0\t2020\t\\N\t95\tDrama\r",
    ],
    "title.akas": [
        "tt0000001\t1\tCarmencita\tUS\ten\timdbDisplay\x02working\tliteral title\x02new\t0",
        "tt0000001\t2\t\\N Not null\t\\N\t\\N\t\t\t1",
        "tt0000001\t10\tTitle\tDE\t\\N\t\\N\t\\N\t\\N",
    ],
    "title.crew": [
        "tt0000001\tnm0000001\tnm0000002,nm10000003,nm0000022",
        "tt0000002\t\\N\t",
        "tt0000003\tnm0000100\tnm123",
        "tt0000004\tnm12345678,nm0000009\tnm00000001",
        # Repeats: the precise path keeps the first of each, so does the fix after the load.
        "tt0000005\tnm0000001,nm0000002,nm0000001\tnm1,nm1",
        "tt0000006\tnm3,nm1,nm03,nm2,nm1\t\\N",
    ],
    "title.episode": ["tt0000005\ttt0000001\t1\t2", "tt0000006\ttt0000001\t\\N\t\\N"],
    "title.principals": [
        'tt0000001\t1\tnm0000001\tself\t\\N\t["Herself"]',
        'tt0000001\t2\tnm0000002\tactor\tjob "x"\t["A","B"]',
        'tt0000001\t3\tnm0000003\tactor\t\\N\t["A", "B", ""]',
        'tt0000001\t4\tnm0000004\tactor\t\\N\t["Rusty \\"Renee\\" D\'Este"]',
        'tt0000001\t5\tnm0000005\tactor\t\\N\t["C:\\\\Films\\\\", "AC\\\\DC"]',
        'tt0000001\t6\tnm0000006\tactor\t\\N\t[""]',
        "tt0000001\t7\tnm0000007\tactor\t\\N\t[]",
        'tt0000001\t8\tnm0000008\tactor\t\\N\t[ "spaced" , "list" ]',
        'tt0000001\t9\tnm0000009\tactor\t\\N\t["[brackets]"]',
        'tt0000001\t10\tnm0000010\tactor\t\\N\t["\\\\"]',
    ],
    "title.ratings": ["tt0000001\t5.7\t2093", "tt0000002\t10.0\t\\N", "tt0000003\t0.0\t0"],
    "name.basics": [
        "nm0000001\tFred Astaire\t1899\t1987\tactor,miscellaneous\ttt0050419,tt0072308",
        "nm0000002\t\\N N\t\\N\t\\N\t\t\\N",
    ],
}


# One plain row, then the bad one: the fast path gives up, and the message is the precise path's.
GOOD = "tt0000001\t5.7\t2093"
FATAL = {
    "wrong column count": ("title.ratings", [GOOD, "tt0000002\t5.7"]),
    "too many columns": ("title.basics", ["tt0000001\tmovie\tA\t\\N\t0\t\\N\t\\N\t\\N\t\\N\tx"]),
    "empty line": ("title.ratings", [GOOD, ""]),
    "bad id": ("title.ratings", [GOOD, "xx0000002\t5.7\t1"]),
    "id out of range": ("title.ratings", [GOOD, "tt9999999999\t5.7\t1"]),
    "non-integer": ("title.ratings", [GOOD, "tt0000002\t5.7\tmany"]),
    "rating out of range": ("title.ratings", [GOOD, "tt0000002\t11.5\t3"]),
    "duplicate key": ("title.ratings", [GOOD, "tt0000002\t5.7\t1", "tt0000001\t1.0\t1"]),
    "duplicate pair": (
        "title.principals",
        ["tt0000001\t1\tnm0000001\tactor\t\\N\t\\N", "tt0000001\t1\tnm0000002\tactor\t\\N\t\\N"],
    ),
    "flag not 0/1": ("title.basics", ["tt0000001\tmovie\tA\t\\N\t2\t\\N\t\\N\t\\N\t\\N"]),
    "empty required": ("name.basics", ["nm0000001\t\\N\t\\N\t\\N\t\\N\t\\N"]),
    "missing ordering": ("title.akas", ["tt0000001\t\\N\tA\t\\N\t\\N\t\\N\t\\N\t0"]),
    "JSON not a list": ("title.principals", ['tt0000001\t1\tnm0000001\tactor\t\\N\t{"a": 1}']),
    "JSON not strings": ("title.principals", ["tt0000001\t1\tnm0000001\tactor\t\\N\t[1, 2]"]),
    "JSON broken": ("title.principals", ['tt0000001\t1\tnm0000001\tactor\t\\N\t["a"b"]']),
    "bad id in a list": ("title.crew", ["tt0000001\tnm0000001,xx2\t\\N"]),
    # int() would read it as 1999; the mappers take ASCII digits only.
    "extra column in ratings": ("title.ratings", ["tt0000001\t7.0\t10\textra"]),
    "signed year": ("title.basics", ["tt0000001\tmovie\tA\t\\N\t0\t+1999\t\\N\t\\N\t\\N"]),
    "bad header": ("title.ratings", [GOOD]),
}


# Rows the precise path stages after all, in its own way: the fast path leaves them to it.
LEFT_TO_THE_PRECISE_PATH = {
    "id padded beyond seven zeros": ("title.crew", ["tt0000001\tnm000000001\t\\N"]),
    "all-zero id": ("title.crew", ["tt0000001\tnm0000001\tnm0000002,nm0000000"]),
    "empty kind": ("title.basics", ["tt0000001\t\tA\t\\N\t0\t\\N\t\\N\t\\N\t\\N"]),
    "0x02 in genres": ("title.basics", ["tt0000001\tmovie\tA\t\\N\t0\t\\N\t\\N\t\\N\tDrama\x02Short"]),
    "control character in one name": ("title.principals", ['tt0000001\t1\tnm0000001\tactor\t\\N\t["A\x01"]']),
    "rating without a decimal": ("title.ratings", ["tt0000001\t7\t10"]),
}
