"""Examples (issue 14): what a figure counts when its noun is not right after it, and the number
formats of financial and sports news. Our own sentences, in the layouts of consultation results,
election tallies, budget announcements, market reports and match reports; half French where
French has the layout."""

from __future__ import annotations

from functools import partial

from tests.examples import Example as E

F = partial(E, lang="fr")

# "Votes: 1,204. Cost: $85,000.": the label before the number is what is counted.
LABEL_FIRST = [
    E("Votes: 1,204. Cost: $85,000.", "1,204", 1204, "count", head="vote"),
    E("Votes: 1,204. Cost: $85,000.", "$85,000", 85000, "money", head="cost", unit="USD"),
    E("Project A\nVotes: 812\nCost: $40,000", "812", 812, "count", head="vote"),
    E("Turnout: 45%", "45%", 45, "percent", head="turnout"),
    E("Candidates: 12; seats: 5.", "12", 12, "count", head="candidate"),
    E("Candidates: 12; seats: 5.", "5", 5, "count", head="seat"),
    E("Attendance: 3,400 | Sessions: 56", "56", 56, "count", head="session"),
    E("Signatures: over 10,000.", "10,000", 10000, "count", "at_least", "signature"),
    E("Number of votes: 1,204", "1,204", 1204, "count", head="vote"),
    E("- Projects funded: 8", "8", 8, "count", head="project"),
    E("Budget: €2.5m", "€2.5m", 2.5e6, "money", head="budget", unit="EUR"),
    F("Votes : 1 204. Coût : 85 000 €.", "1 204", 1204, "count", head="vote"),
    F("Votes : 1 204. Coût : 85 000 €.", "85 000 €", 85000, "money", head="coût", unit="EUR"),
    F("Participants : 312", "312", 312, "count", head="participant"),
    F("Budget : 2,5 millions d'euros", "2,5 millions d'euros", 2.5e6, "money", head="budget", unit="EUR"),
    F("Taux de participation : 45 %", "45 %", 45, "percent", head="taux"),
    F("Lauréats : 9 ; dossiers reçus : 140.", "9", 9, "count", head="lauréat"),
    F("Nombre de votants : 4 512", "4 512", 4512, "count", head="votant"),
    F("Nombre d'élèves : 312", "312", 312, "count", head="élève"),
    F("Subvention : 40 000 €", "40 000 €", 40000, "money", head="subvention", unit="EUR"),
    F("Projet B\nVoix : 640\nCoût : 12 000 €", "640", 640, "count", head="voix"),
]

# "240 in favour, 45 against and 15 unsure", "Jones at 640 and Lee at 97", "Jones's 640".
COORDINATED = [
    E("Of the 300 people who replied, 240 in favour, 45 against and 15 unsure.", "240", 240, "count", head="person"),
    E("Of the 300 people who replied, 240 in favour, 45 against and 15 unsure.", "45", 45, "count", head="person"),
    E("Of the 300 people who replied, 240 in favour, 45 against and 15 unsure.", "15", 15, "count", head="person"),
    E("Smith finished with 812 votes, Jones at 640 and Lee at 97.", "640", 640, "count", head="vote"),
    E("Smith finished with 812 votes, Jones at 640 and Lee at 97.", "97", 97, "count", head="vote"),
    E("Smith won 812 votes to Jones's 640.", "640", 640, "count", head="vote"),
    E("Smith won 812 votes. Jones's 640 was enough for second place.", "640", 640, "count", head="vote"),
    E("The team scored 3 goals in the first half and 2 in the second.", "2", 2, "count", head="goal"),
    E("We received 120 applications from France, 80 from Spain and 45 from Italy.", "80", 80, "count", head="application"),
    E("We received 120 applications from France, 80 from Spain and 45 from Italy.", "45", 45, "count", head="application"),
    F("Sur les 300 personnes qui ont répondu, 240 pour, 45 contre et 15 sans avis.", "240", 240, "count", head="personne"),
    F("Sur les 300 personnes qui ont répondu, 240 pour, 45 contre et 15 sans avis.", "45", 45, "count", head="personne"),
    F("Sur les 300 personnes qui ont répondu, 240 pour, 45 contre et 15 sans avis.", "15", 15, "count", head="personne"),
    F("Dupont a obtenu 812 voix, Martin 640 et Durand 97.", "640", 640, "count", head="voix"),
    F("Dupont a obtenu 812 voix, Martin 640 et Durand 97.", "97", 97, "count", head="voix"),
    F("L'équipe a marqué 3 buts en première mi-temps et 2 en seconde.", "2", 2, "count", head="but"),
    F("Nous avons reçu 120 candidatures en France, 80 en Espagne et 45 en Italie.", "80", 80, "count", head="candidature"),
    F("Nous avons reçu 120 candidatures en France, 80 en Espagne et 45 en Italie.", "45", 45, "count", head="candidature"),
    F("La liste A a recueilli 1 204 suffrages, la liste B 980.", "980", 980, "count", head="suffrage"),
    F("Nous avons reçu 120 candidatures de France, 80 d'Espagne et 45 d'Italie.", "80", 80, "count", head="candidature"),
    F("Nous avons reçu 120 candidatures de France, 80 d'Espagne et 45 d'Italie.", "45", 45, "count", head="candidature"),
]

