"""The CSV files of a round's open data download, and the data dictionary that describes
them. Each column carries its own description in Dutch and English, so the dictionary
cannot miss a column.

Column names follow the plan workbook (workbook.md), so that the CSV files and the
workbook in the same download read alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from milestones.models import MilestoneState
from projects.models import IndicatorKind, ProjectStatus, ReportingRound
from projects.models.rounds import RoundState

from . import queries
from .columns import Column, CsvTable, Kind


def _status_column(path: str, choices: type[Any], nl: str, en: str) -> Column:
    return Column("status", path, Kind.CODE, nl, en, choices=choices)


def _round_column(path: str = "round__code") -> Column:
    return Column(
        "meetmoment",
        path,
        Kind.CODE,
        "Code van het meetmoment (JJJJ-MM).",
        "Code of the reporting round (YYYY-MM).",
    )


def _project_column(path: str) -> Column:
    return Column(
        "project",
        path,
        Kind.CODE,
        "Code van het project (bv. VV001).",
        "Project code (e.g. VV001).",
    )


def _the_round(reporting_round: ReportingRound) -> QuerySet[ReportingRound]:
    return ReportingRound.objects.filter(pk=reporting_round.pk, state=RoundState.CLOSED)


ROUND = CsvTable(
    "meetmoment.csv",
    "Het meetmoment van deze gegevens.",
    "The reporting round of this data.",
    _the_round,
    (
        Column("code", "code", Kind.CODE, "Code (JJJJ-MM).", "Code (YYYY-MM)."),
        Column("naam", "name", Kind.TEXT, "Naam.", "Name."),
        Column(
            "referentiedatum",
            "reference_date",
            Kind.DATE,
            "De datum waarop de cijfers slaan.",
            "The date the figures refer to.",
        ),
        Column(
            "deadline",
            "deadline",
            Kind.DATE,
            "De uiterste datum voor de projecteigenaars.",
            "The project owners' deadline.",
        ),
        Column(
            "gesloten_op",
            "closed_at",
            Kind.DATETIME,
            "Wanneer het meetmoment gesloten werd; daarna veranderen de cijfers niet meer.",
            "When the round was closed; its figures never change after that.",
        ),
    ),
)

PROJECTS = CsvTable(
    "projecten.csv",
    "Alle projecten van het plan, zoals ze nu zijn.",
    "Every project of the plan, as it is now.",
    lambda _round: queries.plan_projects(),
    (
        Column("code", "code", Kind.CODE, "Code van het project.", "Project code."),
        Column("titel", "title", Kind.TEXT, "Titel.", "Title."),
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
        Column(
            "cluster",
            "cluster__number",
            Kind.INTEGER,
            "Nummer van de cluster (planbreed).",
            "Cluster number (plan-wide).",
        ),
        Column(
            "cluster_naam",
            "cluster__name",
            Kind.TEXT,
            "Naam van de cluster.",
            "Cluster name (Dutch).",
        ),
        Column(
            "beleidsdomein",
            "domain__code",
            Kind.CODE,
            "Code van het beleidsdomein.",
            "Policy domain code.",
        ),
        Column(
            "beleidsdomein_naam",
            "domain__name",
            Kind.TEXT,
            "Naam van het beleidsdomein.",
            "Policy domain name (Dutch).",
        ),
        Column("entiteit", "entity", Kind.TEXT, "Uitvoerende entiteit.", "Executing entity."),
        Column(
            "budget_eur",
            "budget_eur",
            Kind.AMOUNT,
            "Huidig relancebudget van het project.",
            "The project's current recovery budget.",
        ),
        Column(
            "rrf",
            "is_rrf",
            Kind.YES_NO,
            "Ook in het Belgische plan voor de Europese Recovery and Resilience Facility.",
            "Also part of Belgium's plan under the EU Recovery and Resilience Facility.",
        ),
        Column(
            "rrf_maatregel",
            "rrf_measure",
            Kind.CODE,
            "RRF-maatregel (bv. I-2.09).",
            "RRF measure (e.g. I-2.09).",
        ),
        Column("startdatum", "start_date", Kind.DATE, "Startdatum.", "Start date."),
        Column("einddatum", "end_date", Kind.DATE, "Einddatum.", "End date."),
    ),
)

FICHES = CsvTable(
    "rapportering.csv",
    "De fiche van elk project op dit meetmoment: status, toelichting en geld.",
    "Each project's report (fiche) at this round: status, narrative and money.",
    queries.round_fiches,
    (
        _round_column(),
        _project_column("project_code"),
        _status_column(
            "status",
            ProjectStatus,
            "Status van het project op het meetmoment.",
            "The project's status at the round.",
        ),
        Column(
            "budget_eur",
            "round_budget_eur",
            Kind.AMOUNT,
            "Budget van het project bij het sluiten van het meetmoment.",
            "The project's budget when the round closed.",
        ),
        Column(
            "vastgelegd_eur",
            "finance__committed_eur",
            Kind.AMOUNT,
            "Vastleggingskredieten (VAK), cumulatief tot de referentiedatum.",
            "Commitments (VAK), cumulative to the reference date.",
        ),
        Column(
            "vereffend_eur",
            "finance__paid_eur",
            Kind.AMOUNT,
            "Vereffeningskredieten (VEK), cumulatief tot de referentiedatum.",
            "Payments (VEK), cumulative to the reference date.",
        ),
        Column(
            "toelichting",
            "narrative",
            Kind.TEXT,
            "Toelichting van de projecteigenaar.",
            "The project owner's narrative.",
        ),
    ),
)

MILESTONES = CsvTable(
    "mijlpalen.csv",
    "Alle mijlpalen van het plan, met hun oorspronkelijke deadline.",
    "Every milestone of the plan, with its original deadline.",
    lambda _round: queries.plan_milestones(),
    (
        _project_column("project__code"),
        Column(
            "nummer",
            "number",
            Kind.INTEGER,
            "Nummer binnen het project.",
            "Number within the project.",
        ),
        Column("omschrijving", "description", Kind.TEXT, "Omschrijving.", "Description."),
        Column(
            "deadline",
            "deadline",
            Kind.DATE,
            "Oorspronkelijke deadline; die verschuift nooit.",
            "Original deadline; it never moves.",
        ),
        Column(
            "rrf_referentie",
            "rrf_reference",
            Kind.CODE,
            "RRF-referentie (bv. I-2.09).",
            "RRF reference (e.g. I-2.09).",
        ),
    ),
)

MILESTONE_STATUSES = CsvTable(
    "mijlpaalstatus.csv",
    "De status van elke mijlpaal op dit meetmoment.",
    "Each milestone's status at this round.",
    queries.round_milestone_statuses,
    (
        _round_column(),
        _project_column("project_code"),
        Column(
            "mijlpaal",
            "milestone_number",
            Kind.INTEGER,
            "Nummer van de mijlpaal.",
            "Milestone number.",
        ),
        _status_column(
            "status", MilestoneState, "Status van de mijlpaal.", "The milestone's status."
        ),
        Column(
            "realisatiedatum",
            "realised_on",
            Kind.DATE,
            "Wanneer de mijlpaal gerealiseerd werd.",
            "When the milestone was realised.",
        ),
        Column(
            "verwachte_datum",
            "forecast_date",
            Kind.DATE,
            "Nieuwe verwachte datum van een vertraagde mijlpaal.",
            "New expected date of a delayed milestone.",
        ),
        Column(
            "aantal_keer_uitgesteld",
            "postponements",
            Kind.INTEGER,
            "Hoe vaak de verwachte datum verschoof, over alle meetmomenten.",
            "How often the expected date moved, over all rounds.",
        ),
        Column(
            "reden_vertraging",
            "delay_reason",
            Kind.TEXT,
            "Reden van de vertraging.",
            "Reason for the delay.",
        ),
        Column("toelichting", "note", Kind.TEXT, "Toelichting.", "Note."),
    ),
)

INDICATORS = CsvTable(
    "indicatoren.csv",
    "De indicatoren van de projecten zoals dit meetmoment ze definieerde, met basis- en "
    "streefwaarde.",
    "The projects' indicators as this round defined them, with baseline and target.",
    queries.round_indicators,
    (
        _project_column("indicator__project__code"),
        Column(
            "code",
            "indicator__code",
            Kind.CODE,
            "Code van de indicator binnen het project (bv. OUT1).",
            "Indicator code within the project (e.g. OUT1).",
        ),
        Column("naam", "name", Kind.TEXT, "Naam.", "Name."),
        Column("soort", "kind", Kind.CODE, "Soort.", "Kind.", choices=IndicatorKind),
        Column("eenheid", "unit", Kind.TEXT, "Eenheid.", "Unit."),
        Column("basiswaarde", "baseline", Kind.QUANTITY, "Basiswaarde.", "Baseline."),
        Column("streefwaarde", "target", Kind.QUANTITY, "Streefwaarde.", "Target."),
        Column("streefdatum", "target_date", Kind.DATE, "Streefdatum.", "Target date."),
        Column("rrf_referentie", "rrf_reference", Kind.CODE, "RRF-referentie.", "RRF reference."),
    ),
)

INDICATOR_VALUES = CsvTable(
    "indicatorwaarden.csv",
    "De waarde van elke indicator op dit meetmoment.",
    "Each indicator's value at this round.",
    queries.round_indicator_values,
    (
        _round_column(),
        _project_column("indicator__project__code"),
        Column(
            "indicator", "indicator__code", Kind.CODE, "Code van de indicator.", "Indicator code."
        ),
        Column("waarde", "value", Kind.QUANTITY, "Gemeten waarde.", "Measured value."),
        Column("toelichting", "note", Kind.TEXT, "Toelichting.", "Note."),
    ),
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
