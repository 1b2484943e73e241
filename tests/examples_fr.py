"""French examples: communiqués de presse of ministries, research bodies, cities and companies."""

from __future__ import annotations

from functools import partial

from tests.examples import Example

E = partial(Example, lang="fr")

COMPTES = [
    E("Le salon a accueilli 91 000 visiteurs cette année.", "91 000", 91000, "count", head="visiteur"),
    E("La ville compte 2 300 agents.", "2 300", 2300, "count", head="agent"),
    E("Le réseau fédère 450 entreprises.", "450", 450, "count", head="entreprise"),
    E("Au total, 1 932 881 votes ont été exprimés.", "1 932 881", 1932881, "count", head="vote"),
    E("soit un total de 1.932.881 suffrages", "1.932.881", 1932881, "count", head="suffrage"),
    E("Près de 2 millions de personnes ont participé.", "2 millions", 2e6, "count", "approximate", "personne"),
    E("L'appel a reçu 312 candidatures.", "312", 312, "count", head="candidature"),
    E("12 lauréats ont été désignés par le jury.", "12", 12, "count", head="lauréat"),
    E("Le programme a formé 5 400 enseignants.", "5 400", 5400, "count", head="enseignant"),
    E("Le campus regroupe 38 laboratoires.", "38", 38, "count", head="laboratoire"),
    E("1,2 million d'habitants sont concernés.", "1,2 million", 1.2e6, "count", head="habitant"),
    E("La plateforme compte 250 000 utilisateurs actifs.", "250 000", 250000, "count", head="utilisateur"),
    E("Cinq projets ont été retenus.", "Cinq", 5, "count", head="projet"),
    E("trois nouveaux partenaires", "trois", 3, "count", head="partenaire"),
    E("vingt-deux communes participent", "vingt-deux", 22, "count", head="commune"),
    E("quatre-vingts chercheurs", "quatre-vingts", 80, "count", head="chercheur"),
    E("deux cents bénévoles", "deux cents", 200, "count", head="bénévole"),
    E("mille cinq cents places", "mille cinq cents", 1500, "count", head="place"),
    E("une dizaine de start-up", "une dizaine", 10, "count", "approximate"),
    E("une centaine de participants", "une centaine", 100, "count", "approximate", "participant"),
    E("des milliers de manifestants", "des milliers", 2000, "count", "approximate", "manifestant"),
    E("Le jury a examiné 87 dossiers.", "87", 87, "count", head="dossier"),
    E("Le parc compte 1 250 éoliennes.", "1 250", 1250, "count", head="éolienne"),
    E("40 000 logements seront rénovés.", "40 000", 40000, "count", head="logement"),
    E("Les 9 clusters IA sont labellisés.", "9", 9, "count", head="cluster"),
    E("Il emploie 12\u202f000 salariés.", "12\u202f000", 12000, "count", head="salarié"),
    E("Il emploie 12\u00a0000 salariés.", "12\u00a0000", 12000, "count", head="salarié"),
    E("La région a financé 63 projets de recherche.", "63", 63, "count", head="projet"),
    E("8 établissements partenaires", "8", 8, "count", head="établissement"),
    E("On dénombre 17 réseaux régionaux.", "17", 17, "count", head="réseau"),
]

QUALIFICATIFS = [
    E("plus de 3 800 scientifiques", "3 800", 3800, "count", "at_least", "scientifique"),
    E("au moins 15 pays", "15", 15, "count", "at_least", "pays"),
    E("jusqu'à 200 personnes", "200", 200, "count", "at_most", "personne"),
    E("jusqu’à 200 personnes", "200", 200, "count", "at_most", "personne"),
    E("moins de 10 entreprises", "10", 10, "count", "at_most", "entreprise"),
    E("près de 500 élèves", "500", 500, "count", "approximate", "élève"),
    E("environ 70 exposants", "70", 70, "count", "approximate", "exposant"),
    E("quelque 300 délégués", "300", 300, "count", "approximate", "délégué"),
    E("presque 1 000 inscrits", "1 000", 1000, "count", "approximate", "inscrit"),
    E("pas moins de 40 intervenants", "40", 40, "count", "at_least", "intervenant"),
    E("autour de 60 communes", "60", 60, "count", "approximate", "commune"),
    E("plus de 10 000+ signatures", "10 000+", 10000, "count", "at_least", "signature"),
    E("au-delà de 5 ans", "5 ans", 5, "duration", "at_least", unit="year"),
]

