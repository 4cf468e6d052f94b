"""Helpers for the web tests: read a served page like a person (sections, links, scripts), check JSON-LD.

The helpers are tested here too, so a broken helper cannot make other tests pass vacuously.
"""

from __future__ import annotations

import json
import re
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from marquee.records import Film

with warnings.catch_warnings():
    # starlette.testclient warns at import that it prefers httpx2; the client works as documented.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = ["Page", "TestClient", "jsonld_blocks", "mask_film", "read_page", "schema_org_errors"]

DATA = Path(__file__).parent / "data"
MASK_PAGE = DATA / "pages" / "mask-1985.txt"
VOCABULARY = json.loads((DATA / "web" / "schema_org_vocabulary.json").read_text(encoding="utf-8"))
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Page:
    """What a reader (or a screen reader) finds in an HTML page."""

    lang: str | None = None
    title: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # element id -> its text
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    scripts: list[tuple[str | None, str]] = field(default_factory=list)  # (type, body)
    tags: list[str] = field(default_factory=list)
    assets: list[str] = field(default_factory=list)  # src/href of scripts, styles, images
    images_without_alt: int = 0
    unlabelled_inputs: list[str] = field(default_factory=list)
    text: str = ""

    def section(self, element_id: str) -> str:
        """The text of the element with this id (KeyError names what the page has instead)."""
        if element_id not in self.sections:
            raise KeyError(f"no #{element_id}; the page has {sorted(self.sections)}")
        return self.sections[element_id]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.open: list[tuple[str, str | None, list[str]]] = []  # (tag, id, text parts)
        self.link: tuple[str, list[str]] | None = None
        self.script: tuple[str | None, list[str]] | None = None
        self.in_title = False
        self.in_style = False
        self.labels: set[str] = set()
        self.inputs: list[tuple[str | None, str | None, str | None]] = []
        self.label_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.page.tags.append(tag)
        if tag == "html":
            self.page.lang = a.get("lang")
        if tag == "title":
            self.in_title = True
        if tag == "style":
            self.in_style = True
        if tag == "a" and a.get("href") is not None:
            self.link = (str(a["href"]), [])
        if tag == "script":
            self.script = (a.get("type"), [])
            if a.get("src"):
                self.page.assets.append(str(a["src"]))
        if tag == "link" and a.get("rel") == "stylesheet":
            self.page.assets.append(str(a.get("href")))
        if tag == "img":
            self.page.assets.append(str(a.get("src")))
            if a.get("alt") is None:
                self.page.images_without_alt += 1
        if tag == "label":
            self.label_depth += 1
            if a.get("for"):
                self.labels.add(str(a["for"]))
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            wrapped = "wrapped" if self.label_depth else None
            self.inputs.append((a.get("id"), a.get("aria-label") or wrapped, a.get("name")))
        if tag not in VOID:
            self.open.append((tag, a.get("id"), []))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if tag == "style":
            self.in_style = False
        if tag == "label":
            self.label_depth -= 1
        if tag == "a" and self.link is not None:
            href, parts = self.link
            self.page.links.append((href, " ".join("".join(parts).split())))
            self.link = None
        if tag == "script" and self.script is not None:
            self.page.scripts.append((self.script[0], "".join(self.script[1])))
            self.script = None
        while self.open:
            open_tag, element_id, parts = self.open.pop()
            text = " ".join("".join(parts).split())
            if element_id:
                self.page.sections[element_id] = text
            if self.open:
                self.open[-1][2].append(" " + "".join(parts) + " ")
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_style:
            return
        if self.script is not None:
            self.script[1].append(data)
            return
        if self.in_title:
            self.page.title += data
        if self.link is not None:
            self.link[1].append(data)
        if self.open:
            self.open[-1][2].append(data)
        self.page.text += data


