"""Known vocabularies the text page parser leans on instead of one page's wording.

Title kinds, genres and ``vocab_key`` are in ``vocab_kinds``, countries and languages in ``vocab_places``;
this module is their one public face.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from marquee.formats.vocab_kinds import IMDB_GENRES, IMDB_KINDS, genre_name, kind_name, vocab_key
from marquee.formats.vocab_places import country_name, is_country, language_name

__all__ = [
    "BOX_OFFICE_KINDS",
    "CURRENCY_BY_SYMBOL",
    "GOOF_CATEGORIES",
    "IMDB_GENRES",
    "IMDB_KINDS",
    "MONTHS",
    "NAME_PARTICLES",
    "NOT_COUNTRIES",
    "SECTION_LABELS",
    "SYMBOL_BY_CURRENCY",
    "country_name",
    "genre_name",
    "goof_category",
    "is_country",
    "kind_name",
    "language_name",
    "section_label",
    "speaker_forms",
    "speaker_vocabulary",
    "vocab_key",
]

# IMDb's goof categories, spelled as IMDb spells them.
GOOF_CATEGORIES: tuple[str, ...] = (
    "Anachronisms",
    "Audio/visual unsynchronized",
    "Boom mic visible",
    "Character error",
    "Continuity",
    "Crew or equipment visible",
    "Errors in geography",
    "Factual errors",
    "Incorrectly regarded as goofs",
    "Miscellaneous",
    "Plot holes",
    "Revealing mistakes",
)
_GOOF_BY_FOLD = {c.casefold(): c for c in GOOF_CATEGORIES}

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip

# Box office labels on the page -> BoxOffice.kind.
BOX_OFFICE_KINDS: dict[str, str] = {
    "Budget": "budget",
    "Opening Weekend": "opening weekend",
    "Gross": "gross",
    "Cumulative Worldwide Gross": "cumulative worldwide gross",
}

CURRENCY_BY_SYMBOL: dict[str, str] = {"$": "USD", "€": "EUR", "£": "GBP"}
SYMBOL_BY_CURRENCY: dict[str, str] = {v: k for k, v in CURRENCY_BY_SYMBOL.items()}

# Parenthesised notes after an amount that are not countries, e.g. "$15,000,000 (estimated)".
NOT_COUNTRIES: frozenset[str] = frozenset({"estimated"})

# Lower-case words that belong inside names: Ludwig van Beethoven, Oscar de la Hoya.
NAME_PARTICLES: frozenset[str] = frozenset((
    "al", "bin", "da", "das", "de", "del", "della", "den", "der", "di", "do", "dos", "du", "e", "el",
    "ibn", "la", "le", "van", "von", "y", "zu", "ter",
))  # fmt: skip

# A nickname in quotes inside a name: Roy L.'Rocky' Dennis, Florence "Rusty" Dennis.
_NICKNAME = re.compile(r"""(?:^|(?<=[\s.]))['"‘“]([^'"‘’“”]+)['"’”](?=\s|$)""")
_SPACES = re.compile(r"\s+")


def goof_category(label: str) -> str | None:
    """IMDb's spelling of a goof category, or None when ``label`` is not one."""
    return _GOOF_BY_FOLD.get(label.casefold())


def speaker_forms(name: str) -> set[str]:
    """The ways a quote may name a character: 'Roy L.'Rocky' Dennis' -> also 'Rocky Dennis', 'Rocky'."""
    forms = {name}
    quoted = "'" in name or '"' in name or "‘" in name or "“" in name  # cheap test before the regex
    match = _NICKNAME.search(name) if quoted else None
    if match:
        nick = match.group(1).strip()
        rest = _SPACES.sub(" ", name[: match.start()] + " " + name[match.end() :]).strip()
        forms.add(nick)
        if rest:
            forms.add(rest)
            forms.add(f"{nick} {rest.split(' ')[-1]}")
    words = name.split(" ")
    # A first name alone ("Diana" for Diana Adams) is how quotes often name a character.
    if len(words) > 1 and words[0].isalpha() and len(words[0]) >= 3:
        forms.add(words[0])
    return {f for f in forms if f}


