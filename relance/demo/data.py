"""The demo plan's facts: what the sources publish, and the choices that fill the gaps."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from projects.models import ProjectStatus

SEED = 20201001
MILLION = 1_000_000

DOMAINS = [
    # code, Dutch name, English name, active until, merged into
    ("KBBJ", "Kanselarij, Bestuur, Buitenlandse Zaken en Justitie",
     "Chancellery, Public Governance, Foreign Affairs and Justice", None, None),
    ("FB", "Financiën en Begroting", "Finance and Budget", None, None),
    ("EWI", "Economie, Wetenschap en Innovatie", "Economy, Science and Innovation",
     dt.date(2023, 12, 31), "WEWILS"),
    ("OV", "Onderwijs en Vorming", "Education and Training", None, None),
    ("WVG", "Welzijn, Volksgezondheid en Gezin", "Welfare, Public Health and Family", None, None),
    ("CJSM", "Cultuur, Jeugd, Sport en Media", "Culture, Youth, Sport and Media", None, None),
    ("WSE", "Werk en Sociale Economie", "Work and Social Economy", dt.date(2023, 12, 31), "WEWILS"),
    ("LV", "Landbouw en Visserij", "Agriculture and Fisheries", dt.date(2023, 12, 31), "WEWILS"),
    ("MOW", "Mobiliteit en Openbare Werken", "Mobility and Public Works", None, None),
    ("OMG", "Omgeving", "Environment", None, None),
    ("WEWILS", "Werk, Economie, Wetenschap, Innovatie, Landbouw en Sociale Economie",
     "Work, Economy, Science, Innovation, Agriculture and Social Economy", None, None),
]  # fmt: skip

# number, Dutch name, English name, demo budget (million euro; published per-speerpunt
# totals do not exist, these follow the December 2020 announcements and add up to 4.3 bn).
SPEERPUNTEN = [
    (1, "Economie en samenleving verduurzamen", "Making the economy and society more sustainable", 1275),
    (2, "Investeren in infrastructuur", "Investing in infrastructure", 1460),
    (3, "Vlaanderen digitaal transformeren", "Transforming Flanders digitally", 820),
    (4, "Investeren in mensen en talenten", "Investing in people and talents", 320),
    (5, "Het Vlaamse zorg- en welzijnssysteem versterken",
     "Strengthening Flanders' care and welfare system", 263),
    (6, "De coronacrisis beheren en Brexit", "Emerging from the corona crisis and Brexit", 92),
    # The Dutch name of speerpunt 7 is not confirmed: the plan's English name stands.
    (7, "Making government more efficient", "Making government more efficient", 70),
]  # fmt: skip

# number, speerpunt, name, policy domain, real (from the published sources)?
CLUSTERS = [
    (1, 1, "Renovatie gebouwenpatrimonium", "OMG", True),
    (2, 1, "Fietsinfrastructuur", "MOW", True),
    (3, 1, "Circulaire economie", "OMG", False),
    (4, 1, "Energietransitie en waterstof", "OMG", False),
    (5, 1, "Klimaatinnovatie in de industrie", "EWI", False),
    (6, 1, "Blue deal", "OMG", True),
    (7, 1, "Natuur en bos", "OMG", False),
    (8, 1, "Duurzame landbouw", "LV", False),
    (9, 1, "Energiezuinig wonen", "OMG", False),
    (10, 2, "Verkeersveilige wegen", "MOW", False),
    (11, 2, "Modal shift naar het water", "MOW", False),
    (12, 2, "Vergroening van de weginfrastructuur", "MOW", False),
    (13, 2, "Openbaar vervoer", "MOW", False),
    (14, 2, "Culturele infrastructuur", "CJSM", False),
    (15, 2, "Sportinfrastructuur", "CJSM", False),
    (16, 2, "Verbetering en verduurzaming ruimtelijke ordening", "OMG", True),
    (17, 3, "Digitalisering van het leerplichtonderwijs", "OV", False),
    (18, 3, "Digitale lokale besturen", "KBBJ", False),
    (19, 3, "Digitale Vlaamse overheid", "KBBJ", False),
    (20, 3, "Artificiële intelligentie", "EWI", False),
    (21, 3, "Cyberveiligheid", "KBBJ", False),
    (22, 3, "Breedband en connectiviteit", "EWI", False),
    (23, 3, "Data-economie", "EWI", False),
    (24, 3, "Digitale zorg", "WVG", False),
    (25, 4, "Levenslang leren", "WSE", False),
    (26, 4, "Digibanken", "WSE", True),
    (27, 4, "Opleiding en activering van werkzoekenden", "WSE", False),
    (28, 4, "Onderwijsinfrastructuur", "OV", False),
    (29, 4, "Talent voor wetenschap en innovatie", "EWI", False),
    (30, 5, "Geestelijke gezondheidszorg", "WVG", False),
    (31, 5, "Zorginfrastructuur", "WVG", False),
    (32, 5, "Gezin en armoedebestrijding", "WVG", False),
    (33, 6, "Steun aan getroffen sectoren", "EWI", False),
    (34, 6, "Brexit en internationaal ondernemen", "KBBJ", False),
    (35, 7, "Minder planlast en efficiëntere overheid", "FB", False),
    # The 36th cluster appears in December 2023; VV181 fits it.
    (36, 6, "Steun aan landbouw en visserij (oorlog in Oekraïne)", "LV", False),
]

# Projects per speerpunt (demo choice; 181 in all).
PROJECTS_PER_SPEERPUNT = {1: 50, 2: 40, 3: 35, 4: 22, 5: 18, 6: 10, 7: 6}

# code number: cluster, title, budget in euro (None: generated), domain (None: the cluster's).
KNOWN_PROJECTS = {
    4: (1, "Circulaire economie - asbest", None, None),
    14: (2, "Fietsinfrastructuur aan gemeentewegen", 150 * MILLION, None),
    24: (6, "Groenblauwe infrastructuur open ruimte", 40 * MILLION, None),
    34: (6, "Vlaggenschipprojecten natuurgebaseerde oplossingen", None, None),
    44: (11, "Friendly acquisitions and expropriations New Lock Zeebrugge", None, None),
    56: (19, "Achterliggende processen gemeenschappelijke dienstverlening – onboarding "
             "raamcontract 2022", None, None),
    78: (14, "Cultuurhuis Blankenberge", None, None),
    87: (14, "Materniteit de Bijloke – de Creatiecluster (Gent)", None, None),
    104: (16, "Stadsvernieuwing", None, None),
    120: (32, "Verbeteren van de sociale kaart", None, None),
    127: (26, "Digibanken", 50 * MILLION, "WSE"),
    139: (30, "Overkophuizen", None, None),
    146: (32, "Compensatiebesluit KO (Kinderopvang) – extra tussenkomst IKT (inkomenstarief)",
          None, None),
    168: (4, "Versnelde uitrol digitale meter", None, None),
    181: (36, "Steun aan de visserij- en landbouwsector na de oorlog in Oekraïne", 6 * MILLION,
          None),
}  # fmt: skip
DONORS_OF_VV181 = (28, 33, 101)  # each gave 2 million in 2022

ENTITIES = {
    "KBBJ": ["Digitaal Vlaanderen", "Agentschap Binnenlands Bestuur", "Departement Kanselarij en Buitenlandse Zaken"],
    "FB": ["Departement Financiën en Begroting"],
    "EWI": ["VLAIO", "Departement EWI", "FWO"],
    "OV": ["Departement Onderwijs en Vorming", "AGION"],
    "WVG": ["Departement Zorg", "Opgroeien", "Departement Welzijn, Volksgezondheid en Gezin"],
    "CJSM": ["Departement Cultuur, Jeugd en Media", "Sport Vlaanderen"],
    "WSE": ["VDAB", "Departement Werk en Sociale Economie"],
    "LV": ["Departement Landbouw en Visserij", "ILVO"],
    "MOW": ["Agentschap Wegen en Verkeer", "De Vlaamse Waterweg", "Departement MOW"],
    "OMG": ["Vlaams Energie- en Klimaatagentschap", "OVAM", "Vlaamse Milieumaatschappij", "Agentschap voor Natuur en Bos"],
}  # fmt: skip

TITLE_FORMS = [
    "Investeringsprogramma {}", "Subsidieoproep {}", "Proeftuinen {}", "Versnelling {}",
    "Kennisplatform {}", "Opschaling {}", "Modernisering {}", "Lokale projecten {}",
    "Innovatietraject {}", "Digitaal loket {}", "Steunmaatregel {}", "Uitbreiding {}",
]  # fmt: skip

MILESTONE_STEPS = [
    "Agendering op de Vlaamse Regering", "Goedkeuring van het uitvoeringsbesluit",
    "Lancering van de oproep", "Selectie van de begunstigden", "Gunning van de opdracht",
    "Start van de uitvoering", "Tussentijdse evaluatie", "Oplevering eerste fase",
    "Oplevering tweede fase", "Uitbetaling van het saldo", "Oplevering laatste fase",
    "Eindafrekening", "Eindrapport en evaluatie",
]  # fmt: skip

TOTAL_MILESTONES = 1753


@dataclass(frozen=True)
class RoundPlan:
    code: str
    name: str
    reference_date: dt.date
    deadline: dt.date
    counts: dict[ProjectStatus, int]
    committed_eur: int
    paid_eur: int


S = ProjectStatus
ROUNDS = [
    RoundPlan("2021-12", "December 2021", dt.date(2021, 12, 31), dt.date(2022, 1, 31),
              {S.IN_PROGRESS: 153, S.STARTED: 17, S.REALISED: 1, S.ATTENTION: 7, S.NOT_STARTED: 2},
              1_522_630_000, 218_800_000),
    RoundPlan("2022-12", "December 2022", dt.date(2022, 12, 31), dt.date(2023, 1, 31),
              {S.IN_PROGRESS: 162, S.STARTED: 3, S.REALISED: 13, S.ATTENTION: 2,
               S.ACTION_REQUIRED: 1},
              4_085_000_000, 1_309_000_000),
    RoundPlan("2023-12", "December 2023", dt.date(2023, 12, 31), dt.date(2024, 1, 31),
              {S.REALISED: 33, S.IN_PROGRESS: 141, S.STOPPED: 3, S.ATTENTION: 4},
              4_168_000_000, 2_162_000_000),
]  # fmt: skip
ON_SCHEDULE_OR_REALISED_2023 = 1483

# Status choices that the sources name (the rest is drawn).
PINNED_STATUS = {
    "2021-12": {146: S.REALISED, 168: S.ATTENTION, 14: S.ATTENTION, 56: S.ATTENTION,
                120: S.ATTENTION},
    "2022-12": {146: S.REALISED, 139: S.REALISED, 44: S.REALISED, 168: S.ATTENTION,
                87: S.ATTENTION, 78: S.ACTION_REQUIRED},
    "2023-12": {146: S.REALISED, 139: S.REALISED, 44: S.REALISED, 168: S.ATTENTION,
                78: S.ATTENTION},
}  # fmt: skip


NARRATIVES = {
    S.NOT_STARTED: "Het project is nog niet gestart; de voorbereiding van het uitvoeringsbesluit loopt.",
    S.STARTED: "Het project is opgestart. De agendering op de Vlaamse Regering is voorzien in het "
    "volgende semester.",
    S.IN_PROGRESS: "Het project loopt volgens schema. Gerealiseerde mijlpalen: {realised} van {total}.",
    S.REALISED: "Het project is gerealiseerd: alle {total} mijlpalen zijn behaald.",
    S.ATTENTION: "Bijzondere aandacht nodig: de planning staat onder druk (vertraagde mijlpalen: "
    "{delayed} van {total}). Een bijgestuurde planning is voorgelegd.",
    S.ACTION_REQUIRED: "Bijkomende actie noodzakelijk: de uitvoering ligt stil in afwachting van een "
    "beslissing over de financiering.",
    S.STOPPED: "Het project werd stopgezet; de resterende middelen worden herverdeeld binnen het plan.",
}  # fmt: skip
