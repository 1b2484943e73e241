"""Words of financial and sports news and of report layouts, English and French together.

Sources: currency prefixes as newswires write them (Reuters, Bloomberg, AFP, Les Echos: "US$4.5m",
"$US12,000", "HK$ 40 million", "RM45", "SGD1.2bn"); the stock index names whose number is part of
the name ("FTSE 100", "CAC 40"); the labels, stance words and verbs met in consultation results,
election tallies and budget announcements (see tests/examples_layouts.py).
"""

# Currency prefixes that may be glued to the digits ("AUD2.5m", "RM45", "$US12,000"): a letter or a
# "$" stands right before the first digit, so the digit pass alone would not start there.
GLUED_CURRENCIES: tuple[str, ...] = (
    "$US", "US$", "A$", "AU$", "C$", "CA$", "HK$", "S$", "NZ$", "R$", "RM",
    "EUR", "USD", "GBP", "JPY", "CHF", "CAD", "AUD", "CNY", "INR", "BRL", "SGD", "HKD", "NZD",
    "ZAR", "SEK", "NOK", "DKK", "MYR",
)

# Stock indexes whose number belongs to the name: "FTSE 100 +0.6%" (the 100 is not a figure).
STOCK_INDEXES: tuple[str, ...] = (
    "FTSE", "S&P", "CAC", "DAX", "Nikkei", "Stoxx", "STOXX", "Euro Stoxx", "ASX", "Russell", "IBEX", "Ibex",
    "KOSPI", "Sensex", "Nifty", "SBF", "TSX", "FTSE MIB", "AEX", "SMI", "OMX", "Nasdaq", "NASDAQ", "Dow",
)

# Multiples: "sixfold", "6-fold", "tenfold".
FOLD_SUFFIXES: tuple[str, ...] = ("fold",)

# Signed measures: "minus-12 degrees", "-12 degrés" (a temperature, not a count of degrees).
SIGNED_UNITS: dict[str, str] = {"degrees": "°", "degree": "°", "degrés": "°", "degré": "°"}
SIGN_WORDS: dict[str, float] = {"minus-": -1.0, "minus ": -1.0}
UPPER_BOUND_PREFIXES: tuple[str, ...] = ("sub-",)

# Label-first fields ("Votes: 1,204", "Coût : 85 000 €"): labels that name no counted thing.
LABEL_NOT_COUNTED: frozenset[str] = frozenset(
    ["date", "time", "year", "years", "page", "pages", "note", "source", "contact", "tel", "phone", "fax", "figure", "fig",
     "table", "step", "version", "ref", "id", "no", "chapter", "section", "article", "heure", "année", "étape", "réf",
     "tél", "rank", "rang", "score", "level", "niveau", "room", "salle", "code", "zip", "age", "âge", "q", "a", "r",
     # answers to a survey question ("Oui : 563 (52,6 %)"): options, not what is counted
     "yes", "no", "oui", "non", "never", "jamais", "always", "toujours", "sometimes", "parfois", "often", "souvent",
     "rarely", "rarement", "daily", "weekly", "monthly", "other", "autre", "autres", "unsure", "undecided", "none",
     "aucun", "aucune", "agree", "disagree", "neutral", "d'accord"]
)
# Irregular participles that end a label after its noun ("Ballots cast", "Tickets sold").
LABEL_PARTICIPLES: frozenset[str] = frozenset(
    ["cast", "sold", "won", "held", "paid", "spent", "given", "taken", "made", "lost", "left", "built", "set", "put",
     "shown", "seen", "chosen", "drawn", "run", "met", "read", "sent", "kept", "found", "reçus", "reçues", "émis", "émises",
     "exprimés", "exprimées", "inscrits", "inscrites", "vendus", "vendues"]
)
# "Number of votes: 1,204", "Nombre de votants : 4 512": the noun after "of" is counted.
LABEL_NUMBER_WORDS: frozenset[str] = frozenset(["number", "total", "nombre", "nb", "count"])
LABEL_PREPOSITIONS: frozenset[str] = frozenset(["of", "on", "in", "for", "per", "de", "d", "des", "du", "par", "pour", "sur", "en"])

# Words after a count that leave its noun out ("240 in favour, 45 against and 15 unsure", "half
# of them"): the count counts the noun of the count before it.
ELIDED_AFTER: frozenset[str] = frozenset(
    ["against", "unsure", "undecided", "opposed", "abstaining", "abstained", "neutral", "apiece", "each",
     "respectively", "them", "these", "those", "us", "eux", "elles", "favourable", "favorable", "favorables",
     "favourably", "ahead", "behind", "remaining", "left", "more", "altogether", "overall"]
)

