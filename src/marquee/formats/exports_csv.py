"""Members' exports from IMDb and Letterboxd, read; and Letterboxd's import CSV, written. Pure: no I/O.

IMDb's ratings and watchlist CSVs changed their headers over the years (``Your Rating`` /
``You rated``, an ``Original Title`` column since 2023, ``Title Type`` values ``movie`` or
``Movie``…), so columns are found by name, compared folded (``"Num. Votes"`` == ``"num votes"``).
Older IMDb files are Latin-1 and some start with a byte-order mark: ``decode_export`` handles both.

Letterboxd's CSVs carry no IMDb id: a film is its ``Name`` and ``Year``. Stars (0.5–5 in halves)
become Marquee's 1–10 by doubling. A list file is two CSV tables (the list, then its items)
under a ``Letterboxd list export vN`` line.

Bad rows raise ``InputError`` naming ``file:line: field``. The parts: ``export_cells`` (decoding, cells),
``exports_imdb`` and ``exports_letterboxd``; this module is their one public face.
"""

from __future__ import annotations

from marquee.formats.export_cells import (
    decode_export,
    fold_header,
    neutralise_cell,
    unneutralise_cell,
)
from marquee.formats.exports_imdb import ImdbExport, ImdbRow, read_imdb_csv
from marquee.formats.exports_letterboxd import (
    LETTERBOXD_IMPORT_HEADER,
    LIST_MARKER,
    LetterboxdList,
    LetterboxdOut,
    LetterboxdRow,
    is_marquee_letterboxd_csv,
    read_letterboxd_csv,
    read_letterboxd_likes,
    read_letterboxd_list,
    stars_to_ten,
    ten_to_stars,
    write_letterboxd_csv,
)

__all__ = [
    "LETTERBOXD_IMPORT_HEADER",
    "LIST_MARKER",
    "ImdbExport",
    "ImdbRow",
    "LetterboxdList",
    "LetterboxdOut",
    "LetterboxdRow",
    "decode_export",
    "fold_header",
    "is_marquee_letterboxd_csv",
    "neutralise_cell",
    "read_imdb_csv",
    "read_letterboxd_csv",
    "read_letterboxd_likes",
    "read_letterboxd_list",
    "stars_to_ten",
    "ten_to_stars",
    "unneutralise_cell",
    "write_letterboxd_csv",
]
