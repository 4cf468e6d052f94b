"""Countries and languages: their English names, from ISO codes, English variants and the names IMDb's
localized sites use. Pure: no I/O.
"""

from __future__ import annotations

from marquee.formats.vocab_kinds import vocab_key

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
