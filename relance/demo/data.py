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
    """One closed round of the demo: its dates, the published counts and totals.

    ``closed_on`` is a plausible day near the round's real publication (the sources give the
    month at best); ``committed_eur`` and ``paid_eur`` are the cumulative VAK and VEK of the
    round's projects. ``source`` says which figures are published and which are chosen.
    """

    code: str
    name: str
    reference_date: dt.date
    opens_on: dt.date
    deadline: dt.date
    closed_on: dt.date
    counts: dict[ProjectStatus, int]
    committed_eur: int
    paid_eur: int
    source: str


S = ProjectStatus
ENVELOPE_EUR = 4_300 * MILLION  # "4,3 miljard euro aan relancemiddelen"
ROUNDS = [
    RoundPlan(
        "2021-03", "Maart 2021", dt.date(2021, 3, 31), dt.date(2021, 3, 1), dt.date(2021, 4, 16),
        dt.date(2021, 4, 23),
        {S.STARTED: 91, S.IN_PROGRESS: 77, S.ATTENTION: 1, S.NOT_STARTED: 11},
        310 * MILLION, 21 * MILLION,
        "Counts verbatim (vlaanderen.be, published April 2021; the orange project is VV168 per "
        "knack.be/Belga). VAK and VEK were not published: demo choices.",
    ),
    RoundPlan(
        "2021-09", "September 2021", dt.date(2021, 9, 30), dt.date(2021, 9, 1),
        dt.date(2021, 10, 22), dt.date(2021, 11, 5),
        {S.STARTED: 26, S.IN_PROGRESS: 149, S.ATTENTION: 1, S.NOT_STARTED: 4},
        750 * MILLION, 76_800_000,
        "Counts verbatim (vlaanderen.be); VAK 750 million published; VEK derived: December "
        "2021's 218.8 million minus the published +142 million. The orange project is not "
        "named: VV168 is a demo choice.",
    ),
    RoundPlan(
        "2021-12", "December 2021", dt.date(2021, 12, 31), dt.date(2021, 12, 1),
        dt.date(2022, 1, 28), dt.date(2022, 2, 18),
        {S.IN_PROGRESS: 153, S.STARTED: 17, S.REALISED: 1, S.ATTENTION: 7, S.NOT_STARTED: 2},
        1_522_630_000, 218_800_000,
        "VAK 35.41% of 4.3 billion; VEK 218.8 million (Rekenhof audit, March 2022). Counts as "
        "the domain notes give them; which projects are orange is chosen, but VV168.",
    ),
    RoundPlan(
        "2022-06", "Juni 2022", dt.date(2022, 6, 30), dt.date(2022, 6, 1), dt.date(2022, 7, 1),
        dt.date(2022, 7, 8),
        {S.STARTED: 9, S.IN_PROGRESS: 162, S.REALISED: 2, S.ATTENTION: 5, S.ACTION_REQUIRED: 1,
         S.NOT_STARTED: 1},
        1_999_500_000, 430 * MILLION,
        "Counts and the named projects verbatim (vlaanderen.be; on the Government's agenda of "
        "15 July 2022). VAK 46.5% of 4.3 billion ('2 miljard'); VEK 'nog maar 10 procent' "
        "(Vlaams Parlement, verslag 1659871): 430 million.",
    ),
    RoundPlan(
        "2022-12", "December 2022", dt.date(2022, 12, 31), dt.date(2022, 12, 1),
        dt.date(2023, 1, 31), dt.date(2023, 3, 3),
        {S.IN_PROGRESS: 162, S.STARTED: 3, S.REALISED: 13, S.ATTENTION: 2, S.ACTION_REQUIRED: 1},
        4_085 * MILLION, 1_309 * MILLION,
        "162 + 3 on schedule and 13 realised verbatim; the other 3 (2 orange, 1 red) are not "
        "published and chosen here. VAK 95%; VEK derived from December 2023 (2.162 billion "
        "minus 853 million).",
    ),
    RoundPlan(
        "2023-12", "December 2023", dt.date(2023, 12, 31), dt.date(2023, 12, 1),
        dt.date(2024, 1, 31), dt.date(2024, 3, 1),
        {S.REALISED: 33, S.IN_PROGRESS: 141, S.STOPPED: 3, S.ATTENTION: 4},
        4_168 * MILLION, 2_162 * MILLION,
        "Verbatim (vlaanderen.be): 33 realised, 141 on schedule, 3 stopped, 4 needing "
        "attention; 1483 of 1753 milestones; VAK 4.168 billion; VEK 50.28% (+853 million).",
    ),
    RoundPlan(
        "2024-12", "December 2024", dt.date(2024, 12, 31), dt.date(2024, 12, 2),
        dt.date(2025, 1, 31), dt.date(2025, 3, 7),
        {S.REALISED: 53, S.IN_PROGRESS: 92, S.STOPPED: 3, S.ATTENTION: 2, S.ACTION_REQUIRED: 9},
        4_164 * MILLION, 3_052 * MILLION,
        "Verbatim (vlaanderen.be/en): 159 projects monitored, 53 completed, 92 on schedule, "
        "3 discontinued, 2 attention, 9 action; VAK 4.164 billion; VEK +890 million (derived "
        "total). Which 22 projects left the plan is not published: chosen here.",
    ),
]  # fmt: skip
ON_SCHEDULE_OR_REALISED_2023 = 1483
MILESTONE_PIVOT = "2023-12"  # the round whose milestone figures are published

