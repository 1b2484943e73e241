"""The extraction spec as a table of examples (in the manner of price-parser's test table).

Each Example is one sentence and the one figure expected at `text` in it. Groups say where the
phrasing comes from; known gaps are marked `gap=` and run as strict xfails.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Example:
    sentence: str
    text: str  # the figure's characters as they must be reported (text[start:end])
    value: float | str | None  # str: ISO date of date_start
    kind: str
    qualifier: str = "exact"
    head: str | None = None
    unit: str | None = None
    value_max: float | str | None = None
    lang: str = "en"
    gap: str | None = None  # why it fails today (strict xfail)


SEED_TEXTS = [
    Example("More than 3,800 participants attended the discussions", "3,800", 3800, "count", "at_least", "participant"),
    Example("the 2-days featured 94 speakers across 12 plenary sessions", "94", 94, "count", head="speaker"),
    Example("the 2-days featured 94 speakers across 12 plenary sessions", "12", 12, "count", head="session"),
    Example("the 2-days featured 94 speakers", "2-days", 2, "duration", unit="day"),
    Example("making up only 22% of STEM jobs in G20 countries.", "22%", 22, "percent", head="job"),
    Example("An international AI consultation engaged over 11,000 participants", "11,000", 11000, "count", "at_least", "participant"),
    Example("backed by the voices of 10,000+ citizens and 200+ experts.", "10,000+", 10000, "count", "at_least", "citizen"),
    Example("backed by the voices of 10,000+ citizens and 200+ experts.", "200+", 200, "count", "at_least", "expert"),
    Example("Citizens' Agenda: 15 popular ideas around 6 themes", "6", 6, "count", "exact", "theme"),
    Example("from 18 September to 4 November 2024", "18 September", "2024-09-18", "date"),
    Example("from 18 September to 4 November 2024", "4 November 2024", "2024-11-04", "date"),
    Example("summer school 30 June-4 July 2025. Will become", "30 June-4 July 2025", "2025-06-30", "date", value_max="2025-07-04"),
    Example("Google: 1M€ donation to Fondation du CNRS.", "1M€", 1_000_000, "money", head="donation", unit="EUR"),
    Example("Call for 6 post-doctoral fellowships of 18 months.", "18 months", 18, "duration", unit="month"),
    Example("Call for 6 post-doctoral fellowships of 18 months.", "6", 6, "count", head="fellowship"),
    Example("1-2 year chair program", "1-2 year", 1, "duration", unit="year", value_max=2),
    Example("multiannual contract 2019-2023", "2019-2023", 2019, "year", value_max=2023),
    Example(" 126Pflop/s\n4 000V/A100H100", "126Pflop/s", 126, "measure", unit="Pflop/s"),
    Example("Dec. 6, 2024: 6 on main list", "Dec. 6, 2024", "2024-12-06", "date"),
    Example("Jan. 1st 2024 : UAR 2036 CNRS Informatics", "Jan. 1st 2024", "2024-01-01", "date"),
    Example("55 applications received. 25 shortlisted.", "25", 25, "count", head="application"),
    Example("brought together more than a hundred representatives", "a hundred", 100, "count", "at_least", "representative"),
    Example("dozens of authorities, scientists", "dozens", 24, "count", "approximate", "authority"),
    Example("It has been two intense days where", "two", 2, "duration", unit="day"),
    Example("Within 220 project teams, most of which", "220", 220, "count", head="team"),
    Example("developing over 230 R&D projects.", "230", 230, "count", "at_least", "project"),
    Example("On February 10 and 11, the city", "11", "--02-11", "date"),
    Example("citizen consultation\n\n11,661\nparticipants\n\n575\nproposals", "11,661", 11661, "count", head="participant"),
    Example("202 expert\nsubmissions", "202", 202, "count", head="submission"),
    Example("5 continents\nrepresented", "5", 5, "count", head="continent"),
    Example("the 9 recently created French AI clusters under", "9", 9, "count", head="cluster"),
    Example("launched two consultation processes to feed", "two", 2, "count", head="process"),
    Example("The event celebrated the 10th anniversary of", "10th", 10, "ordinal"),
    Example("For the past 12 years, Inria Chile", "12 years", 12, "duration", unit="year"),
]

PRESS_RELEASE_PHRASES = [
    Example("The company raised $4.2 billion in new funding.", "$4.2 billion", 4.2e9, "money", unit="USD"),
    Example("a budget of €1M for the programme", "€1M", 1e6, "money", unit="EUR"),
    Example("The fund totals £3m over three years.", "£3m", 3e6, "money", unit="GBP"),
    Example("Sales rose 12.5 per cent last year.", "12.5 per cent", 12.5, "percent"),
    Example("at least 40 startups joined", "40", 40, "count", "at_least", "startup"),
    Example("up to 500 visitors a day", "500", 500, "count", "at_most", "visitor"),
    Example("nearly 2,000 volunteers helped", "2,000", 2000, "count", "approximate", "volunteer"),
    Example("approximately 75 companies", "75", 75, "count", "approximate", "company"),
    Example("~200 attendees from 22 countries", "200", 200, "count", "approximate", "attendee"),
    Example("fewer than 10 women speakers", "10", 10, "count", "at_most", "speaker"),
    Example("between 30 and 40 students attended", "30 and 40", 30, "count", head="student", value_max=40),
    Example("The 5-year plan starts now.", "5-year", 5, "duration", unit="year"),
    Example("a 45 minutes keynote", "45 minutes", 45, "duration", unit="minute"),
    Example("The site will draw 4 MW of power.", "4 MW", 4, "measure", unit="MW"),
    Example("It was founded in 1998 in Paris.", "1998", 1998, "year"),
    Example("we sold 2000 tickets", "2000", 2000, "count", head="ticket"),
    Example("About half of the attendees were women", "half", 50, "percent", "approximate", "attendee"),
    Example("More than two-thirds of the conference audience stayed", "two-thirds", 66.67, "percent", "at_least", "audience"),
    Example("The survey ran on 1/7/15 for a week.", "1/7/15", "2015-07-01", "date"),
    Example("the 2nd edition of the forum", "2nd", 2, "ordinal"),
    Example("It had twenty-one member states", "twenty-one", 21, "count", head="state"),
    Example("We held 26 talks over two days.", "26", 26, "count", head="talk"),
    Example("Temperatures of −3 degrees", "−3 degrees", -3, "measure", unit="°"),  # a count is never negative
    Example("over 12 000 visitors", "12 000", 12000, "count", "at_least", "visitor"),
    Example("over 12\u202f000 visitors", "12\u202f000", 12000, "count", "at_least", "visitor"),
]

FRENCH = [
    Example("La cérémonie a réuni plus de 91 000 visiteurs.", "91 000", 91000, "count", "at_least", "visiteur", lang="fr"),
    Example("un total de 1.932.881 votes", "1.932.881", 1932881, "count", head="vote", lang="fr"),
    Example("un budget de 2,5 millions d'euros", "2,5 millions d'euros", 2.5e6, "money", unit="EUR", lang="fr"),
    Example("près de 2 millions de participants", "2 millions", 2e6, "count", "approximate", "participant", lang="fr"),
    Example("environ 300 chercheurs", "300", 300, "count", "approximate", "chercheur", lang="fr"),
    Example("jusqu'à 50 projets seront financés", "50", 50, "count", "at_most", "projet", lang="fr"),
    Example("au moins 12 laboratoires", "12", 12, "count", "at_least", "laboratoire", lang="fr"),
    Example("moins de 5 % des entreprises", "5 %", 5, "percent", "at_most", "entreprise", lang="fr"),
    Example("un contrat de 18 mois", "18 mois", 18, "duration", unit="month", lang="fr"),
    Example("la 6e édition du salon", "6e", 6, "ordinal", lang="fr"),
    Example("Le 1er janvier 2024, le centre", "1er janvier 2024", "2024-01-01", "date", lang="fr"),
    Example("du 15 au 18 juin 2022 à Paris", "18 juin 2022", "2022-06-18", "date", lang="fr"),
    Example("cinq actions prioritaires", "cinq", 5, "count", head="action", lang="fr"),
    Example("vingt et un pays", "vingt et un", 21, "count", head="pays", lang="fr"),
    Example("Il y a 100 pétaoctets de données", "100 pétaoctets", 100, "measure", unit="PB", lang="fr"),
    Example("une croissance de 3,5 pour cent", "3,5 pour cent", 3.5, "percent", lang="fr"),
]

NOISE = [
    Example("Contact: +56992895205 for details", "+56992895205", None, "none"),
    Example("trained on A100 GPUs", "A100", None, "none"),
    Example("the PNRIA1 programme", "PNRIA1", None, "none"),
    Example("Délégation Paris-Normandie (DR16) 10 CNRS departments", "DR16", None, "none"),
    Example("see https://example.org/2024/report/ now", "2024", None, "none"),
    Example("write to info2024@example.org", "info2024@example.org", None, "none"),
    Example("where i = 1 to n", "1", None, "none"),
    Example(".. image:: _static/ticket_sales_2015.png\n   :width: 100%", "100%", None, "none"),
    Example("Show that ∠KIL + ∠XPY = 180°", "180", None, "none"),
    Example("we met at 4YFN in Barcelona", "4YFN", None, "none"),
    Example("version 3.12.1 of the library", "3.12.1", None, "none"),
]

BUGS_CAUGHT = [
    Example("15 proposals organized by the Summit's 5 themes", "5", 5, "count", head="theme"),
    Example("8 funded thanks to an additional funding", "8", 8, "count"),
    Example("Created in 2012, Inria Chile is", "2012", 2012, "year"),
    Example("speakers over 2 days", "2 days", 2, "duration", unit="day"),
    Example("There were 9 roundtables. About 3,800 participants came.", "3,800", 3800, "count", "approximate", "participant"),
]

ALL_GROUPS = {
    "seed": SEED_TEXTS, "press": PRESS_RELEASE_PHRASES, "french": FRENCH, "noise": NOISE, "bugs": BUGS_CAUGHT,
}
