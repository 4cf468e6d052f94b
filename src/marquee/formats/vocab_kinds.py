"""IMDb's title kinds and genres as any of its sites names them, and ``vocab_key``, the folding every
vocabulary here matches names by (case, accents and punctuation ignored). Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata

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
