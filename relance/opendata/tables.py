"""The CSV files of a round's open data download, and the data dictionary that describes
them. Each column carries its own description in Dutch and English, so the dictionary
cannot miss a column.

The files that publish a sheet of the plan workbook (workbook.md) take its public columns
from the workbook's declaration (relance/workbook/sheets), names and descriptions alike,
so that the CSV files and the workbook in the same download read alike; here they are
only put in order, among the columns a file adds of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet

from projects.models import ProjectStatus, ReportingRound
from projects.models.rounds import RoundState
from relance.workbook import sheets

from . import queries
from .columns import Column, CsvTable, Kind


def _the_round(reporting_round: ReportingRound) -> QuerySet[ReportingRound]:
    return ReportingRound.objects.filter(pk=reporting_round.pk, state=RoundState.CLOSED)


ROUND = CsvTable(
    "meetmoment.csv",
    "Het meetmoment van deze gegevens.",
    "The reporting round of this data.",
    _the_round,
    (
        "code",
        "naam",
        "referentiedatum",
        "deadline",
        Column(
            "gesloten_op",
            "closed_at",
            Kind.DATETIME,
            "Wanneer het meetmoment gesloten werd; daarna veranderen de cijfers niet meer.",
            "When the round was closed; its figures never change after that.",
        ),
    ),
    sheets.ROUNDS,
)

PROJECTS = CsvTable(
    "projecten.csv",
    "Alle projecten van het plan, zoals ze nu zijn.",
    "Every project of the plan, as it is now.",
    lambda _round: queries.plan_projects(),
    (
        "code",
        "titel",
        Column(
            "speerpunt",
            "cluster__speerpunt__number",
            Kind.INTEGER,
            "Nummer van het speerpunt.",
            "Spearhead (speerpunt) number.",
        ),
        Column(
            "speerpunt_naam",
            "cluster__speerpunt__name",
            Kind.TEXT,
            "Naam van het speerpunt.",
            "Spearhead name (Dutch).",
        ),
        "cluster",
        Column(
            "cluster_naam",
            "cluster__name",
            Kind.TEXT,
            "Naam van de cluster.",
            "Cluster name (Dutch).",
        ),
        "beleidsdomein",
        Column(
            "beleidsdomein_naam",
            "domain__name",
            Kind.TEXT,
            "Naam van het beleidsdomein.",
            "Policy domain name (Dutch).",
        ),
        "entiteit",
        "budget_eur",
        "rrf",
        "rrf_maatregel",
        "startdatum",
        "einddatum",
    ),
    sheets.PROJECTS,
)

FICHES = CsvTable(
    "rapportering.csv",
    "De fiche van elk project op dit meetmoment: status, toelichting en geld.",
    "Each project's report (fiche) at this round: status, narrative and money.",
    queries.round_fiches,
    (
        "meetmoment",
        "project",
        # The round's status (a raised flag's level), where the workbook has the owner's.
        Column(
            "status",
            "status",
            Kind.CODE,
            "Status van het project op het meetmoment.",
            "The project's status at the round.",
            choices=ProjectStatus,
        ),
        # The budget frozen at closing, or the project's, where the workbook has the frozen.
        Column(
            "budget_eur",
            "round_budget_eur",
            Kind.AMOUNT,
            "Budget van het project bij het sluiten van het meetmoment.",
            "The project's budget when the round closed.",
        ),
        "vastgelegd_eur",
        "vereffend_eur",
        "toelichting",
    ),
    sheets.FICHES,
)

MILESTONES = CsvTable(
    "mijlpalen.csv",
    "Alle mijlpalen van het plan, met hun oorspronkelijke deadline.",
    "Every milestone of the plan, with its original deadline.",
    lambda _round: queries.plan_milestones(),
    (
        "project",
        "nummer",
        "omschrijving",
        "deadline",
        "rrf_referentie",
        "rrf_kwartaal",
        "rrf_schijf",
    ),
    sheets.MILESTONES,
)

MILESTONE_STATUSES = CsvTable(
    "mijlpaalstatus.csv",
    "De status van elke mijlpaal op dit meetmoment.",
    "Each milestone's status at this round.",
    queries.round_milestone_statuses,
    (
        "meetmoment",
        "project",
        "mijlpaal",
        "status",
        "realisatiedatum",
        "verwachte_datum",
        "uitgesteld",
        "reden_vertraging",
        "toelichting",
    ),
    sheets.MILESTONE_STATUSES,
)

INDICATORS = CsvTable(
    "indicatoren.csv",
    "De indicatoren van de projecten zoals dit meetmoment ze definieerde, met basis- en "
    "streefwaarde.",
    "The projects' indicators as this round defined them, with baseline and target.",
    queries.round_indicators,
    (
        "project",
        "code",
        "naam",
        "soort",
        "eenheid",
        "basiswaarde",
        "streefwaarde",
        "streefdatum",
        "rrf_referentie",
        "rrf_kwartaal",
        "rrf_schijf",
    ),
    sheets.INDICATORS,
)

INDICATOR_VALUES = CsvTable(
    "indicatorwaarden.csv",
    "De waarde van elke indicator op dit meetmoment.",
    "Each indicator's value at this round.",
    queries.round_indicator_values,
    ("meetmoment", "project", "indicator", "waarde", "toelichting"),
    sheets.INDICATOR_VALUES,
)

TABLES: tuple[CsvTable, ...] = (
    ROUND,
    PROJECTS,
    FICHES,
    MILESTONES,
    MILESTONE_STATUSES,
    INDICATORS,
    INDICATOR_VALUES,
)

DICTIONARY_FILENAME = "woordenboek.csv"
DICTIONARY_HEADERS = ["bestand", "kolom", "type", "omschrijving", "description"]


def dictionary_rows() -> Iterator[list[str]]:
    """One row per column of every CSV file: file, column, type, Dutch, English."""
    for table in TABLES:
        for column in table.columns:
            dutch, english = column.kind.value
            yield [
                table.filename,
                column.name,
                f"{dutch} / {english}",
                column.description("nl"),
                column.description("en"),
            ]
