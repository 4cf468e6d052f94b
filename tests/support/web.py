"""Read a served page like a person (sections, links, scripts) and check its JSON-LD against schema.org.

Tested in tests/test_web_support.py, so a broken helper cannot make other tests pass vacuously.
"""

from __future__ import annotations

import functools
import json
import re
import ssl
import warnings
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx

from marquee.records import CastMember, Film, PersonRef, Rating, ReleaseDate, Runtime

with warnings.catch_warnings():
    # starlette.testclient warns at import that it prefers httpx2; the client works as documented.
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = [
    "Page",
    "TestClient",
    "asgi_scope",
    "jsonld_blocks",
    "local_client",
    "mask_film",
    "read_page",
    "schema_org_errors",
    "site_on",
    "small_catalogue",
]

DATA = Path(__file__).parents[1] / "data"
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


def asgi_scope(
    method: str, path: str, headers: list[tuple[bytes, bytes]], client: tuple[str, int]
) -> dict[str, Any]:
    """The ASGI scope of an HTTP request to ``path`` on ``testserver``, for calling an app directly."""
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": client,
        "server": ("testserver", 80),
        "state": {},
    }


@functools.cache
def _tls() -> ssl.SSLContext:
    return ssl.create_default_context()


def local_client(**options: Any) -> httpx.Client:
    """An httpx client for a server a test runs on 127.0.0.1 (``options``: httpx's). Every such client
    shares one TLS context: httpx loads the system's certificates for each new client (~20 ms of
    CPU), and these only speak plain HTTP."""
    return httpx.Client(verify=_tls(), **options)


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


def site_on(url: str, films: list[Film], **settings: Any) -> TestClient:
    """A test client for the site on the store at ``url``, holding ``films`` (``settings``: the app's)."""
    from marquee.settings import Settings
    from marquee.storage import open_store
    from marquee.web.app import create_app

    store = open_store(url)
    try:
        store.save_films(films)
    finally:
        store.close()
    return TestClient(create_app(Settings(database_url=url, **settings)))


def small_catalogue() -> list[Film]:
    """The reference film and four others, with votes enough for every chart."""
    return [
        mask_film(),
        Film(
            id="tt0000101",
            title="Harbour Lights",
            year=1994,
            genres=["Drama", "Romance"],
            rating=Rating(value=8.1, votes=40_000),
            directors=[PersonRef(name="Ada Lane")],
            cast=[CastMember(name="Cher", character="Marie"), CastMember(name="Tom Reed", character="Jack")],
            runtimes=[Runtime(minutes=104)],
            release_dates=[ReleaseDate(date="1994-05", country="France")],
        ),
        Film(
            id="tt0000102",
            title="Night Train",
            year=1987,
            genres=["Thriller"],
            rating=Rating(value=6.2, votes=90_000),
            cast=[CastMember(name="Tom Reed", character="The Conductor")],
        ),
        Film(
            id="tt0000103",
            title="Quiet Fields",
            year=2003,
            genres=["Drama"],
            rating=Rating(value=7.7, votes=3_000),
        ),
        Film(id="tt0000104", title="Unrated Thing", year=1950, genres=["Comedy"]),
    ]


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
