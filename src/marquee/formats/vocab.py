"""Known vocabularies the text page parser leans on instead of one page's wording."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

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


# ---- IMDb's title types and genres, in English and as IMDb's localized sites show them ----------

IMDB_KINDS: tuple[str, ...] = (
    "movie", "short", "tvSeries", "tvEpisode", "tvMovie", "tvMiniSeries", "tvSpecial", "tvShort",
    "video", "videoGame", "musicVideo", "podcastSeries", "podcastEpisode", "tvPilot",
)  # fmt: skip
"""IMDb's ``titleType`` values (the datasets' spelling): what a stored film's kind is."""

IMDB_GENRES: tuple[str, ...] = (
    "Action", "Adult", "Adventure", "Animation", "Biography", "Comedy", "Crime", "Documentary", "Drama",
    "Family", "Fantasy", "Film-Noir", "Game-Show", "History", "Horror", "Music", "Musical", "Mystery",
    "News", "Reality-TV", "Romance", "Sci-Fi", "Short", "Sport", "Talk-Show", "Thriller", "War", "Western",
)  # fmt: skip
"""IMDb's 28 genres, spelled as its datasets spell them."""

# How IMDb's site (and its ratings/watchlist exports) names title types: English display names, and
# Italian, German, French, Spanish and Portuguese ones. Keys are folded (``vocab_key``).
_KIND_NAMES: dict[str, tuple[str, ...]] = {
    "movie": (
        "movie", "feature film", "feature", "documentary", "film",  # en, it, de, fr
        "pelicula", "largometraje", "filme", "longa metragem", "longa-metragem", "spielfilm",
    ),
    "short": ("short", "short film", "cortometraggio", "kurzfilm", "court metrage", "court-metrage",
              "cortometraje", "curta metragem", "curta-metragem", "curta"),
    "tvSeries": (
        "tv series", "series", "serie tv", "serie televisiva", "fernsehserie", "tv serie", "tv-serie",
        "serie", "serie televisee", "serie de tv", "serie de television", "serie de televisao",
    ),
    "tvEpisode": (
        "tv episode", "episode", "episodio tv", "episodio", "episodio televisivo", "tv episode",
        "tv-episode", "folge", "episode tv", "episode de serie tv", "episode de serie televisee",
        "episodio de tv", "episodio de television", "episodio de serie de tv",
    ),
    "tvMovie": (
        "tv movie", "film tv", "film per la tv", "film per la televisione", "fernsehfilm", "tv film",
        "tv-film", "telefilm", "telefilme", "pelicula de tv", "pelicula para television",
        "pelicula para tv", "filme para tv", "filme de tv", "filme para televisao",
    ),
    "tvMiniSeries": (
        "tv mini series", "tv miniseries", "mini series", "miniseries", "miniserie tv", "miniserie",
        "mini serie", "tv miniserie", "tv-miniserie", "mini serie tv", "miniserie de tv",
        "minisserie", "minisserie de tv", "minisserie tv",
    ),
    "tvSpecial": (
        "tv special", "special", "speciale tv", "speciale televisivo", "tv special", "tv-special",
        "fernsehspecial", "special tv", "emission speciale", "especial de tv", "especial de television",
        "especial", "especial de televisao",
    ),
    "tvShort": (
        "tv short", "cortometraggio tv", "tv kurzfilm", "tv-kurzfilm", "court metrage tv",
        "court metrage televise", "cortometraje de tv", "curta metragem de tv", "curta-metragem de tv",
        "curta metragem para tv",
    ),
    "video": ("video", "direct to video", "vidéo", "video diretto al mercato"),
    "videoGame": (
        "video game", "videogame", "videogioco", "videospiel", "computerspiel", "jeu video",
        "videojuego", "jogo eletronico", "jogo electronico", "jogo de video", "video game",
    ),
    "musicVideo": (
        "music video", "video musicale", "musikvideo", "clip video", "clip", "videoclip",
        "video clip", "video musical", "videoclipe",
    ),
    "podcastSeries": ("podcast series", "serie podcast", "podcast serie", "podcast-serie",
                      "serie de podcast", "serie de podcasts"),
    "podcastEpisode": ("podcast episode", "episodio podcast", "podcast folge", "podcast-folge",
                       "episode de podcast", "episodio de podcast"),
    "tvPilot": ("tv pilot", "pilot", "episodio pilota", "pilotfilm", "pilote", "episodio piloto"),
}  # fmt: skip

