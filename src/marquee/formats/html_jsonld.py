"""Read a page's JSON-LD blocks to the film they describe.

Lenient in the ways real pages need: the film node at the top, in a list, under ``@graph`` or
``mainEntity``; wrappers and trailing commas around the JSON (``html_jsonld_text``); one broken or
too deeply nested block among good ones (reported, the rest used). The first film node found is read
by ``html_schema``. Pure: no I/O.
"""

from __future__ import annotations

import json

from marquee.formats.html_dom import Element
from marquee.formats.html_facts import Facts
from marquee.formats.html_jsonld_text import load_block
from marquee.formats.html_schema import film_nodes, schema_facts
from marquee.formats.html_schema_values import JsonObj
from marquee.formats.jsontext import too_deep
from marquee.limits import MAX_NESTING

__all__ = ["jsonld_facts"]


def jsonld_facts(scripts: list[Element]) -> Facts | None:
    """Facts from the page's ``application/ld+json`` blocks; None when it has none."""
    if not scripts:
        return None
    facts = Facts("JSON-LD", scripts[0].line)
    films: list[tuple[int, JsonObj]] = []
    for number, script in enumerate(scripts, start=1):
        text = script.raw_text()
        deep = too_deep(text)
        if deep is not None:
            facts.note(
                f"JSON-LD block {number} of {len(scripts)} nests arrays/objects deeper than {MAX_NESTING}; "
                "skipped, the other blocks are used",
                script.line + text.count("\n", 0, deep),
            )
            continue
        try:
            data, repaired = load_block(text)
        except json.JSONDecodeError as err:
            facts.note(
                f"JSON-LD block {number} of {len(scripts)} is not valid JSON ({err.msg} at line "
                f"{err.lineno} column {err.colno}); skipped, the other blocks are used",
                script.line + err.lineno - 1,  # the page's line of the fault
            )
            continue
        if repaired:
            facts.note(
                f"JSON-LD block {number} read after removing comments, CDATA or trailing commas", script.line
            )
        films.extend((script.line, node) for node in film_nodes(data))
    if not films:
        if not facts.notes:
            return None
        return facts
    facts.line, node = films[0]
    if len(films) > 1:
        facts.note(f"{len(films)} film items in JSON-LD; read the first, {len(films) - 1} ignored")
    schema_facts(node, facts)
    return facts
