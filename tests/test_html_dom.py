"""The element tree the page readers walk (formats/html_dom.py): lxml's HTML parser behind the small
``Element`` the readers know. Broken old markup, lines for the diagnostics, hostile nesting."""

from __future__ import annotations

import time

from marquee.formats.html_dom import Element, parse_dom
from marquee.limits import MAX_NESTING


def tags(root: Element) -> list[str]:
    return [e.tag for e in root.iter()]


def first(root: Element, tag: str) -> Element:
    return next(e for e in root.iter() if e.tag == tag)


def test_optional_end_tags_are_implied_as_browsers_do() -> None:
    root = parse_dom("<ul><li>one<li>two</ul><p>first<p>second<table><tr><td>a<td>b<tr><td>c</table>")
    assert [li.text() for li in root.iter() if li.tag == "li"] == ["one", "two"]
    assert [p.text() for p in root.iter() if p.tag == "p"] == ["first", "second"]
    rows = [row for row in root.iter() if row.tag == "tr"]
    assert [[cell.text() for cell in row.iter() if cell.tag == "td"] for row in rows] == [["a", "b"], ["c"]]


def test_stray_end_tags_close_nothing_and_keep_the_text() -> None:
    root = parse_dom("<div><b>Director:</b></span></i> Ridley Scott</div><div>next</div>")
    divs = [e for e in root.iter() if e.tag == "div"]
    assert [d.text() for d in divs] == ["Director: Ridley Scott", "next"]


def test_each_element_keeps_its_line() -> None:
    root = parse_dom('<html>\n<head>\n<title>T</title>\n</head>\n<body>\n<h1 class="x">Heading</h1>\n</body>')
    assert first(root, "title").line == 3
    assert first(root, "h1").line == 6
    assert first(root, "h1").classes() == {"x"}


def test_comments_ie_conditionals_and_controls_are_not_text() -> None:
    root = parse_dom("<p>a<!-- hidden -->b<![if IE]>c<![endif]>\x00d\x85</p>")
    assert first(root, "p").text() == "abcd"


def test_scripts_keep_their_raw_text_and_are_not_visible_text() -> None:
    root = parse_dom('<div>shown<script type="application/ld+json">{"a": "<b>&amp;</b>"}</script></div>')
    script = first(root, "script")
    assert script.raw_text() == '{"a": "<b>&amp;</b>"}'
    assert first(root, "div").text() == "shown"


def test_entities_are_decoded_once() -> None:
    assert first(parse_dom("<p>Tom &amp; Jerry &#233; &eacute;</p>"), "p").text() == "Tom & Jerry é é"


def test_a_meta_content_with_unescaped_quotes_is_read_whole() -> None:
    page = '<meta property="og:description" content="He said "no" twice" />\n<meta name="x" content="y">'
    metas = [e.attrs for e in parse_dom(page).iter() if e.tag == "meta"]
    said = 'He said "no" twice'
    assert metas == [{"property": "og:description", "content": said}, {"name": "x", "content": "y"}]


def test_svg_icons_are_cut_and_lines_stay_true() -> None:
    root = parse_dom("<svg>\n<path d='M0'/>\n</svg>\n<h1>T</h1>")
    assert "svg" not in tags(root) and "path" not in tags(root)
    assert first(root, "h1").line == 4


def test_empty_and_garbage_documents_give_a_tree() -> None:
    assert parse_dom("").children == []
    assert parse_dom("   \n").children == []
    assert parse_dom("just text, no markup").text() == "just text, no markup"
    assert parse_dom("<<<>>>&&&").text() == "<<<>>>&&&"


def test_nesting_deeper_than_the_limit_is_flattened_in_linear_time_with_every_text_kept() -> None:
    depth = 100_000
    html = "<div>" * depth + "deep" + "</div>" * depth + "\n<p>after</p>"
    started = time.process_time()
    root = parse_dom(html)
    assert time.process_time() - started < 10  # Lexbor took 52 s here; lxml stops at 2048 levels
    assert root.flattened == 1
    assert "deep" in root.text() and "after" in root.text()
    deepest = 0
    for element in root.iter():  # iterative: no recursion on the way
        level, node = 0, element
        while node.parent is not None:
            level, node = level + 1, node.parent
        deepest = max(deepest, level)
    assert deepest <= MAX_NESTING + 2
    assert first(root, "p").text() == "after"


def test_a_page_within_the_limit_is_not_flattened() -> None:
    root = parse_dom("<div>" * 200 + "x" + "</div>" * 200)
    assert root.flattened is None
    assert sum(1 for e in root.iter() if e.tag == "div") == 200


def test_a_start_tag_with_100000_attributes_is_read_in_linear_time() -> None:
    """libxml2 compares each attribute with every one before it: past 1,000 they are cut first."""
    page = "<div\n" + "\n".join(f'a{i}="{i}"' for i in range(100_000)) + ">inside</div>\n<p>after</p>"
    started = time.process_time()
    root = parse_dom(page)
    assert time.process_time() - started < 5
    div = first(root, "div")
    assert len(div.attrs) == 1000 and div.attrs["a999"] == "999" and div.text() == "inside"
    assert first(root, "p").text() == "after"


def test_a_long_attribute_value_is_kept_whole() -> None:
    value = "v" * 100_000
    div = first(parse_dom(f'<div title="{value}" id="x">t</div>'), "div")
    assert div.attrs == {"title": value, "id": "x"}


def test_attribute_names_lxml_would_read_as_namespaces_are_kept_as_written() -> None:
    assert first(parse_dom('<a {}=1 {x}y="2" href="/t">t</a>'), "a").attrs == {
        "{}": "1",
        "{x}y": "2",
        "href": "/t",
    }