_GENRE_NAMES: dict[str, tuple[str, ...]] = {
    "Action": ("action", "azione", "accion", "acao", "actionfilm"),
    "Adult": ("adult", "adulti", "per adulti", "erwachsene", "erotik", "adulte", "adultos",
              "para adultos", "adulto"),
    "Adventure": ("adventure", "avventura", "abenteuer", "aventure", "aventura"),
    "Animation": ("animation", "animazione", "animacion", "animacao", "zeichentrick", "animado"),
    "Biography": ("biography", "biografico", "biografia", "biografie", "biographie", "biopic",
                  "biografisch"),
    "Comedy": ("comedy", "commedia", "komodie", "comedie", "comedia"),
    "Crime": ("crime", "poliziesco", "crimine", "krimi", "kriminalfilm", "policier", "crimen",
              "policiaco", "policial", "criminal"),
    "Documentary": ("documentary", "documentario", "dokumentarfilm", "dokumentation", "dokumentar",
                    "documentaire", "documental", "documentario"),
    "Drama": ("drama", "drammatico", "dramma", "drame", "dramatique"),
    "Family": ("family", "famiglia", "per famiglie", "per la famiglia", "familie", "familienfilm",
               "famille", "familial", "familia", "familiar"),
    "Fantasy": ("fantasy", "fantastico", "fantastique", "fantasia"),
    "Film-Noir": ("film noir", "film-noir", "noir", "cine negro", "filme noir"),
    "Game-Show": ("game show", "game-show", "gioco a quiz", "quiz", "spielshow", "gameshow",
                  "quizshow", "jeu televise", "jeu", "concurso", "programa de concursos",
                  "programa de auditorio"),
    "History": ("history", "storico", "storia", "geschichte", "historie", "historienfilm",
                "histoire", "historique", "historia", "historico"),
    "Horror": ("horror", "orrore", "horreur", "epouvante", "terror", "terreur"),
    "Music": ("music", "musica", "musik", "musique"),
    "Musical": ("musical", "musicale", "musikfilm", "comedie musicale"),
    "Mystery": ("mystery", "mistero", "giallo", "mystere", "misterio"),
    "News": ("news", "notizie", "notiziario", "nachrichten", "actualites", "informations",
             "noticias", "noticiario", "telejornal"),
    "Reality-TV": ("reality tv", "reality-tv", "reality", "reality show", "realityshow",
                   "tele realite", "telerealite", "telerrealidad", "reality-show"),
    "Romance": ("romance", "sentimentale", "romantico", "romantik", "romanze", "liebesfilm",
                "romantique", "romantica"),
    "Sci-Fi": ("sci-fi", "sci fi", "science fiction", "science-fiction", "fantascienza",
               "ciencia ficcion", "ficcao cientifica", "ficcion cientifica"),
    "Short": ("short", "cortometraggio", "kurzfilm", "court metrage", "court-metrage", "cortometraje",
              "curta metragem", "curta-metragem"),
    "Sport": ("sport", "sports", "sportivo", "deporte", "deportes", "deportivo", "esporte",
              "esportes", "desporto"),
    "Talk-Show": ("talk show", "talk-show", "talkshow", "programa de entrevistas", "entrevistas"),
    "Thriller": ("thriller", "suspense", "suspenso"),
    "War": ("war", "guerra", "bellico", "guerre", "krieg", "kriegsfilm", "belico"),
    "Western": ("western", "faroeste", "oeste", "del oeste", "spaghetti western"),
}  # fmt: skip

_NOT_KEY = re.compile(r"[^0-9a-z]+")


def vocab_key(value: str) -> str:
    """``"Série TV"`` -> ``"serie tv"``: accents, case and punctuation folded, words kept apart."""
    text = unicodedata.normalize("NFKD", value.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NOT_KEY.sub(" ", text).split())


