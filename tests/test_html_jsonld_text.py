"""JSON-LD blocks as sites write them (formats/html_jsonld_text.py): repeated keys kept, wrappers removed."""

from __future__ import annotations

import json

import pytest

from marquee.formats.html_jsonld_text import load_block


def test_a_key_written_twice_keeps_both_values_in_order() -> None:
    text = '{"@type": "Movie", "actor": {"name": "A"}, "actor": {"name": "B"}, "actor": [{"name": "C"}]}'
    value, repaired = load_block(text)
    assert value["actor"] == [{"name": "A"}, {"name": "B"}, {"name": "C"}]
    assert repaired is False


def test_a_key_written_once_is_left_as_it_is() -> None:
    value, _ = load_block('{"actor": {"name": "A"}, "genre": ["Drama"]}')
    assert value == {"actor": {"name": "A"}, "genre": ["Drama"]}


def test_wrappers_and_trailing_commas_are_removed_and_said() -> None:
    value, repaired = load_block('/* <![CDATA[ */ {"name": "Film", "genre": ["Drama",],} /* ]]> */')
    assert value == {"name": "Film", "genre": ["Drama"]}
    assert repaired is True


def test_a_block_no_repair_reads_raises_the_first_error() -> None:
    with pytest.raises(json.JSONDecodeError) as err:
        load_block('{"name": "Film" "year": 1999}')
    assert err.value.lineno == 1