ARGENT = [
    E("un financement de 2,5 millions d'euros", "2,5 millions d'euros", 2.5e6, "money", unit="EUR"),
    E("12 millions d'euros seront investis", "12 millions d'euros", 12e6, "money", unit="EUR"),
    E("un budget de 450 000 €", "450 000 €", 450000, "money", unit="EUR"),
    E("une enveloppe de 1,5 Md€", "1,5 Md€", 1.5e9, "money", unit="EUR"),
    E("un prix de 10 000 euros", "10 000 euros", 10000, "money", unit="EUR"),
    E("3 milliards d'euros d'investissement", "3 milliards d'euros", 3e9, "money", unit="EUR"),
    E("un don de 1M€ à la fondation", "1M€", 1e6, "money", head="don", unit="EUR"),
    E("jusqu'à 50 000 € par projet", "50 000 €", 50000, "money", "at_most", unit="EUR"),
    E("plus de 20 M€ levés", "20 M€", 20e6, "money", "at_least", unit="EUR"),
    E("un coût de 4,99 € par mois", "4,99 €", 4.99, "money", unit="EUR"),
    E("une subvention de 300 000 euros", "300 000 euros", 300000, "money", head="subvention", unit="EUR"),
    E("de 5 000 à 15 000 euros", "5 000 à 15 000 euros", 5000, "money", unit="EUR", value_max=15000),
    E("un chiffre d'affaires de 8,2 millions de dollars", "8,2 millions de dollars", 8.2e6, "money", unit="USD"),
]

POURCENTAGES = [
    E("Le taux de réussite atteint 92 %.", "92 %", 92, "percent"),
    E("une hausse de 3,5 %", "3,5 %", 3.5, "percent"),
    E("22 % des emplois", "22 %", 22, "percent", head="emploi"),
    E("une baisse de 12 pour cent", "12 pour cent", 12, "percent"),
    E("plus de 60 % des répondants", "60 %", 60, "percent", "at_least", "répondant"),
    E("près de 40\u202f% des foyers", "40\u202f%", 40, "percent", "approximate", "foyer"),
    E("la moitié des participants", "la moitié", 50, "percent", head="participant"),
    E("un tiers des communes", "un tiers", 33.33, "percent", head="commune"),
    E("deux tiers des électeurs", "deux tiers", 66.67, "percent", head="électeur"),
    E("trois quarts des entreprises", "trois quarts", 75, "percent", head="entreprise"),
    E("une croissance de 0,8 %", "0,8 %", 0.8, "percent"),
]

DUREES = [
    E("un contrat de 18 mois", "18 mois", 18, "duration", unit="month"),
    E("un programme de 3 ans", "3 ans", 3, "duration", unit="year"),
    E("une formation de 45 minutes", "45 minutes", 45, "duration", unit="minute"),
    E("pendant 2 semaines", "2 semaines", 2, "duration", unit="week"),
    E("deux jours de débats", "deux jours", 2, "duration", unit="day"),
    E("en moins d'une seconde", "une seconde", 1, "duration", unit="second"),
    E("pendant un an", "un an", 1, "duration", unit="year"),
    E("une mission de 6 mois", "6 mois", 6, "duration", unit="month"),
    E("48 heures de compétition", "48 heures", 48, "duration", unit="hour"),
    E("depuis 10 ans", "10 ans", 10, "duration", unit="year"),
    E("trois journées thématiques", "trois journées", 3, "duration", unit="day"),
    E("entre 3 et 5 ans", "3 et 5 ans", 3, "duration", unit="year", value_max=5),
]