_KIND_BY_KEY: dict[str, str] = {vocab_key(k): k for k in IMDB_KINDS}
_GENRE_BY_KEY: dict[str, str] = {vocab_key(g): g for g in IMDB_GENRES}
for _canonical, _names in _KIND_NAMES.items():
    for _name in _names:
        _KIND_BY_KEY.setdefault(vocab_key(_name), _canonical)
for _canonical, _names in _GENRE_NAMES.items():
    for _name in _names:
        _GENRE_BY_KEY.setdefault(vocab_key(_name), _canonical)
for _key in list(_KIND_BY_KEY):  # "tvSeries" is also written "tvseries" or "TV-Series"
    _KIND_BY_KEY.setdefault(_key.replace(" ", ""), _KIND_BY_KEY[_key])
for _key in list(_GENRE_BY_KEY):
    _GENRE_BY_KEY.setdefault(_key.replace(" ", ""), _GENRE_BY_KEY[_key])


def kind_name(value: str) -> str | None:
    """IMDb's ``titleType`` for a title type as any IMDb site shows it (``"Serie TV"`` -> ``"tvSeries"``)."""
    key = vocab_key(value)
    return _KIND_BY_KEY.get(key) or _KIND_BY_KEY.get(key.replace(" ", ""))


def genre_name(value: str) -> str | None:
    """IMDb's English genre for a genre as any IMDb site shows it (``"Drammatico"`` -> ``"Drama"``)."""
    key = vocab_key(value)
    return _GENRE_BY_KEY.get(key) or _GENRE_BY_KEY.get(key.replace(" ", ""))


# ---- countries and languages: English names, from ISO codes, English variants and localized names -----

