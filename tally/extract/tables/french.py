"""French vocabulary for figures.

Sources: month names from the Unicode CLDR `fr` locale; cardinal words accepted by text2num's
French parser; qualifier phrases and units from French press releases (ministries, CNRS, Inria).
"""

MONTHS: dict[str, int] = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fév": 2, "mars": 3, "avril": 4,
    "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9,
    "sept": 9, "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "decembre": 12,
    "déc": 12,
}

# "un"/"une" are left out: they are articles far more often than figures.
NUMBER_WORDS: tuple[str, ...] = (
    "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze",
    "treize", "quatorze", "quinze", "seize", "vingt", "vingts", "trente", "quarante", "cinquante",
    "soixante", "cent", "cents", "mille",
)
NUMBER_JOINERS: tuple[str, ...] = ("et", "un", "une", "cent", "cents", "mille", "vingt", "vingts")

FRACTIONS: dict[str, float] = {
    "la moitié": 50.0, "moitié": 50.0, "un tiers": 33.33, "deux tiers": 66.67,
    "un quart": 25.0, "trois quarts": 75.0,
}

VAGUE: dict[str, tuple[float, str]] = {
    "une dizaine": (10, "approximate"), "des dizaines": (24, "approximate"),
    "une douzaine": (12, "approximate"), "une vingtaine": (20, "approximate"),
    "une trentaine": (30, "approximate"), "une quarantaine": (40, "approximate"),
    "une cinquantaine": (50, "approximate"), "une centaine": (100, "approximate"),
    "des centaines": (200, "approximate"), "un millier": (1000, "approximate"),
    "des milliers": (2000, "approximate"),
}

SCALES: dict[str, float] = {
    "k": 1e3, "mille": 1e3, "m": 1e6, "Md": 1e9, "Mds": 1e9, "Mrd": 1e9, "md": 1e9, "mds": 1e9, "million": 1e6, "millions": 1e6,
    "milliard": 1e9, "milliards": 1e9, "mrd": 1e9, "mrds": 1e9, "md€": 1e9,
}

QUALIFIERS_BEFORE: dict[str, str] = {
    "plus de": "at_least", "au moins": "at_least", "au-delà de": "at_least", "pas moins de": "at_least",
    "supérieur à": "at_least", "supérieure à": "at_least", "dépassant": "at_least",
    "jusqu'à": "at_most", "jusqu’à": "at_most", "moins de": "at_most", "au plus": "at_most",
    "au maximum": "at_most", "pas plus de": "at_most", "inférieur à": "at_most",
    "près de": "approximate", "environ": "approximate", "quelque": "approximate",
    "quelques": "approximate", "presque": "approximate", "approximativement": "approximate",
    "autour de": "approximate", "aux alentours de": "approximate", "à peu près": "approximate",
    "quasiment": "approximate", "de l'ordre de": "approximate", "de l’ordre de": "approximate",
    "plus d'": "at_least", "plus d’": "at_least", "moins d'": "at_most", "moins d’": "at_most",
}
QUALIFIERS_AFTER: dict[str, str] = {"ou plus": "at_least", "et plus": "at_least", "environ": "approximate"}

DURATION_UNITS: dict[str, str] = {
    "seconde": "second", "secondes": "second", "minute": "minute", "minutes": "minute",
    "heure": "hour", "heures": "hour", "h": "hour", "jour": "day", "jours": "day", "journée": "day",
    "journées": "day", "nuit": "night", "nuits": "night", "semaine": "week", "semaines": "week",
    "mois": "month", "an": "year", "ans": "year", "année": "year", "années": "year",
    "décennie": "decade", "décennies": "decade",
}

PERCENT_WORDS: tuple[str, ...] = ("pour cent", "pourcent", "points de pourcentage")

STOPWORDS: frozenset[str] = frozenset(
    ["le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "à", "au", "aux", "en", "dans", "sur", "sous", "par", "pour", "avec", "sans", "entre", "chez", "vers", "et", "ou", "mais", "donc", "or", "ni", "car", "que", "qui", "quoi", "dont", "où", "ce", "cet", "cette", "ces", "son", "sa", "ses", "leur", "leurs", "notre", "nos", "votre", "vos", "mon", "ma", "mes", "est", "sont", "était", "étaient", "été", "être", "a", "ont", "avait", "avaient", "sera", "seront", "fait", "plus", "moins", "très", "tous", "toutes", "tout", "toute", "chaque", "autres", "autre", "soit", "ainsi", "comme", "depuis", "pendant", "avant", "après", "lors", "selon", "contre", "parmi", "dès", "jusqu", "il", "elle", "ils", "elles", "on", "nous", "vous", "je", "se", "sa", "y"]
)

IRREGULAR_SINGULAR: dict[str, str] = {
    "yeux": "œil", "travaux": "travail", "journaux": "journal", "animaux": "animal",
    "hôpitaux": "hôpital", "locaux": "local", "réseaux": "réseau", "bureaux": "bureau",
    "jeux": "jeu", "lieux": "lieu", "milieux": "milieu", "enjeux": "enjeu", "niveaux": "niveau",
}
PLURAL_MODIFIERS: frozenset[str] = frozenset()
SINGULAR_S: frozenset[str] = frozenset(["mois", "fois", "pays", "temps", "cas", "prix", "corps", "repas", "discours", "voix", "taux", "choix", "poids"])

ABBREVIATIONS: frozenset[str] = frozenset(["janv", "févr", "avr", "juil", "sept", "oct", "nov", "déc", "m", "mme", "mm", "dr", "pr", "etc"])

# "en une seconde", "pendant un an": one unit of time after these prepositions is a duration of 1.
ONE_UNIT_PREPOSITIONS: tuple[str, ...] = ("en", "pendant", "durant", "d'", "d’", "dans", "après", "sur", "pour", "qu'", "qu’", "depuis")
ONE_UNIT_ARTICLES: tuple[str, ...] = ("un", "une")

VERBS_S: frozenset[str] = frozenset(["compte", "comptes", "représente", "emploie", "atteint", "réunit", "rassemble", "accueille", "dépasse"])

# Plural adjectives placed before the noun: they do not end the counted phrase.
PRENOMINAL: frozenset[str] = frozenset(
    ["nouveaux", "nouvelles", "grands", "grandes", "petits", "petites", "premiers", "premières", "derniers", "dernières", "jeunes", "principaux", "principales", "hauts", "hautes", "beaux", "belles", "vieux", "vieilles", "autres", "différents", "différentes", "nombreux", "nombreuses", "futurs", "futures", "anciens", "anciennes"]
)
AROUND_VERBS: frozenset[str] = frozenset(["articulé", "articulés", "articulées", "organisé", "organisés", "organisées", "structuré", "structurés"])