# "Of the 300 replies received, 240 (80%) were in favour", "62% from abroad", "dont sept".
SHARES = [
    E("Of the 300 replies received, 240 (80%) were in favour.", "240", 240, "count", head="reply"),
    E("Of the 300 replies received, 240 (80%) were in favour.", "80%", 80, "percent", head="reply"),
    E("9,500 visitors attended, 62% from abroad.", "62%", 62, "percent", head="visitor"),
    E("The fund backed 40 startups, 25% led by women.", "25%", 25, "percent", head="startup"),
    E("1,200 students sat the exam and 85% passed.", "85%", 85, "percent", head="student"),
    E("Of 50 projects, 12 were funded.", "12", 12, "count", head="project"),
    E("The survey reached 2,000 households, of which 30% had children.", "30%", 30, "percent", head="household"),
    E("We hosted 64 sessions, half of them online.", "half", 50, "percent", head="session"),
    F("21 réunions ont eu lieu, dont sept en ligne.", "sept", 7, "count", head="réunion"),
    F("Sur les 300 réponses reçues, 240 (80 %) étaient favorables.", "240", 240, "count", head="réponse"),
    F("Sur les 300 réponses reçues, 240 (80 %) étaient favorables.", "80 %", 80, "percent", head="réponse"),
    F("9 500 visiteurs, dont 62 % en provenance de l'étranger.", "62 %", 62, "percent", head="visiteur"),
    F("1 200 élèves ont passé l'examen et 85 % ont réussi.", "85 %", 85, "percent", head="élève"),
    F("Sur 50 projets, 12 ont été financés.", "12", 12, "count", head="projet"),
    F("Nous avons organisé 64 sessions, dont trente en ligne.", "trente", 30, "count", head="session"),
    F("Le fonds a soutenu 40 start-up, dont 25 % dirigées par des femmes.", "25 %", 25, "percent", head="start-up",
      gap="a French past participle after a share ('dirigées') is read as its noun"),
]

# "put forward $50,000 as prizes", "12 millions d'euros seront investis dans les écoles".
MONEY_PURPOSE = [
    E("The city put forward $50,000 as prizes.", "$50,000", 50000, "money", head="prize", unit="USD"),
    E("The region will invest €2m in new schools.", "€2m", 2e6, "money", head="school", unit="EUR"),
    E("$3.5 million will be spent on road repairs.", "$3.5 million", 3.5e6, "money", head="repair", unit="USD"),
    E("The foundation set aside £200,000 for scholarships.", "£200,000", 200000, "money", head="scholarship", unit="GBP"),
    E("A further $1.2bn was allocated to hospitals.", "$1.2bn", 1.2e9, "money", head="hospital", unit="USD"),
    E("Another $40,000 went to prizes.", "$40,000", 40000, "money", head="prize", unit="USD"),
    E("The council earmarked €750,000 towards cycle lanes.", "€750,000", 750000, "money", head="lane", unit="EUR"),
    E("It spent US$4.5m on marketing.", "US$4.5m", 4.5e6, "money", head="marketing", unit="USD"),
    F("près de 12 millions d'euros seront investis dans les écoles.", "12 millions d'euros", 12e6, "money", "approximate",
      "école", "EUR"),
    F("La ville consacre 500 000 € à la rénovation des gymnases.", "500 000 €", 500000, "money", head="rénovation", unit="EUR"),
    F("2 millions d'euros ont été alloués aux associations.", "2 millions d'euros", 2e6, "money", head="association", unit="EUR"),
    F("300 000 € seront consacrés aux bourses.", "300 000 €", 300000, "money", head="bourse", unit="EUR"),
    F("5 M€ investis dans la recherche", "5 M€", 5e6, "money", head="recherche", unit="EUR"),
    F("Le département dépensera 1,5 million d'euros pour les routes.", "1,5 million d'euros", 1.5e6, "money", head="route",
      unit="EUR"),
    F("Elle verse 80 000 € comme dotation.", "80 000 €", 80000, "money", head="dotation", unit="EUR"),
    F("La région a versé 40 000 € en subventions.", "40 000 €", 40000, "money", head="subvention", unit="EUR"),
    F("un don de 1M€ à la fondation", "1M€", 1e6, "money", head="don", unit="EUR"),
]