# Words that link an elided count or share to the count before it: "812 votes, Jones at 640",
# "240 (80%)", "the exam and 85% passed", "dont sept", "soit 12". A capitalised name links too
# ("Martin 640"); a verb does not ("revenue rose 2%" is not a share of the engineers before it).
ELISION_LINKS: tuple[str, ...] = (
    "and", "et", "at", "to", "with", "while", "whereas", "vs", "vs.", "versus", "against", "contre", "dont", "soit",
    "including", "of which", "of whom", "among them", "parmi eux", "parmi elles", "or", "ou", "but", "mais", "plus",
)
# A qualifier may stand between the link and the figure: "and nearly 45%".
ELISION_QUALIFIERS: tuple[str, ...] = (
    "nearly", "almost", "about", "around", "over", "some", "just", "only", "roughly", "approximately", "more than",
    "less than", "fewer than", "at least", "près de", "environ", "plus de", "moins de", "presque", "quelque", "au moins",
    "seulement",
)

# What a sum pays for, stated after it: "$50,000 as prizes", "€2m will be spent on roads",
# "12 millions d'euros seront investis dans les écoles".
MONEY_PURPOSE_AUX: tuple[str, ...] = (
    "will be", "would be", "is", "are", "was", "were", "has been", "have been", "had been", "is being", "to be",
    "seront", "sera", "ont été", "a été", "est", "sont", "sont", "étaient", "était", "vont être", "va être",
)
MONEY_PURPOSE_VERBS: tuple[str, ...] = (
    "spent", "invested", "allocated", "earmarked", "set aside", "devoted", "dedicated", "committed", "awarded",
    "given", "granted", "paid", "put", "used", "channelled", "channeled", "directed", "went", "goes", "go",
    "investis", "investies", "consacrés", "consacrées", "alloués", "allouées", "dépensés", "dépensées",
    "affectés", "affectées", "destinés", "destinées", "versés", "versées", "attribués", "attribuées",
    "réservés", "réservées", "mobilisés", "mobilisées", "injectés", "injectées",
)
# After a purpose verb: "spent on", "investis dans", "consacrés aux".
MONEY_PURPOSE_AFTER_VERB: tuple[str, ...] = (
    "on", "in", "into", "to", "for", "towards", "toward", "as", "dans", "à", "aux", "au", "pour", "en",
    "en faveur des", "en faveur de", "sur",
)
# Right after the sum, without a verb: "$50,000 as prizes", "€750,000 towards cycle lanes".
MONEY_PURPOSE_DIRECT: tuple[str, ...] = ("as", "on", "towards", "toward", "into", "comme", "pour", "for")
# A verb of spending before the sum lets "à"/"to" name the purpose: "consacre 500 000 € à la
# rénovation" (but "un don de 1M€ à la fondation" names who receives it).
MONEY_PURPOSE_VERB_STEMS: tuple[str, ...] = (
    "consacr", "invest", "allou", "affect", "dépens", "destin", "spend", "spent", "alloc", "devot", "dedicat", "earmark",
)
PURPOSE_DETERMINERS: tuple[str, ...] = (
    "the", "a", "an", "its", "their", "our", "new", "le", "la", "les", "l'", "l’", "un", "une", "des", "du", "de", "ses",
    "leurs", "nos",
)

# "one" as a figure: "one proposal asks...", "one of the 12 finalists"; not after these words
# ("no one", "the one that", "every one") and not before these ("one another", "one should").
ONE_NOT_AFTER: frozenset[str] = frozenset(
    ["no", "any", "every", "each", "the", "this", "that", "which", "little", "another", "someone", "such",
     "other", "same", "right", "wrong", "big", "new", "last", "first", "next", "old", "good", "best", "favourite",
     "favorite", "blue", "red", "last"]
)
ONE_NOT_BEFORE: frozenset[str] = frozenset(
    ["another", "more", "less", "way", "thing", "hand", "side", "point", "step", "time", "must", "needs", "need",
     "gets", "get", "finds", "find", "sees", "see", "knows", "know", "said", "says", "feels", "thinks", "wonders",
     "might", "can", "cannot", "could", "would", "should", "will", "may", "shall", "or", "and", "by", "to", "too",
     "is", "was", "has", "had", "goal", "nil", "all", "off", "out", "up", "down", "on", "in", "at", "for", "who", "which",
     "that", "day", "night", "morning", "evening", "afternoon", "week", "month", "year", "hour", "minute", "second",
     "moment", "last", "final", "liners", "third", "half", "quarter", "fifth", "sixth", "tenth", "percent", "per",
     "million", "billion", "thousand", "hundred", "dozen", "such", "piece", "word", "kind", "sort", "type", "bit"]
)