# ISO 3166 code -> (English name, other spellings: English variants, then de, fr, es, it, hu, pt).
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "US": ("United States", "USA", "U.S.A.", "US", "U.S.", "United States of America", "America",
           "Vereinigte Staaten", "Vereinigte Staaten von Amerika", "États-Unis", "Etats-Unis",
           "Estados Unidos", "Stati Uniti", "Stati Uniti d'America", "Amerikai Egyesült Államok",
           "Egyesült Államok", "Estados Unidos da América", "EUA", "EE. UU.", "EE.UU."),
    "GB": ("United Kingdom", "UK", "U.K.", "Great Britain", "Britain", "Vereinigtes Königreich",
           "Großbritannien", "Royaume-Uni", "Reino Unido", "Regno Unito", "Egyesült Királyság",
           "Nagy-Britannia"),
    "AU": ("Australia", "Australien", "Australie", "Ausztrália", "Austrália"),
    "CA": ("Canada", "Kanada", "Canadá"),
    "FR": ("France", "Frankreich", "Francia", "Franciaország", "França"),
    "DE": ("Germany", "Deutschland", "Allemagne", "Alemania", "Germania", "Németország", "Alemanha"),
    "XWG": ("West Germany", "Westdeutschland", "BRD", "Allemagne de l'Ouest", "Alemania Occidental",
            "Germania Ovest", "Nyugat-Németország", "Alemanha Ocidental"),
    "IT": ("Italy", "Italien", "Italie", "Italia", "Olaszország", "Itália"),
    "ES": ("Spain", "Spanien", "Espagne", "España", "Spagna", "Spanyolország", "Espanha"),
    "PT": ("Portugal", "Portogallo", "Portugália"),
    "BR": ("Brazil", "Brasilien", "Brésil", "Brasil", "Brasile", "Brazília"),
    "MX": ("Mexico", "Mexiko", "Mexique", "México", "Messico", "Mexikó"),
    "AR": ("Argentina", "Argentinien", "Argentine", "Argentína"),
    "JP": ("Japan", "Japon", "Japón", "Giappone", "Japán", "Japão"),
    "CN": ("China", "Chine", "Cina", "Kína"),
    "HK": ("Hong Kong", "Hongkong", "Hong-Kong"),
    "TW": ("Taiwan", "Taïwan", "Taiwán", "Tajvan"),
    "KR": ("South Korea", "Korea, South", "Republic of Korea", "Südkorea", "Corée du Sud", "Corea del Sur",
           "Corea del Sud", "Dél-Korea", "Coreia do Sul"),
    "IN": ("India", "Indien", "Inde", "Índia"),
    "RU": ("Russia", "Russian Federation", "Russland", "Russie", "Rusia", "Oroszország", "Rússia"),
    "SU": ("Soviet Union", "USSR", "Sowjetunion", "Union soviétique", "URSS", "Unión Soviética",
           "Unione Sovietica", "Szovjetunió", "União Soviética"),
    "SE": ("Sweden", "Schweden", "Suède", "Suecia", "Svezia", "Svédország", "Suécia"),
    "NO": ("Norway", "Norwegen", "Norvège", "Noruega", "Norvegia", "Norvégia"),
    "DK": ("Denmark", "Dänemark", "Danemark", "Dinamarca", "Danimarca", "Dánia"),
    "FI": ("Finland", "Finnland", "Finlande", "Finlandia", "Finnország", "Finlândia"),
    "NL": ("Netherlands", "The Netherlands", "Holland", "Niederlande", "Pays-Bas", "Países Bajos",
           "Paesi Bassi", "Hollandia", "Países Baixos"),
    "BE": ("Belgium", "Belgien", "Belgique", "Bélgica", "Belgio", "Belgium"),
    "CH": ("Switzerland", "Schweiz", "Suisse", "Suiza", "Svizzera", "Svájc", "Suíça"),
    "AT": ("Austria", "Österreich", "Autriche", "Ausztria", "Áustria"),
    "IE": ("Ireland", "Irland", "Irlande", "Irlanda", "Írország"),
    "NZ": ("New Zealand", "Neuseeland", "Nouvelle-Zélande", "Nueva Zelanda", "Nuova Zelanda", "Új-Zéland",
           "Nova Zelândia"),
    "HU": ("Hungary", "Ungarn", "Hongrie", "Hungría", "Ungheria", "Magyarország", "Hungria"),
    "PL": ("Poland", "Polen", "Pologne", "Polonia", "Lengyelország", "Polônia", "Polónia"),
    "CZ": ("Czech Republic", "Czechia", "Tschechien", "République tchèque", "República Checa",
           "Repubblica Ceca", "Csehország", "República Tcheca"),
    "GR": ("Greece", "Griechenland", "Grèce", "Grecia", "Görögország", "Grécia"),
    "TR": ("Turkey", "Türkiye", "Türkei", "Turquie", "Turquía", "Turchia", "Törökország", "Turquia"),
    "MT": ("Malta", "Malte", "Málta"),
    "ZA": ("South Africa", "Südafrika", "Afrique du Sud", "Sudáfrica", "Sudafrica", "Dél-afrikai Köztársaság",
           "África do Sul"),
    "IR": ("Iran", "Irán", "Irã"),
    "IL": ("Israel", "Israël", "Israele", "Izrael"),
    "EG": ("Egypt", "Ägypten", "Égypte", "Egipto", "Egitto", "Egyiptom", "Egito"),
    "TH": ("Thailand", "Thaïlande", "Tailandia", "Thailandia", "Thaiföld", "Tailândia"),
}  # fmt: skip