# Currency codes and symbols glued to amounts, scale letters, signs, bounds, decimals.
NEWS_FORMATS = [
    E("Revenue rose to US$4.5m.", "US$4.5m", 4.5e6, "money", unit="USD"),
    E("a $US12,000 grant", "$US12,000", 12000, "money", head="grant", unit="USD"),
    E("It raised A$300,000 from backers.", "A$300,000", 300000, "money", unit="AUD"),
    E("a AUD2.5m contract", "AUD2.5m", 2.5e6, "money", head="contract", unit="AUD"),
    E("The stake is valued at HK$ 40 million.", "HK$ 40 million", 40e6, "money", unit="HKD"),
    E("Lunch costs RM45.", "RM45", 45, "money", unit="MYR"),
    E("SGD1.2bn in sales", "SGD1.2bn", 1.2e9, "money", head="sale", unit="SGD"),
    E("a loss of CHF 3.4bn", "CHF 3.4bn", 3.4e9, "money", head="loss", unit="CHF"),
    E("It sold 5 mln units.", "5 mln", 5e6, "count", head="unit"),
    E("a $2.1b deal", "$2.1b", 2.1e9, "money", head="deal", unit="USD"),
    E("Sales reached EUR3.4bn.", "EUR3.4bn", 3.4e9, "money", unit="EUR"),
    E("It shipped 12m devices last year.", "12m", 12e6, "count", head="device"),
    E("She won the 100m hurdles.", "100m", 100, "measure", unit="m"),
    E("They took gold in the 4 x 400m relay.", "400m", 400, "measure", unit="m"),
    E("About 4 hundred million people", "4 hundred million", 4e8, "count", "approximate", "person"),
    E("Exports rose 12% and imports grew 3 per cent.", "3 per cent", 3, "percent"),
    E("a sixfold increase in traffic", "sixfold", 6, "other", unit="fold"),
    E("a 6-fold rise in cases", "6-fold", 6, "other", unit="fold"),
    E("Overnight it fell to minus-12 degrees.", "minus-12 degrees", -12, "measure", unit="°"),
    E("He was sacked for a loss of -3 yards.", "-3 yards", -3, "measure", unit="yd"),
    E("The team ran for 45 yards.", "45 yards", 45, "measure", unit="yd"),
    E("sub-10 nanometre chips", "10 nanometre", 10, "measure", "at_most", unit="nm"),
    E("Inflation rose .005 per cent.", ".005 per cent", 0.005, "percent"),
    E("Nasdaq +0.4%, FTSE 100 +0.6%", "+0.4%", 0.4, "percent"),
    E("Nasdaq +0.4%, FTSE 100 +0.6%", "+0.6%", 0.6, "percent"),
    E("Nasdaq +0.4%, FTSE 100 +0.6%", "100", None, "none"),
    E("The S&P 500 closed higher.", "500", None, "none"),
    E("Bonds lost 0.3%, stocks -1.2%.", "-1.2%", -1.2, "percent"),
    F("Le CAC 40 gagne +0,6 %.", "+0,6 %", 0.6, "percent"),
    F("Le CAC 40 gagne +0,6 %.", "40", None, "none"),
    F("Il a fait -12 degrés cette nuit.", "-12 degrés", -12, "measure", unit="°"),
    F("Le groupe a levé 2,5 M$ auprès de fonds.", "2,5 M$", 2.5e6, "money", unit="USD"),
    F("une amende de CHF 3,4 mrd", "CHF 3,4 mrd", 3.4e9, "money", head="amende", unit="CHF"),
    F("un contrat de EUR3,4 Mds", "EUR3,4 Mds", 3.4e9, "money", head="contrat", unit="EUR"),
    F("Le chiffre d'affaires progresse de +4,2 %.", "+4,2 %", 4.2, "percent"),
    F("une puce gravée en 3 nanomètres", "3 nanomètres", 3, "measure", unit="nm"),
    F("une hausse de 0,5 pour cent", "0,5 pour cent", 0.5, "percent"),
    F("4 milliards de passagers", "4 milliards", 4e9, "count", head="passager"),
    F("Le trafic a été multiplié par six.", "six", 6, "other", unit="fold"),
]

