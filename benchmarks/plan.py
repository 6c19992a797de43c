"""A plan of any size, the shape of Vlaamse Veerkracht: 181 projects and 1753 milestones at
1x, two rounds of fiches and milestone statuses (the first closed, the second open).

The same seed gives the same rows, as Python values (for the raw ``bulk_create``) or as a
workbook of workbook.md (for the import).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook

DOMAINS = ["KBBJ", "FB", "EWI", "OV", "WVG", "CJSM", "WSE", "LV", "MOW", "OMG"]
PROJECT_STATUSES = ["opgestart", "in uitvoering", "gerealiseerd", "aandacht", "stopgezet"]
PROJECT_CODES = ["started", "in_progress", "realised", "attention", "stopped"]
MILESTONE_STATUSES = ["gerealiseerd", "op schema", "vertraagd", "toekomstig", "geschrapt"]
MILESTONE_CODES = ["realised", "on_schedule", "delayed", "future", "stopped"]
ROUNDS = [
    ("2022-12", "December 2022", dt.date(2022, 12, 31), dt.date(2023, 1, 31), "gesloten"),
    ("2023-12", "December 2023", dt.date(2023, 12, 31), dt.date(2024, 1, 31), "open"),
]


@dataclass(frozen=True)
class Plan:
    scale: int

    @property
    def projects(self) -> int:
        return 181 * self.scale

    @property
    def clusters(self) -> int:
        return 36 * self.scale

    def milestone_count(self, project: int) -> int:
        # 124 projects of every 181 have ten milestones, the others nine: 1753 per 181.
        return 10 if project % 181 < 124 else 9

    @property
    def milestones(self) -> int:
        return 1753 * self.scale

    @property
    def rows(self) -> int:
        return (
            len(DOMAINS)
            + 7
            + self.clusters
            + self.projects
            + self.milestones
            + len(ROUNDS)
            + len(ROUNDS) * (self.projects + self.milestones)
        )

    # -- the rows, as Python values -----------------------------------------------------

    def domain_rows(self) -> Iterator[tuple]:
        for code in DOMAINS:
            yield code, f"Beleidsdomein {code}"

    def speerpunt_rows(self) -> Iterator[tuple]:
        for number in range(1, 8):
            yield number, f"Speerpunt {number}"

    def cluster_rows(self) -> Iterator[tuple]:
        for number in range(1, self.clusters + 1):
            yield number, number % 7 + 1, f"Cluster {number}"

    def project_rows(self) -> Iterator[tuple]:
        rng = random.Random(f"projects-{self.scale}")
        for number in range(1, self.projects + 1):
            rrf = number % 3 == 0
            start = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(700))
            yield (
                f"VV{number:05d}",
                f"Relanceproject {number}: investeringsprogramma",
                (number - 1) % self.clusters + 1,
                DOMAINS[number % len(DOMAINS)],
                "Departement Omgeving",
                Decimal(rng.randrange(10_000_000, 5_000_000_000)) / 100,
                rrf,
                f"I-{number % 7 + 1}.{number % 40:02d}" if rrf else "",
                start,
                start + dt.timedelta(days=365 * 4),
            )

    def milestone_rows(self) -> Iterator[tuple]:
        rng = random.Random(f"milestones-{self.scale}")
        for project in range(1, self.projects + 1):
            for number in range(1, self.milestone_count(project) + 1):
                yield (
                    f"VV{project:05d}",
                    number,
                    f"Stap {number} van het project: gunning, uitvoering of oplevering",
                    dt.date(2021, 3, 31) + dt.timedelta(days=rng.randrange(3000)),
                    "",
                )

    def round_rows(self) -> Iterator[tuple]:
        yield from ROUNDS

    def fiche_rows(self) -> Iterator[tuple]:
        for index, (code, *_rest) in enumerate(ROUNDS):
            rng = random.Random(f"fiches-{self.scale}-{code}")
            for project in range(1, self.projects + 1):
                committed = Decimal(rng.randrange(0, 1_000_000_000)) / 100
                yield (
                    code,
                    f"VV{project:05d}",
                    rng.randrange(len(PROJECT_STATUSES)),
                    committed,
                    (committed * Decimal(rng.randrange(0, 100)) / 100).quantize(Decimal("0.01")),
                    f"Toelichting bij het meetmoment {code}." if index else "",
                )

    def milestone_status_rows(self) -> Iterator[tuple]:
        for code, _name, reference, *_rest in ROUNDS:
            rng = random.Random(f"statuses-{self.scale}-{code}")
            for project in range(1, self.projects + 1):
                for number in range(1, self.milestone_count(project) + 1):
                    status = rng.randrange(len(MILESTONE_STATUSES))
                    realised = reference - dt.timedelta(days=rng.randrange(600))
                    yield (
                        code,
                        f"VV{project:05d}",
                        number,
                        status,
                        realised if status == 0 else None,
                        "",
                    )

    # -- the workbook ------------------------------------------------------------------

    def write_workbook(self, path: str) -> None:
        """The plan as a workbook, written as a stream (openpyxl write-only)."""
        workbook = Workbook(write_only=True)

        def sheet(name: str, header: list[str], rows: Iterator[tuple]) -> None:
            worksheet = workbook.create_sheet(name)
            worksheet.append(header)
            for row in rows:
                worksheet.append(list(row))

        sheet("beleidsdomeinen", ["code", "naam"], self.domain_rows())
        sheet("speerpunten", ["nummer", "naam"], self.speerpunt_rows())
        sheet("clusters", ["nummer", "speerpunt", "naam"], self.cluster_rows())
        sheet(
            "projecten",
            ["code", "titel", "cluster", "beleidsdomein", "entiteit", "budget_eur", "rrf",
             "rrf_maatregel", "startdatum", "einddatum"],
            (row[:6] + ("ja" if row[6] else "nee",) + row[7:] for row in self.project_rows()),
        )  # fmt: skip
        sheet(
            "mijlpalen",
            ["project", "nummer", "omschrijving", "deadline", "rrf_referentie"],
            self.milestone_rows(),
        )
        sheet(
            "meetmomenten",
            ["code", "naam", "referentiedatum", "deadline", "status"],
            self.round_rows(),
        )
        sheet(
            "rapportering",
            ["meetmoment", "project", "status", "vastgelegd_eur", "vereffend_eur", "toelichting"],
            (row[:2] + (PROJECT_STATUSES[row[2]],) + row[3:] for row in self.fiche_rows()),
        )
        sheet(
            "mijlpaalstatus",
            ["meetmoment", "project", "mijlpaal", "status", "realisatiedatum", "toelichting"],
            (
                row[:3] + (MILESTONE_STATUSES[row[3]],) + row[4:]
                for row in self.milestone_status_rows()
            ),
        )
        workbook.save(path)
