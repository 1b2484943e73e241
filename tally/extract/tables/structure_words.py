"""Words the reconciliation rules read: grouping nouns, total and subset cues, funnel stages.

Sources: press releases and consultation reports in English and French (see tests/).
"""

# A stated count of these is compared with the number of headings that group a list.
GROUP_NOUNS: frozenset[str] = frozenset(
    ["theme", "topic", "category", "section", "area", "pillar", "axis", "axe", "chapter", "part", "strand", "track", "domain", "field", "thème", "thématique", "catégorie", "chapitre", "pilier", "partie", "volet", "domaine"]
)

# Words before a figure that make it the total of the figures before it.
TOTAL_CUES: tuple[str, ...] = (
    "in total", "a total of", "total of", "totalling", "totaling", "for a total of", "bringing the total to",
    "making a total of", "altogether", "overall", "total:", "total", "soit un total de", "soit au total",
    "au total", "soit", "pour un total de", "en tout", "total de",
)
# Words after a whole that introduce some of its parts.
PART_CUES: tuple[str, ...] = (
    "of which", "of whom", "including", "among them", "among whom", "dont", "parmi lesquels", "parmi lesquelles",
    "notamment",
)
# Labels of the total row of a table or list.
TOTAL_LABELS: tuple[str, ...] = ("total", "totals", "sum", "overall", "grand total", "ensemble", "total général")

# Participles and nouns of the later stages of a selection funnel.
FUNNEL_STAGES: frozenset[str] = frozenset(
    ["shortlisted", "selected", "funded", "accepted", "retained", "awarded", "admitted", "finalists", "winners", "laureates", "interviewed", "invited", "approved", "granted", "hired", "enrolled", "graduated", "présélectionnés", "présélectionnées", "sélectionnés", "sélectionnées", "retenus", "retenues", "financés", "financées", "lauréats", "admis", "admises", "lauréates", "finalistes", "gagnants"]
)

# "A of B", "A out of B", "A sur B": A is a part of B.
OF_BASE = r"(?:out\s+of|of\s+the|of\s+our|of\s+its|of|sur|parmi\s+les)"

# Nouns that all count people taking part: "10,000+ citizens" may restate "11,661 participants",
# "~200 attendees" restates "200 people". A restatement across two of them is a weaker tie.
PEOPLE_NOUNS: frozenset[str] = frozenset(
    ["participant", "attendee", "person", "people", "citizen", "visitor", "delegate", "guest", "participante", "habitant", "personne", "citoyen", "citoyenne", "visiteur", "visiteuse", "délégué", "déléguée", "invité"]
)

# Nouns a repeated count often measures differently in one text (durations, editions, ranks).
NOT_RESTATED: frozenset[str] = frozenset(
    ["day", "week", "month", "year", "hour", "minute", "time", "edition", "session", "jour", "semaine", "mois", "an", "année", "heure", "fois", "édition"]
)

# Words around a count that make it a later stage of a selection ("awarded 21 grants", "48
# companies were invited", "41 projets ont été présélectionnés", "35 allocations attribuées"),
# beyond the stage nouns and participles of FUNNEL_STAGES.
STAGE_WORDS: frozenset[str] = FUNNEL_STAGES | frozenset(
    ["made it", "eligible", "pitched", "éligibles", "recevables", "attribuées", "attribués", "attribue", "retenu", "retenues", "soumis", "soumises", "sélectionné", "sélectionnée", "présélectionné", "financé", "financée", "récompensés", "récompensées", "primés", "primées"]
)
# Nouns of the pool a selection starts from ("312 applications", "187 dossiers", "143 ideas").
POOL_NOUNS: frozenset[str] = frozenset(
    ["application", "applicant", "candidate", "submission", "proposal", "entry", "bid", "nomination", "idea", "project", "candidature", "candidat", "candidate", "dossier", "proposition", "idée", "projet", "contribution"]
)

# Nouns a number labels rather than counts ("day 1", "Question 2", "Area 4", "diapo 3").
NUMBERED_NOUNS: frozenset[str] = frozenset(
    ["day", "week", "round", "question", "area", "phase", "stage", "part", "page", "slide", "item", "lot", "zone", "ward", "district", "table", "room", "level", "step", "jour", "semaine", "tour", "diapo", "étape", "niveau", "salle", "objet", "secteur", "bureau", "no", "n°", "nº"]
)
# Openings of a sentence whose counts are parts of the last count before it ("Of these, 97 ...").
OF_THESE: tuple[str, ...] = (
    "of these", "of them", "of those", "among them", "among these", "of this total", "parmi eux", "parmi elles", "parmi ceux-ci", "parmi celles-ci", "sur ce total", "sur ces", "d'entre eux", "d'entre elles",
)

# Verbs and pronouns that make a piece of a comma list a clause rather than a name.
CLAUSE_WORDS: frozenset[str] = frozenset(
    ["is", "are", "was", "were", "be", "been", "has", "have", "had", "will", "would", "can", "could", "do", "does", "did", "other", "others", "it", "they", "we", "est", "sont", "était", "étaient", "sera", "ont", "avait", "autres", "ils", "elles", "nous"]
)

# A question whose respondents may give several answers: its answer counts do not sum to its
# respondents ("plusieurs réponses possibles ; 1 089 répondants").
MULTI_ANSWER: tuple[str, ...] = (
    "plusieurs réponses", "plusieurs choix", "choix multiples", "choix multiple", "réponses multiples",
    "jusqu'à trois", "jusqu’à trois", "several answers", "multiple answers", "multiple choices", "more than one answer",
    "more than one option", "select all", "tick all", "check all", "all that apply", "could choose", "could pick",
    "could select", "could vote for", "vote for two", "vote for three", "pouvaient choisir", "pouvait choisir",
    "pouvait cocher", "pouvaient cocher", "pouvait voter pour",
)
# Words of a list's intro line that are not the noun it breaks down ("Les idées par catégorie").
INTRO_STOPWORDS: frozenset[str] = frozenset(
    ["the", "our", "their", "its", "this", "these", "those", "all", "each", "by", "per", "par", "and", "with", "from", "into", "over", "across", "breakdown", "split", "of", "les", "des", "aux", "une", "un", "la", "le", "du", "de", "ses", "nos", "leurs", "ces", "toutes", "tous", "chaque", "selon", "répartition", "ventilation", "détail", "here", "below", "following", "suivants", "suivantes", "voici", "what", "how", "which"]
)

# Words a combined total's label or sentence adds to its parts' label ("Combined electorate" over
# "Electorate: 9,412"; "Across the two trustee areas, 5,322 ballots were cast" over "Ballots cast").
COMBINING_FILLER: frozenset[str] = frozenset(
    ["the", "a", "an", "of", "in", "all", "across", "combined", "altogether", "overall", "five", "two", "three", "four",
     "six", "seven", "both", "these", "our", "au", "en", "tout", "total", "le", "la", "les", "des", "de", "du", "cumulé",
     "cumulée", "cumulés", "cumulées"]
)

# Stages of a selection that are nouns, not participles: they name what they count.
STAGE_NOUNS: frozenset[str] = frozenset(
    ["finalists", "winners", "laureates", "lauréats", "lauréates", "finalistes", "gagnants", "gagnantes"]
)