# Fractions as quantities and scientific notation.
FRACTIONS_SCIENTIFIC = [
    E("a third of the members voted", "a third", 33.33, "percent", head="member"),
    E("One in four adults smoke.", "One in four", 25, "percent", head="adult"),
    E("one out of five patients", "one out of five", 20, "percent", head="patient"),
    E("1 in 10 homes lacks heating", "1 in 10", 10, "percent", head="home"),
    E("Add 1/8 of a cup of sugar.", "1/8", 12.5, "percent", head="cup"),
    E("a gap of 1⁄64 of an inch", "1⁄64", 1.5625, "percent", head="inch"),
    E("three-quarters of respondents agreed", "three-quarters", 75, "percent", head="respondent"),
    E("Three quarters of the budget", "Three quarters", 75, "percent", head="budget"),
    E("open 24/7 all year", "24/7", None, "none"),
    E("Avogadro's number is 6.02×10^23 per mole.", "6.02×10^23", 6.02e23, "count"),
    E("a charge of 1.6×10−19 coulombs", "1.6×10−19", 1.6e-19, "count"),
    E("about 3 x 10^8 metres per second", "3 x 10^8", 3e8, "count", "approximate"),
    F("un tiers des membres a voté", "un tiers", 33.33, "percent", head="membre"),
    F("les trois quarts des élèves", "trois quarts", 75, "percent", head="élève"),
    F("Un sur quatre a répondu.", "Un sur quatre", 25, "percent"),
    F("une sur cinq", "une sur cinq", 20, "percent"),
    F("Ajoutez 1/8 de tasse de sucre.", "1/8", 12.5, "percent", head="tasse"),
    F("la moitié des participants", "la moitié", 50, "percent", head="participant"),
    F("6,02×10^23 molécules", "6,02×10^23", 6.02e23, "count", head="molécule"),
    F("une charge de 1,6×10−19 coulomb", "1,6×10−19", 1.6e-19, "count"),
]

# "one" both ways: a figure where it counts, nothing where it is a pronoun or an article.
ONE = [
    E("One proposal asks for more bike lanes.", "One", 1, "count", head="proposal"),
    E("She was one of the 12 finalists.", "one", 1, "count", head="finalist"),
    E("We opened one research centre in Lyon.", "one", 1, "count", head="centre"),
    E("Only one candidate withdrew.", "one", 1, "count", head="candidate"),
    E("No one came to the meeting.", "one", None, "none"),
    E("They help one another.", "one", None, "none"),
    E("One should note that prices fell.", "One", None, "none"),
    E("the one that won", "one", None, "none"),
    E("It is one of us.", "one", None, "none"),
    E("one of the best results", "one", None, "none"),
    E("Views vary from one discipline to another.", "one", None, "none"),
    E("Every one of them agreed.", "one", None, "none"),
    F("Il était l'un des 12 finalistes.", "un", 1, "count", head="finaliste"),
    F("C'est une des 40 communes concernées.", "une", 1, "count", head="commune"),
    F("Un projet a été retenu.", "Un", None, "none"),
    F("une belle réussite", "une", None, "none"),
]

# The not-figure masks keep their precision next to the new forms: phones with "+", codes that
# start like a currency, versions, product and index names.
NOISE_NEWS = [
    E("Call +44 20 7946 0958 today.", "+44 20 7946 0958", None, "none"),
    E("Call +1 (555) 123-4567.", "+1 (555) 123-4567", None, "none"),
    F("Appelez le +33 1 23 45 67 89.", "+33 1 23 45 67 89", None, "none"),
    E("Update to version 2.4.1 now.", "2.4.1", None, "none"),
    E("Benchmarks on H100 GPUs.", "H100", None, "none"),
    E("Our reference AUD2024-17 applies.", "AUD2024-17", None, "none"),
    E("Part RM45X is out of stock.", "RM45X", None, "none"),
    E("the ISO 9001 label", "9001", None, "none"),
    E("The Euro Stoxx 50 slipped.", "50", None, "none"),
    F("Le SBF 120 recule.", "120", None, "none"),
]

ALL = {
    "layout-label-first": LABEL_FIRST, "layout-coordinated": COORDINATED, "layout-shares": SHARES,
    "layout-money-purpose": MONEY_PURPOSE, "news-formats": NEWS_FORMATS, "fractions-scientific": FRACTIONS_SCIENTIFIC,
    "one": ONE, "noise-news": NOISE_NEWS,
}