# VV181 was added between June and December 2022, funded by 2 million from each donor.
VV181_FROM = "2022-12"

# From December 2024 on, 22 projects were funded from regular means and left the plan's
# monitoring. Which ones is not published: the demo takes the smallest running projects that the
# sources say nothing about.
LEAVERS_FROM = "2024-12"
LEAVERS = 22
LEAVERS_REASON = (
    "Overgeheveld naar reguliere middelen: vanaf de meting van december 2024 gefinancierd "
    "uit de reguliere begroting en niet langer opgevolgd in het relanceplan."
)

# Statuses the sources name (round: {project number: status}).
PUBLISHED_STATUS = {
    "2021-03": {168: S.ATTENTION},
    "2022-06": {146: S.REALISED, 139: S.REALISED, 14: S.ATTENTION, 56: S.ATTENTION,
                87: S.ATTENTION, 120: S.ATTENTION, 168: S.ATTENTION, 78: S.ACTION_REQUIRED},
    "2022-12": {44: S.REALISED},
}  # fmt: skip
# Statuses chosen for the demo so that the published facts follow plausibly (not published).
CHOSEN_STATUS = {
    "2021-09": {168: S.ATTENTION},
    "2021-12": {146: S.REALISED, 168: S.ATTENTION, 14: S.ATTENTION, 56: S.ATTENTION,
                120: S.ATTENTION},
    "2022-12": {168: S.ATTENTION, 87: S.ATTENTION, 78: S.ACTION_REQUIRED},
    "2023-12": {168: S.ATTENTION},
}  # fmt: skip

# Transition coefficients (climate, digital) per cluster: demo choices after the RRF's
# tagging of similar measures, for every project, the known ones included.
CLUSTER_TRANSITIONS = {
    1: (100, 0), 2: (100, 0), 3: (40, 0), 4: (100, 40), 5: (100, 0), 6: (100, 0), 7: (100, 0),
    8: (40, 0), 9: (100, 0), 10: (0, 0), 11: (100, 0), 12: (40, 0), 13: (100, 0), 14: (40, 0),
    15: (40, 0), 16: (40, 0), 17: (0, 100), 18: (0, 100), 19: (0, 100), 20: (0, 100),
    21: (0, 100), 22: (0, 100), 23: (0, 100), 24: (0, 100), 25: (0, 40), 26: (0, 100),
    27: (0, 40), 28: (40, 0), 29: (0, 40), 30: (0, 0), 31: (40, 0), 32: (0, 0), 33: (0, 0),
    34: (0, 0), 35: (0, 40), 36: (0, 0),
}  # fmt: skip


