"""Helpers for the workbook tests: workbooks built cell by cell, and the database's rows."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from openpyxl import Workbook, load_workbook

from finance.models import FinanceReport
from milestones.models import Milestone, MilestoneStatus
from projects.models import (
    Cluster,
    Fiche,
    Indicator,
    IndicatorDefinition,
    IndicatorValue,
    PolicyDomain,
    Project,
    ReportingRound,
    ReviewEvent,
    Speerpunt,
    StatusFlag,
)
from relance.workbook.sheets import ABOUT_SHEET

PLAN_MODELS = [
    PolicyDomain,
    Speerpunt,
    Cluster,
    Project,
    Milestone,
    ReportingRound,
    Fiche,
    FinanceReport,
    MilestoneStatus,
    Indicator,
    IndicatorDefinition,
    IndicatorValue,
    StatusFlag,
    ReviewEvent,
]

HEADERS = {
    "beleidsdomeinen": ["code", "naam"],
    "speerpunten": ["nummer", "naam"],
    "clusters": ["nummer", "speerpunt", "naam"],
    "projecten": [
        "code", "titel", "cluster", "beleidsdomein", "entiteit", "budget_eur", "rrf",
        "rrf_maatregel", "startdatum", "einddatum", "klimaatcoefficient", "digitaalcoefficient",
        "buiten_plan_vanaf", "reden_buiten_plan",
    ],
    "mijlpalen": ["project", "nummer", "omschrijving", "deadline", "rrf_referentie",
                  "rrf_kwartaal", "rrf_schijf"],
    "meetmomenten": ["code", "naam", "referentiedatum", "deadline", "status", "envelop_eur"],
    "rapportering": [
        "meetmoment", "project", "status", "vastgelegd_eur", "vereffend_eur", "toelichting",
        "budget_eur", "markering", "motivatie",
    ],
    "mijlpaalstatus": [
        "meetmoment", "project", "mijlpaal", "status", "realisatiedatum", "toelichting",
        "verwachte_datum", "reden_vertraging", "uitgesteld",
    ],
    "indicatoren": [
        "meetmoment", "project", "code", "naam", "soort", "eenheid", "basiswaarde", "streefwaarde",
        "streefdatum", "rrf_referentie", "rrf_kwartaal", "rrf_schijf",
    ],
    "indicatorwaarden": ["meetmoment", "project", "indicator", "waarde", "toelichting"],
}  # fmt: skip


def plan_rows() -> dict[str, list[list[Any]]]:
    """A small, complete plan: every sheet, one or two rows each."""
    return {
        "beleidsdomeinen": [["MOW", "Mobiliteit en Openbare Werken"]],
        "speerpunten": [[1, "Economie en samenleving verduurzamen"]],
        "clusters": [[2, 1, "Fietsinfrastructuur"]],
        "projecten": [
            ["VV014", "Fietsinfrastructuur aan gemeentewegen", 2, "MOW", "AWV", 150000000,
             "nee", None, dt.date(2021, 1, 1), dt.date(2026, 12, 31)],
            ["VV127", "Digibanken", 2, "MOW", None, 50000000.5, "ja", "I-4.02",
             "2021-03-01", "31/12/2025"],
        ],
        "mijlpalen": [
            ["VV014", 1, "Gunning van de opdracht", dt.date(2022, 6, 30), None],
            ["VV014", 2, "Oplevering", dt.date(2025, 6, 30), None],
        ],
        "meetmomenten": [["2023-12", "December 2023", dt.date(2023, 12, 31),
                          dt.date(2024, 1, 31), "open"]],
        "rapportering": [
            ["2023-12", "VV014", "in uitvoering", 1234567.89, "1000,50", "Loopt volgens plan."],
            ["2023-12", "VV127", "ORANJE", 0, None, None],
        ],
        "mijlpaalstatus": [
            ["2023-12", "VV014", 1, "gerealiseerd", dt.date(2022, 6, 1), None],
            ["2023-12", "VV014", 2, "op schema", None, "Volgens planning"],
        ],
        "indicatoren": [[None, "VV014", "OUT1", "Km fietspad", "output", "km", 0, 300,
                         dt.date(2026, 12, 31), None]],
        "indicatorwaarden": [["2023-12", "VV014", "OUT1", 120.5, None]],
    }  # fmt: skip


def xlsx(sheets: dict[str, list[list[Any]]], *, headers: bool = True) -> io.BytesIO:
    """A workbook with these sheets; each gets its header row unless ``headers`` is off
    (then the first row given is the header)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        if headers:
            sheet.append(HEADERS[name])
        for row in rows:
            sheet.append(row)
    stream = io.BytesIO()
    workbook.save(stream)
    stream.seek(0)
    return stream


def plan_workbook(**changes: list[list[Any]]) -> io.BytesIO:
    return xlsx({**plan_rows(), **changes})


def rewrite(stream: io.BytesIO, member: str, change: Any) -> io.BytesIO:
    """The workbook with one of its zip members changed by ``change(text) -> text``."""
    stream.seek(0)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(stream) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == member:
                data = change(data.decode()).encode()
            target.writestr(item, data)
    out.seek(0)
    return out


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the plan's tables, to show that a refused import changed nothing."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in PLAN_MODELS}


def cells(stream: io.BytesIO | bytes) -> dict[str, list[list[tuple[Any, str]]]]:
    """Every cell of every sheet, with its type: what "the same workbook" means (the first
    sheet, which says when the file was made, for people, aside)."""
    data = stream if isinstance(stream, bytes) else stream.getvalue()
    workbook = load_workbook(io.BytesIO(data))
    return {
        sheet.title: [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
        if sheet.title != ABOUT_SHEET
    }


def errors(result: Any) -> list[str]:
    return [str(error) for error in result.errors]
