"""English vocabulary for figures.

Sources: month names and abbreviations as used by AP style and the Unicode CLDR `en` locale;
cardinal words as accepted by text2num's English parser; qualifier phrases collected from
press releases and event reports (see tests/examples).
"""

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}

# Words text2num turns into numbers. "one" is left out on purpose: as a pronoun ("one of the
# ...") it is far more often not a figure than a figure.
NUMBER_WORDS: tuple[str, ...] = (
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand",
)
# Words that may continue a number word ("one hundred and five", "twenty-one").
NUMBER_JOINERS: tuple[str, ...] = ("and", "one", "hundred", "thousand", "million", "billion")

# Fractions written as words: value in percent, to two decimals as reports print them.
FRACTIONS: dict[str, float] = {
    "half": 50.0, "a half": 50.0, "one half": 50.0,
    "a third": 33.33, "one third": 33.33, "one-third": 33.33,
    "two thirds": 66.67, "two-thirds": 66.67,
    "a quarter": 25.0, "one quarter": 25.0, "one-quarter": 25.0,
    "three quarters": 75.0, "three-quarters": 75.0,
}

# Vague quantities: word -> (value, qualifier). "dozens" is read as "at least two dozen".
VAGUE: dict[str, tuple[float, str]] = {
    "a dozen": (12, "approximate"), "dozens": (24, "approximate"),
    "a hundred": (100, "exact"), "hundreds": (200, "approximate"),
    "a thousand": (1000, "exact"), "thousands": (2000, "approximate"),
    "a couple of": (2, "approximate"), "a million": (1_000_000, "exact"),
    "millions": (2_000_000, "approximate"),
}

SCALES: dict[str, float] = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "mio": 1e6, "million": 1e6, "millions": 1e6,
    "bn": 1e9, "b": 1e9, "mln": 1e6, "hundred": 1e2, "billion": 1e9, "billions": 1e9, "trillion": 1e12, "tn": 1e12,
}

# Qualifier phrases that stand before a number (longest first when compiled).
QUALIFIERS_BEFORE: dict[str, str] = {
    "more than": "at_least", "over": "at_least", "at least": "at_least", "upwards of": "at_least",
    "in excess of": "at_least", "no fewer than": "at_least", "no less than": "at_least",
    "greater than": "at_least", "above": "at_least", "exceeding": "at_least", "minimum of": "at_least",
    "a minimum of": "at_least", "as many as": "at_least",
    "up to": "at_most", "less than": "at_most", "fewer than": "at_most", "under": "at_most",
    "at most": "at_most", "no more than": "at_most", "below": "at_most", "maximum of": "at_most",
    "a maximum of": "at_most", "not more than": "at_most",
    "nearly": "approximate", "almost": "approximate", "about": "approximate", "around": "approximate",
    "some": "approximate", "approximately": "approximate", "approx.": "approximate",
    "roughly": "approximate", "circa": "approximate", "ca.": "approximate", "c.": "approximate",
    "an estimated": "approximate", "estimated": "approximate", "close to": "approximate",
    "just over": "at_least", "just under": "at_most", "well over": "at_least",
    "almost exactly": "approximate", "some of": "approximate",
}
# Qualifier phrases that follow a number.
QUALIFIERS_AFTER: dict[str, str] = {
    "or more": "at_least", "and more": "at_least", "plus": "at_least", "or so": "approximate",
    "or fewer": "at_most", "or less": "at_most", "at most": "at_most", "at least": "at_least",
}

DURATION_UNITS: dict[str, str] = {
    "second": "second", "seconds": "second", "minute": "minute", "minutes": "minute", "min": "minute",
    "mins": "minute", "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "day": "day",
    "days": "day", "night": "night", "nights": "night", "week": "week", "weeks": "week", "month": "month",
    "months": "month", "year": "year", "years": "year", "yr": "year", "yrs": "year",
    "decade": "decade", "decades": "decade",
}

PERCENT_WORDS: tuple[str, ...] = ("per cent", "percent", "pct", "percentage points", "points of percentage")

