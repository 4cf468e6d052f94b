"""The documented limits on what Marquee reads (README, "Limits").

One place for every bound on input size, nesting and rate, so the README table, the readers that
enforce them and the tests that probe them agree. Readers raise ``InputError`` naming the file,
line or field when a bound is passed; the web app answers 413 or 429. Nothing here does I/O.
"""

from __future__ import annotations

# The bounds of the record's own rules are defined with the records (which import nothing else from
# the package) and listed here with the others: numbers, years, one text field.
from marquee.records import MAX_COUNT, MAX_FIELD_CHARS, MAX_INT, PERSON_YEAR_RANGE, YEAR_RANGE

__all__ = [
    "EDIT_REFILL_SECONDS",
    "MAX_BODY_BYTES",
    "MAX_COUNT",
    "MAX_EDIT_BURST",
    "MAX_FIELD_CHARS",
    "MAX_FILE_BYTES",
    "MAX_HEADER_BYTES",
    "MAX_HEADER_SECONDS",
    "MAX_INT",
    "MAX_LINE_BYTES",
    "MAX_NESTING",
    "MAX_PENDING_CONNECTIONS",
    "MAX_WAITING_WRITERS",
    "MAX_WRITE_WAIT_SECONDS",
    "MAX_ZIP_MEMBERS",
    "MAX_ZIP_MEMBER_BYTES",
    "MAX_ZIP_RATIO",
    "MAX_ZIP_TOTAL_BYTES",
    "PERSON_YEAR_RANGE",
    "YEAR_RANGE",
]

MIB = 1024 * 1024

# A movie page, a JSON-lines file's line, a CSV export: read no more than this.
MAX_FILE_BYTES = 64 * MIB
"""A movie page or a member's CSV export (IMDb's dataset files are streamed and have no size bound)."""
MAX_LINE_BYTES = 16 * MIB
"""One line of JSON lines, TSV or CSV."""
MAX_NESTING = 256
"""Elements nested in HTML, or arrays/objects nested in JSON (JSON-LD, ``__NEXT_DATA__``, JSON lines)."""

# Zip archives (Letterboxd exports, Marquee archives).
MAX_ZIP_MEMBERS = 10_000
MAX_ZIP_MEMBER_BYTES = 256 * MIB
"""One file inside a zip, uncompressed."""
MAX_ZIP_TOTAL_BYTES = 1024 * MIB
"""All files inside a zip, uncompressed."""
MAX_ZIP_RATIO = 200
"""Uncompressed size over compressed size, per member (a zip bomb reaches thousands)."""


# The web server.
MAX_BODY_BYTES = 2 * MIB
"""A request body (forms, JSON); larger ones are answered 413 before they are read."""
MAX_HEADER_SECONDS = 10.0
"""A connection whose request headers have not all arrived by then is closed."""
MAX_HEADER_BYTES = 64 * 1024
"""A request's line and headers together; larger ones are answered 431 (or 400) and the connection closed."""
MAX_PENDING_CONNECTIONS = 512
"""Connections still sending their request headers; past this the one waiting longest is closed."""

# Writes while another writer (an import) holds the store.
MAX_WRITE_WAIT_SECONDS = 5.0
"""How long a member's write waits for the store's write lock before it is answered 503 (Retry-After)."""
MAX_WAITING_WRITERS = 8
"""Writes that may queue for the store in one process; more are answered 503 at once."""

# Members' edits of films and people (issue 17): a burst, then one edit per refill.
MAX_EDIT_BURST = 10
"""Edits a member may make at once (web form or API); then one per ``EDIT_REFILL_SECONDS`` (429 beyond)."""
EDIT_REFILL_SECONDS = 30
"""Seconds for one more edit to be allowed once a member's burst is spent."""