DATES_FR = [
    E("Le 1er janvier 2024, le centre ouvre.", "1er janvier 2024", "2024-01-01", "date"),
    E("du 15 au 18 juin 2022 à Paris", "15", "2022-06-15", "date"),
    E("du 15 au 18 juin 2022 à Paris", "18 juin 2022", "2022-06-18", "date"),
    E("les 10 et 11 février 2025", "10", "2025-02-10", "date"),
    E("Paris, le 12 février 2025.", "12 février 2025", "2025-02-12", "date"),
    E("en novembre 2024", "novembre 2024", "2024-11-01", "date"),
    E("le 3 mars", "3 mars", "--03-03", "date"),
    E("du 6 au 7 février 2025", "6", "2025-02-06", "date"),
    E("le 30 juin-4 juillet 2025", "30 juin-4 juillet 2025", "2025-06-30", "date", value_max="2025-07-04"),
    E("le 14 juillet 1789", "14 juillet 1789", "1789-07-14", "date"),
    E("Publié le 05/03/2024", "05/03/2024", "2024-03-05", "date"),
    E("en septembre 2023", "septembre 2023", "2023-09-01", "date"),
    E("au 31 décembre 2023", "31 décembre 2023", "2023-12-31", "date"),
    E("le 8 mai prochain", "8 mai", "--05-08", "date"),
]

ANNEES_RANGS_MESURES = [
    E("Créé en 2012, le centre", "2012", 2012, "year"),
    E("la stratégie nationale 2018-2022", "2018-2022", 2018, "year", value_max=2022),
    E("d'ici 2030", "2030", 2030, "year"),
    E("la 6e édition du salon", "6e", 6, "ordinal"),
    E("la 10ème édition", "10ème", 10, "ordinal"),
    E("le 1er prix", "1er", 1, "ordinal"),
    E("la 2nde session", "2nde", 2, "ordinal"),
    E("100 pétaoctets de données", "100 pétaoctets", 100, "measure", unit="PB"),
    E("une puissance de 4 MW", "4 MW", 4, "measure", unit="MW"),
    E("un réseau de 30 km", "30 km", 30, "measure", unit="km"),
    E("un supercalculateur de 126 Pflop/s", "126 Pflop/s", 126, "measure", unit="Pflop/s"),
    E("une surface de 2 500 m²", "2 500 m²", 2500, "measure", unit="m2"),
    E("une production de 1,2 TWh", "1,2 TWh", 1.2, "measure", unit="TWh"),
]

PLAGES_ET_LISTES = [
    E("de 5 à 10 projets", "5 à 10", 5, "count", head="projet", value_max=10),
    E("entre 200 et 300 invités", "200 et 300", 200, "count", head="invité", value_max=300),
    E("10 à 20 salariés", "10 à 20", 10, "count", head="salarié", value_max=20),
    E("94 intervenants, 12 sessions plénières et 9 tables rondes", "12", 12, "count", head="session"),
    E("94 intervenants, 12 sessions plénières et 9 tables rondes", "9", 9, "count", head="table"),
    E("Chiffres clés\n\n11 661\nparticipants\n\n575\npropositions", "575", 575, "count", head="proposition"),
    E("Participants\n4 512", "4 512", 4512, "count", head="participant"),
    E("55 candidatures reçues, 25 présélectionnées", "25", 25, "count", head="candidature"),
]

BRUIT = [
    E("Contact : 01 23 45 67 89", "01 23 45 67 89", None, "none"),
    E("Tél. +33 1 44 27 12 34", "+33 1 44 27 12 34", None, "none"),
    E("voir https://www.inria.fr/fr/2025 pour en savoir plus", "https://www.inria.fr/fr/2025", None, "none"),
    E("le programme PNRIA2 du CNRS", "PNRIA2", None, "none"),
    E("la délégation DR16", "DR16", None, "none"),
    E("l'unité UAR 2036 du CNRS", "UAR 2036", None, "none"),
    E("écrire à presse2025@cnrs.fr", "presse2025@cnrs.fr", None, "none"),
    E("rendez-vous à 18h30", "18h30", None, "none"),
    E("le fichier rapport-2024.pdf", "rapport-2024.pdf", None, "none"),
]

ALL = {
    "fr-comptes": COMPTES, "fr-qualificatifs": QUALIFICATIFS, "fr-argent": ARGENT, "fr-pourcentages": POURCENTAGES,
    "fr-durees": DUREES, "fr-dates": DATES_FR, "fr-annees-rangs-mesures": ANNEES_RANGS_MESURES,
    "fr-plages-listes": PLAGES_ET_LISTES, "fr-bruit": BRUIT,
}