def speaker_vocabulary(names: Iterable[str | None]) -> frozenset[str]:
    """Case-folded speaker forms of the cast's names and characters (characters split on ' / ')."""
    out: set[str] = set()
    for name in names:
        if not name:
            continue
        for part in name.split(" / "):
            out.update(f.casefold() for f in speaker_forms(part.strip()))
    return frozenset(out)


# ---- section labels of IMDb's pages in English and its localized sites -------------------------------
# Folded label (``vocab_key``) -> the canonical English label the HTML text reader knows.
SECTION_LABELS: dict[str, tuple[str, ...]] = {
    "director": ("regie", "regisseur", "realisation", "realisateur", "realisatrice", "realise par",
                 "direccion", "director", "dirigida por", "regia", "regista", "rendezo", "rendező",
                 "direcao", "diretor", "direção", "directed by"),
    "directors": ("regisseure", "realisateurs", "directores", "registi", "rendezok", "diretores"),
    "writer": ("drehbuch", "drehbuchautor", "scenario", "scenariste", "guion", "guionista",
               "sceneggiatura", "sceneggiatore", "forgatokonyviro", "forgatokonyv", "roteiro", "roteirista",
               "written by", "writing credits"),
    "writers": ("drehbuchautoren", "scenaristes", "guionistas", "sceneggiatori", "irok", "roteiristas",
                "writers wga", "writer wga"),
    "stars": ("hauptbesetzung", "stars", "vedettes", "tetes d affiche", "estrellas", "reparto principal",
              "star", "interpreti principali", "sztarok", "szereplok", "estrelas", "artistas"),
    "genres": ("genre", "genres", "generos", "genero", "generi", "genere", "mufajok", "mufaj",
               "gêneros", "gênero"),
    "release date": ("erscheinungsdatum", "veroffentlichungsdatum", "kinostart", "date de sortie",
                     "fecha de lanzamiento", "fecha de estreno", "data di uscita", "megjelenes datuma",
                     "megjelenesi datum", "data de lancamento", "data de estreia", "theatrical release",
                     "in theaters"),
    "country": ("herkunftsland", "produktionsland", "pays d origine", "pays", "pais de origen", "pais",
                "paese di origine", "paese", "szarmazasi orszag", "orszag", "pais de origem"),
    "countries": ("herkunftslander", "produktionslander", "countries of origin", "country of origin",
                  "paises de origen", "paesi di origine", "szarmazasi orszagok", "paises de origem"),
    "language": ("sprache", "langue", "idioma", "lingua", "nyelv", "original language"),
    "languages": ("sprachen", "langues", "idiomas", "lingue", "nyelvek"),
    "runtime": ("laufzeit", "dauer", "duree", "duracion", "durata", "jatekido", "hossz", "duracao",
                "running time"),
    "also known as": ("auch bekannt als", "egalement connu sous le nom de", "aussi connu sous le nom de",
                      "titre alternatif", "tambien conocida como", "tambien conocido como",
                      "conosciuto anche come", "mas neven", "tambem conhecido como", "alternative title",
                      "alternative titles"),
    "filming locations": ("drehorte", "lieux de tournage", "ubicaciones de rodaje",
                          "localizaciones de rodaje",
                          "luoghi delle riprese", "forgatasi helyszinek", "locais de filmagem"),
    "storyline": ("handlung", "inhalt", "intrigue", "histoire", "sinopsis", "argumento", "trama",
                  "cselekmeny", "enredo", "sinopse", "synopsis"),
    "taglines": ("slogans", "slogan", "accroches", "eslogan", "eslogans", "frase di lancio", "szlogenek",
                 "slogan", "frases de efeito"),
    "top cast": ("besetzung", "top besetzung", "distribution", "casting principal", "reparto",
                 "reparto principal", "cast principale", "szereplok", "elenco principal", "elenco",
                 "cast"),
}  # fmt: skip


_SECTION_BY_KEY: dict[str, str] = {}
for _english, _labels in SECTION_LABELS.items():
    for _label in _labels:
        _SECTION_BY_KEY.setdefault(vocab_key(_label), _english)


def section_label(label: str) -> str | None:
    """The English label of a localized IMDb page's section label (``"Regie"`` -> ``"director"``)."""
    return _SECTION_BY_KEY.get(vocab_key(label))