# ISO 639-1 code -> (English name, then de, fr, es, it, hu, pt names).
_LANGUAGES: dict[str, tuple[str, ...]] = {
    "en": ("English", "Englisch", "Anglais", "Inglés", "Inglese", "Angol", "Inglês"),
    "fr": ("French", "Französisch", "Français", "Francés", "Francese", "Francia", "Francês"),
    "de": ("German", "Deutsch", "Allemand", "Alemán", "Tedesco", "Német", "Alemão"),
    "es": ("Spanish", "Spanisch", "Espagnol", "Español", "Castellano", "Spagnolo", "Spanyol", "Espanhol"),
    "it": ("Italian", "Italienisch", "Italien", "Italiano", "Olasz"),
    "pt": ("Portuguese", "Portugiesisch", "Portugais", "Portugués", "Portoghese", "Portugál", "Português"),
    "hu": ("Hungarian", "Ungarisch", "Hongrois", "Húngaro", "Ungherese", "Magyar"),
    "ja": ("Japanese", "Japanisch", "Japonais", "Japonés", "Giapponese", "Japán", "Japonês"),
    "zh": ("Chinese", "Chinesisch", "Chinois", "Chino", "Cinese", "Kínai", "Chinês"),
    "cmn": ("Mandarin", "Mandarin Chinese", "Mandarín", "Mandarino", "Mandarim"),
    "yue": ("Cantonese", "Kantonesisch", "Cantonais", "Cantonés", "Cantonese", "Kantoni", "Cantonês"),
    "ko": ("Korean", "Koreanisch", "Coréen", "Coreano", "Koreai"),
    "ru": ("Russian", "Russisch", "Russe", "Ruso", "Russo", "Orosz"),
    "sv": ("Swedish", "Schwedisch", "Suédois", "Sueco", "Svedese", "Svéd"),
    "da": ("Danish", "Dänisch", "Danois", "Danés", "Danese", "Dán", "Dinamarquês"),
    "no": ("Norwegian", "Norwegisch", "Norvégien", "Noruego", "Norvegese", "Norvég", "Norueguês"),
    "fi": ("Finnish", "Finnisch", "Finnois", "Finlandés", "Finlandese", "Finn", "Finlandês"),
    "nl": ("Dutch", "Niederländisch", "Holländisch", "Néerlandais", "Neerlandés", "Olandese", "Holland",
           "Holandês", "Neerlandês"),
    "pl": ("Polish", "Polnisch", "Polonais", "Polaco", "Polacco", "Lengyel", "Polonês"),
    "cs": ("Czech", "Tschechisch", "Tchèque", "Checo", "Ceco", "Cseh", "Tcheco"),
    "el": ("Greek", "Griechisch", "Grec", "Griego", "Greco", "Görög", "Grego"),
    "tr": ("Turkish", "Türkisch", "Turc", "Turco", "Török"),
    "ar": ("Arabic", "Arabisch", "Arabe", "Árabe", "Arabo", "Arab"),
    "he": ("Hebrew", "Hebräisch", "Hébreu", "Hebreo", "Ebraico", "Héber", "Hebraico"),
    "hi": ("Hindi", "Hindí"),
    "la": ("Latin", "Latein", "Latín", "Latino", "Latim"),
    "fa": ("Persian", "Farsi", "Persisch", "Persan", "Persa", "Persiano", "Perzsa"),
    "th": ("Thai", "Thailändisch", "Thaï", "Tailandés", "Thailandese", "Thai", "Tailandês"),
    "asl": ("American Sign Language",),
    "zxx": ("None", "Kein", "Aucune", "Ninguno", "Nessuna", "Nincs", "Nenhum"),
}  # fmt: skip

_COUNTRY_BY_KEY: dict[str, str] = {}
for _code, _spellings in _COUNTRIES.items():
    for _spelling in (_code, *_spellings):
        _COUNTRY_BY_KEY.setdefault(vocab_key(_spelling), _spellings[0])
_LANGUAGE_BY_KEY: dict[str, str] = {}
for _code, _spellings in _LANGUAGES.items():
    for _spelling in (_code, *_spellings):
        _LANGUAGE_BY_KEY.setdefault(vocab_key(_spelling), _spellings[0])


def country_name(value: str) -> str:
    """A country's English name: ``"USA"``, ``"US"``, ``"Vereinigte Staaten"`` -> ``"United States"``.

    A name not in the table is kept as written (tidied): it is still the page's country."""
    return _COUNTRY_BY_KEY.get(vocab_key(value)) or " ".join(value.split())


def is_country(value: str) -> bool:
    """Whether a name is a country Marquee knows (in English or a language of IMDb's sites)."""
    return vocab_key(value) in _COUNTRY_BY_KEY


def language_name(value: str) -> str:
    """A language's English name: ``"en"``, ``"Englisch"``, ``"Anglais"`` -> ``"English"``."""
    return _LANGUAGE_BY_KEY.get(vocab_key(value)) or " ".join(value.split())


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