def read_page(html: str) -> Page:
    """Parse a served page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    page = reader.page
    page.text = " ".join(page.text.split())
    page.unlabelled_inputs = [
        str(name or element_id)
        for element_id, aria, name in reader.inputs
        if not aria and (element_id is None or element_id not in reader.labels)
    ]
    return page


def jsonld_blocks(page: Page) -> list[Any]:
    """Every ``application/ld+json`` block, parsed."""
    return [json.loads(body) for kind, body in page.scripts if kind == "application/ld+json"]


def mask_film() -> Film:
    """The reference film, as the demo ships it."""
    from marquee.services.demo import reference_film

    return reference_film()


# --- the schema.org vocabulary check ------------------------------------------------------------

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
_URL = re.compile(r"^(https?://|/)\S*$")


def _ancestry(type_name: str) -> list[str]:
    names: list[str] = []
    current: str | None = type_name
    while current:
        names.append(current)
        current = VOCABULARY["types"][current]["parent"]
    return names


def _properties(type_name: str) -> dict[str, list[str]]:
    props: dict[str, list[str]] = {}
    for name in _ancestry(type_name):
        props.update(VOCABULARY["types"][name]["properties"])
    return props


def _is_subtype(type_name: str, wanted: str) -> bool:
    return type_name in VOCABULARY["types"] and wanted in _ancestry(type_name)


def _value_fits(value: Any, ranges: list[str]) -> bool:
    for kind in ranges:
        if isinstance(value, dict):
            if _is_subtype(str(value.get("@type")), kind):
                return True
            continue
        if kind == "Text" and isinstance(value, str) and value:
            return True
        if kind == "URL" and isinstance(value, str) and _URL.match(value):
            return True
        if kind == "Date" and isinstance(value, str) and _DATE.match(value):
            return True
        if kind == "DateTime" and isinstance(value, str) and _DATETIME.match(value):
            return True
        if kind == "Duration" and isinstance(value, str) and _DURATION.match(value):
            return True
        if kind == "Number" and isinstance(value, int | float) and not isinstance(value, bool):
            return True
        if kind == "Integer" and isinstance(value, int) and not isinstance(value, bool):
            return True
    return False


def schema_org_errors(node: Any, path: str = "$") -> list[str]:
    """Every way ``node`` breaks the committed schema.org vocabulary (empty list: valid)."""
    if not isinstance(node, dict):
        return [f"{path}: not an object"]
    type_name = node.get("@type")
    if type_name not in VOCABULARY["types"]:
        return [f"{path}: unknown @type {type_name!r}"]
    errors: list[str] = []
    props = _properties(type_name)
    for key, value in node.items():
        if key.startswith("@"):
            if key not in ("@type", "@context", "@id"):
                errors.append(f"{path}.{key}: unknown JSON-LD keyword")
            continue
        if key not in props:
            errors.append(f"{path}.{key}: not a property of {type_name}")
            continue
        values = value if isinstance(value, list) else [value]
        if not values:
            errors.append(f"{path}.{key}: empty list")
        for index, item in enumerate(values):
            where = f"{path}.{key}[{index}]" if isinstance(value, list) else f"{path}.{key}"
            if not _value_fits(item, props[key]):
                errors.append(f"{where}: {item!r} is not one of {props[key]}")
            elif isinstance(item, dict):
                errors.extend(schema_org_errors(item, where))
    return errors


# --- tests of the helpers -----------------------------------------------------------------------


def test_read_page_finds_sections_links_and_scripts() -> None:
    html = (
        '<html lang="en"><head><title>T</title><script type="application/ld+json">{"a": "</b>"}</script>'
        '</head><body><section id="s"><h2>Cast</h2><a href="/person/x">X <b>Y</b></a></section>'
        '<input id="q" name="q"><label for="q">Q</label><input name="bare"><img src="/i.png"></body></html>'
    )
    page = read_page(html)
    assert page.lang == "en"
    assert page.title == "T"
    assert page.section("s") == "Cast X Y"
    assert page.links == [("/person/x", "X Y")]
    assert jsonld_blocks(page) == [{"a": "</b>"}]
    assert page.unlabelled_inputs == ["bare"]
    assert page.images_without_alt == 1


def test_schema_org_check_accepts_a_valid_movie_and_names_each_fault() -> None:
    good = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": "Mask",
        "duration": "PT1H40M",
        "datePublished": "1985-03-08",
        "director": [{"@type": "Person", "name": "Peter Bogdanovich", "url": "/person/pb"}],
        "aggregateRating": {"@type": "AggregateRating", "ratingValue": 7.0, "ratingCount": 12168},
    }
    assert schema_org_errors(good) == []
    bad = {
        **good,
        "runtime": 100,
        "duration": "100 min",
        "director": [{"@type": "Person", "nickname": "PB"}],
        "aggregateRating": {"@type": "AggregateRating", "ratingCount": "many"},
    }
    errors = schema_org_errors(bad)
    assert "$.runtime: not a property of Movie" in errors
    assert any(e.startswith("$.duration:") for e in errors)
    assert "$.director[0].nickname: not a property of Person" in errors
    assert any(e.startswith("$.aggregateRating.ratingCount:") for e in errors)