# Words that end a counted noun phrase (prepositions, verbs, conjunctions, determiners).
STOPWORDS: frozenset[str] = frozenset(
    ["a", "an", "the", "and", "or", "but", "nor", "of", "in", "on", "at", "to", "for", "from", "by", "with", "without", "within", "across", "about", "around", "over", "under", "between", "among", "into", "onto", "through", "during", "per", "via", "than", "as", "that", "which", "who", "whom", "whose", "this", "these", "those", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do", "does", "did", "will", "would", "can", "could", "may", "might", "must", "shall", "should", "it", "its", "their", "our", "his", "her", "your", "my", "we", "they", "he", "she", "you", "i", "each", "every", "all", "both", "some", "any", "no", "not", "only", "also", "just", "more", "most", "less", "least", "than", "then", "so", "such", "while", "when", "where", "whereupon", "after", "before", "since", "until", "till", "because", "if", "though", "although", "whereas", "including", "included", "includes", "like", "versus", "vs", "out", "up", "down", "off", "again", "further", "once", "here", "there", "thanks", "due", "according", "towards", "toward", "against", "upon", "beyond", "despite", "amid", "amongst"]
) | frozenset(
    # irregular past tenses: "31 made it onto the ballot" counts no "made"
    ["made", "got", "took", "came", "went", "gave", "ran", "saw", "held", "met", "sent", "spent", "brought",
     "bought", "paid", "said", "told", "chose", "became", "began", "grew", "drew", "wrote", "stood", "fell"]
)

# Plurals that do not follow the -s rules.
IRREGULAR_SINGULAR: dict[str, str] = {
    "people": "person", "women": "woman", "men": "man", "children": "child", "persons": "person",
    "staff": "staff", "data": "data", "media": "media", "criteria": "criterion",
    "phenomena": "phenomenon", "analyses": "analysis", "theses": "thesis", "indices": "index",
    "series": "series", "species": "species", "feet": "foot", "teeth": "tooth", "mice": "mouse",
    "geese": "goose", "alumni": "alumnus", "curricula": "curriculum", "symposia": "symposium",
}

# Plurals that modify the noun after them ("10 women speakers", "75 women students").
PLURAL_MODIFIERS: frozenset[str] = frozenset({"women", "men", "girls", "boys"})

# Words ending in -s that are singular (never strip the s).
SINGULAR_S: frozenset[str] = frozenset(
    ["news", "status", "campus", "bus", "virus", "census", "bonus", "corpus", "focus", "thesis", "analysis", "basis", "crisis", "axis", "series", "species", "gas", "lens", "chaos", "canvas", "atlas", "alias", "bias", "plus", "apparatus", "consensus", "syllabus", "this", "us", "his", "its", "gross"]
)

# Number-related words a sentence may end on without ending the sentence ("Dec." "No.").
ABBREVIATIONS: frozenset[str] = frozenset(
    ["jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "nos", "vs", "etc", "e.g", "i.e", "mr", "mrs", "ms", "dr", "prof", "st", "inc", "ltd", "co", "corp", "approx", "ca", "c", "fig"]
)

# "for a year", "in one week": one unit of time after these prepositions is a duration of 1.
ONE_UNIT_PREPOSITIONS: tuple[str, ...] = ("for", "in", "within", "over", "after", "during", "lasting", "than")
ONE_UNIT_ARTICLES: tuple[str, ...] = ("a", "an", "one")

# Verbs in -s that often stand before a quantity ("it counts over 500 members"): a qualifier
# after them is a qualifier, not a preposition after a plural noun.
VERBS_S: frozenset[str] = frozenset(
    ["says", "counts", "has", "includes", "represents", "employs", "reaches", "totals", "numbers", "exceeds", "attracts", "gathers", "brings", "involves", "contains", "comprises", "receives", "costs", "weighs", "lasts", "takes", "needs", "requires", "gets", "makes", "sees", "hosts", "welcomes", "features", "offers", "serves", "supports", "funds", "raises", "spends", "invests", "earns", "generates", "produces", "creates", "trains", "connects", "expects", "estimates", "plans", "targets", "is", "was"]
)

# Adjectives that stand before the noun and may end in -s (none in English).
PRENOMINAL: frozenset[str] = frozenset()
# Verbs after which "around" / "about" is a preposition, not "approximately".
AROUND_VERBS: frozenset[str] = frozenset(
    ["grouped", "organized", "organised", "centred", "centered", "built", "structured", "revolves", "revolving", "articulated", "clustered", "arranged", "talked", "spoke", "wrote", "asked", "cares", "care", "thinking"]
)