@dataclass(frozen=True)
class IndicatorPlan:
    """A demo indicator: its definition from its first round on, and the rounds from which a
    changed definition applies. Targets and values are demo choices unless ``source`` says
    otherwise."""

    project: int
    code: str
    name: str
    kind: str
    unit: str
    baseline: int
    target: int
    target_date: dt.date
    changes: dict[str, dict[str, object]]
    source: str = "demo choice"


INDICATORS = [
    IndicatorPlan(14, "OUT1", "Aangelegd of vernieuwd fietspad aan gemeentewegen", "output", "km",
                  0, 250, dt.date(2025, 12, 31),
                  {"2022-12": {"target": 320, "name": "Aangelegd of vernieuwd fietspad aan "
                               "gemeentewegen (Plan Kopenhagen)"}}),
    IndicatorPlan(14, "OUT2", "Gemeenten met een goedgekeurd trekkingsrecht", "output",
                  "gemeenten", 0, 250, dt.date(2022, 9, 30), {}),
    IndicatorPlan(24, "OUT1", "Gebiedsprojecten Water-Land-Schap in uitvoering", "output",
                  "projecten", 0, 20, dt.date(2025, 6, 30), {}),
    IndicatorPlan(34, "OUT1", "Natte natuur in de vallei van de Leie", "output", "ha", 0, 500,
                  dt.date(2026, 6, 30), {},
                  "target published (VVSG: '500 ha natte natuur vallei van de Leie'); values demo"),
    IndicatorPlan(104, "OUT1", "Gesubsidieerde stadsvernieuwingsprojecten", "output", "projecten",
                  0, 30, dt.date(2024, 12, 31), {}),
    IndicatorPlan(127, "OUT1", "Opgerichte digibanken", "output", "digibanken", 0, 40,
                  dt.date(2024, 12, 31), {"2022-06": {"target": 60}}),
    IndicatorPlan(127, "OUTC1", "Burgers begeleid naar digitale basisvaardigheden", "outcome",
                  "personen", 0, 50_000, dt.date(2025, 12, 31), {}),
    IndicatorPlan(168, "OUT1", "Geplaatste digitale meters", "output", "meters", 0, 1_000_000,
                  dt.date(2025, 12, 31), {}),
    IndicatorPlan(181, "OUT1", "Ondersteunde land- en tuinbouw- en visserijbedrijven", "output",
                  "bedrijven", 0, 1_500, dt.date(2023, 12, 31), {}),
]  # fmt: skip

# The one flag whose reason the sources give (knack.be/Belga, March 2021); the others'
# motivations are generic demo texts.
FLAG_MOTIVATIONS = {
    168: "De uitspraak van het Grondwettelijk Hof over de terugdraaiende teller zet de "
    "versnelde uitrol onder druk; de timing van de uitrol moet herbekeken worden.",
}
GENERIC_MOTIVATIONS = {
    S.ATTENTION: [
        "Meerdere mijlpalen lopen vertraging op; de planning staat onder druk.",
        "De gunning van de opdracht verloopt trager dan gepland.",
        "De vastleggingen blijven achter op de planning van het project.",
    ],
    S.ACTION_REQUIRED: [
        "De uitvoering ligt stil in afwachting van een beslissing over de financiering.",
        "De einddatum binnen de looptijd van het plan is niet meer haalbaar zonder bijsturing.",
        "De aanbesteding werd onvruchtbaar verklaard; een nieuwe procedure is nodig.",
    ],
}
FOLLOW_UPS = [
    "Een bijgestuurde planning met nieuwe mijlpaaldata bezorgen aan de Kanselarij.",
    "Toelichting geven op de coördinatievergadering van het relanceplan.",
    "Een voorstel tot herschikking van de middelen voorleggen.",
]
DELAY_REASONS = [
    "Langere doorlooptijd van de vergunningsprocedure dan gepland.",
    "De aanbesteding leverde te weinig geschikte offertes op en werd opnieuw uitgeschreven.",
    "Leveringsproblemen en prijsstijgingen van materialen.",
    "Het uitvoeringsbesluit werd later goedgekeurd dan voorzien.",
]

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
