"""Kodi/Jellyfin movie.nfo: well-formed XML that holds the film's facts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from marquee.formats.nfo import NFO_DECLARATION, film_nfo, nfo_filename
from marquee.records import CastMember, Film, PersonRef, Rating, ReleaseDate, Runtime


def _film() -> Film:
    film = Film(
        id="tt0089560",
        title="Mask",
        original_title="Mask <1985> & more",
        year=1985,
        plot="Rusty Dennis is the mother of Rocky.",
        outline="A boy with a facial deformity.",
        taglines=["Sometimes the most unlikely people become heroes.", "A second tagline"],
        runtimes=[Runtime(minutes=None, note="cut"), Runtime(minutes=120, country="USA")],
        genres=["Biography", "Drama"],
        directors=[PersonRef(name="Peter Bogdanovich", id="nm0000953")],
        writers=[PersonRef(name="Anna Hamilton Phelan")],
        rating=Rating(value=7.2, votes=30561),
        release_dates=[ReleaseDate(date="1985"), ReleaseDate(date="1985-03-08", country="USA")],
        cast=[
            CastMember(name="Cher", character="Florence 'Rusty' Dennis"),
            CastMember(name="Eric Stoltz", character="Roy L. 'Rocky' Dennis"),
            CastMember(name="Sam Elliott"),
        ],
    )
    # The records refuse control characters now; NFO still drops any a record somehow carries.
    return film.model_copy(update={"plot": "Rusty Dennis is the mother of Rocky.\x01"})


def test_nfo_parses_and_holds_the_facts() -> None:
    text = film_nfo(_film())
    assert text.startswith(NFO_DECLARATION + "\n<movie>")
    movie = ET.fromstring(text.encode("utf-8"))
    assert movie.tag == "movie"
    assert movie.findtext("title") == "Mask"
    assert movie.findtext("originaltitle") == "Mask <1985> & more"  # escaped, and back
    assert movie.findtext("year") == "1985"
    assert movie.findtext("plot") == "Rusty Dennis is the mother of Rocky."  # the control character dropped
    assert movie.findtext("outline") == "A boy with a facial deformity."
    assert movie.findtext("tagline") == "Sometimes the most unlikely people become heroes."
    assert movie.findtext("runtime") == "120"  # the first runtime that has minutes
    assert movie.findtext("premiered") == "1985-03-08"
    assert [g.text for g in movie.findall("genre")] == ["Biography", "Drama"]
    assert [d.text for d in movie.findall("director")] == ["Peter Bogdanovich"]
    assert [c.text for c in movie.findall("credits")] == ["Anna Hamilton Phelan"]
    uid = movie.find("uniqueid")
    assert (
        uid is not None
        and uid.text == "tt0089560"
        and uid.get("type") == "imdb"
        and uid.get("default") == "true"
    )
    rating = movie.find("ratings/rating")
    assert rating is not None and rating.get("name") == "imdb" and rating.get("max") == "10"
    assert rating.findtext("value") == "7.2" and rating.findtext("votes") == "30561"
    actors = [(a.findtext("name"), a.findtext("role"), a.findtext("order")) for a in movie.findall("actor")]
    assert actors == [
        ("Cher", "Florence 'Rusty' Dennis", "0"),
        ("Eric Stoltz", "Roy L. 'Rocky' Dennis", "1"),
        ("Sam Elliott", None, "2"),
    ]


def test_nfo_of_a_bare_film_without_imdb_id() -> None:
    movie = ET.fromstring(film_nfo(Film(id="christine-1983", title="Christine")))
    assert movie.findtext("title") == "Christine" and movie.findtext("originaltitle") == "Christine"
    for absent in ("year", "plot", "ratings", "actor", "runtime", "tagline"):
        assert movie.find(absent) is None
    unique = movie.find("uniqueid")  # Marquee's own id, so that reading the file back finds the film
    assert unique is not None and unique.get("type") == "marquee" and unique.text == "christine-1983"


def test_nfo_folder_names_are_safe() -> None:
    assert nfo_filename(_film()) == "Mask (1985) [tt0089560]"
    assert nfo_filename(Film(id="x-1", title='AC/DC: "Live" ?')) == "AC DC Live [x-1]"
